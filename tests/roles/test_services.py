"""roles/services.py: the rules that span several rows, and the audit trail they leave.

Jobs (the invitation mail) run in this process after commit; pytest-django's `db` fixture
never commits, so tests that need the mail run the services inside
`django_capture_on_commit_callbacks(execute=True)`.
"""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from mentoring.models import AuditEntry
from roles import services
from roles.models import (
    Invitation,
    InvitationStatus,
    LearningGroupFormat,
    LearningGroupMember,
    Membership,
    OpleiderKind,
    Role,
    RoleAssignment,
    StaffKind,
    TeacherStage,
    Trajectory,
    TrajectoryKind,
    TrajectoryStatus,
    User,
)
from tests.conftest import COACHING_SENTINEL, OPLEIDEN_FOCUS, log_in
from tests.factories import (
    InstituteFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    UserFactory,
)

DOMAIN = "mentoring.example.nl"
NEW_ADDRESS = "nina.nieuw@school.example"
NEW_NAME = "Nina Nieuwenhuis"
NEW_PASSWORD = "Een-lang-nieuw-wachtwoord-42"


def today() -> datetime.date:
    return timezone.localdate()


def field_errors(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


@pytest.fixture(autouse=True)
def _english_messages():
    # Error messages are matched in their source language; the Dutch catalogue may change.
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator(world):
    return world.people["coordinator"]


@pytest.fixture
def coach_role(world):
    return world.coaching.begeleider_role


@pytest.fixture
def opleider_role(world):
    return world.opleiden.begeleider_role


@pytest.fixture
def starter(world):
    """A starting teacher at the school, not yet in any trajectory."""
    user = UserFactory(email="starter@school.example", full_name="Sem Starter")
    MembershipFactory(user=user, school=world.school, staff_kind=StaffKind.TEACHER)
    return user


# --- trajectory_create ----------------------------------------------------------------------


def test_trajectory_create_pairs_a_begeleider_with_a_teacher_in_the_roles_school_and_year(
    world, coordinator, coach_role, starter
):
    trajectory = services.trajectory_create(
        actor=coordinator,
        begeleider_role=coach_role,
        teacher=starter,
        kind=TrajectoryKind.COACHING,
        stage=TeacherStage.STARTER_1,
    )
    assert trajectory.begeleider == world.people["coach"]
    assert trajectory.school == world.school
    assert trajectory.school_year == world.school_year
    assert trajectory.status == TrajectoryStatus.ACTIVE
    assert trajectory.starts_on == today()


def test_a_coaching_trajectory_needs_a_begeleider_with_the_coach_role(
    coordinator, opleider_role, starter
):
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_create(
            actor=coordinator,
            begeleider_role=opleider_role,
            teacher=starter,
            kind=TrajectoryKind.COACHING,
            stage=TeacherStage.STARTER_1,
        )
    assert field_errors(excinfo) == {"begeleider_role"}
    assert not Trajectory.objects.filter(teacher=starter).exists()


def test_an_opleiden_trajectory_needs_a_begeleider_with_the_opleider_role(
    coordinator, coach_role, starter
):
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_create(
            actor=coordinator,
            begeleider_role=coach_role,
            teacher=starter,
            kind=TrajectoryKind.OPLEIDEN,
            stage=TeacherStage.STARTER_1,
        )
    assert field_errors(excinfo) == {"begeleider_role"}


def test_a_procesbegeleider_runs_no_trajectory(world, coordinator, starter):
    role = RoleAssignment.objects.get(user=world.people["procesbegeleider"])
    for kind in TrajectoryKind.values:
        with pytest.raises(ValidationError):
            services.trajectory_create(
                actor=coordinator,
                begeleider_role=role,
                teacher=starter,
                kind=kind,
                stage=TeacherStage.STARTER_1,
            )


def test_the_teacher_must_work_at_the_begeleiders_school(world, coordinator, coach_role):
    horizon_teacher = world.other_school_trajectory.teacher
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_create(
            actor=coordinator,
            begeleider_role=coach_role,
            teacher=horizon_teacher,
            kind=TrajectoryKind.COACHING,
            stage=TeacherStage.STARTER_1,
        )
    assert field_errors(excinfo) == {"teacher"}


def test_a_teacher_who_has_left_the_school_gets_no_new_trajectory(coordinator, coach_role, starter):
    Membership.objects.filter(user=starter).update(is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_create(
            actor=coordinator,
            begeleider_role=coach_role,
            teacher=starter,
            kind=TrajectoryKind.COACHING,
            stage=TeacherStage.STARTER_1,
        )
    assert field_errors(excinfo) == {"teacher"}


def test_a_begeleider_cannot_be_their_own_teacher(world, coordinator, coach_role):
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_create(
            actor=coordinator,
            begeleider_role=coach_role,
            teacher=world.people["coach"],
            kind=TrajectoryKind.COACHING,
            stage=TeacherStage.EXPERIENCED,
        )
    assert field_errors(excinfo) == {"teacher"}


def test_a_role_that_has_ended_starts_no_trajectory(coordinator, coach_role, starter):
    coach_role.active_until = today() - datetime.timedelta(days=1)
    coach_role.save()
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_create(
            actor=coordinator,
            begeleider_role=coach_role,
            teacher=starter,
            kind=TrajectoryKind.COACHING,
            stage=TeacherStage.STARTER_1,
        )
    assert field_errors(excinfo) == {"begeleider_role"}


def test_a_begeleider_deactivated_today_gets_no_new_trajectory(
    world, coordinator, coach_role, starter
):
    services.person_deactivate(actor=coordinator, user=world.people["coach"], school=world.school)
    coach_role.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_create(
            actor=coordinator,
            begeleider_role=coach_role,
            teacher=starter,
            kind=TrajectoryKind.COACHING,
            stage=TeacherStage.STARTER_1,
        )
    assert field_errors(excinfo) == {"begeleider_role"}


def test_a_pair_has_one_open_trajectory_of_a_kind_and_a_new_one_after_it_ended(
    world, coordinator, coach_role
):
    coachee = world.people["coachee"]

    def pair_again():
        return services.trajectory_create(
            actor=coordinator,
            begeleider_role=coach_role,
            teacher=coachee,
            kind=TrajectoryKind.COACHING,
            stage=TeacherStage.STARTER_2,
        )

    with pytest.raises(ValidationError, match="already has an open"):
        pair_again()
    services.trajectory_end(actor=coordinator, trajectory=world.coaching)
    second = pair_again()
    assert second.status == TrajectoryStatus.ACTIVE
    assert Trajectory.objects.filter(teacher=coachee, kind=TrajectoryKind.COACHING).count() == 2


def test_the_same_pair_may_have_an_opleiden_and_a_coaching_trajectory(world, coordinator):
    # The opleider is also a coach: the two kinds are separate relationships.
    coach_role = RoleAssignmentFactory(
        user=world.people["opleider"],
        school=world.school,
        school_year=world.school_year,
        role=Role.COACH,
    )
    coaching = services.trajectory_create(
        actor=coordinator,
        begeleider_role=coach_role,
        teacher=world.people["student_teacher"],
        kind=TrajectoryKind.COACHING,
        stage=TeacherStage.STUDENT_TEACHER,
        study_year=2,
    )
    assert coaching.begeleider == world.opleiden.begeleider


def test_a_student_teacher_stage_needs_a_study_year(coordinator, opleider_role, starter):
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_create(
            actor=coordinator,
            begeleider_role=opleider_role,
            teacher=starter,
            kind=TrajectoryKind.OPLEIDEN,
            stage=TeacherStage.STUDENT_TEACHER,
        )
    assert field_errors(excinfo) == {"study_year"}


def test_a_study_year_is_dropped_for_anyone_but_a_student_teacher(
    coordinator, opleider_role, starter
):
    trajectory = services.trajectory_create(
        actor=coordinator,
        begeleider_role=opleider_role,
        teacher=starter,
        kind=TrajectoryKind.OPLEIDEN,
        stage=TeacherStage.STARTER_1,
        study_year=3,
    )
    assert trajectory.study_year is None


# --- trajectory_end -------------------------------------------------------------------------


def test_trajectory_end_ends_it_today_and_keeps_the_row(world, coordinator):
    services.trajectory_end(actor=coordinator, trajectory=world.coaching)
    world.coaching.refresh_from_db()
    assert world.coaching.status == TrajectoryStatus.ENDED
    assert world.coaching.ends_on == today()
    assert world.coaching.focus == COACHING_SENTINEL


def test_a_trajectory_ends_only_once(world, coordinator):
    services.trajectory_end(actor=coordinator, trajectory=world.coaching)
    with pytest.raises(ValidationError, match="already ended"):
        services.trajectory_end(actor=coordinator, trajectory=world.coaching)


def test_a_trajectory_cannot_end_before_it_started(world, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services.trajectory_end(
            actor=coordinator,
            trajectory=world.coaching,
            ends_on=world.coaching.starts_on - datetime.timedelta(days=1),
        )
    assert field_errors(excinfo) == {"ends_on"}
    world.coaching.refresh_from_db()
    assert world.coaching.status == TrajectoryStatus.ACTIVE


# --- role_assign ----------------------------------------------------------------------------


def test_role_assign_gives_a_role_from_the_start_of_the_year_or_today(world, coordinator, starter):
    role = services.role_assign(
        actor=coordinator,
        user=starter,
        school=world.school,
        school_year=world.school_year,
        role=Role.COACH,
        task_hours=40,
    )
    assert role.active_from == max(world.school_year.starts_on, today())
    assert role.active_until is None
    assert role.opleider_kind == ""


def test_role_assign_refuses_someone_who_does_not_work_at_the_school(world, coordinator):
    with pytest.raises(ValidationError, match="does not work at"):
        services.role_assign(
            actor=coordinator,
            user=world.people["other_school_coordinator"],
            school=world.school,
            school_year=world.school_year,
            role=Role.COACH,
        )
    assert not RoleAssignment.objects.filter(user=world.people["other_school_coordinator"]).exists()


def test_role_assign_refuses_someone_whose_membership_has_ended(world, coordinator, starter):
    Membership.objects.filter(user=starter).update(is_active=False)
    with pytest.raises(ValidationError, match="does not work at"):
        services.role_assign(
            actor=coordinator,
            user=starter,
            school=world.school,
            school_year=world.school_year,
            role=Role.COACH,
        )


def test_role_assign_refuses_the_same_role_twice_in_a_year(world, coordinator):
    with pytest.raises(ValidationError, match="already has this role"):
        services.role_assign(
            actor=coordinator,
            user=world.people["coach"],
            school=world.school,
            school_year=world.school_year,
            role=Role.COACH,
        )
    assert RoleAssignment.objects.filter(user=world.people["coach"]).count() == 1


def test_an_opleider_role_needs_its_kind(world, coordinator, starter):
    with pytest.raises(ValidationError) as excinfo:
        services.role_assign(
            actor=coordinator,
            user=starter,
            school=world.school,
            school_year=world.school_year,
            role=Role.OPLEIDER,
        )
    assert field_errors(excinfo) == {"opleider_kind"}


def test_only_an_instituutsopleider_keeps_an_institute(world, coordinator, starter):
    institute = InstituteFactory(name="Hogeschool van Amsterdam")
    werkplek = services.role_assign(
        actor=coordinator,
        user=starter,
        school=world.school,
        school_year=world.school_year,
        role=Role.OPLEIDER,
        opleider_kind=OpleiderKind.WERKPLEKBEGELEIDER,
        institute=institute,
    )
    assert werkplek.institute is None
    visitor = UserFactory()
    MembershipFactory(user=visitor, school=world.school)
    instituut = services.role_assign(
        actor=coordinator,
        user=visitor,
        school=world.school,
        school_year=world.school_year,
        role=Role.OPLEIDER,
        opleider_kind=OpleiderKind.INSTITUUTSOPLEIDER,
        institute=institute,
    )
    assert instituut.institute == institute


# --- learning_group_create ------------------------------------------------------------------


def create_group(world, coordinator, **overrides):
    arguments = {
        "actor": coordinator,
        "school": world.school,
        "school_year": world.school_year,
        "name": "Lesson study wiskunde",
        "format": LearningGroupFormat.LESSON_STUDY,
        "theme": "Hoe leren leerlingen breuken vergelijken?",
        "facilitators": [world.people["procesbegeleider"]],
        "members": [world.people["coach"], world.people["coachee"]],
    }
    return services.learning_group_create(**(arguments | overrides))


def test_learning_group_create_adds_facilitators_and_current_members(world, coordinator):
    group = create_group(world, coordinator)
    assert list(group.facilitators.all()) == [world.people["procesbegeleider"]]
    assert set(group.members.all()) == {world.people["coach"], world.people["coachee"]}
    assert not LearningGroupMember.objects.filter(group=group, left_on__isnull=False).exists()


def test_a_learning_group_needs_a_facilitator_with_the_procesbegeleider_role(world, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        create_group(world, coordinator, facilitators=[world.people["coach"]])
    assert field_errors(excinfo) == {"facilitators"}
    with pytest.raises(ValidationError) as excinfo:
        create_group(world, coordinator, facilitators=[])
    assert field_errors(excinfo) == {"facilitators"}


def test_a_procesbegeleider_whose_role_has_ended_facilitates_no_new_group(world, coordinator):
    RoleAssignment.objects.filter(user=world.people["procesbegeleider"]).update(
        active_until=today() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as excinfo:
        create_group(world, coordinator)
    assert field_errors(excinfo) == {"facilitators"}


def test_a_learning_group_takes_no_member_from_another_school(world, coordinator):
    outsider = world.other_school_trajectory.teacher
    with pytest.raises(ValidationError) as excinfo:
        create_group(world, coordinator, members=[world.people["coach"], outsider])
    assert field_errors(excinfo) == {"members"}
    assert not LearningGroupMember.objects.filter(user=outsider).exists()


def test_a_learning_group_name_is_unique_per_school_and_year(world, coordinator):
    with pytest.raises(ValidationError) as excinfo:
        create_group(world, coordinator, name=world.group.name)
    assert field_errors(excinfo) == {"name"}


# --- person_deactivate ----------------------------------------------------------------------


def test_deactivating_a_coach_ends_their_work_but_keeps_every_row(client, world, coordinator):
    coach = world.people["coach"]
    services.person_deactivate(actor=coordinator, user=coach, school=world.school)

    membership = Membership.objects.get(user=coach, school=world.school)
    assert not membership.is_active
    role = RoleAssignment.objects.get(user=coach, school=world.school)
    assert role.active_until == today()
    world.coaching.refresh_from_db()
    assert (world.coaching.status, world.coaching.ends_on) == (TrajectoryStatus.ENDED, today())
    assert world.coaching.focus == COACHING_SENTINEL
    member = LearningGroupMember.objects.get(user=coach, group=world.group)
    assert member.left_on == today()

    coach.refresh_from_db()
    assert not coach.is_active
    response = log_in(client, coach.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_deactivating_the_teacher_ends_their_trajectory_too(world, coordinator):
    services.person_deactivate(
        actor=coordinator, user=world.people["student_teacher"], school=world.school
    )
    world.opleiden.refresh_from_db()
    assert world.opleiden.status == TrajectoryStatus.ENDED
    assert world.opleiden.focus == OPLEIDEN_FOCUS


def test_someone_who_still_works_at_another_school_can_still_log_in(client, world, coordinator):
    coach = world.people["coach"]
    MembershipFactory(user=coach, school=world.other_school)
    services.person_deactivate(actor=coordinator, user=coach, school=world.school)
    coach.refresh_from_db()
    assert coach.is_active
    assert log_in(client, coach.email).status_code == 302


def test_deactivating_leaves_other_schools_alone(world, coordinator):
    coach = world.people["coach"]
    elsewhere = MembershipFactory(user=coach, school=world.other_school)
    other_role = RoleAssignmentFactory(
        user=coach, school=world.other_school, school_year=world.school_year, role=Role.COACH
    )
    services.person_deactivate(actor=coordinator, user=coach, school=world.school)
    elsewhere.refresh_from_db()
    other_role.refresh_from_db()
    assert elsewhere.is_active
    assert other_role.active_until is None


def test_deactivating_someone_revokes_their_pending_invitation(world, coordinator):
    invitation = world.invitation
    services.person_deactivate(actor=coordinator, user=invitation.user, school=world.school)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert invitation.token_hash is None


# --- Invitations ----------------------------------------------------------------------------


def link_token(message) -> str:
    """The token in the invitation link of a mail, read the way a person would click it."""
    prefix = re.escape(f"https://{DOMAIN}" + reverse("invitation_accept", kwargs={"token": "T"}))
    pattern = prefix.replace("T", r"([A-Za-z0-9_\-]+)", 1)
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invite(world, coordinator, django_capture_on_commit_callbacks):
    """`invite(email)` runs person_invite and its mail job; returns (user, invitation)."""

    def run(email: str = NEW_ADDRESS, *, language: str = "nl"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.person_invite(
                actor=coordinator,
                school=world.school,
                email=email,
                full_name=NEW_NAME,
                staff_kind=StaffKind.TEACHER,
                language=language,
                domain=DOMAIN,
                use_https=True,
            )

    return run


@pytest.fixture
def resend(coordinator, django_capture_on_commit_callbacks):
    def run(invitation):
        with django_capture_on_commit_callbacks(execute=True):
            services.invitation_resend(
                actor=coordinator, invitation=invitation, domain=DOMAIN, use_https=True
            )

    return run


def test_inviting_a_new_address_makes_an_account_without_password_and_mails_a_link(world, invite):
    user, invitation = invite("  Nina.Nieuw@School.EXAMPLE ")
    assert user.email == NEW_ADDRESS
    assert user.full_name == NEW_NAME
    assert not user.has_usable_password()
    assert Membership.objects.filter(
        user=user, school=world.school, staff_kind=StaffKind.TEACHER, is_active=True
    ).exists()
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.invited_by == world.people["coordinator"]

    assert len(mail.outbox) == 1
    assert mail.outbox[-1].to == [NEW_ADDRESS]
    assert services.invitation_for_token(link_token(mail.outbox[-1])) == invitation


def test_the_token_itself_is_not_stored(invite):
    _, invitation = invite()
    token = link_token(mail.outbox[-1])
    invitation.refresh_from_db()
    assert invitation.token_hash
    assert token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_the_invitation_mail_is_in_the_invited_persons_language(invite):
    invite(language="en")
    assert mail.outbox[-1].subject == "You are invited to Mentoring at Het Baken College"


def test_accepting_sets_the_password_and_uses_the_link_up(client, invite):
    user, _ = invite()
    token = link_token(mail.outbox[-1])
    services.invitation_accept(
        invitation=services.invitation_for_token(token), password=NEW_PASSWORD
    )

    user.refresh_from_db()
    assert user.is_active
    assert user.check_password(NEW_PASSWORD)
    assert log_in(client, NEW_ADDRESS, NEW_PASSWORD).status_code == 302
    assert services.invitation_for_token(token) is None


def test_an_accepted_invitation_cannot_be_accepted_again(invite):
    _, invitation = invite()
    services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, password="Iets-anders-genomen-7")


def test_an_expired_link_no_longer_works(invite):
    _, invitation = invite()
    token = link_token(mail.outbox[-1])
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=now - datetime.timedelta(days=15), expires_at=now - datetime.timedelta(seconds=1)
    )
    assert services.invitation_for_token(token) is None
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)


def test_a_revoked_link_no_longer_works(invite, coordinator):
    _, invitation = invite()
    token = link_token(mail.outbox[-1])
    services.invitation_revoke(actor=coordinator, invitation=invitation)
    assert services.invitation_for_token(token) is None
    with pytest.raises(ValidationError):
        services.invitation_revoke(actor=coordinator, invitation=invitation)


def test_a_mail_queued_before_the_revocation_is_not_sent(
    world, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, invitation = services.person_invite(
            actor=coordinator,
            school=world.school,
            email=NEW_ADDRESS,
            full_name=NEW_NAME,
            staff_kind=StaffKind.TEACHER,
            language="nl",
            domain=DOMAIN,
            use_https=True,
        )
        services.invitation_revoke(actor=coordinator, invitation=invitation)
    assert mail.outbox == []


def test_resending_mails_a_new_link_and_the_old_one_stops_working(invite, resend):
    _, invitation = invite()
    old = link_token(mail.outbox[-1])
    resend(invitation)
    assert len(mail.outbox) == 2
    new = link_token(mail.outbox[-1])
    assert new != old
    assert services.invitation_for_token(old) is None
    assert services.invitation_for_token(new) == invitation


def test_resending_an_expired_invitation_gives_it_a_new_fortnight(invite, resend):
    _, invitation = invite()
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=now - datetime.timedelta(days=15), expires_at=now - datetime.timedelta(days=1)
    )
    resend(invitation)
    invitation.refresh_from_db()
    assert invitation.expires_at > now + datetime.timedelta(days=13)
    assert services.invitation_for_token(link_token(mail.outbox[-1])) == invitation


def test_an_accepted_invitation_is_not_sent_again(invite, resend):
    _, invitation = invite()
    services.invitation_accept(invitation=invitation, password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        resend(invitation)
    assert len(mail.outbox) == 1


def test_inviting_someone_who_already_has_an_account_adds_them_without_an_invitation(world, invite):
    existing = world.people["other_school_coordinator"]
    user, invitation = invite(existing.email.upper())
    assert user == existing
    assert invitation is None
    assert Membership.objects.filter(user=existing, school=world.school, is_active=True).exists()
    assert not Invitation.objects.filter(user=existing).exists()
    assert mail.outbox == []
    # Their password is untouched: nobody takes over an account through an invitation.
    existing.refresh_from_db()
    assert existing.has_usable_password()


def test_inviting_the_same_new_address_twice_keeps_one_invitation(invite):
    _, first = invite()
    _, second = invite()
    assert first == second
    assert Invitation.objects.filter(user__email=NEW_ADDRESS).count() == 1
    assert User.objects.filter(email=NEW_ADDRESS).count() == 1
    # The second mail carries the link that works; the first one stopped working.
    assert services.invitation_for_token(link_token(mail.outbox[0])) is None
    assert services.invitation_for_token(link_token(mail.outbox[-1])) == first


# --- membership_ensure and school_year_create -----------------------------------------------


def test_membership_ensure_reactivates_a_former_member(world, coordinator, client):
    coach = world.people["coach"]
    services.person_deactivate(actor=coordinator, user=coach, school=world.school)
    services.membership_ensure(
        actor=coordinator, user=coach, school=world.school, staff_kind=StaffKind.TEACHER
    )
    coach.refresh_from_db()
    assert coach.is_active
    assert Membership.objects.get(user=coach, school=world.school).is_active
    assert log_in(client, coach.email).status_code == 302


def test_membership_ensure_changes_nothing_for_a_current_member(world, coordinator):
    before = AuditEntry.objects.count()
    services.membership_ensure(
        actor=coordinator, user=world.people["coach"], school=world.school, staff_kind="teacher"
    )
    assert AuditEntry.objects.count() == before
    assert Membership.objects.filter(user=world.people["coach"]).count() == 1


def test_school_years_do_not_overlap(world, coordinator):
    with pytest.raises(ValidationError, match="overlaps"):
        services.school_year_create(
            actor=coordinator,
            name="2027-2028",
            starts_on=world.school_year.ends_on,
            ends_on=world.school_year.ends_on + datetime.timedelta(days=365),
        )
    with pytest.raises(ValidationError) as excinfo:
        services.school_year_create(
            actor=coordinator,
            name="2027-2028",
            starts_on=datetime.date(2027, 8, 1),
            ends_on=datetime.date(2027, 8, 1),
        )
    assert field_errors(excinfo) == {"ends_on"}


# --- The audit trail ------------------------------------------------------------------------


def _change_school_year_create(world, actor):
    return services.school_year_create(
        actor=actor,
        name="2027-2028",
        starts_on=datetime.date(2027, 8, 1),
        ends_on=datetime.date(2028, 7, 31),
    )


def _change_person_invite(world, actor):
    return services.person_invite(
        actor=actor,
        school=world.school,
        email=NEW_ADDRESS,
        full_name=NEW_NAME,
        staff_kind=StaffKind.TEACHER,
        language="nl",
        domain=DOMAIN,
        use_https=True,
    )[1]


def _change_invitation_resend(world, actor):
    services.invitation_resend(
        actor=actor, invitation=world.invitation, domain=DOMAIN, use_https=True
    )
    return world.invitation


def _change_invitation_revoke(world, actor):
    services.invitation_revoke(actor=actor, invitation=world.invitation)
    return world.invitation


def _change_membership_ensure(world, actor):
    user = world.people["coach"]
    services.membership_ensure(
        actor=actor, user=user, school=world.school, staff_kind=StaffKind.SCHOOL_LEADER
    )
    return user


def _change_person_deactivate(world, actor):
    services.person_deactivate(actor=actor, user=world.people["coachee"], school=world.school)
    return world.people["coachee"]


def _change_role_assign(world, actor):
    return services.role_assign(
        actor=actor,
        user=world.people["coachee"],
        school=world.school,
        school_year=world.school_year,
        role=Role.PROCESBEGELEIDER,
        task_hours=30,
        task_description="Begeleidt de videoclub van de sectie talen.",
    )


def _change_trajectory_create(world, actor):
    return services.trajectory_create(
        actor=actor,
        begeleider_role=world.coaching.begeleider_role,
        teacher=world.people["student_teacher"],
        kind=TrajectoryKind.COACHING,
        stage=TeacherStage.STUDENT_TEACHER,
        study_year=2,
    )


def _change_trajectory_end(world, actor):
    return services.trajectory_end(actor=actor, trajectory=world.coaching)


def _change_learning_group_create(world, actor):
    return create_group(world, actor)


# Each coordinator change, and the audit actions it must leave behind (one per row changed).
COORDINATOR_CHANGES = {
    "school_year_create": (_change_school_year_create, ["school_year.created"]),
    "person_invite": (
        _change_person_invite,
        ["person.created", "membership.activated", "invitation.created"],
    ),
    "invitation_resend": (_change_invitation_resend, ["invitation.resent"]),
    "invitation_revoke": (_change_invitation_revoke, ["invitation.revoked"]),
    "membership_ensure": (_change_membership_ensure, ["membership.activated"]),
    "person_deactivate": (_change_person_deactivate, ["person.deactivated"]),
    "role_assign": (_change_role_assign, ["role.assigned"]),
    "trajectory_create": (_change_trajectory_create, ["trajectory.created"]),
    "trajectory_end": (_change_trajectory_end, ["trajectory.ended"]),
    "learning_group_create": (_change_learning_group_create, ["learning_group.created"]),
}


@pytest.mark.parametrize("change", COORDINATOR_CHANGES)
def test_every_coordinator_change_is_audited_without_its_content(
    world, coordinator, django_capture_on_commit_callbacks, change
):
    make_change, expected_actions = COORDINATOR_CHANGES[change]
    before = list(AuditEntry.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        obj = make_change(world, coordinator)

    entries = list(AuditEntry.objects.exclude(pk__in=before))
    assert sorted(entry.action for entry in entries) == sorted(expected_actions)
    for entry in entries:
        assert entry.actor == coordinator
        assert entry.actor_email == coordinator.email
        if entry.school_id is not None:
            assert entry.school == world.school
    main = next(entry for entry in entries if entry.action == expected_actions[-1])
    assert main.object_type == obj._meta.label_lower
    assert main.object_id == str(obj.public_id if hasattr(obj, "public_id") else obj.pk)

    # Who did what to which object, and when: never a name, an address, a focus or a theme.
    content = {
        COACHING_SENTINEL,
        OPLEIDEN_FOCUS,
        NEW_NAME,
        NEW_ADDRESS,
        "Begeleidt de videoclub",
        "breuken",
        *(user.full_name for user in User.objects.exclude(pk=coordinator.pk)),
        *(user.email for user in User.objects.exclude(pk=coordinator.pk)),
    }
    for entry in entries:
        recorded = " | ".join(
            str(value)
            for value in (entry.action, entry.object_type, entry.object_id, entry.actor_email)
        )
        leaked = [text for text in content if text and text in recorded]
        assert not leaked, (entry.action, leaked)
