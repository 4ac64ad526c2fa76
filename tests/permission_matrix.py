"""The expected answer of every URL to every persona, for GET and POST.

A URL pattern without a row here fails the suite (test_every_url_has_a_row), so a new view
cannot ship without deciding who may use it. Values: an HTTP status, or LOGIN for
"redirected to the log-in page". POSTs are sent with `post_data` (empty by default); after
every POST that is not allowed (LOGIN, 403, 404, 405) the database must be unchanged.

`kwargs` and `post_data` may be functions of the `world` fixture (tests/conftest.py), for
URLs that name one of its objects. The objects are chosen to cover the object axis: the
school's opleiden and coaching trajectories, its learning group and invitation, a person
at the school; the other-school coordinator sees them all as 404.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from roles.models import PeopleImport
from tests.conftest import PERSONA_NAMES
from tests.factories import LessonVisitFactory, ObservationFactory

LOGIN = "login"
MEMBERS = tuple(name for name in PERSONA_NAMES if name != "anonymous")
DENIED = {LOGIN, 403, 404, 405}


def everyone(status) -> dict:
    return dict.fromkeys(PERSONA_NAMES, status)


def signed_in(status, *, anonymous=LOGIN) -> dict:
    return {"anonymous": anonymous, **dict.fromkeys(MEMBERS, status)}


def only(allowed: dict, *, others=403, outsider=404, anonymous=LOGIN) -> dict:
    """`allowed` maps personas to their status; the rest of the school gets `others`, the
    other school's coordinator `outsider` (404: the object does not exist for them)."""
    statuses = {name: others for name in MEMBERS}
    statuses.update(anonymous=anonymous, other_school_coordinator=outsider)
    statuses.update(allowed)
    return statuses


COORDINATORS = ("coordinator", "other_school_coordinator")


def coordinators(status) -> dict:
    """Pages for every coordinator (each sees their own school); 403 for everyone else."""
    return only(dict.fromkeys(COORDINATORS, status))


@dataclass(frozen=True)
class Row:
    get: dict
    post: dict
    kwargs: dict | Callable = field(default_factory=dict)
    post_data: dict | Callable = field(default_factory=dict)

    def resolve(self, world) -> tuple[dict, dict]:
        def value(item):
            return item(world) if callable(item) else item

        return value(self.kwargs), value(self.post_data)


def stored_import(world) -> PeopleImport:
    return PeopleImport.objects.create(
        school=world.school,
        created_by=world.people["coordinator"],
        filename="mensen.csv",
        row_count=1,
        content="naam;e-mail;functie\nAnna;anna@school.example;docent\n",
    )


def planned_visit(world) -> dict:
    return {"public_id": LessonVisitFactory(trajectory=world.opleiden).public_id}


def draft_observation(world) -> dict:
    visit = LessonVisitFactory(trajectory=world.opleiden)
    return {"public_id": ObservationFactory(visit=visit).public_id}


def person(name: str) -> Callable:
    return lambda world: {"public_id": world.people[name].public_id}


