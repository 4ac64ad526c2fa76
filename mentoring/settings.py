"""Settings for the mentoring app: one module, driven by the environment.

Every variable is documented in `.env.example`. A bad value stops the process at start-up
with a message naming the variable, rather than running half-configured.
Variables may also come from a `.env` file in the project folder (`make run` writes one with
DEBUG=true). With no variables but DEBUG=true the app runs on the embedded default: SQLite,
background jobs in-process after commit, e-mail to the console.
"""

import datetime
import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's .env (see .env.example); variables set in the real environment win.
# ENV_FILE names another file, or turns this off when empty.
_env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if _env_file and Path(_env_file).is_file():
    environ.Env.read_env(_env_file, overwrite=False)


def _env_bool(name: str, *, default: bool) -> bool:
    """A boolean that refuses anything but a clear yes or no ("ture" is an error, not False)."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def _env_int(name: str, *, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


DEBUG = _env_bool("DEBUG", default=False)

# No default outside debug: a production process without a real key must not start.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it (50+ random characters) or set DEBUG=true for a "
            "local demo. See .env.example."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 -- DEBUG only
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set. List the host names, comma separated.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "mentoring",
    "roles",
    "observations",
    "reflection",
]

MIDDLEWARE = [
    "mentoring.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mentoring.middleware.PrivatePagesNotCachedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentoring.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user:password@host:5432/name) or the embedded SQLite file.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
SUPPORTED_DATABASE_ENGINES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")
if DATABASES["default"].get("ENGINE") not in SUPPORTED_DATABASE_ENGINES:
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with postgres:// or sqlite:// (got "
        f"{env.str('DATABASE_URL').split(':', 1)[0]!r})."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", _env_int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "roles.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

# Log-in throttling (django-axes): five wrong passwords for one address from one IP address
# lock that pair out for a while. Per pair, so someone elsewhere cannot lock a teacher out.
AXES_FAILURE_LIMIT = _env_int("LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=_env_int("LOGIN_LOCKOUT_MINUTES", default=15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The log-in form's field; Axes would otherwise name it after USERNAME_FIELD ("email") in one
# code path and "username" in another, and count the two apart.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "roles.views.auth.login_attempt_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "roles/locked_out.html"
# Successful log-ins are not kept here: the audit log records what matters, and less
# personal data (IP addresses, browsers) is kept this way.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Internationalisation: Dutch first, English second; source strings are English.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Generated reports are private: stored outside every URL and served only by views that
# check permission (DESIGN.md §8). web and worker must share this folder (docker-compose.yml).
REPORTS_ROOT = env.path("REPORTS_ROOT", default=BASE_DIR / "var" / "reports")
# Video clips of videoclub sessions: private in the same way, served only through the view
# that checks the filmed teacher's choice of viewers (reflection/views/clips.py).
CLIPS_ROOT = env.path("CLIPS_ROOT", default=BASE_DIR / "var" / "clips")
# A clip is a short excerpt of a lesson: a few minutes of phone video.
CLIP_MAX_MEGABYTES = _env_int("CLIP_MAX_MEGABYTES", default=100, minimum=1)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "reports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": REPORTS_ROOT,
            "base_url": None,
            "file_permissions_mode": 0o640,
            # A report's file name is fixed by its row and generation: a second run of the
            # same render replaces the file, never adds a second one beside it.
            "allow_overwrite": True,
            "directory_permissions_mode": 0o750,
        },
    },
    "clips": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": CLIPS_ROOT,
            "base_url": None,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development whitenoise serves straight from the source folders, re-read on each request.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.nl:587 or consolemail://.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mentoring <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs. With REDIS_URL, jobs go to Celery workers; without it they run in this
# process after the transaction commits (the embedded default). Both go through
# mentoring.jobs.enqueue, so the code path is the same.
REDIS_URL = env.str("REDIS_URL", default="")
JOBS_RUN_IN_PROCESS = not REDIS_URL
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_SOFT_TIME_LIMIT = _env_int("CELERY_TASK_SOFT_TIME_LIMIT", default=120, minimum=1)
CELERY_TASK_TIME_LIMIT = _env_int("CELERY_TASK_TIME_LIMIT", default=180, minimum=1)
if CELERY_TASK_TIME_LIMIT <= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be longer than the soft limit.")

# Periodic jobs, run by the beat service (docker-compose.yml). The refit skips itself when no
# new final observation arrived, so an extra run is harmless.
CELERY_BEAT_SCHEDULE = {
    # Report jobs whose message was lost (a Redis restart, a killed worker) are sent again.
    "sweep-report-jobs": {
        "task": "mentoring.sweep_report_jobs",
        "schedule": 60.0,
    },
    # A clip past its date is deleted, not only hidden (reflection/services.py).
    "purge-expired-clips": {
        "task": "reflection.purge_expired_clips",
        "schedule": crontab(minute=15, hour=2),
    },
    "refit-item-difficulties": {
        "task": "observations.refit_item_difficulties",
        "schedule": crontab(minute=30, hour=3, day_of_week="sunday"),
    },
}

# The zone of proximal development uses item difficulties estimated from this installation's
# own final observations once there are this many (observations/calibration.py); fewer give
# difficulties too uncertain to order the items by.
ITEM_CALIBRATION_MIN_OBSERVATIONS = _env_int(
    "ITEM_CALIBRATION_MIN_OBSERVATIONS", default=200, minimum=30
)

# Security. Production defaults follow DEBUG; each can be set on its own (e.g. behind a proxy
# that terminates TLS and already redirects).
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if _env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only, path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12  # a school day and an evening; then log in again
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy: everything from our own origin, no inline script, nothing framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint warns about every CSS property it does not support; its errors, such as
        # a fetch the PDF renderer refused, stay visible.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # Axes logs every log-in at INFO; failures and lock-outs are WARNING and stay.
        "axes": {"level": "WARNING"},
    },
}
