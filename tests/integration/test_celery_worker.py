"""A real Celery worker process takes a job from Redis and does it against the test database."""

import re
import time
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import log_in
from tests.factories import PASSWORD
from tests.integration.conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


def first_mail(mail_dir: Path, worker) -> str:
    def written() -> str:
        files = sorted(mail_dir.iterdir())
        if files and files[0].stat().st_size:
            return files[0].read_text()
        return ""

    wait_until(written, "the worker has sent an e-mail", details=worker.log)
    time.sleep(0.2)  # let the worker finish writing
    return written()


def test_worker_sends_the_password_reset_mail_and_the_link_works(
    client, world, start_worker, mail_dir
):
    worker = start_worker(EMAIL_URL=f"filemail:///{mail_dir}")  # four slashes: an absolute path

    response = client.post(reverse("password_reset"), {"email": "coach@school.example"})
    assert response.url == reverse("password_reset_done")

    message = first_mail(mail_dir, worker)
    assert "To: coach@school.example" in message
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+)", message).group(1)
    form_url = client.get(link).url
    response = client.post(
        form_url, {"new_password1": "Nieuw-wachtwoord-42", "new_password2": "Nieuw-wachtwoord-42"}
    )
    assert response.url == reverse("password_reset_complete")
    assert log_in(client, "coach@school.example", PASSWORD).status_code == 200  # refused
    assert log_in(client, "coach@school.example", "Nieuw-wachtwoord-42").status_code == 302
