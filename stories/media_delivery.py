"""Serving story media: the published copy to the public, the private original to its reviewers, with HTTP Range.

The public URL names a story page, not a file: a reader gets bytes only while that page is live, public and shows
its media, and only ever those of the published copy (metadata-free, redactions applied). Everything else is a 404
that says nothing about whether a story or a file exists.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import quote_etag
from wagtail import hooks

from .links import published_media_filename
from .media_intake import CONTENT_TYPES
from .media_publishing import PUBLISHED_CONTENT_TYPES
from .models import StoryMedia, StoryPage

CHUNK_BYTES = 64 * 1024
# Readers' browsers keep media briefly (a withdrawn story must vanish soon); a CDN longer, as withdrawal purges it.
PUBLIC_CACHE_CONTROL = "public, max-age=300, s-maxage=3600"
STAFF_CACHE_CONTROL = "private, no-store"
# Signed storage URLs live this long: enough to start playing; the player asks this view again to resume later.
SIGNED_URL_SECONDS = 300
# If a browser were ever led to open media as a page, nothing in it could run.
MEDIA_CSP = "default-src 'none'; sandbox"
ALLOWED_ORIGINAL_TYPES = {pair[0] for pairs in CONTENT_TYPES.values() for pair in pairs if pair}

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

# Who may review a story is governance's question, not the core's: an app answers it by registering a Wagtail hook
# `may_review_story(user, story: StoryPage) -> bool`. With no hook saying yes, nobody may hear a private original.
MAY_REVIEW_STORY_HOOK = "may_review_story"


class RangeNotSatisfiable(Exception):
    pass


@dataclass(frozen=True)
class MediaFile:
    file: FieldFile
    content_type: str
    filename: str  # safe, generated: never anything a contributor chose


def published_media(page_id: int, filename: str) -> MediaFile:
    """The published copy behind a public media URL, or Http404 unless its story is live, public and shows media."""
    page = (
        StoryPage.objects.live()
        .public()
        .filter(pk=page_id, show_media=True, media__isnull=False)
        .select_related("media")
        .first()
    )
    media = page.media if page else None
    if media is None or not media.published_file or filename != published_media_filename(page, media):
        raise Http404
    content_type = PUBLISHED_CONTENT_TYPES.get(PurePosixPath(media.published_file.name).suffix)
    if content_type is None:
        raise Http404
    return MediaFile(media.published_file, content_type, filename)


def original_media(media_id: int, user) -> MediaFile:
    """A story's private original, for someone who may review that story; Http404 for anyone else.

    A recording that belongs to no story (one held while its contributor fills in the share form) is no one's to
    hear. The answer is 404 either way, so nothing tells whether a media id exists.
    """
    if not is_verified_admin(user):
        raise Http404
    media = StoryMedia.objects.filter(pk=media_id).first()
    if media is None or not media.file:
        raise Http404
    if not any(may_review_story(user, story) for story in StoryPage.objects.filter(media=media)):
        raise Http404
    return private_original(media)


def private_original(media: StoryMedia) -> MediaFile:
    """A private original for a caller that has already established who may hear it (its reviewer, or the
    contributor holding the story's key or the share form it was recorded for)."""
    # The type was found by probing the content; anything unexpected is sent as bytes, never as something to render.
    content_type = media.content_type if media.content_type in ALLOWED_ORIGINAL_TYPES else "application/octet-stream"
    return MediaFile(media.file, content_type, f"voicebox-original-{media.pk}{PurePosixPath(media.file.name).suffix}")


def may_review_story(user, story: StoryPage) -> bool:
    return any(answer(user, story) for answer in hooks.get_hooks(MAY_REVIEW_STORY_HOOK))


def is_verified_admin(user) -> bool:
    """Someone the admin itself would let in: signed in with admin access and the second factor given this session
    (django-otp's middleware adds `is_verified`), so this view is no way round the admin's two-step sign-in."""
    is_verified = getattr(user, "is_verified", None)
    return (
        user.is_authenticated
        and user.is_active
        and callable(is_verified)
        and is_verified()
        and user.has_perm("wagtailadmin.access_admin")
    )


def serve_media(request, media: MediaFile, *, cache_control: str) -> HttpResponse:
    """Send a media file with Range support, or redirect to a short-lived signed URL when it lives on S3."""
    if not _is_local(media.file):
        response = HttpResponseRedirect(_signed_url(media))
        response["Cache-Control"] = "no-store"  # the signed URL expires; nothing may keep the redirect
        return response

    try:
        size = media.file.size
    except FileNotFoundError:
        raise Http404 from None
    etag = quote_etag(hashlib.sha256(f"{media.file.name}:{size}".encode()).hexdigest()[:32])
    if etag in _etags(request.headers.get("If-None-Match", "")):
        return _with_headers(HttpResponse(status=304), media, etag, cache_control)

    byte_range = None
    if_range = request.headers.get("If-Range")
    if "Range" in request.headers and (if_range is None or if_range == etag):
        try:
            byte_range = parse_range(request.headers["Range"], size)
        except RangeNotSatisfiable:
            response = _with_headers(HttpResponse(status=416), media, etag, cache_control)
            response["Content-Range"] = f"bytes */{size}"
            return response

    if byte_range is None:
        response = FileResponse(media.file.open("rb"), content_type=media.content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = byte_range
        response = StreamingHttpResponse(
            _read_range(media.file, start, end), status=206, content_type=media.content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    return _with_headers(response, media, etag, cache_control)


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The inclusive byte range a single-range `Range` header asks for.

    None means "send the whole file": RFC 9110 lets a server ignore a Range it can't parse, and several ranges at
    once (multipart/byteranges) are never needed by media players. RangeNotSatisfiable when it starts past the end.
    """
    match = _RANGE.match(header.strip())
    if not match or not (match[1] or match[2]):
        return None
    first, last = match[1], match[2]
    if not first:  # "bytes=-500": the last 500 bytes
        length = int(last)
        if length == 0:
            raise RangeNotSatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    if start >= size:
        raise RangeNotSatisfiable
    end = int(last) if last else size - 1
    if end < start:
        return None
    return start, min(end, size - 1)


def _read_range(file: FieldFile, start: int, end: int):
    with file.storage.open(file.name, "rb") as stored:
        stored.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = stored.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _with_headers(response: HttpResponse, media: MediaFile, etag: str, cache_control: str) -> HttpResponse:
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["Content-Disposition"] = f'inline; filename="{media.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    return response


def _is_local(file: FieldFile) -> bool:
    """Local disk (we stream the bytes) or object storage like S3 (the storage signs a URL; S3 serves Range)."""
    try:
        file.storage.path(file.name)
    except NotImplementedError:
        return False
    return True


def _signed_url(media: MediaFile) -> str:
    return media.file.storage.url(
        media.file.name,
        parameters={
            "ResponseContentType": media.content_type,
            "ResponseContentDisposition": f'inline; filename="{media.filename}"',
        },
        expire=SIGNED_URL_SECONDS,
    )
