"""Django settings, read from the environment (see docs/configuration.md).

Every value comes through the typed helpers in ``refuge.env`` so a bad value stops start-up
with one line. Defaults are safe ones: DEBUG off, SQLite in the data dir, a secret key
generated into the data dir on first run.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
from csp.constants import NONE, SELF

from refuge.datadir import data_dir, load_or_create_secret_key
from refuge.env import env_bool, env_int, env_list, env_secret, env_str
from refuge.web.database import database_config

# Lets admin classes and querysets be subscripted (ModelAdmin[Place]) for the type checker.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

SECRET_KEY = env_secret("DJANGO_SECRET_KEY") or load_or_create_secret_key(DATA_DIR)
# Development mode only when asked for (make run sets it); never by default.
DEBUG = env_bool("REFUGE_DEBUG", False)
DEMO = env_bool("REFUGE_DEMO", False)
ALLOWED_HOSTS = env_list("REFUGE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "refuge.web.pages.admin_site.RefugeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # lockout after repeated failed sign-ins (see AXES_* below)
    "csp",  # the Content-Security-Policy header (CONTENT_SECURITY_POLICY below)
    "refuge.web.accounts",
    "refuge.web.sources",
    "refuge.web.incidents",
    "refuge.web.disclosure",
    "refuge.web.audit",
    "refuge.web.search",
    "refuge.web.review",
    "refuge.web.pages",
    "refuge.web.public",  # public pages from the publication store only (no models)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the user's language (session or cookie)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: ends sessions that skipped a second factor they now need.
    "refuge.web.accounts.middleware.TwoFactorMiddleware",
    # Outside the views, so no signed-in page can forget it (redirects and errors included).
    "refuge.web.accounts.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "refuge.web.audit.reads.AuditReadsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "refuge.web.urls"
WSGI_APPLICATION = "refuge.web.wsgi.application"

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
                "refuge.web.pages.context.site",
            ],
        },
    },
]

DATABASES = {"default": database_config(env_str("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "incidents:list"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: refuses a locked-out (username, address) before any check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id first; the others only verify hashes written before it (upgraded at next sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on a missing folder; collectstatic is optional
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve from the app folders directly: `refuge serve` works without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EVIDENCE_DIR = DATA_DIR / "evidence"
# Backups serialise records with exact times (see refuge.web.serialization).
SERIALIZATION_MODULES = {"refuge-json": "refuge.web.serialization"}
# Uploads larger than 2.5 MB are spooled to this folder (inside the data dir, never the
# system's /tmp) and deleted when the request ends.
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
FILE_UPLOAD_LIMIT_MB = 50
# Extract claims from English sources as they are ingested (else: `refuge reextract`).
EXTRACT_ON_INGEST = env_bool("REFUGE_EXTRACT_ON_INGEST", True)
# Encrypt every original, not only confidential ones (costs a decryption per read).
SEAL_ALL_EVIDENCE = env_bool("REFUGE_SEAL_ALL_EVIDENCE", False)
# A PDF is read in a child process with these limits, so a hostile file cannot hang a batch.
PDF_TIMEOUT_SECONDS = env_int("REFUGE_PDF_TIMEOUT", 20, minimum=1)
PDF_MEMORY_MB = env_int("REFUGE_PDF_MEMORY_MB", 512, minimum=64)

# Sessions end after inactivity: every request pushes the expiry SESSION_COOKIE_AGE ahead,
# so an idle session dies that long after its last request. The cookie itself lasts until
# the browser closes (a shared computer keeps nothing). Sessions live in the database so
# suspending an account can delete them (refuge.web.accounts.sessions).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("REFUGE_SESSION_SECONDS", 3600, minimum=300)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Every script, style, font, image and map tile comes from Refuge itself: no third-party
# origin at all, no inline script or style (templates keep CSS and JS in static files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Lockout after repeated failed sign-ins, keyed on the username and the address together:
# one attacker guessing passwords locks only that (username, address) pair, never every
# colleague behind the same office address, nor the account from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("REFUGE_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("REFUGE_LOCKOUT_MINUTES", 15, minimum=1))
AXES_RESET_ON_SUCCESS = True
# Sign-ins are already in the audit log; a second, unchained copy would only add exposure.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The client's address; behind REFUGE_PROXY_COUNT reverse proxies, from X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "refuge.web.accounts.addresses.client_address"
REFUGE_PROXY_COUNT = env_int("REFUGE_PROXY_COUNT", 0, minimum=0)
# Exponential back-off (1 s, 2 s, 4 s, ...) after wrong two-factor codes, per device.
TWO_FACTOR_THROTTLE_FACTOR = 1

if env_bool("REFUGE_HTTPS", False):
    # Behind TLS: cookies only over HTTPS, HSTS, redirect plain HTTP.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # Never log request bodies or identifying data: only Django's own warnings and errors.
    "root": {"handlers": ["console"], "level": env_str("REFUGE_LOG_LEVEL", "WARNING")},
}
