"""Reads about people and schools, already limited to what the acting user may see."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from roles.models import Membership, Role, RoleAssignment, School, SchoolYear, StaffKind, User


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
