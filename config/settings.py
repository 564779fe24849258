"""Pilar settings. Every value that differs between machines comes from the environment.

See README.md ("Production") for the list of variables.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import demo_secret_key, read_bool, read_int, read_list, read_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(read_str("PILAR_DATA_DIR", str(BASE_DIR / "data"))).resolve()

DEBUG = read_bool("PILAR_DEBUG", False)
# `make demo`: on one's own machine, without debug (Pilar's own error pages, as a user
# meets them), with a secret key of its own kept beside the demo's database.
DEMO = read_bool("PILAR_DEMO", False)
LOCAL = DEBUG or DEMO

SECRET_KEY = read_str("PILAR_SECRET_KEY", "")
if not SECRET_KEY and DEMO and not DEBUG:
    SECRET_KEY = demo_secret_key(DATA_DIR)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PILAR_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set PILAR_DEBUG=true on a development machine."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = read_list("PILAR_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if LOCAL else [])
CSRF_TRUSTED_ORIGINS = read_list("PILAR_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks_db",
    "pilar.core",
    "pilar.regions",
    "pilar.accounts",
    "pilar.audit",
    "pilar.workforce",
    "pilar.beneficiaries",
    "pilar.imports",
    "pilar.exports",
    "pilar.cases",
    "pilar.activities",
    "pilar.notices",
    "pilar.field",
    "pilar.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "pilar.core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pilar.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pilar.core.middleware.RefuseNulCharactersMiddleware",
    "pilar.core.middleware.PageLoginRequiredMiddleware",
    "pilar.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pilar" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pilar.accounts.context_processors.roles",
                "pilar.cases.context_processors.work_counts",
                "pilar.notices.context_processors.unread_notices",
                "pilar.field.context_processors.field",
            ],
        },
    },
]

# Database: embedded SQLite in the data folder unless DATABASE_URL says otherwise.
DEFAULT_SQLITE_PATH = DATA_DIR / "pilar.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        read_str("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        conn_max_age=read_int("PILAR_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing half-way.
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
# Two-step sign-in (pilar.accounts.second_factor): the name the authenticator app shows.
OTP_TOTP_ISSUER = "Pilar"
# Passkeys as a second step only, never instead of the password (pilar.accounts.passkeys).
OTP_WEBAUTHN_HELPER_CLASS = "pilar.accounts.passkeys.PilarWebAuthnHelper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = "Pilar"
OTP_WEBAUTHN_RP_ID_CALLABLE = "pilar.accounts.passkeys.relying_party_id"
# Days an uploaded import file is kept after its upload (pilar.imports.retention).
PILAR_UPLOAD_KEEP_DAYS = read_int("PILAR_UPLOAD_KEEP_DAYS", 30, minimum=1)
# Years after a person's last activity (records finished, no open case) after which the
# registry proposes them for anonymisation (pilar.beneficiaries.retention).
PILAR_RETENTION_YEARS = read_int("PILAR_RETENTION_YEARS", 5, minimum=1)
# Days an API token works (pilar.accounts.tokens).
PILAR_API_TOKEN_DAYS = read_int("PILAR_API_TOKEN_DAYS", 30, minimum=1)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after an idle period and when the browser closes.
SESSION_COOKIE_AGE = read_int("PILAR_SESSION_IDLE_MINUTES", 60, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = read_bool("PILAR_SECURE_COOKIES", not LOCAL)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (Django's own middleware): Pilar's pages
# load only their own files; no inline script runs but one carrying the response's
# nonce, no inline style applies, no other site frames a page or receives a form.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],  # photo previews made in the browser
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if read_bool("PILAR_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# History rows (django-simple-history) are read one record at a time, through the index
# on the record's id; an index on their date alone served no query and cost every write.
SIMPLE_HISTORY_DATE_INDEX = False

# Lockout after repeated failures (django-axes). The lockout answer is the same for
# known and unknown usernames: axes counts attempts per username whether it exists or not.
AXES_FAILURE_LIMIT = read_int("PILAR_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = read_int("PILAR_LOGIN_LOCKOUT_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Not by IP address: mobile carriers put many workers behind one carrier-grade NAT
# address, and an IP lockout would shut out a whole village.
# otp_webauthn.E030: the allowed origin is the host the request reached, once Django
# has checked it against ALLOWED_HOSTS (pilar.accounts.passkeys.PilarWebAuthnHelper).
SILENCED_SYSTEM_CHECKS = ["axes.W006", "otp_webauthn.E030"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pilar" / "locale"]
TIME_ZONE = read_str("PILAR_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = LOCAL
MEDIA_ROOT = DATA_DIR / "files"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a bad credential a 401, not a 403.
        "pilar.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pilar API",
    "DESCRIPTION": "API sistem informasi pilar-pilar sosial. Semua data dibatasi wilayah peran pengguna.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set shared by several fields.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "pilar.cases.models.CaseStatus",
        "CaseLevelEnum": "pilar.cases.models.CaseLevel",
        "ReferralStatusEnum": "pilar.cases.models.ReferralStatus",
        "CaseEventKindEnum": "pilar.cases.models.EventKind",
        "PpksStatusEnum": "pilar.beneficiaries.models.PpksStatus",
    },
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

MAILERS = {
    "default": {
        "BACKEND": read_str("PILAR_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": {
            "host": read_str("PILAR_EMAIL_HOST", "localhost"),
            "port": read_int("PILAR_EMAIL_PORT", 25, minimum=1),
        }
        if read_str("PILAR_EMAIL_BACKEND", "").endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = read_str("PILAR_DEFAULT_FROM_EMAIL", "pilar@localhost")
# Where Pilar is reached, for links in e-mails (no trailing slash).
PILAR_BASE_URL = read_str("PILAR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long a password link handed to a user works (it also stops once used).
PASSWORD_RESET_TIMEOUT = read_int("PILAR_PASSWORD_LINK_HOURS", 24, minimum=1) * 3600

# Days a case may stay at each level before it is overdue and escalated automatically
# (pilar escalate_overdue): PILAR_CASE_DEADLINE_DAYS for all, or per level.
_case_deadline = read_int("PILAR_CASE_DEADLINE_DAYS", 14, minimum=1)
CASE_DEADLINE_DAYS = {
    level: read_int(f"PILAR_CASE_DEADLINE_DAYS_{name}", _case_deadline, minimum=1)
    for level, name in ((4, "DESA"), (3, "KECAMATAN"), (2, "KABUPATEN"), (1, "PROVINSI"), (0, "PUSAT"))
}
# At most this many days at any level for a case of high or urgent priority.
CASE_PRIORITY_DEADLINE_DAYS = {
    "tinggi": read_int("PILAR_CASE_DEADLINE_DAYS_HIGH", 7, minimum=1),
    "darurat": read_int("PILAR_CASE_DEADLINE_DAYS_URGENT", 2, minimum=1),
}
# A case past its deadline is not escalated automatically, only flagged, while it was
# visited in the last this many days (or an institution accepted its referral).
CASE_RECENT_VISIT_DAYS = read_int("PILAR_CASE_RECENT_VISIT_DAYS", 7, minimum=0)
# A supervisor extends a case's deadline once per level, by at most this many days.
CASE_MAX_EXTENSION_DAYS = read_int("PILAR_CASE_MAX_EXTENSION_DAYS", 30, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": read_str("PILAR_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every step of every PDF at INFO, and fontTools every subset.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
