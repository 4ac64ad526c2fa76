"""Reads about people and schools, already limited to what the acting user may see."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from mentoring import access
from roles.models import (
    Invitation,
    InvitationStatus,
    LearningGroup,
    LearningGroupMember,
    Membership,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    StaffKind,
    Trajectory,
    User,
)


def school_year_current() -> SchoolYear | None:
    """The school year that contains today; else the latest that has started; else the next.

    Coordinators set up a year before it begins, so in July the coming year is the one to show.
    """
    today = timezone.localdate()
    started = SchoolYear.objects.filter(starts_on__lte=today).order_by("-starts_on")
    return (
        started.filter(ends_on__gte=today).first()
        or started.first()
        or SchoolYear.objects.order_by("starts_on").first()
    )


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("school", "school__board")
        .order_by("school__name", "staff_kind")
    )


def role_assignments_of(user: User, *, school_year: SchoolYear | None) -> QuerySet[RoleAssignment]:
    """The user's begeleider roles in that year, at schools where they are still a member."""
    if school_year is None:
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(
            user=user,
            school_year=school_year,
            school__memberships__user=user,
            school__memberships__is_active=True,
        )
        .distinct()
        .select_related("school", "school_year")
        .order_by("school__name", "role")
    )


@dataclass
class SchoolFigures:
    """Aggregate numbers for one school: what a coordinator or school leader sees at a glance."""

    school: School
    people: list[tuple[str, int]]
    begeleiders: list[tuple[str, int]]
    task_hours: int


def school_figures_for(user: User, *, school_year: SchoolYear | None) -> list[SchoolFigures]:
    """Figures for the schools the user coordinates or leads; counts only, never content."""
    led = Membership.objects.filter(
        user=user,
        is_active=True,
        staff_kind__in=[StaffKind.COORDINATOR, StaffKind.SCHOOL_LEADER],
    ).values("school")
    # The school filter is a subquery, not a join, so the counts below cover every member
    # of the school rather than only the rows that matched the acting user.
    schools = School.objects.filter(pk__in=led).annotate(
        **{
            f"n_{kind}": Count(
                "memberships",
                filter=Q(memberships__staff_kind=kind, memberships__is_active=True),
            )
            for kind in StaffKind.values
        }
    )
    per_role: dict[tuple[int, str], dict] = {}
    if school_year is not None:
        rows = (
            RoleAssignment.objects.filter(school__in=led, school_year=school_year)
            .values("school", "role")
            .annotate(people=Count("user", distinct=True), hours=Sum("task_hours"))
        )
        per_role = {(row["school"], row["role"]): row for row in rows}
    figures = []
    for school in schools.order_by("name"):
        role_rows = [per_role.get((school.pk, role), {}) for role in Role.values]
        figures.append(
            SchoolFigures(
                school=school,
                people=[(label, getattr(school, f"n_{kind}")) for kind, label in StaffKind.choices],
                begeleiders=[
                    (label, row.get("people", 0))
                    for (_, label), row in zip(Role.choices, role_rows, strict=True)
                ],
                task_hours=sum(row.get("hours") or 0 for row in role_rows),
            )
        )
    return figures


# --- For the coordinator's pages: lists and form choices, always through the access policy ----


def people_working_where_user_coordinates(user: User) -> QuerySet[User]:
    """Active people with an active membership at a school the user coordinates."""
    schools = access.coordinated_school_ids(user)
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(school__in=schools, is_active=True).values("user"),
    ).order_by("full_name", "email")


def begeleider_roles_for_trajectories(user: User) -> QuerySet[RoleAssignment]:
    """Opleider and coach roles, still running, at schools the user coordinates."""
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(
            Q(active_until__isnull=True) | Q(active_until__gte=today),
            school__in=access.coordinated_school_ids(user),
            role__in=[Role.OPLEIDER, Role.COACH],
            user__is_active=True,
        )
        .select_related("user", "school", "school_year")
        .order_by("user__full_name", "-school_year__starts_on", "role")
    )


def procesbegeleiders_for_groups(user: User) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.filter(
            school__in=access.coordinated_school_ids(user), role=Role.PROCESBEGELEIDER
        ).values("user"),
    ).order_by("full_name")


