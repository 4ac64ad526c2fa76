"""Reads about visits and observations, already limited by the access policy."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from mentoring import access
from observations.models import Indicator, Instrument, Item, LessonVisit, Observation, VisitStatus
from roles.models import User


def visit_list_for(user: User, *, past: bool = False) -> QuerySet[LessonVisit]:
    """Upcoming visits soonest first, or past ones (and every cancelled one) latest first.

    A visit counts as past once it has been held or cancelled, or its start is behind us.
    """
    visits = access.visits_visible_to(user).select_related(
        "trajectory__teacher", "trajectory__begeleider", "trajectory__school"
    )
    now = timezone.now()
    if past:
        return visits.exclude(status=VisitStatus.PLANNED, starts_at__gte=now).order_by("-starts_at")
    return visits.filter(status=VisitStatus.PLANNED, starts_at__gte=now).order_by("starts_at")


def observations_of_visit_for(user: User, visit: LessonVisit) -> QuerySet[Observation]:
    return (
        access.observations_visible_to(user)
        .filter(visit=visit)
        .select_related("observer", "instrument")
        .order_by("created_at")
    )


def instrument_default() -> Instrument:
    """The instrument a new observation uses: built-in ICALT, newest version."""
    return Instrument.objects.filter(key="icalt", school=None, is_active=True).latest("created_at")


def indicators_of_observation(observation: Observation) -> QuerySet[Indicator]:
    """The indicators the observation's form offers: those of its instrument that are shared,
    or that the observed visit's school loaded. Another school's copy stays with that school."""
    return indicators_shown_at(school_id=observation.visit.trajectory.school_id).filter(
        item__instrument_id=observation.instrument_id
    )


def indicators_shown_at(*, school_id: int) -> QuerySet[Indicator]:
    """Indicators shared with every school, and the school's own."""
    return Indicator.objects.filter(Q(school__isnull=True) | Q(school_id=school_id))


def focus_item_choices(instrument: Instrument) -> QuerySet[Item]:
    return instrument.items.filter(domain__is_teaching=True).order_by("number")
