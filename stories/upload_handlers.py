"""Uploads stream to a temporary file on disk and stop at the size cap.

Django's own size settings don't limit file uploads, so the cap is enforced here, chunk by chunk, while the body
arrives: at the cap the temporary file is closed and deleted and the rest of that file is read and thrown away.
The other form fields still arrive, so the form can be shown again with everything the person typed.

The share view uses it like this (CsrfViewMiddleware reads request.POST before the view runs, so the view must be
CSRF-exempt and then CSRF-protect itself once the handlers are installed; `capped_uploads` does both):

    @capped_uploads
    def share(request):
        ...
        try:
            upload = uploaded_media(request, "media")     # None when no file was chosen
            media = store_upload(upload, title=...) if upload else None
        except MediaRejected as rejected:
            form.add_error("media", rejected.message)
"""

from functools import wraps

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .media_intake import MediaRejected


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Streams every file to disk (never memory) and refuses the bytes past VOICEBOX_MAX_UPLOAD_BYTES.

    The cap counts all files of one request together, so several parts can't add up to more than one file may be.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.refused_fields: set[str] = set()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.VOICEBOX_MAX_UPLOAD_BYTES:
            self.refused_fields.add(self.field_name)
            self.upload_interrupted()  # close and delete the temporary file now, not when the request ends
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)


def install_capped_upload_handlers(request) -> None:
    """Use the capped, disk-only handler for this request. Call it before anything reads request.POST/FILES."""
    request.upload_handlers = [CappedTemporaryFileUploadHandler(request)]


def capped_uploads(view):
    """Decorate a function view so its uploads go through the capped handler, keeping CSRF protection."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        install_capped_upload_handlers(request)
        return protected(request, *args, **kwargs)

    return wrapped


def uploaded_media(request, field_name: str) -> UploadedFile | None:
    """The file sent in `field_name`, None if none was chosen; raises MediaRejected if it was cut off at the cap."""
    upload = request.FILES.get(field_name)  # parses the body (through the capped handler) if not done yet
    for handler in request.upload_handlers:
        if field_name in getattr(handler, "refused_fields", ()):
            raise MediaRejected.too_large()
    return upload
