"""Collections in public: the index, a collection's page, its embed, and its training pack."""

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from stories.embedding import framable

from . import pack
from .models import StoryCollection
from .showing import showing


@require_safe
def collection_index(request):
    return TemplateResponse(
        request, "curated/collection_index.html", {"collections": StoryCollection.objects.only("title", "slug")}
    )


@require_safe
def collection_detail(request, slug: str):
    collection = get_object_or_404(StoryCollection, slug=slug)
    context = {"collection": collection, "stories": [item.story for item in showing(collection)]}
    return TemplateResponse(request, "curated/collection_page.html", context)


@require_safe
@framable
def embed_collection(request, slug: str):
    """The collection's introduction and its stories, each opening its own embed (player and transcript)."""
    collection = get_object_or_404(StoryCollection, slug=slug)
    context = {"collection": collection, "stories": [item.story for item in showing(collection)]}
    return TemplateResponse(request, "curated/embed_collection.html", context)


@require_safe
@ratelimit(key="ip", rate="30/h", method=("GET", "HEAD"))
def training_pack(request, slug: str):
    """The pack as a zip, made now and streamed; nothing of it is kept, and no cache may keep it either."""
    collection = get_object_or_404(StoryCollection, slug=slug)
    address = request.build_absolute_uri(reverse("curated:collection", args=[collection.slug]))
    response = StreamingHttpResponse(pack.training_pack(collection, address), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{pack.filename(collection)}"'
    response["Cache-Control"] = "no-store"
    return response
