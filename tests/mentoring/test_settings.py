"""Settings come from the environment and refuse bad values at start-up."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "production-grade-secret-key-0123456789"
OWN_VARIABLES = {
    line.split("=", 1)[0]
    for line in (BASE_DIR / ".env.example").read_text().splitlines()
    if line and not line.startswith("#")
}


def load_settings(**environment: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly these variables set."""
    env = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="mentoring.settings", ENV_FILE="")
    env.update(environment)
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'db': s.DATABASES['default']['ENGINE'], 'jobs_in_process': s.JOBS_RUN_IN_PROCESS,"
        "'email': s.EMAIL_BACKEND, 'session_cookie': s.SESSION_COOKIE_NAME,"
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS,"
        "'language': s.LANGUAGE_CODE, 'languages': [c for c, _ in s.LANGUAGES],"
        "'tz': s.TIME_ZONE, 'use_tz': s.USE_TZ}))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def loaded(**environment: str) -> dict:
    result = load_settings(**environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_default_needs_no_services():
    values = loaded(DEBUG="true")
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["jobs_in_process"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"


def test_dutch_first_english_second_in_amsterdam_time():
    values = loaded(DEBUG="true")
    assert values["language"] == "nl"
    assert values["languages"] == ["nl", "en"]
    assert (values["tz"], values["use_tz"]) == ("Europe/Amsterdam", True)


def test_full_stack_uses_postgres_and_the_broker():
    values = loaded(
        DEBUG="true",
        DATABASE_URL="postgres://mentoring:pw@db.internal:5432/mentoring",
        REDIS_URL="redis://redis.internal:6379/0",
        EMAIL_URL="smtp+tls://user:pw@smtp.example.nl:587",
    )
    assert values["db"] == "django.db.backends.postgresql"
    assert values["jobs_in_process"] is False
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_defaults_are_secure():
    values = loaded(DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="mentoring.example.nl")
    assert values["ssl_redirect"] is True
    assert values["hsts"] >= 31_536_000
    assert values["session_cookie"] == "__Host-sessionid"


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "x.nl"}, "SECRET_KEY is not set"),
        ({"DEBUG": "false", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x.nl"}, "at least 50"),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS is not set"),
        ({"DEBUG": "ture"}, "DEBUG must be true or false"),
        ({"DEBUG": "true", "CELERY_TASK_TIME_LIMIT": "soon"}, "must be a whole number"),
        (
            {"DEBUG": "true", "CELERY_TASK_SOFT_TIME_LIMIT": "300"},
            "must be longer than the soft limit",
        ),
        ({"DEBUG": "true", "DATABASE_URL": "mysqlish://db/x"}, "mysqlish"),
    ],
)
def test_bad_configuration_stops_start_up_with_a_clear_message(environment, message):
    result = load_settings(**environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_every_variable_the_settings_read_is_documented():
    source = (BASE_DIR / "mentoring" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    read |= set(re.findall(r'_env_(?:bool|int)\(\s*"([A-Z_]+)"', source))
    assert read, "the pattern no longer finds the variables"
    assert read <= OWN_VARIABLES, f"undocumented in .env.example: {read - OWN_VARIABLES}"


def test_a_dotenv_file_fills_in_what_the_environment_does_not_set(tmp_path):
    dotenv = tmp_path / "local.env"
    dotenv.write_text("DEBUG=true\nREDIS_URL=redis://127.0.0.1:6379/3\n")
    result = load_settings(ENV_FILE=str(dotenv))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["jobs_in_process"] is False

    overridden = load_settings(ENV_FILE=str(dotenv), DEBUG="false")
    assert "SECRET_KEY is not set" in overridden.stderr  # the real environment wins
