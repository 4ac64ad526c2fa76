import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONA_NAMES
from tests.permission_matrix import DENIED, EXPECTED, LOGIN


def url_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(namespace + pattern.name)
    return names


def db_snapshot() -> dict:
    """Every row of every model except sessions (which log-in and log-out rightly change)."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model is not Session
    }


def test_every_url_has_a_row_for_every_persona():
    assert url_names() == set(EXPECTED), "add the URL to tests/permission_matrix.py"
    for name, row in EXPECTED.items():
        assert set(row.get) == set(PERSONA_NAMES), name
        assert set(row.post) == set(PERSONA_NAMES), name


def answer_matches(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response.url.startswith(reverse(settings.LOGIN_URL))
    return response.status_code == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_url_answers_every_persona_as_expected(client, world, name):
    """All personas, GET then POST, against one world per URL (building it per case made the
    matrix take minutes). Every mismatch is reported, not only the first. A `fresh` row (one
    whose POST deletes or moves its object) gets a new object before every request."""
    row = EXPECTED[name]
    kwargs, post_data = row.resolve(world)
    url = reverse(name, kwargs=kwargs)
    wrong = []
    for method in ("get", "post"):
        for persona in PERSONA_NAMES:
            expected = getattr(row, method)[persona]
            if row.fresh:
                kwargs, post_data = row.resolve(world)
                url = reverse(name, kwargs=kwargs)
            client.logout()
            if world.people[persona] is not None:
                client.force_login(world.people[persona])
            before = db_snapshot() if method == "post" and expected in DENIED else None
            if method == "get":
                response = client.get(url, headers=row.headers)
            else:
                response = client.post(url, post_data, headers=row.headers)
            if not answer_matches(response, expected):
                wrong.append(
                    f"{method.upper()} as {persona}: {response.status_code}, not {expected}"
                )
            if before is not None and db_snapshot() != before:
                wrong.append(f"{method.upper()} as {persona} was refused but changed the database")
    assert not wrong, f"{url}: " + "; ".join(wrong)
