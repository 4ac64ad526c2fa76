"""Dutch first, English second, and the Dutch catalogue complete."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]


def test_anonymous_visitor_gets_dutch_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="nl">' in page
    assert "Wachtwoord vergeten?" in page


def test_browser_asking_for_english_gets_english(client):
    page = client.get(reverse("login"), headers={"accept-language": "en"}).content.decode()
    assert "Forgot your password?" in page


def test_language_switch_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post(
        reverse("language_switch"), {"language": "en", "next": "/accounts/login/"}
    )
    assert response.url == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Forgot your password?" in client.get(reverse("login")).content.decode()


def test_language_switch_is_remembered_on_the_account(as_persona, world):
    as_persona("coach").post(reverse("language_switch"), {"language": "en", "next": "/"})
    world.people["coach"].refresh_from_db()
    assert world.people["coach"].preferred_language == "en"


def test_language_switch_ignores_an_unknown_language(as_persona, world):
    client = as_persona("coach")
    response = client.post(reverse("language_switch"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    world.people["coach"].refresh_from_db()
    assert world.people["coach"].preferred_language == "nl"


def test_language_switch_never_redirects_off_site(client):
    response = client.post(
        reverse("language_switch"), {"language": "en", "next": "https://evil.example/"}
    )
    assert "evil.example" not in response.url


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_every_source_string_has_a_dutch_translation(tmp_path):
    """Extract the strings afresh from a copy of the code, so a new untranslated string fails."""
    for name in (
        "manage.py",
        "mentoring",
        "roles",
        "observations",
        "reflection",
        "templates",
        "locale",
    ):
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
        check=True,
        timeout=120,
    )
    catalogue = tmp_path / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats
