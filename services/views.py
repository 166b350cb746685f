"""The public services pages: the directory and one service's stories, responses and figures."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from stories.listing import paginate
from stories.page_cache import mark_cacheable

from .directory import figures, published_responses, stories_about
from .models import Service


def service_index(request):
    context = {"services": Service.objects.all()}
    return mark_cacheable(TemplateResponse(request, "services/index.html", context))


def service_detail(request, slug):
    service = get_object_or_404(Service, slug=slug)
    context = {
        "service": service,
        "figures": figures(service),
        "stories_page": paginate(request, stories_about(service)),
        "responses": published_responses(service=service).order_by("-published_at")[:20],
    }
    return mark_cacheable(TemplateResponse(request, "services/service.html", context))
