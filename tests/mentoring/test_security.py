"""Headers and answers that protect every page, and the health check for probes."""

from django.urls import reverse


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_pages_cannot_be_framed_or_sniffed(client):
    headers = client.get(reverse("login")).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_load_nothing_from_other_sites(client):
    page = client.get(reverse("login")).content.decode()
    assert "http://" not in page and "https://" not in page and "//cdn" not in page


def test_health_check_answers_probes_by_any_host_and_over_plain_http(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/", headers={"host": "10.1.2.3:8000"})
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    # ... while a real page still goes to https
    assert client.get(reverse("login")).status_code == 301


def test_health_check_only_reads(client, db):
    assert client.post("/healthz/").status_code == 405


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_signed_in_pages_are_never_kept_by_the_browser(as_persona):
    cache_control = as_persona("coach").get(reverse("home")).headers["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control
