"""A real Celery worker process takes a job from Redis and does it against the test database."""

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from mentoring.celery import app
from tests.conftest import log_in
from tests.factories import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(services, tmp_path):
    """Start `celery -A mentoring worker`, as docker-compose does, and wait until it answers."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    app.control.purge()  # messages left by an earlier, interrupted run
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = {
        **os.environ,
        "DEBUG": "true",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"filemail:///{mail_dir}",  # four slashes: an absolute path
    }
    log = (tmp_path / "worker.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mentoring", "worker", "--pool=solo",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", name],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=1):
            assert process.poll() is None, "worker exited:\n" + Path(log.name).read_text()
            assert time.monotonic() < deadline, (
                "worker did not start:\n" + Path(log.name).read_text()
            )
        yield mail_dir
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_for_mail(mail_dir: Path, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(mail_dir.iterdir())
        if files and files[0].stat().st_size:
            time.sleep(0.2)  # let the worker finish writing
            return files[0].read_text()
        time.sleep(0.2)
    raise AssertionError("the worker sent no e-mail within the time limit")


def test_worker_sends_the_password_reset_mail_and_the_link_works(client, world, worker, settings):
    settings.JOBS_RUN_IN_PROCESS = False  # through Redis, as in production

    response = client.post(reverse("password_reset"), {"email": "coach@school.example"})
    assert response.url == reverse("password_reset_done")

    message = wait_for_mail(worker)
    assert "To: coach@school.example" in message
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+)", message).group(1)
    form_url = client.get(link).url
    response = client.post(
        form_url, {"new_password1": "Nieuw-wachtwoord-42", "new_password2": "Nieuw-wachtwoord-42"}
    )
    assert response.url == reverse("password_reset_complete")
    assert log_in(client, "coach@school.example", PASSWORD).status_code == 200  # refused
    assert log_in(client, "coach@school.example", "Nieuw-wachtwoord-42").status_code == 302
