"""Whatever a visitor types or sends to the public forms, the answer is a page, never a 500."""

import pytest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Any text, including NUL bytes, control characters, right-to-left marks and emoji.
anything = st.text(max_size=200)
# Lone surrogates cannot be put in a URL at all (no browser can send one), so leave them out.
path_segment = st.text(
    st.characters(blacklist_characters="/", blacklist_categories=("Cs",)), min_size=1, max_size=60
)
fuzz = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

pytestmark = pytest.mark.django_db


@fuzz
@given(username=anything, password=anything, next_url=anything)
def test_login_answers_any_input(client, username, password, next_url):
    response = client.post(
        reverse("login"), {"username": username, "password": password, "next": next_url}
    )
    assert response.status_code in (200, 429)


@fuzz
@given(email=anything)
def test_password_reset_answers_any_input(client, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code in (200, 302)


@fuzz
@given(uidb64=path_segment, token=path_segment)
def test_password_reset_link_answers_any_link(client, uidb64, token):
    response = client.get(reverse("password_reset_confirm", args=[uidb64, token]))
    assert response.status_code == 200
    assert "Deze link werkt niet meer" in response.content.decode()


@fuzz
@given(language=anything, next_url=anything)
def test_language_switch_answers_any_input(client, language, next_url):
    response = client.post(reverse("language_switch"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert url_has_allowed_host_and_scheme(response.url, allowed_hosts={"testserver"})
