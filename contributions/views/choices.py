"""/my-story/<key>/choices/: the contributor changes how they are named, who may see their story, voice and face, the
end date and small edits, at any time. What narrows applies at once; what widens waits for a moderator
(`moderation.choices`). Opened by its key through `contributions.keys.opens_story`, like every private page."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from moderation import choices
from moderation.models import ConsentText, Contribution

from ..forms import ChangeChoicesForm
from ..keys import opens_story

OUTCOMES = {
    "applied": _("Your choices are changed. They apply everywhere your story appears."),
    "waiting": _(
        "Thank you. The changes that keep your story more private apply now. The ones that show it more "
        "widely will apply once a moderator has checked your story still protects you and others. We'll show it here."
    ),
}


@opens_story
def change_choices(request, contribution: Contribution, key: str):
    consent_text = ConsentText.current()
    if consent_text is None:
        return render(request, "contributions/share/unavailable.html", status=503)
    page = contribution.story.specific
    form_kwargs = {"consent_text": consent_text, "is_media": page.media_id is not None}
    if request.method == "POST":
        form = ChangeChoicesForm(request.POST, **form_kwargs)
        if form.is_valid():
            wanted = choices.Choices(**form.choices())
            change = choices.change_choices(contribution, wanted, consent_text)
            outcome = "waiting" if change else "applied"
            return redirect(reverse("contributions:my_story_choices", args=[key]) + f"?done={outcome}")
    else:
        form = ChangeChoicesForm(
            initial=ChangeChoicesForm.initial_from(choices.current_choices(contribution)), **form_kwargs
        )
    context = {
        "key": key,
        "page": page,
        "form": form,
        "consent_text": consent_text,
        "is_media": form_kwargs["is_media"],
        "outcome": OUTCOMES.get(request.GET.get("done", "")),
        "waiting": choices.waiting_change(contribution),
    }
    return render(request, "contributions/my_story/choices.html", context, status=400 if form.errors else 200)
