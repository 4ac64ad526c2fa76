"""A person's lesson visits and group sessions as a private iCalendar feed, and the secret link
to it.

Calendar apps (Outlook, Google, Apple) subscribe to a URL and fetch it without logging in, so
the link itself is the key: 256 random bits, shown only to its owner, replaced by a new one on
request (which stops the old one at once).

What goes in, and what stays out:

- Only the person's own visits: those of trajectories where they are the teacher or the
  begeleider, and that the access policy still lets them see. A coordinator sees every visit
  at their school in the app, but their calendar gets only the ones they take part in.
- Only when, who and which class. A subscribed calendar is copied to the calendar provider's
  servers (Google, Microsoft, Apple) and often shared with colleagues, so no lesson goal, no
  focus, no subject, no notes, and nothing that says whether it is coaching or opleiden. The
  events are marked CLASS:PRIVATE so that calendars shared with others show them as busy only.
- The sessions of the learning groups they facilitate or are a current member of (a member who
  left loses them; the coordinator's feed has none of the groups they only coordinate), named
  by the group only: never the session's theme or anything the group wrote.
- Visits and sessions from 60 days ago onwards, planned or held. Cancelled ones are left out
  rather than sent as STATUS:CANCELLED: every calendar app removes an event that disappears
  from a subscribed feed, while not all of them honour the status.

Times are in UTC, which every calendar app converts to the reader's own time zone.
"""

import datetime
import secrets

from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from mentoring import access
from mentoring.audit import audit_record
from observations.models import CalendarFeed, LessonVisit, VisitStatus
from reflection.models import GroupSession, SessionStatus
from roles.models import User

FEED_HISTORY = datetime.timedelta(days=60)
# A session has no end time in the app; an intervision or video club meeting takes about this.
SESSION_DURATION = datetime.timedelta(minutes=90)
# How often calendar apps should fetch the feed again; Google decides for itself (hours).
FEED_REFRESH = datetime.timedelta(hours=1)
PRODUCT_ID = "-//Mentoring//Lesson visits//EN"
# token_urlsafe(32) gives 43 characters; anything longer is not a token of ours.
TOKEN_MAX_LENGTH = 64


def _new_token() -> str:
    return secrets.token_urlsafe(32)


# --- The link -----------------------------------------------------------------------------------


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    """The user's feed, made on first use (get_or_create survives two first visits at once)."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """Give the user a new link; the old one answers 404 from now on."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": _new_token(), "created_at": timezone.now()}
    )
    audit_record(actor=user, action="calendar_feed.regenerated", obj=feed)
    return feed


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The feed behind a link, or None for an unknown, replaced or deactivated one.

    The lookup is an equality match on a unique index, not a comparison in Python, so its
    timing says nothing useful about a 256-bit token.
    """
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


# --- The feed -----------------------------------------------------------------------------------


def calendar_visits_for(user: User) -> QuerySet[LessonVisit]:
    """The user's own recent and coming visits, with only the columns the feed may show."""
    return (
        access.visits_visible_to(user)
        .filter(
            Q(trajectory__teacher=user) | Q(trajectory__begeleider=user),
            status__in=[VisitStatus.PLANNED, VisitStatus.HELD],
            starts_at__gte=timezone.now() - FEED_HISTORY,
        )
        .select_related("trajectory__teacher", "trajectory__begeleider")
        # The lesson goal and the rest of the visit are never even read from the database.
        .only(
            "public_id",
            "starts_at",
            "duration_minutes",
            "class_name",
            "trajectory__teacher__full_name",
            "trajectory__teacher__email",
            "trajectory__begeleider__full_name",
            "trajectory__begeleider__email",
        )
        .order_by("starts_at", "pk")
    )


def calendar_group_sessions_for(user: User) -> QuerySet[GroupSession]:
    """The recent and coming sessions of the user's own groups, with only what the feed shows."""
    return (
        access.group_sessions_with_content_for(user)
        .filter(
            status__in=[SessionStatus.PLANNED, SessionStatus.HELD],
            starts_at__gte=timezone.now() - FEED_HISTORY,
        )
        .select_related("group")
        # The focus and everything the group wrote are never even read from the database.
        .only("public_id", "starts_at", "location", "group__name")
        .order_by("starts_at", "pk")
    )


def _summary(visit: LessonVisit, user: User) -> str:
    trajectory = visit.trajectory
    if trajectory.teacher_id == user.pk:
        return _("Lesson visit by %(begeleider)s") % {"begeleider": trajectory.begeleider}
    return _("Lesson visit: %(teacher)s") % {"teacher": trajectory.teacher}


def calendar_serialise(
    *,
    user: User,
    visits: QuerySet[LessonVisit],
    uid_domain: str,
    group_sessions: QuerySet[GroupSession] | None = None,
) -> bytes:
    """The visits and group sessions (by default `calendar_group_sessions_for(user)`) as an
    iCalendar file, in the user's own language.

    `uid_domain` makes each event's UID (`<public id>@<domain>`) globally unique, so a
    calendar app recognises a moved visit or session as the same event.
    """
    if group_sessions is None:
        group_sessions = calendar_group_sessions_for(user)
    stamp = timezone.now().astimezone(datetime.UTC)
    with translation.override(user.preferred_language):
        calendar = Calendar()
        calendar.add("prodid", PRODUCT_ID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        name = _("Lesson visits and group sessions")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
        # Outlook's name for the same; an X- property is not typed by itself.
        calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
        for visit in visits:
            starts_at = visit.starts_at.astimezone(datetime.UTC)
            event = Event()
            event.add("uid", f"{visit.public_id}@{uid_domain}")
            event.add("dtstamp", stamp)
            event.add("dtstart", starts_at)
            event.add("dtend", starts_at + datetime.timedelta(minutes=visit.duration_minutes))
            event.add("summary", _summary(visit, user))
            if visit.class_name:
                event.add("location", visit.class_name)
            event.add("status", "CONFIRMED")
            event.add("class", "PRIVATE")
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
        for session in group_sessions:
            starts_at = session.starts_at.astimezone(datetime.UTC)
            event = Event()
            event.add("uid", f"{session.public_id}@{uid_domain}")
            event.add("dtstamp", stamp)
            event.add("dtstart", starts_at)
            event.add("dtend", starts_at + SESSION_DURATION)
            event.add("summary", _("Learning group: %(group)s") % {"group": session.group.name})
            if session.location:
                event.add("location", session.location)
            event.add("status", "CONFIRMED")
            event.add("class", "PRIVATE")
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
    return calendar.to_ical()
