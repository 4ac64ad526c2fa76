"""Log-in with e-mail, log-out, password change and password reset by e-mail."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.conftest import log_in
from tests.factories import PASSWORD


def test_login_with_e_mail_ignores_capitals(client, world):
    response = log_in(client, "Coach@School.EXAMPLE")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_shows_a_dutch_error_and_logs_nobody_in(client, world):
    response = log_in(client, "coach@school.example", "wrong")
    assert response.status_code == 200
    assert "Voer een juiste e-mailadres en wachtwoord in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_deactivated_person_cannot_log_in(client, world):
    user = world.people["coach"]
    user.is_active = False
    user.save()
    assert log_in(client, user.email).status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_switches_to_the_users_own_language(client, world):
    user = world.people["coach"]
    user.preferred_language = "en"
    user.save()
    response = log_in(client, user.email)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Your schools" in client.get(reverse("home")).content.decode()


def test_login_goes_on_to_the_page_that_was_asked_for(client, world):
    response = client.post(
        reverse("login") + "?next=/accounts/password/change/",
        {
            "username": "coach@school.example",
            "password": PASSWORD,
            "next": "/accounts/password/change/",
        },
    )
    assert response.url == reverse("password_change")


def test_login_refuses_to_send_people_to_another_site(client, world):
    response = client.post(
        reverse("login"),
        {"username": "coach@school.example", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("home")


def test_logout_ends_the_session(as_persona):
    client = as_persona("coach")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_needs_the_old_password(as_persona, world):
    client = as_persona("coach")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "Nieuw-wachtwoord-42",
            "new_password2": "Nieuw-wachtwoord-42",
        },
    )
    assert response.status_code == 200
    world.people["coach"].refresh_from_db()
    assert world.people["coach"].check_password(PASSWORD)


def test_password_change_keeps_the_user_logged_in(as_persona, world):
    client = as_persona("coach")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nieuw-wachtwoord-42",
            "new_password2": "Nieuw-wachtwoord-42",
        },
    )
    assert response.url == reverse("password_change_done")
    world.people["coach"].refresh_from_db()
    assert world.people["coach"].check_password("Nieuw-wachtwoord-42")
    assert client.get(reverse("home")).status_code == 200


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.mark.django_db(transaction=True)
def test_password_reset_by_e_mail_from_request_to_new_login(client, world):
    response = client.post(reverse("password_reset"), {"email": "COACH@school.example"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coach@school.example"]
    assert message.subject == "Kies een nieuw wachtwoord voor Mentoring"

    form_url = client.get(reset_link(message)).url  # Django swaps the token for a session key
    response = client.post(
        form_url, {"new_password1": "Nieuw-wachtwoord-42", "new_password2": "Nieuw-wachtwoord-42"}
    )
    assert response.url == reverse("password_reset_complete")
    assert log_in(client, "coach@school.example", "Nieuw-wachtwoord-42").status_code == 302

    client.logout()
    reused = client.get(reset_link(message), follow=True)
    assert "Deze link werkt niet meer" in reused.content.decode()


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_is_in_the_users_language(client, world):
    user = world.people["coach"]
    user.preferred_language = "en"
    user.save()
    client.post(reverse("password_reset"), {"email": user.email})
    assert mail.outbox[0].subject == "Choose a new password for Mentoring"


@pytest.mark.django_db(transaction=True)
def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, world):
    response = client.post(reverse("password_reset"), {"email": "nobody@school.example"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_five_wrong_passwords_lock_the_address_out_even_with_the_right_one(client, world):
    for _ in range(5):
        log_in(client, "coach@school.example", "wrong")
    response = log_in(client, "coach@school.example")
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_changing_capitals_does_not_buy_extra_attempts(client, world):
    for attempt in range(5):
        log_in(
            client, "coach@school.example".upper() if attempt % 2 else "coach@school.example", "x"
        )
    assert log_in(client, "Coach@School.example").status_code == 429


def test_a_lockout_does_not_touch_other_people(client, world):
    for _ in range(5):
        log_in(client, "coach@school.example", "wrong")
    assert log_in(client, "opleider@school.example").status_code == 302


def test_a_successful_login_forgets_earlier_mistakes(client, world):
    for _ in range(4):
        log_in(client, "coach@school.example", "wrong")
    assert log_in(client, "coach@school.example").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "coach@school.example", "wrong")
    assert log_in(client, "coach@school.example").status_code == 302
