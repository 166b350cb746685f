"""The key card, /my-story/<key>/card/: the private link on one printable page, as a short code to type or read out
and a QR code of the link, with what the link lets the person do and where to get help now.

For people without a phone or an email address to keep a link in, and for a card handed over after sharing with
someone's help. The short code (moderation.models.contributions.story_code) is made from the key, so it needs nothing
stored; it opens the same pages at /my-story/<code>/ and through "Type the code from your card" (views/code.py).
Opened through `opens_story` like every private page (never cached, never indexed); the card is made each time it is
asked for and never stored, so nothing of it stays on a shared computer once the page is closed.
"""

import segno
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from moderation.models import Contribution
from moderation.models.contributions import as_story_code, story_code

from ..keys import opens_story


def qr_svg(link: str) -> str:
    """The link as an SVG QR code: drawn here, from a path and no style or script, so it meets the strict CSP."""
    # Medium error correction survives a crease or a smudge on a printed card while keeping the modules large.
    return segno.make(link, error="m", micro=False).svg_inline(omitsize=True, svgclass="key-card-code")


@opens_story
def key_card(request, contribution: Contribution, key: str, shared_device: bool = False):
    """The card; on a shared device at an event (views/event.py) it links to nothing that holds the key, so the key
    never enters the device's history."""
    # Opened by its code rather than its key, the card is made from the code alone (`opens_story` gives it as printed).
    code = as_story_code(key) or story_code(key)
    link = request.build_absolute_uri(reverse("contributions:my_story", args=[key]))
    context = {
        "key": key,
        "code": code,
        "short_link": request.build_absolute_uri(reverse("contributions:my_story", args=[code])),
        "code_page": request.build_absolute_uri(reverse("contributions:my_story_code")),
        # segno writes the SVG from the link alone (no markup of anyone's making), so it is safe to put in the page.
        "qr_code": mark_safe(qr_svg(link)),  # noqa: S308
        "shared_device": shared_device,
    }
    return render(request, "contributions/my_story/card.html", context)