EXPECTED: dict[str, Row] = {
    "home": Row(get=signed_in(200), post=everyone(405)),
    # The coordinator's pages. An empty POST is a form with errors: 200, nothing written.
    "school_year_list": Row(get=coordinators(200), post=coordinators(200)),
    "person_list": Row(get=coordinators(200), post=everyone(405)),
    "person_invite": Row(get=coordinators(200), post=coordinators(200)),
    "people_import": Row(get=coordinators(200), post=coordinators(200)),
    # A stored, valid upload of the school: the coordinator's confirmation imports it.
    "people_import_preview": Row(
        get=only({"coordinator": 200}),
        post=only({"coordinator": 302}),
        kwargs=lambda world: {"public_id": stored_import(world).public_id},
    ),
    "person_detail": Row(
        get=only({"coordinator": 200}), post=everyone(405), kwargs=person("coach")
    ),
    "role_assign": Row(
        get=only({"coordinator": 200}), post=only({"coordinator": 200}), kwargs=person("coach")
    ),
    "person_deactivate": Row(
        get=only({"coordinator": 200}),
        post=only({"coordinator": 200}),
        kwargs=person("coachee"),
    ),
    "invitation_resend": Row(
        get=everyone(405),
        post=only({"coordinator": 302}),
        kwargs=lambda world: {"public_id": world.invitation.public_id},
    ),
    "invitation_revoke": Row(
        get=only({"coordinator": 200}),
        post=only({"coordinator": 302}),
        kwargs=lambda world: {"public_id": world.invitation.public_id},
    ),
    # The invitee's page is public; an unknown token gets a friendly "link no longer works".
    "invitation_accept": Row(
        get=everyone(200), post=everyone(200), kwargs={"token": "not-a-real-token"}
    ),
    "trajectory_list": Row(get=signed_in(200), post=everyone(405)),
    "trajectory_create": Row(get=coordinators(200), post=coordinators(200)),
    # The coaching trajectory: its existence is for the pair and the coordinator, its
    # content (tested elsewhere) for the pair only.
    "trajectory_detail": Row(
        get=only({"coordinator": 200, "coach": 200, "coachee": 200}),
        post=everyone(405),
        kwargs=lambda world: {"public_id": world.coaching.public_id},
    ),
    # In coaching only the coachee writes the content.
    "trajectory_focus_edit": Row(
        get=only({"coachee": 200}),
        post=only({"coachee": 200}),
        kwargs=lambda world: {"public_id": world.coaching.public_id},
    ),
    "trajectory_end": Row(
        get=only({"coordinator": 200}),
        post=only({"coordinator": 200}),
        kwargs=lambda world: {"public_id": world.coaching.public_id},
    ),
    # Lesson visits, on a planned visit in the opleiden trajectory. The opleider manages it;
    # the student teacher sees it; the coordinator sees that and when, not the content.
    "visit_list": Row(get=signed_in(200), post=everyone(405)),
    "visit_plan": Row(
        get=only({"opleider": 200}),
        post=only({"opleider": 200}),
        kwargs=lambda world: {"public_id": world.opleiden.public_id},
    ),
    "visit_detail": Row(
        get=only({"opleider": 200, "student_teacher": 200, "coordinator": 200}),
        post=everyone(405),
        kwargs=planned_visit,
    ),
    "visit_reschedule": Row(
        get=only({"opleider": 200}), post=only({"opleider": 200}), kwargs=planned_visit
    ),
    "visit_cancel": Row(
        get=only({"opleider": 200}), post=only({"opleider": 302}), kwargs=planned_visit
    ),
    "visit_mark_held": Row(get=everyone(405), post=only({"opleider": 302}), kwargs=planned_visit),
    # Observations, on the opleider's draft: a draft is its observer's alone. An empty POST
    # to the form is a save against no version (a conflict page, 200); to the autosave
    # endpoint it is unreadable (400); anonymous autosave gets a JSON 401, not a redirect.
    "observation_start": Row(get=everyone(405), post=only({"opleider": 302}), kwargs=planned_visit),
    "observation_detail": Row(
        get=only({"opleider": 200}), post=only({"opleider": 200}), kwargs=draft_observation
    ),
    "observation_save": Row(
        get=everyone(405),
        post=only({"opleider": 400}, anonymous=401),
        kwargs=draft_observation,
    ),
    "observation_finalise": Row(
        get=everyone(405), post=only({"opleider": 302}), kwargs=draft_observation
    ),
    # The analysis pages are trajectory content: the pair (and the schoolopleider) read them,
    # the coordinator does not. A draft's profile is its observer's alone, like the draft.
    "trajectory_analysis": Row(
        get=only({"opleider": 200, "student_teacher": 200}),
        post=everyone(405),
        kwargs=lambda world: {"public_id": world.opleiden.public_id},
    ),
    "observation_profile": Row(
        get=only({"opleider": 200}), post=everyone(405), kwargs=draft_observation
    ),
    "visit_agreement": Row(
        get=only({"opleider": 200, "student_teacher": 200}),
        post=everyone(405),
        kwargs=planned_visit,
    ),
    "learning_group_list": Row(get=signed_in(200), post=everyone(405)),
    "learning_group_create": Row(get=coordinators(200), post=coordinators(200)),
    "learning_group_detail": Row(
        get=only({"coordinator": 200, "procesbegeleider": 200, "coach": 200, "opleider": 200}),
        post=everyone(405),
        kwargs=lambda world: {"public_id": world.group.public_id},
    ),
    # Instruments: every coordinator sees the built-in ones and loads their school's own.
    "instrument_list": Row(get=coordinators(200), post=everyone(405)),
    "instrument_import": Row(get=coordinators(200), post=coordinators(200)),
    # Everyone's own calendar link; POST makes a new one. The feed itself is public (calendar
    # apps cannot log in): the token is the key, and a wrong one is 404 for everybody.
    "calendar_feed_settings": Row(get=signed_in(200), post=signed_in(302)),
    "calendar_feed": Row(
        get=everyone(404), post=everyone(405), kwargs={"token": "not-a-real-token"}
    ),
    # Switching language is for everyone, logged in or not; it only answers POST.
    "language_switch": Row(get=everyone(405), post=everyone(302), post_data={"language": "en"}),
    "login": Row(get=signed_in(302, anonymous=200), post=signed_in(302, anonymous=200)),
    "logout": Row(get=everyone(405), post=everyone(302)),
    "password_change": Row(get=signed_in(200), post=signed_in(200)),
    "password_change_done": Row(get=signed_in(200), post=signed_in(405)),
    "password_reset": Row(get=everyone(200), post=everyone(200)),
    "password_reset_done": Row(get=everyone(200), post=everyone(405)),
    "password_reset_confirm": Row(
        get=everyone(200), post=everyone(200), kwargs={"uidb64": "MQ", "token": "bad-token"}
    ),
    "password_reset_complete": Row(get=everyone(200), post=everyone(405)),
}


