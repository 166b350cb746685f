"""Uploads stream to a temporary file on disk and stop at the size cap.

Django's own size settings don't limit file uploads, so the cap is enforced here, chunk by chunk, while the body
arrives: at the cap the temporary file is closed and deleted and the rest of that file is read and thrown away.
The other form fields still arrive, so the form can be shown again with everything the person typed. A write that
fails (a full disk) is handled the same way: the partial temporary file goes, the rest of the form arrives, and
`uploaded_media` raises the write's own error once the form is complete (base.disk_full answers it with a 503).

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

from contextlib import suppress
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
        self.write_failures: dict[str, OSError] = {}

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.VOICEBOX_MAX_UPLOAD_BYTES:
            self.refused_fields.add(self.field_name)
            self.upload_interrupted()  # close and delete the temporary file now, not when the request ends
            raise SkipFile()
        try:
            return super().receive_data_chunk(raw_data, start)
        except OSError as error:
            self._write_failed(error)
            raise SkipFile() from error

    def file_complete(self, file_size):
        try:
            return super().file_complete(file_size)  # flushes the last buffered bytes, which can fail too
        except OSError as error:
            self._write_failed(error)
            return None

    def _write_failed(self, error: OSError) -> None:
        self.write_failures[self.field_name] = error
        # Closing flushes what is still buffered, which fails again on a full disk; the file is unlinked regardless.
        with suppress(OSError):
            self.upload_interrupted()


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
    """The file sent in `field_name`, None if none was chosen; raises MediaRejected if it was cut off at the cap or
    several were sent, and the write's OSError if it could not be written down (the rest of the form has arrived)."""
    uploads = request.FILES.getlist(field_name)  # parses the body (through the capped handler) if not done yet
    for handler in request.upload_handlers:
        if field_name in getattr(handler, "refused_fields", ()):
            raise MediaRejected.too_large()
        if error := getattr(handler, "write_failures", {}).get(field_name):
            raise error
    if len(uploads) > 1:
        raise MediaRejected.several()
    return uploads[0] if uploads else None
