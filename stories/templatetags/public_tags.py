from django import template
from django.utils.safestring import mark_safe

from ..links import captions_url, format_moment, media_url, moment_url
from ..page_cache import hole, rendering_for_cache
from ..reactions import render_experienced_too

register = template.Library()


@register.simple_tag(takes_context=True)
def experienced_too(context, story):
    request = context["request"]
    if rendering_for_cache(request):
        return mark_safe(hole("experienced", int(story.pk)))  # noqa: S308  (a fixed marker and a number)
    return mark_safe(render_experienced_too(request, story.pk))  # noqa: S308  (rendered by an escaping template)


@register.filter
def timestamp(seconds) -> str:
    """0:07, 12:03 or 1:02:03: how a moment in a recording is read out."""
    total = int(float(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def moment(seconds) -> str:
    return format_moment(seconds)


@register.simple_tag
def story_media_url(story):
    return media_url(story)


@register.simple_tag
def story_captions_url(story):
    return captions_url(story)


@register.simple_tag(takes_context=True)
def story_moment_url(context, story, start):
    return moment_url(story, start, request=context.get("request"))