# --- The Django admin (mentoring/admin.py) ---------------------------------------------------
# Every admin URL is for administrators (is_staff users) only, and none of the personas is
# one: each URL refuses them before it looks up any object, anonymous visitors with the log-in
# page and everyone else with 403. The rows are made from the mounted admin, so a model newly
# registered there is covered at once. Administrators themselves: tests/mentoring/test_admin.py.


def _admin_object_id(model) -> Callable:
    """An object that exists: the coaching trajectory for trajectories, else the first row."""

    def kwargs(world) -> dict:
        if model._meta.label == "roles.Trajectory":
            return {"object_id": world.coaching.pk}
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        return {"object_id": 0 if first is None else first}

    return kwargs


def _admin_rows(patterns=None) -> dict[str, Row]:
    from django.urls import URLResolver, get_resolver

    if patterns is None:
        (mounted,) = (
            pattern
            for pattern in get_resolver().url_patterns
            if isinstance(pattern, URLResolver) and pattern.namespace == "admin"
        )
        patterns = mounted.url_patterns
    rows = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            rows |= _admin_rows(pattern.url_patterns)
            continue
        parameters = set(pattern.pattern.regex.groupindex)
        if parameters == {"object_id"}:
            kwargs = _admin_object_id(pattern.callback.model_admin.model)
        elif parameters == {"app_label"}:
            kwargs = {"app_label": "roles"}
        else:
            assert not parameters, f"admin:{pattern.name} needs sample kwargs here"
            kwargs = {}
        rows[f"admin:{pattern.name}"] = Row(get=signed_in(403), post=signed_in(403), kwargs=kwargs)
    return rows


EXPECTED.update(_admin_rows())
