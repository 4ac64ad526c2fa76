"""Writes about people: each a typed, keyword-only function named <entity>_<verb>."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from mentoring.audit import audit_record
from mentoring.jobs import enqueue
from mentoring.versioning import version_bump, version_check
from roles.models import (
    ROLE_FOR_KIND,
    Institute,
    Invitation,
    InvitationStatus,
    LearningGroup,
    LearningGroupMember,
    Membership,
    OpleiderKind,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    TeacherStage,
    Trajectory,
    TrajectoryKind,
    TrajectoryStatus,
    User,
)


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}.")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def password_reset_email_send(*, user: User, domain: str, use_https: bool) -> None:
    """Mail a password-reset link, in the user's own language.

    The token is made here, at sending time, so it never travels through the job queue.
    """
    context = {
        "user": user,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(user.preferred_language):
        subject = render_to_string("emails/password_reset_subject.txt", context)
        body = render_to_string("emails/password_reset.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, to=[user.email])
    message.send()


# --- School years -----------------------------------------------------------------------------


def school_year_create(*, actor: User, name: str, starts_on, ends_on) -> SchoolYear:
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("A school year must end after it starts.")})
    overlapping = SchoolYear.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if overlapping.exists():
        raise ValidationError(
            _("This period overlaps school year %(name)s.") % {"name": overlapping.first().name}
        )
    if SchoolYear.objects.filter(name=name).exists():
        raise ValidationError({"name": _("School year %(name)s already exists.") % {"name": name}})
    school_year = SchoolYear.objects.create(name=name, starts_on=starts_on, ends_on=ends_on)
    audit_record(actor=actor, action="school_year.created", obj=school_year)
    return school_year


# --- People, invitations and memberships ------------------------------------------------------

INVITATION_VALID_FOR = datetime.timedelta(days=14)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def membership_ensure(*, actor: User, user: User, school: School, staff_kind: str) -> Membership:
    """Make the person an active member of the school in that capacity."""
    membership, created = Membership.objects.get_or_create(
        user=user, school=school, staff_kind=staff_kind
    )
    if created or not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        audit_record(actor=actor, action="membership.activated", obj=user, school=school)
    if not user.is_active and user.has_usable_password():
        user.is_active = True
        user.save(update_fields=["is_active"])
    return membership


@transaction.atomic
def person_invite(
    *,
    actor: User,
    school: School,
    email: str,
    full_name: str,
    staff_kind: str,
    language: str,
    domain: str,
    use_https: bool,
) -> tuple[User, Invitation | None]:
    """Add a person to a school; mail an invitation if they have no password yet.

    Someone who already has an account (at another school, say) is simply added: they log in
    as they always do, and nobody can take over an existing account through an invitation.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=full_name.strip(), preferred_language=language)
        user.set_unusable_password()
        user.save()
        audit_record(actor=actor, action="person.created", obj=user, school=school)
    membership_ensure(actor=actor, user=user, school=school, staff_kind=staff_kind)
    if user.has_usable_password():
        return user, None
    invitation = Invitation.objects.filter(
        user=user, school=school, status=InvitationStatus.PENDING
    ).first()
    if invitation is None:
        now = timezone.now()
        invitation = Invitation.objects.create(
            user=user,
            school=school,
            invited_by=actor,
            sent_at=now,
            expires_at=now + INVITATION_VALID_FOR,
        )
        audit_record(actor=actor, action="invitation.created", obj=invitation)
    _invitation_queue(invitation=invitation, domain=domain, use_https=use_https)
    return user, invitation


def _invitation_queue(*, invitation: Invitation, domain: str, use_https: bool) -> None:
    from roles.tasks import send_invitation_email  # tasks import services

    enqueue(send_invitation_email, invitation_id=invitation.pk, domain=domain, use_https=use_https)


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, domain: str, use_https: bool) -> None:
    """Send a fresh link; the old one stops working once the new mail has gone out."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("Only an invitation that has not been used can be sent again."))
    now = timezone.now()
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_VALID_FOR
    invitation.save(update_fields=["sent_at", "expires_at"])
    audit_record(actor=actor, action="invitation.resent", obj=invitation)
    _invitation_queue(invitation=invitation, domain=domain, use_https=use_https)


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been used or revoked."))
    invitation.status = InvitationStatus.REVOKED
    invitation.token_hash = None
    invitation.save(update_fields=["status", "token_hash"])
    audit_record(actor=actor, action="invitation.revoked", obj=invitation)


def invitation_email_send(*, invitation: Invitation, domain: str, use_https: bool) -> None:
    """Make a new token, keep only its hash, and mail the link in the person's language.

    Runs in the worker, so the token never travels through the job queue.
    """
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.save(update_fields=["token_hash"])
    user = invitation.user
    context = {
        "invitation": invitation,
        "user": user,
        "url": "{}://{}{}".format(
            "https" if use_https else "http",
            domain,
            reverse("invitation_accept", kwargs={"token": token}),
        ),
    }
    with translation.override(user.preferred_language):
        subject = render_to_string("emails/invitation_subject.txt", context)
        body = render_to_string("emails/invitation.txt", context)
    EmailMultiAlternatives(" ".join(subject.split()), body, to=[user.email]).send()


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link belongs to, if it can still be used."""
    invitation = (
        Invitation.objects.select_related("user", "school").filter(token_hash=_token_hash(token))
    ).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation link has expired or has already been used."))
    user = invitation.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.token_hash = None
    invitation.save(update_fields=["status", "accepted_at", "token_hash"])
    audit_record(actor=user, action="invitation.accepted", obj=invitation)
    return user


