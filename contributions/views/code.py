"""/my-story/code/: "Type the code from your card", for a person who has the key card's short code but not its link.

A form, not a second way in: a code of the right shape is sent on to /my-story/<code>/, which opens the story through
`opens_story` like the key does (the same guessing budget, the same 404 for a wrong code). Only a code that cannot be
one (too short, a letter that is not in it) is answered here, with what to check, and what was typed kept.
"""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from moderation.models.contributions import STORY_CODE_LENGTH, as_story_code

from ..keys import private


class StoryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=64,
        # Not a password field: the person copies it from a card and needs to see what they typed.
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Type the code from your card.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Made here, in the language of the request, because the number goes into the words.
        self.fields["code"].help_text = ngettext(
            "%(length)d letter or number. Capital or small letters, with or without the dashes.",
            "%(length)d letters and numbers. Capital or small letters, with or without the dashes.",
            STORY_CODE_LENGTH,
        ) % {"length": STORY_CODE_LENGTH}

    def clean_code(self) -> str:
        code = as_story_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                ngettext(
                    "This doesn't look like a code from a key card: it has %(length)d letter or number, in "
                    "groups of four. Check each group against your card.",
                    "This doesn't look like a code from a key card: it has %(length)d letters and numbers, in "
                    "groups of four. Check each group against your card.",
                    STORY_CODE_LENGTH,
                )
                % {"length": STORY_CODE_LENGTH}
            )
        return code


@never_cache
@require_http_methods(["GET", "POST"])
def enter_code(request):
    form = StoryCodeForm(request.POST or None)
    if form.is_valid():
        return redirect("contributions:my_story", form.cleaned_data["code"])
    status = 400 if form.is_bound else 200
    return private(render(request, "contributions/my_story/code.html", {"form": form}, status=status))
