import pytest
from django.core.management import CommandError, call_command

from mentoring.management.commands.seed_demo import DEMO_PASSWORD, PERSONAS
from roles.models import Membership, RoleAssignment, School, SchoolYear, StaffKind, User
from tests.conftest import log_in


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (User, School, SchoolYear, Membership, RoleAssignment)
    )


def test_seeding_twice_gives_the_same_installation(db):
    call_command("seed_demo", force=True)
    first = counts()
    call_command("seed_demo", force=True)
    assert counts() == first
    assert first[:3] == (len(PERSONAS), 2, 1)


def test_every_persona_can_log_in_with_the_published_password(client, db):
    call_command("seed_demo", force=True)
    for persona in PERSONAS:
        assert log_in(client, persona.email, DEMO_PASSWORD).status_code == 302, persona.key
        client.logout()


def test_demo_has_every_persona_of_the_design(db):
    call_command("seed_demo", force=True)
    kinds = set(Membership.objects.values_list("user__email", "staff_kind"))
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {"opleider", "coach", "procesbegeleider"}
    staff = {kind for _, kind in kinds}
    assert staff == {
        StaffKind.COORDINATOR,
        StaffKind.TEACHER,
        StaffKind.STUDENT_TEACHER,
        StaffKind.SCHOOL_LEADER,
    }
    schools = set(
        Membership.objects.filter(staff_kind="coordinator").values_list("school", flat=True)
    )
    assert len(schools) == 2  # a coordinator at each school, so cross-school rules can be tried


def test_demo_accounts_are_refused_outside_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published passwords"):
        call_command("seed_demo")
    assert User.objects.count() == 0
