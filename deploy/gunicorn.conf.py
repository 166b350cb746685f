"""Gunicorn configuration for Voicebox behind nginx (deploy/nginx/voicebox.conf).

    gunicorn -c deploy/gunicorn.conf.py voicebox.wsgi

Why these choices:
- nginx reads every request body to the end before it passes it on (`proxy_request_buffering on`) and reads every
  response from here at loopback speed (`proxy_buffering on`), so a client trickling an upload or reading slowly
  ties up an nginx connection (cheap, event-driven), never a Python worker. That is what keeps the site answering.
- gthread workers as a second line: a worker holds several threads, so one request that does take long (a probe and
  remux of a large upload, an export) does not stop the worker answering story pages, and keep-alive connections
  from nginx do not pin a whole process. Sync workers would be enough behind nginx alone; threads cost little here
  because most of a request is waiting on the database, the disk or ffmpeg.
- `timeout` is the longest a worker may go silent before it is killed and replaced: long enough for the story step's
  probe and remux of a file at VOICEBOX_MAX_UPLOAD_MB, short enough that a stuck worker comes back.
- The access log (off unless GUNICORN_ACCESS_LOG names a file or "-") never holds a story key: /my-story/<key>/
  in the path and in the Referer is masked by base.log_filters, and no query string is written.

Everything site-specific comes from the environment (the same file the systemd units read).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
# nginx keeps connections to us open between requests; a little longer than nginx's own upstream keepalive.
keepalive = 75
# A worker is replaced after this many requests (with jitter, so they do not all restart at once): bounds any leak.
max_requests = 2000
max_requests_jitter = 200
# Only nginx, on this machine, talks to us: its X-Forwarded-Proto is believed (Django reads it through
# SECURE_PROXY_SSL_HEADER; the client address through TRUSTED_PROXY_COUNT=1 and base.abuse.client_ip).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
raw_env = ["DJANGO_SETTINGS_MODULE=" + os.environ.get("DJANGO_SETTINGS_MODULE", "voicebox.settings.production")]

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# Peer (nginx), time, method, path without query string, status, bytes, duration in ms, Referer; the path and the
# Referer go through the key-masking filter below. nginx's own log holds the client addresses.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(f)s"'


def post_worker_init(worker):
    """Mask story keys in this worker's access log (the app is loaded, so the project is importable)."""
    from base.log_filters import RedactStoryKeys

    worker.log.access_log.addFilter(RedactStoryKeys())