@transaction.atomic
def person_deactivate(*, actor: User, user: User, school: School) -> None:
    """End someone's work at a school without losing anything they did there.

    Memberships and roles end, open trajectories end today; the rows stay as history. Someone
    with no active school left can no longer log in.
    """
    if user.pk == actor.pk:
        # Otherwise a school could lose its last coordinator by a slip of the mouse.
        raise ValidationError(_("You cannot deactivate yourself; ask another coordinator."))
    today = timezone.localdate()
    Membership.objects.filter(user=user, school=school).update(is_active=False)
    RoleAssignment.objects.filter(user=user, school=school).filter(
        Q(active_until__isnull=True) | Q(active_until__gt=today)
    ).update(active_until=today)
    Trajectory.objects.filter(
        Q(teacher=user) | Q(begeleider=user), school=school, status=TrajectoryStatus.ACTIVE
    ).update(status=TrajectoryStatus.ENDED, ends_on=today)
    LearningGroupMember.objects.filter(
        user=user, group__school=school, left_on__isnull=True
    ).update(left_on=today)
    Invitation.objects.filter(user=user, school=school, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED, token_hash=None
    )
    if not Membership.objects.filter(user=user, is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="person.deactivated", obj=user, school=school)


# --- Roles ------------------------------------------------------------------------------------


@transaction.atomic
def role_assign(
    *,
    actor: User,
    user: User,
    school: School,
    school_year: SchoolYear,
    role: str,
    opleider_kind: str = "",
    institute: Institute | None = None,
    task_hours: int = 0,
    task_description: str = "",
    active_from=None,
    active_until=None,
) -> RoleAssignment:
    if not Membership.objects.filter(user=user, school=school, is_active=True).exists():
        raise ValidationError(
            _("%(person)s does not work at %(school)s.") % {"person": user, "school": school}
        )
    if role != Role.OPLEIDER:
        opleider_kind = ""
    elif not opleider_kind:
        raise ValidationError({"opleider_kind": _("Choose the kind of opleider.")})
    if opleider_kind != OpleiderKind.INSTITUUTSOPLEIDER:
        institute = None
    if RoleAssignment.objects.filter(
        user=user, school=school, school_year=school_year, role=role
    ).exists():
        raise ValidationError(
            _("%(person)s already has this role at %(school)s in %(year)s.")
            % {"person": user, "school": school, "year": school_year}
        )
    active_from = active_from or max(school_year.starts_on, timezone.localdate())
    if active_until is not None and active_until < active_from:
        raise ValidationError({"active_until": _("The end date is before the start date.")})
    assignment = RoleAssignment.objects.create(
        user=user,
        school=school,
        school_year=school_year,
        role=role,
        opleider_kind=opleider_kind,
        institute=institute,
        task_hours=task_hours,
        task_description=task_description,
        active_from=active_from,
        active_until=active_until,
    )
    audit_record(actor=actor, action="role.assigned", obj=assignment)
    return assignment


# --- Trajectories -----------------------------------------------------------------------------


