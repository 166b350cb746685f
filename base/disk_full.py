"""A full disk answers 503 with a kind page that keeps what the person sent, whichever write it was.

Any write a visitor sets off can meet a full disk: an upload streaming in, a recording stored privately, a story's
rows in the database. Rather than a try/except in every view, one middleware turns that failure into a 503 with
Retry-After (a 500 "Something went wrong" lost what was typed). The page shows the words the person sent and a
button that sends the very same form again; a file can't be carried, so they are asked to choose it again.

Nothing half-saved stays behind: database work rolls back as the error leaves its transaction, and the upload handler
and local storage delete the partial files they were writing (stories/upload_handlers.py, stories/storage.py).
"""

import errno
import logging
import sqlite3

from django.http import QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 120
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# ENOSPC: no space left on the device; EDQUOT: the user's disk quota is used up. Both clear when space is freed.
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
# PostgreSQL's SQLSTATE for "disk full" (psycopg 3 calls it sqlstate, psycopg2 pgcode).
_POSTGRES_DISK_FULL = "53100"


def is_disk_full(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from, means the disk (or the database's disk) is full.

    Django raises its own database errors from the driver's, so the driver's is found along `__cause__`.
    """
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in _DISK_FULL_ERRNOS:
            return True
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return True
        if _POSTGRES_DISK_FULL in (getattr(error, "sqlstate", None), getattr(error, "pgcode", None)):
            return True
        error = error.__cause__ or error.__context__
    return False


class DiskFullMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_disk_full(exception):
            return None
        # An alert for whoever runs the site; the view's name only (a path can hold a story key).
        view = request.resolver_match.view_name if request.resolver_match else "unknown view"
        logger.critical("The disk is full: a %s to %s could not be saved (answered 503).", request.method, view)
        fields = [(name, value) for name, values in _sent_form(request).lists() for value in values]
        context = {
            "action": request.get_full_path(),
            "fields": fields,
            # What reads as the person's own words (anything with a space in it), shown so they can copy it too.
            "words": [value for _, value in fields if any(character.isspace() for character in value)],
            "had_file": request.content_type == "multipart/form-data",
        }
        response = render(request, "disk_full.html", context, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


def _sent_form(request) -> QueryDict:
    """The form fields the person sent, without the CSRF token (the page gives its own)."""
    if request.method != "POST" or request.content_type not in FORM_CONTENT_TYPES:
        return QueryDict()
    sent = request.POST.copy()
    sent.pop("csrfmiddlewaretoken", None)
    return sent
