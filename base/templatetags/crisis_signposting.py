"""Where someone can get help now, for `templates/includes/crisis_signposting.html`.

The include reads only what `crisis_signposting` returns (heading, introduction, services with name, how, number,
message, detail). The words come from the crisis signposting site setting, edited in the admin (UK services by
default: see base.models).
"""

from django import template
from wagtail.models import Site

from ..models import CrisisSignposting

register = template.Library()


@register.simple_tag(takes_context=True)
def crisis_signposting(context) -> dict:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    setting = CrisisSignposting.reading(site) if site else CrisisSignposting.for_default_site()
    return {
        "heading": setting.heading,
        "introduction": setting.introduction,
        "services": [block.value for block in setting.services],
    }