@transaction.atomic
def trajectory_create(
    *,
    actor: User,
    begeleider_role: RoleAssignment,
    teacher: User,
    kind: str,
    stage: str,
    study_year: int | None = None,
    starts_on=None,
) -> Trajectory:
    """Pair a begeleider with a (student) teacher, checking the rules that span several rows."""
    school = begeleider_role.school
    errors = {}
    if begeleider_role.role != ROLE_FOR_KIND[kind]:
        errors["begeleider_role"] = _(
            "A %(kind)s trajectory needs a begeleider with the %(role)s role."
        ) % {"kind": TrajectoryKind(kind).label, "role": Role(ROLE_FOR_KIND[kind]).label}
    today = timezone.localdate()
    if begeleider_role.active_until is not None and begeleider_role.active_until < today:
        errors["begeleider_role"] = _("This role has ended.")
    elif not Membership.objects.filter(
        user=begeleider_role.user_id, school=school, is_active=True
    ).exists():
        errors["begeleider_role"] = _("%(person)s does not work at %(school)s.") % {
            "person": begeleider_role.user,
            "school": school,
        }
    if teacher.pk == begeleider_role.user_id:
        errors["teacher"] = _("A begeleider cannot supervise themselves.")
    elif not Membership.objects.filter(user=teacher, school=school, is_active=True).exists():
        errors["teacher"] = _("%(person)s does not work at %(school)s.") % {
            "person": teacher,
            "school": school,
        }
    if stage == TeacherStage.STUDENT_TEACHER:
        if study_year is None:
            errors["study_year"] = _("Give the student teacher's study year.")
    else:
        study_year = None
    if errors:
        raise ValidationError(errors)
    if (
        Trajectory.objects.select_for_update()
        .filter(
            begeleider=begeleider_role.user,
            teacher=teacher,
            kind=kind,
            status=TrajectoryStatus.ACTIVE,
        )
        .exists()
    ):
        raise ValidationError(
            _("%(teacher)s already has an open %(kind)s trajectory with %(begeleider)s.")
            % {
                "teacher": teacher,
                "kind": TrajectoryKind(kind).label,
                "begeleider": begeleider_role.user,
            }
        )
    trajectory = Trajectory.objects.create(
        begeleider_role=begeleider_role,
        begeleider=begeleider_role.user,
        school=school,
        school_year=begeleider_role.school_year,
        teacher=teacher,
        kind=kind,
        stage=stage,
        study_year=study_year,
        starts_on=starts_on or today,
    )
    audit_record(actor=actor, action="trajectory.created", obj=trajectory)
    return trajectory


@transaction.atomic
def trajectory_end(*, actor: User, trajectory: Trajectory, ends_on=None) -> Trajectory:
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if trajectory.status != TrajectoryStatus.ACTIVE:
        raise ValidationError(_("This trajectory has already ended."))
    ends_on = ends_on or timezone.localdate()
    if ends_on < trajectory.starts_on:
        raise ValidationError({"ends_on": _("A trajectory cannot end before it starts.")})
    trajectory.status = TrajectoryStatus.ENDED
    trajectory.ends_on = ends_on
    trajectory.save(update_fields=["status", "ends_on"])
    audit_record(actor=actor, action="trajectory.ended", obj=trajectory)
    return trajectory


@transaction.atomic
def trajectory_focus_update(
    *, actor: User, trajectory: Trajectory, focus: str, version: int
) -> Trajectory:
    """Save the question for support, unless someone saved since `version` (StaleVersion)."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    version_check(trajectory, version)
    trajectory.focus = focus
    version_bump(trajectory, "focus")
    return trajectory


# --- Learning groups --------------------------------------------------------------------------


@transaction.atomic
def learning_group_create(
    *,
    actor: User,
    school: School,
    school_year: SchoolYear,
    name: str,
    format: str,
    theme: str,
    facilitators: list[User],
    members: list[User],
) -> LearningGroup:
    errors = {}
    # Only a role that has not ended, held by someone who still works here.
    facilitating = set(
        RoleAssignment.objects.filter(
            Q(active_until__isnull=True) | Q(active_until__gte=timezone.localdate()),
            school=school,
            school_year=school_year,
            role=Role.PROCESBEGELEIDER,
            user__in=Membership.objects.filter(school=school, is_active=True).values("user"),
        ).values_list("user_id", flat=True)
    )
    if not facilitators:
        errors["facilitators"] = _("Choose at least one procesbegeleider.")
    elif not_facilitating := [f for f in facilitators if f.pk not in facilitating]:
        errors["facilitators"] = _("%(people)s has no procesbegeleider role here this year.") % {
            "people": ", ".join(map(str, not_facilitating))
        }
    working_here = set(
        Membership.objects.filter(school=school, is_active=True).values_list("user_id", flat=True)
    )
    if outsiders := [m for m in members if m.pk not in working_here]:
        errors["members"] = _("%(people)s does not work at this school.") % {
            "people": ", ".join(map(str, outsiders))
        }
    if LearningGroup.objects.filter(school=school, school_year=school_year, name=name).exists():
        errors["name"] = _("There already is a group with this name this year.")
    if errors:
        raise ValidationError(errors)
    group = LearningGroup.objects.create(
        school=school, school_year=school_year, name=name, format=format, theme=theme
    )
    group.facilitators.set(facilitators)
    LearningGroupMember.objects.bulk_create(
        LearningGroupMember(group=group, user=member) for member in members
    )
    audit_record(actor=actor, action="learning_group.created", obj=group)
    return group