def people_list_for(
    user: User,
    *,
    school_year: SchoolYear | None,
    q: str = "",
    school: School | None = None,
    staff_kind: str = "",
    role: str = "",
    active: str = "active",
) -> QuerySet[User]:
    """The coordinator's people list, with memberships and this year's roles prefetched.

    Only memberships and roles at schools the user coordinates are shown, so a person who
    also works elsewhere does not reveal that school's details.
    """
    schools = access.coordinated_school_ids(user)
    if school is not None:
        schools &= {school.pk}
    memberships = Membership.objects.filter(school__in=schools)
    if active == "active":
        memberships = memberships.filter(is_active=True)
    elif active == "inactive":
        memberships = memberships.filter(is_active=False)
    if staff_kind:
        memberships = memberships.filter(staff_kind=staff_kind)
    people = access.people_visible_to(user).filter(pk__in=memberships.values("user"))
    if active == "inactive":
        # Deactivated here means: no active membership left at these schools.
        people = people.exclude(
            pk__in=Membership.objects.filter(school__in=schools, is_active=True).values("user")
        )
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    roles = RoleAssignment.objects.filter(school__in=schools, school_year=school_year)
    if role:
        people = people.filter(pk__in=roles.filter(role=role).values("user"))
    return people.order_by("full_name", "email").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(school__in=schools).select_related("school"),
            to_attr="shown_memberships",
        ),
        Prefetch(
            "role_assignments",
            queryset=roles.select_related("school"),
            to_attr="shown_roles",
        ),
        Prefetch(
            "invitations",
            queryset=Invitation.objects.filter(school__in=schools, status=InvitationStatus.PENDING),
            to_attr="pending_invitations",
        ),
    )


def trajectory_list_for(
    user: User, *, status: str = "", kind: str = "", q: str = ""
) -> QuerySet[Trajectory]:
    trajectories = access.trajectories_visible_to(user)
    if status:
        trajectories = trajectories.filter(status=status)
    if kind:
        trajectories = trajectories.filter(kind=kind)
    if q:
        trajectories = trajectories.filter(
            Q(teacher__full_name__icontains=q) | Q(begeleider__full_name__icontains=q)
        )
    return trajectories.select_related(
        "teacher", "begeleider", "begeleider_role", "school", "school_year"
    ).order_by("status", "teacher__full_name", "-starts_on")


def learning_group_list_for(user: User) -> QuerySet[LearningGroup]:
    return (
        access.learning_groups_visible_to(user)
        .select_related("school", "school_year")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__left_on__isnull=True),
                distinct=True,
            )
        )
        .prefetch_related("facilitators")
        .order_by("-school_year__starts_on", "name")
    )


def learning_groups_of(user: User) -> QuerySet[LearningGroup]:
    """The groups the user facilitates or currently belongs to (not those they coordinate)."""
    current = LearningGroupMember.objects.filter(user=user, left_on__isnull=True).values("group")
    return (
        LearningGroup.objects.filter(Q(facilitators=user) | Q(pk__in=current))
        .distinct()
        .select_related("school_year")
        .order_by("name")
    )


def person_overview_for(user: User, person: User) -> dict:
    """What a coordinator sees on a person's page, limited to the schools they coordinate, so
    a person who also works elsewhere does not reveal that school's details."""
    schools = access.coordinated_school_ids(user)
    memberships = list(
        Membership.objects.filter(user=person, school__in=schools)
        .select_related("school")
        .order_by("school__name", "staff_kind")
    )
    return {
        "memberships": memberships,
        "has_active_membership": any(membership.is_active for membership in memberships),
        "roles": RoleAssignment.objects.filter(user=person, school__in=schools)
        .select_related("school", "school_year", "institute")
        .order_by("-school_year__starts_on", "role"),
        "trajectories": trajectory_list_for(user).filter(
            Q(teacher=person) | Q(begeleider=person), school__in=schools
        ),
        "invitations": Invitation.objects.filter(user=person, school__in=schools)
        .select_related("school", "invited_by")
        .order_by("-sent_at"),
    }
