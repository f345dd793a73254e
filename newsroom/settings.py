"""Newsroom settings, read from the environment.

With nothing set, the site runs locally on SQLite with a local-memory cache.
Every variable is documented in the README's "Configuration" section.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_origin(name, value):
    """``value`` as an absolute http(s) origin without a trailing slash, or one readable error."""
    try:
        parts = urlsplit(value.strip().removesuffix("/"))
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        valid = valid and not (parts.path or parts.query or parts.fragment or parts.username)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        valid = False
    if not valid:
        raise ImproperlyConfigured(
            f"{name} must be an absolute http(s) origin such as https://news.example.org "
            f"(no path), not {value!r}."
        )
    return parts.geturl()


# pytest sets PYTEST_VERSION for the whole session (pytest 8.2+), so the test
# suite runs against this very module instead of a star-importing copy.
TESTING = "PYTEST_VERSION" in os.environ

DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local development."
        )
    # Obviously insecure so that `check --deploy` flags a deployment that forgot one.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

# The canonical origin for links in feeds, sitemaps, share links and metadata.
# Never taken from the request's Host header, which a client controls. Required
# in production: a default would silently point every feed and share link elsewhere.
SITE_URL = os.environ.get("SITE_URL", "")
if not SITE_URL:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SITE_URL is not set. Set it to the site's public address, for example "
            "https://news.example.org, or set DEBUG=1 for local development."
        )
    SITE_URL = "http://127.0.0.1:8000"
SITE_URL = env_origin("SITE_URL", SITE_URL)

# The site's own host is always allowed, so SITE_URL alone is enough to answer requests.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", f"localhost,127.0.0.1,[::1],{urlsplit(SITE_URL).hostname}")
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
SITE_DESCRIPTION = os.environ.get(
    "SITE_DESCRIPTION", "Long-form interviews with the people shaping public life."
)
SITE_LANGUAGE = os.environ.get("SITE_LANGUAGE", "en")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "taggit",
    "reversion",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "articles",
]

MIDDLEWARE = [
    # Outermost, so the duration covers everything and every response is logged.
    "newsroom.operations.RequestLogMiddleware",
    # First, so that every response carries the header, static files included.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware so static files skip everything else.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request into a query (PostgreSQL cannot hold NUL).
    "articles.middleware.RefuseNulMiddleware",
    # Before sessions and the rest: a cached page is served without them, and
    # stored already compressed (each encoding its own copy).
    "articles.pagecache.PageCacheMiddleware",
    # Every response the site renders, compressed unless it may hold a secret.
    "articles.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "articles.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}

# SQLite as a web server's database: with several workers, a save made while
# pages are read would fail at once with "database is locked". Transactions
# take the write lock when they begin (so two saves queue instead of
# deadlocking half-way), waiting up to the busy timeout (seconds) for it, and
# WAL lets readers read while someone writes.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, keeping its redis-py clients (newsroom/redis_cache.py).
            "BACKEND": "newsroom.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A Redis that is down or unreachable must cost a page milliseconds, not a hang.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (articles/pagecache.py). Freshness is decided by the database,
# so local memory is as correct as Redis with several workers, only less shared.
CACHE_PAGES = env_bool("CACHE_PAGES", True)
PAGE_CACHE_ALIAS = "default"
CACHE_PAGE_SECONDS = int(os.environ.get("CACHE_PAGE_SECONDS", "86400"))
# Browsers revalidate every page by default (a 304 from the page cache);
# feeds and sitemaps set their own lifetimes.
CACHE_BROWSER_MAX_AGE = int(os.environ.get("CACHE_BROWSER_MAX_AGE", "0"))
# Shared caches (Varnish, a CDN): a day when a purger tells them of changes, a minute otherwise.
CACHE_SHARED_MAX_AGE = (
    int(os.environ["CACHE_SHARED_MAX_AGE"]) if os.environ.get("CACHE_SHARED_MAX_AGE") else None
)

# Purging the HTTP cache in front of the site (articles/purgers.py): varnish, fastly, cloudflare or none.
PURGE_BACKEND = os.environ.get("PURGE_BACKEND", "").strip().lower()
if PURGE_BACKEND not in {"", "varnish", "fastly", "cloudflare"}:
    raise ImproperlyConfigured(
        f"PURGE_BACKEND is {PURGE_BACKEND!r}; use varnish, fastly or cloudflare, or leave it empty."
    )
PURGE_TIMEOUT = float(os.environ.get("PURGE_TIMEOUT", "5"))
VARNISH_URLS = env_list("VARNISH_URLS", "http://127.0.0.1:6081")
FASTLY_API_URL = os.environ.get("FASTLY_API_URL", "https://api.fastly.com")
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
CLOUDFLARE_API_URL = os.environ.get("CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4")
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
_purge_needs = {
    "fastly": ("FASTLY_SERVICE_ID", "FASTLY_API_TOKEN"),
    "cloudflare": ("CLOUDFLARE_ZONE_ID", "CLOUDFLARE_API_TOKEN"),
}
for _name in _purge_needs.get(PURGE_BACKEND, ()):
    if not globals()[_name]:
        raise ImproperlyConfigured(f"PURGE_BACKEND={PURGE_BACKEND} needs {_name}.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing is deliberately slow; tests log in often and need no real secrecy.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-gb")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Development and tests serve static files straight from the apps' folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Where pages load media from when it is not the site itself (a bucket or CDN); the CSP allows it.
MEDIA_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL)) if "://" in MEDIA_URL else ""
# Media on an S3-compatible store: setting the bucket switches it on, and
# django-storages reads these settings under its own names.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    # Plain public addresses: signed ones expire inside feeds and social cards.
    AWS_QUERYSTRING_AUTH = False
    # Upload names are unique; never replace a file that has the same name.
    AWS_S3_FILE_OVERWRITE = False
    if not MEDIA_URL.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "With AWS_STORAGE_BUCKET_NAME set, MEDIA_URL must be the public address of the bucket or "
            "its CDN, for example https://media.example.org/."
        )
    AWS_S3_URL_PROTOCOL = f"{urlsplit(MEDIA_URL).scheme}:"
    AWS_S3_CUSTOM_DOMAIN = MEDIA_URL.split("://", 1)[1].rstrip("/")
    MEDIA_BACKEND = "storages.backends.s3.S3Storage"
    RENDITION_OPTIONS = {"file_overwrite": True}
else:
    MEDIA_BACKEND = "django.core.files.storage.FileSystemStorage"
    RENDITION_OPTIONS = {"allow_overwrite": True}
# Without a web server or object storage in front, the site serves its own media.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME and MEDIA_URL.startswith("/"))

STORAGES = {
    "default": {"BACKEND": MEDIA_BACKEND},
    # The same place, for renditions: their names come from their content, so
    # writing one again writes the same bytes and needs no exists() check first.
    "renditions": {"BACKEND": MEDIA_BACKEND, "OPTIONS": RENDITION_OPTIONS},
    "staticfiles": {
        # Tests use plain storage so they need no collectstatic run.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: Pillow refuses images above this many pixels (decompression bombs),
# and the photo form files above this many bytes (a camera's JPEG is under 25 MB).
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", str(50_000_000)))
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", str(40 * 1024 * 1024)))
# Imported documents and transcripts: larger files, or Word files unpacking to more, are refused.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An interview posts about ten fields per block: this fits the most blocks the
# desk accepts (admin.blocks.MAX_BLOCKS) several times over, so a long
# interview gets the form's own message rather than a bare 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50_000

# Shareable preview links (for interviewees checking quotes) stop working after this many days.
PREVIEW_LINK_DAYS = int(os.environ.get("PREVIEW_LINK_DAYS", "7"))
# Scheduled interviews are under embargo: only editors read them, unless this is on.
EMBARGO_READABLE_BY_CONTRIBUTORS = env_bool("EMBARGO_READABLE_BY_CONTRIBUTORS")

# Desk accounts (articles/accounts.py). django-axes counts failed sign-ins per
# account and per address; either one reaching the limit locks that one out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The pause runs from the lockout: trying again meanwhile (say with the right password) does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The log names the account and the address of each failure (never the password tried).
AXES_SENSITIVE_PARAMETERS = []
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "articles.accounts.locked_out"
AXES_CLIENT_IP_CALLABLE = "articles.accounts.client_address"
# Desk sessions end after this long; Django's two weeks is long for a laptop left open.
SESSION_COOKIE_AGE = int(float(os.environ.get("ADMIN_SESSION_HOURS", "12")) * 3600)
# Editors must sign in with a code from an authenticator app (articles/two_factor.py).
TWO_FACTOR_FOR_EDITORS = env_bool("TWO_FACTOR_FOR_EDITORS")
OTP_TOTP_ISSUER = SITE_NAME
# Nobody, superusers included, can read another person's key (and so copy their second factor).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Proxies in front (Varnish, nginx) that append the client's address to
# X-Forwarded-For; without this, every sign-in seems to come from the proxy.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

# Authorization: interviewees approve their answers through a personal link valid this many days.
AUTHORIZATION_DAYS = int(os.environ.get("AUTHORIZATION_DAYS", "7"))
# Whether new interviews need their interviewees' approval before they can be published.
AUTHORIZATION_REQUIRED = env_bool("AUTHORIZATION_REQUIRED")
# Suggestion forms one link may send per hour: plenty for a person, a wall for a script.
AUTHORIZATION_SENDS_PER_HOUR = int(os.environ.get("AUTHORIZATION_SENDS_PER_HOUR", "30"))

# Email (authorization links, notes to editors, error mails): printed to the
# console in development; over SMTP, set up with the error mail settings below, otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)

# Security. Defaults are production-safe; local development opts out with DEBUG=1.
# Two deployment shapes (README, "Running in production"): behind a proxy that
# terminates TLS (BEHIND_TLS_PROXY=1), or a plain-http trial (SECURE_SSL_REDIRECT=0),
# where secure cookies and HSTS are off too: a browser would never send such a cookie back.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    # Only behind a proxy that sets this header itself and strips it from clients.
    # Without it, Django sees plain http behind the proxy and redirects forever.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SERVED_OVER_HTTPS = not DEBUG and (env_bool("SECURE_SSL_REDIRECT", True) or BEHIND_TLS_PROXY)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SERVED_OVER_HTTPS and not TESTING)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SERVED_OVER_HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SERVED_OVER_HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SERVED_OVER_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SERVED_OVER_HTTPS)
# Load balancers and monitors probe the health check over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [SITE_URL, *env_list("CSRF_TRUSTED_ORIGINS")]
if SECURE_SSL_REDIRECT and SITE_URL.startswith("http://") and not TESTING:
    raise ImproperlyConfigured(
        f"SITE_URL is {SITE_URL}, but every request is redirected to https: use an https:// "
        "SITE_URL, or set SECURE_SSL_REDIRECT=0 for a plain-http trial."
    )

# A strict policy for every response: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Media may come from a bucket or CDN (an absolute MEDIA_URL).
        "img-src": ["'self'", "data:", *filter(None, [MEDIA_ORIGIN])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Browser features the site never uses, off for its pages and anything they could embed.
# Only "Copy link" (the clipboard) and the share button (Web Share) stay on, for the site itself.
PERMISSIONS_POLICY = {
    "clipboard-write": "self",
    "web-share": "self",
    **{
        feature: []
        for feature in [
            "accelerometer",
            "ambient-light-sensor",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "interest-cohort",
            "local-fonts",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        ]
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request (method, path, status, duration); REQUEST_LOG_LEVEL=WARNING silences it.
        "newsroom.requests": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
    },
}

# Errors reach someone: Django mails tracebacks of 500s to ADMINS ("Name <address>, ...").
ADMINS = [getaddresses([entry])[0] for entry in env_list("ADMINS")]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "root@localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", SERVER_EMAIL)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10

# Optional error reporting to Sentry (or a compatible service).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        # Readers' addresses and cookies stay here.
        send_default_pii=False,
        traces_sample_rate=0,
    )
