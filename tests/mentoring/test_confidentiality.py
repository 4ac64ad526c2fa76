"""Coaching content belongs to the coachee and their coach: nobody else ever sees it.

A sentinel text sits in the coaching trajectory's content (tests/conftest.py). Every page a
coordinator, school leader or administrator can open is fetched, and the sentinel must be in
none of them, while the coach and coachee do see it (so the test can fail)."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.conftest import COACHING_SENTINEL, OPLEIDEN_FOCUS
from tests.factories import MembershipFactory, UserFactory
from tests.permission_matrix import EXPECTED

pytestmark = pytest.mark.django_db


def every_page(world) -> list[str]:
    """Every URL of the matrix with the world's objects, plus pages about the coaching pair."""
    urls = []
    for name, row in EXPECTED.items():
        kwargs, _ = row.resolve(world)
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    coaching = {"public_id": world.coaching.public_id}
    urls += [
        reverse("trajectory_detail", kwargs=coaching),
        reverse("trajectory_list") + "?status=all",
        reverse("trajectory_list") + "?q=SENTINEL",
        reverse("person_detail", kwargs={"public_id": world.people["coachee"].public_id}),
        reverse("person_detail", kwargs={"public_id": world.people["coach"].public_id}),
        reverse("person_list") + "?q=coach",
    ]
    return urls


@pytest.fixture
def administrator(world):
    """Staff with the run of the installation, and coordinator of the school as well."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(user=admin, school=world.school, staff_kind="coordinator")
    return admin


@pytest.mark.parametrize("persona", ["coordinator", "school_leader", "administrator"])
def test_coaching_content_never_reaches_coordinators_leaders_or_administrators(
    client, world, administrator, persona
):
    user = administrator if persona == "administrator" else world.people[persona]
    client.force_login(user)
    seen = []
    for url in every_page(world):
        response = client.get(url)
        if response.status_code == 200:
            seen.append(url)
            assert COACHING_SENTINEL not in response.content.decode(), url
    # The walk did reach the pages where the content would be, had it leaked.
    if persona != "school_leader":
        assert reverse("trajectory_detail", kwargs={"public_id": world.coaching.public_id}) in seen


@pytest.mark.parametrize("persona", ["coach", "coachee"])
def test_the_coaching_pair_does_see_their_own_content(as_persona, world, persona):
    page = as_persona(persona).get(
        reverse("trajectory_detail", kwargs={"public_id": world.coaching.public_id})
    )
    assert COACHING_SENTINEL in page.content.decode()


def detail(client, trajectory):
    return client.get(reverse("trajectory_detail", kwargs={"public_id": trajectory.public_id}))


def test_schoolopleider_reads_opleiden_content_but_not_coaching_content(
    client, world, schoolopleider
):
    client.force_login(schoolopleider)
    assert OPLEIDEN_FOCUS in detail(client, world.opleiden).content.decode()
    assert detail(client, world.coaching).status_code == 403
