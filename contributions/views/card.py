"""The key card, /my-story/<key>/card/: the private link on one printable page, with a QR code of it, what the link
lets the person do, and where to get help now.

For people without a phone or an email address to keep a link in, and for a card handed over after sharing with
someone's help. Opened through `opens_story` like every private page (never cached, never indexed); the card is made
each time it is asked for and never stored, so nothing of it stays on a shared computer once the page is closed.
"""

import segno
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from moderation.models import Contribution

from ..keys import opens_story

# Characters per group when the key is printed for reading and typing by hand (as card numbers are).
KEY_GROUP = 4


def grouped(key: str) -> list[str]:
    """The key in short groups, so it can be read out or copied by hand without losing one's place."""
    return [key[i : i + KEY_GROUP] for i in range(0, len(key), KEY_GROUP)]


def qr_svg(link: str) -> str:
    """The link as an SVG QR code: drawn here, from a path and no style or script, so it meets the strict CSP."""
    # Medium error correction survives a crease or a smudge on a printed card while keeping the modules large.
    return segno.make(link, error="m", micro=False).svg_inline(omitsize=True, svgclass="key-card-code")


@opens_story
def key_card(request, contribution: Contribution, key: str, shared_device: bool = False):
    """The card; on a shared device at an event (views/event.py) it links to nothing that holds the key, so the key
    never enters the device's history."""
    link = request.build_absolute_uri(reverse("contributions:my_story", args=[key]))
    context = {
        "key": key,
        "link": link,
        "link_start": link.removesuffix(f"{key}/"),
        "key_groups": grouped(key),
        # segno writes the SVG from the link alone (no markup of anyone's making), so it is safe to put in the page.
        "qr_code": mark_safe(qr_svg(link)),  # noqa: S308
        "shared_device": shared_device,
    }
    return render(request, "contributions/my_story/card.html", context)
