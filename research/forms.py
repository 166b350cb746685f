from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from .models import EmergingTheme, ResearchExport


class EmergingThemeForm(WagtailAdminModelForm):
    """Peers name, describe, link and hide a theme. Hiding needs a reason from the policy list."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hidden") and not cleaned.get("hidden_reason_code"):
            self.add_error("hidden_reason_code", "Choose the policy reason for hiding this theme.")
        if not cleaned.get("hidden"):
            cleaned["hidden_reason_code"] = ""
        return cleaned

    def save(self, commit=True):
        theme = super().save(commit=False)
        if "hidden" in self.changed_data or "hidden_reason_code" in self.changed_data:
            theme.hidden_at = timezone.now() if theme.hidden else None
            theme.hidden_by = self.for_user if theme.hidden else None
        if commit:
            theme.save()
            self.save_m2m()
        return theme


class MergeThemesForm(forms.Form):
    others = forms.ModelMultipleChoiceField(
        queryset=EmergingTheme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Themes to merge into this one",
        help_text="Their stories join this theme. The merged themes stay on record; nothing is deleted.",
    )

    def __init__(self, *args, theme: EmergingTheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = EmergingTheme.objects.current().exclude(pk=theme.pk)


class SplitThemeForm(forms.Form):
    stories = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Stories to move into a new theme",
    )
    name = forms.CharField(max_length=80, required=False, label="Name of the new theme (you can add it later)")

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stories"].choices = choices


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=ResearchExport.Format.choices)
    language = forms.CharField(required=False, max_length=12)
