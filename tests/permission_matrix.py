"""The expected answer of every URL to every persona, for GET and POST.

A URL pattern without a row here fails the suite (test_every_url_has_a_row), so a new view
cannot ship without deciding who may use it. Values: an HTTP status, or LOGIN for
"redirected to the log-in page". POSTs are sent with `post_data` (empty by default); after
every POST that is not allowed (LOGIN, 403, 404, 405) the database must be unchanged.

`kwargs` and `post_data` may be functions of the `world` fixture (tests/conftest.py), for
URLs that name one of its objects. The objects are chosen to cover the object axis: the
school's opleiden and coaching trajectories, its learning group and invitation, a person
at the school; the other-school coordinator sees them all as 404. A row marked `fresh` makes
its object anew for every request: its POST changes the object's state or deletes it, and
each persona must meet it as it was (a deleted object would answer everyone after with 404).
`headers` go with both requests: `HX_REQUEST` for a fragment that htmx asks for.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from mentoring.models import ReportError, ReportStatus
from reflection import group_phases
from reflection.clips import clip_file_name, clips_storage
from reflection.models import MeridProfile, VideoClip
from reflection.services import merid_profile_create, merid_share_add
from roles.models import LearningGroupMember, PeopleImport
from tests.conftest import GROUP_SENTINEL, PERSONA_NAMES, secret
from tests.factories import (
    AgreementFactory,
    ConversationFactory,
    ConversationReportFactory,
    GoalEvidenceFactory,
    GroupPrincipleFactory,
    GroupSessionFactory,
    LessonVisitFactory,
    MembershipFactory,
    ObservationFactory,
    ReflectionCycleFactory,
    SessionEntryFactory,
    SessionReportFactory,
    VideoClipFactory,
)

LOGIN = "login"
HX_REQUEST = {"HX-Request": "true"}
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
    # Resolve kwargs and post_data before every request, not once per URL.
    fresh: bool = False
    headers: dict = field(default_factory=dict)

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


def the(attribute: str) -> Callable:
    """kwargs naming one of the world's objects: `the("coaching_cycle")`."""
    return lambda world: {"public_id": getattr(world, attribute).public_id}


def opleiden_draft(world) -> dict:
    """A new draft of the student teacher in opleiden, with phase 1 written (so shareable)."""
    return {"public_id": ReflectionCycleFactory(trajectory=world.opleiden).public_id}


def shared_opleiden_cycle(world) -> dict:
    """A new shared cycle of the student teacher, with an intention to start the next from."""
    cycle = ReflectionCycleFactory(
        trajectory=world.opleiden, shared=True, intention="Ik begin met een startopdracht."
    )
    return {"public_id": cycle.public_id}


def coaching_evidence(world) -> dict:
    """New evidence (a coaching visit) on the coachee's goal."""
    return {"public_id": GoalEvidenceFactory(goal=world.coaching_goal).public_id}


def coaching_agreement(world) -> dict:
    return {"public_id": AgreementFactory(conversation=world.coaching_conversation).public_id}


def opleiden_report_done(world) -> dict:
    """A new finished report of the nagesprek, up to date, confirmed by nobody yet."""
    report = ConversationReportFactory(conversation=world.opleiden_conversation, done=True)
    return {"public_id": report.public_id}


def opleiden_report_failed(world) -> dict:
    """A new report of the nagesprek that failed after its last attempt."""
    report = ConversationReportFactory(
        conversation=world.opleiden_conversation,
        status=ReportStatus.FAILED,
        error=ReportError.CRASHED,
        attempts=3,
    )
    return {"public_id": report.public_id}


def the_pair(status) -> dict:
    """For the coaching pair; the coordinator too gets 403: coaching content is theirs alone."""
    return only({"coach": status, "coachee": status})


def new_coach_profile(world) -> MeridProfile:
    """A new MERID profile of the coach, of a new coachgesprek (so the coachee is its
    counterpart, not asked yet), shared with nobody."""
    return merid_profile_create(
        actor=world.people["coach"],
        conversation=ConversationFactory(trajectory=world.coaching),
    )


def fresh_coach_profile(world) -> dict:
    return {"public_id": new_coach_profile(world).public_id}


def coach_profile_form(world) -> dict:
    """The plain coding form of the coach's profile as the page shows it: its version and
    every row unchanged (read anew, as each save moves the version on)."""
    profile = MeridProfile.objects.get(pk=world.coach_profile.pk)
    data = {"version": profile.version}
    for topic in profile.topics.all():
        prefix = f"topic-{topic.public_id}"
        data |= {
            f"{prefix}-label": topic.label,
            f"{prefix}-input": topic.input,
            f"{prefix}-style": topic.style,
            f"{prefix}-minutes": "" if topic.minutes is None else str(topic.minutes),
        }
    return data


def perception_asked(world) -> dict:
    """The coach's profile whose perception the coachee was asked for (and gave)."""
    return {"public_id": world.coach_perception.profile.public_id}


def coach_profile_share(world) -> dict:
    """The opleider's share of a new profile of the coach."""
    share = merid_share_add(
        actor=world.people["coach"],
        profile=new_coach_profile(world),
        person=world.people["opleider"],
    )
    return {"public_id": share.public_id}


def the_coach(status) -> dict:
    """A MERID profile is its begeleider's alone: the coachee, the coordinator and the
    school leader get 403 like everyone else at the school (mentoring/access.py)."""
    return only({"coach": status})


# --- Learning groups ---------------------------------------------------------------------------
# world.group (an intervisie group) is facilitated by the procesbegeleider; the coach and the
# opleider are its members. Its content (sessions, what was written in them, clips, reports)
# is for those three; the coordinator sees that it met (the group's page), not what was said.

GROUP_READERS = ("procesbegeleider", "coach", "opleider")

# The first bytes of an MP4 file (an `ftyp` box), then GROUP_SENTINEL standing in for the video:
# a file clip carries the group's content, so a leak of the file is found by the
# confidentiality walk (tests/mentoring/test_confidentiality.py) too.
CLIP_BYTES = (
    b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    + secret(GROUP_SENTINEL, "clip file").encode()
    + bytes(range(256))
)


def group_content(status, **more) -> dict:
    """For the group's facilitator and current members; the coordinator gets 403 like the rest
    of the school (the content is not theirs), the other school 404."""
    return only({**dict.fromkeys(GROUP_READERS, status), **more})


def facilitator(status) -> dict:
    """Planning, moving through the phases, attendance, asking for the report: the group's
    facilitators alone; its members and the coordinator get 403."""
    return only({"procesbegeleider": status})


def the_group(world) -> dict:
    return {"public_id": world.group.public_id}


def new_colleague(world) -> dict:
    """A colleague at the school who is in no group yet: the one to add."""
    return {"person": MembershipFactory(school=world.school).user.public_id}


def coach_membership(world) -> dict:
    """The coach's membership of world.group, current again (a POST before took them off)."""
    coach = world.people["coach"]
    LearningGroupMember.objects.filter(group=world.group, user=coach).update(left_on=None)
    return {"public_id": world.group.public_id, "person": coach.public_id}


def new_session(world) -> dict:
    """A new planned session of world.group, in its first phase, without contributions (so it
    can still be cancelled)."""
    session = GroupSessionFactory(group=world.group, created_by=world.people["procesbegeleider"])
    return {"public_id": session.public_id}


def session_at_principles(world) -> dict:
    """A planned session of world.group in the phase that collects the group's principles."""
    phase = next(
        step.key
        for step in group_phases.phases_of(world.group.format)
        if step.collects == group_phases.PRINCIPLES
    )
    session = GroupSessionFactory(
        group=world.group, created_by=world.people["procesbegeleider"], phase=phase
    )
    return {"public_id": session.public_id}


def coach_entry(world) -> dict:
    """A new contribution of the coach to world.group_session."""
    entry = SessionEntryFactory(session=world.group_session, author=world.people["coach"])
    return {"public_id": entry.public_id}


def coach_principle(world) -> dict:
    """A new principle of the coach, from world.group_session."""
    principle = GroupPrincipleFactory(session=world.group_session, author=world.people["coach"])
    return {"public_id": principle.public_id}


def new_file_clip(world) -> VideoClip:
    """An uploaded clip of the coach's lesson in world.group_session, shown to the whole group:
    its row and its file (CLIP_BYTES) in the clips storage, as video_clip_add leaves them."""
    public_id = uuid.uuid4()
    name = clips_storage().save(clip_file_name(public_id, "mp4"), ContentFile(CLIP_BYTES))
    return VideoClipFactory(
        public_id=public_id,
        session=world.group_session,
        owner=world.people["coach"],
        link="",
        file_name=name,
        content_type="video/mp4",
        size=len(CLIP_BYTES),
    )


def file_clip(world) -> dict:
    return {"public_id": new_file_clip(world).public_id}


def group_session_report(world) -> dict:
    """A new finished report of world.group_session, asked for by the procesbegeleider."""
    report = SessionReportFactory(session=world.group_session, done=True)
    return {"public_id": report.public_id}


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
    # --- Reflection (reflection/views/cycles.py) ---
    # Everyone signed in keeps their own reflections; the list adds what was shared with them.
    # An empty POST to the form is a form with errors (200), nothing written.
    "cycle_list": Row(get=signed_in(200), post=everyone(405)),
    "cycle_create": Row(get=signed_in(200), post=signed_in(200)),
    # The coachee's shared coaching cycle: the pair reads it, the coachee alone writes it; the
    # rest of the school (the coordinator included) gets 403, the other school 404. An empty
    # POST is a save against no version: the conflict page, 200. The autosave endpoint finds
    # an empty body unreadable (400) and answers anonymous with a JSON 401.
    "cycle_detail": Row(
        get=the_pair(200), post=only({"coachee": 200}), kwargs=the("coaching_cycle")
    ),
    "cycle_save": Row(
        get=everyone(405),
        post=only({"coachee": 400}, anonymous=401),
        kwargs=the("coaching_cycle"),
    ),
    # The transitions are the owner's (the student teacher's, on their opleiden cycle); each
    # persona meets a new cycle in the starting state. Reading a shared cycle (the opleider)
    # does not make one its owner: 403. A draft is not even readable for the opleider.
    "cycle_share": Row(
        get=everyone(405),
        post=only({"student_teacher": 302}),
        kwargs=opleiden_draft,
        fresh=True,
    ),
    "cycle_withdraw": Row(
        get=everyone(405),
        post=only({"student_teacher": 302}),
        kwargs=shared_opleiden_cycle,
        fresh=True,
    ),
    "cycle_start_next": Row(
        get=everyone(405),
        post=only({"student_teacher": 302}),
        kwargs=shared_opleiden_cycle,
        fresh=True,
    ),
    # Marking discussed: the owner, or the begeleider they talked it through with.
    "cycle_mark_discussed": Row(
        get=everyone(405),
        post=only({"student_teacher": 302, "opleider": 302}),
        kwargs=shared_opleiden_cycle,
        fresh=True,
    ),
    # Deleting a draft: a confirmation page, then the delete; only the owner.
    "cycle_delete": Row(
        get=only({"student_teacher": 200}),
        post=only({"student_teacher": 302}),
        kwargs=opleiden_draft,
        fresh=True,
    ),
    # The opleider comments on a shared cycle; its owner only replies, so a comment of their
    # own is refused with a message on the page they came from (302), as any refusal is.
    "cycle_comment_add": Row(
        get=everyone(405),
        post=only({"opleider": 302, "student_teacher": 302}),
        kwargs=the("opleiden_cycle"),
        post_data={"text": "Wat deed jij op het moment dat het rumoerig werd?"},
    ),
    # --- Learning goals (reflection/views/goals.py), in coaching: the coachee's alone to set
    # and change; the coach reads them; nobody else at the school.
    "goal_list": Row(get=signed_in(200), post=everyone(405)),
    "goal_create": Row(
        get=only({"coachee": 200}),
        post=only({"coachee": 200}),
        kwargs=lambda world: {"public_id": world.coaching.public_id},
    ),
    "goal_detail": Row(get=the_pair(200), post=only({"coachee": 200}), kwargs=the("coaching_goal")),
    # An empty POST links nothing: a message on the goal's page (302).
    "goal_evidence_add": Row(
        get=everyone(405), post=only({"coachee": 302}), kwargs=the("coaching_goal")
    ),
    # Removing evidence asks first, like every delete.
    "goal_evidence_remove": Row(
        get=only({"coachee": 200}),
        post=only({"coachee": 302}),
        kwargs=coaching_evidence,
        fresh=True,
    ),
    # --- Conversations (reflection/views/conversations.py), on the coachgesprek: the coach
    # and the coachee hold it together, so both keep the record; nobody else reads it.
    "conversation_list": Row(get=signed_in(200), post=everyone(405)),
    "conversation_create": Row(
        get=the_pair(200),
        post=the_pair(200),
        kwargs=lambda world: {"public_id": world.coaching.public_id},
    ),
    # As with cycles: an empty POST is a save against no version (200), an empty autosave
    # body unreadable (400).
    "conversation_detail": Row(
        get=the_pair(200), post=the_pair(200), kwargs=the("coaching_conversation")
    ),
    "conversation_save": Row(
        get=everyone(405),
        post=only({"coach": 400, "coachee": 400}, anonymous=401),
        kwargs=the("coaching_conversation"),
    ),
    "conversation_edit": Row(
        get=the_pair(200), post=the_pair(200), kwargs=the("coaching_conversation")
    ),
    # Agreements: an empty POST adds nothing (a message, 302); done toggles; delete confirms.
    "agreement_add": Row(
        get=everyone(405), post=the_pair(302), kwargs=the("coaching_conversation")
    ),
    "agreement_done": Row(
        get=everyone(405), post=the_pair(302), kwargs=coaching_agreement, fresh=True
    ),
    "agreement_delete": Row(
        get=the_pair(200), post=the_pair(302), kwargs=coaching_agreement, fresh=True
    ),
    # --- Conversation reports (reflection/views/reports.py): whoever reads the conversation
    # asks for, follows and downloads its report; a coordinator, a school leader or another
    # begeleider at the school never (403), nor anyone of another school (404). In coaching
    # that is the pair alone; in opleiden the student teacher, the opleider and the
    # schoolopleider (not a persona here: tests/mentoring/test_access.py).
    # The panel as htmx asks for it (without HX-Request it is a redirect to the page); asking
    # for a report (in Dutch) redirects to the page, where the first asks and the second
    # finds it on its way.
    "conversation_reports": Row(
        get=the_pair(200),
        post=the_pair(302),
        kwargs=the("coaching_conversation"),
        post_data={"language": "nl"},
        headers=HX_REQUEST,
    ),
    "report_download": Row(get=the_pair(200), post=everyone(405), kwargs=the("coaching_report")),
    # "Seen and agreed" is for the participants of the nagesprek (the pair); each confirms a
    # report nobody has confirmed yet. A reader who did not take part (the schoolopleider)
    # gets 403: tests/mentoring/test_access.py.
    "report_confirm": Row(
        get=everyone(405),
        post=only({"student_teacher": 302, "opleider": 302}),
        kwargs=opleiden_report_done,
        fresh=True,
    ),
    # Trying again is for a report that failed (a finished one is refused with a message, also
    # a redirect); each reader meets a failed report and sends it off again.
    "report_retry": Row(
        get=everyone(405),
        post=only({"student_teacher": 302, "opleider": 302}),
        kwargs=opleiden_report_failed,
        fresh=True,
    ),
    # --- MERID profiles (reflection/views/merid.py), on the coach's profile of the coachgesprek:
    # the coach's alone. The opleider is a colleague it is not shared with (a shared one:
    # tests/reflection/test_merid_pages.py); the coachee, its counterpart, only gives a
    # perception once asked, on its own page.
    "merid_list": Row(get=signed_in(200), post=everyone(405)),
    # Starting a profile is for begeleiders (any begeleider role); an empty POST is a form
    # with errors (200). The other school's coordinator is no begeleider anywhere: 403.
    "merid_create": Row(
        get=only({"opleider": 200, "coach": 200, "procesbegeleider": 200}, outsider=403),
        post=only({"opleider": 302, "coach": 302, "procesbegeleider": 302}, outsider=403),
        post_data=lambda world: {
            "title": "Video-opname van een coachgesprek",
            "held_on": "2026-10-01",
        },
    ),
    # Only the conversation's begeleider codes it; the coachee takes part but gets 403.
    "merid_from_conversation": Row(
        get=everyone(405),
        post=the_coach(302),
        kwargs=the("coaching_conversation"),
    ),
    # The plain coding form, sent back as the page shows it (the current version, every row):
    # saved, back to the page (302).
    "merid_detail": Row(
        get=the_coach(200),
        post=the_coach(302),
        kwargs=the("coach_profile"),
        post_data=coach_profile_form,
        fresh=True,
    ),
    # As with every autosave: an empty body is unreadable (400), anonymous gets a JSON 401.
    "merid_save": Row(
        get=everyone(405),
        post=only({"coach": 400}, anonymous=401),
        kwargs=the("coach_profile"),
    ),
    "merid_profile": Row(
        get=the_coach(200),
        post=everyone(405),
        kwargs=the("coach_profile"),
        headers=HX_REQUEST,
    ),
    # The coach's own estimate, four shares that make 100: saved (302).
    "merid_estimate": Row(
        get=everyone(405),
        post=the_coach(302),
        kwargs=the("coach_profile"),
        post_data={"imperator": 25, "initiator": 25, "encourager": 30, "advisor": 20},
    ),
    # Asking the coachee changes the profile: every persona meets a profile not asked yet.
    "merid_perception_request": Row(
        get=everyone(405),
        post=the_coach(302),
        kwargs=fresh_coach_profile,
        fresh=True,
    ),
    # The coachee's own page once asked, and theirs alone: not even the coach's (they see the
    # perception on their profile). A perception that makes 100 is saved (302).
    "merid_perception": Row(
        get=only({"coachee": 200}),
        post=only({"coachee": 302}),
        kwargs=perception_asked,
        post_data={"imperator": 20, "initiator": 20, "encourager": 20, "advisor": 40},
    ),
    "merid_share_add": Row(
        get=everyone(405),
        post=the_coach(302),
        kwargs=the("coach_profile"),
        post_data=lambda world: {"person": world.people["opleider"].public_id},
    ),
    # Only the coach stops sharing; the opleider it is shared with sees it, but cannot
    # change who does (403).
    "merid_share_remove": Row(
        get=everyone(405),
        post=the_coach(302),
        kwargs=coach_profile_share,
        fresh=True,
    ),
    # Deleting asks first, like every delete.
    "merid_delete": Row(
        get=the_coach(200),
        post=the_coach(302),
        kwargs=fresh_coach_profile,
        fresh=True,
    ),
    "learning_group_list": Row(get=signed_in(200), post=everyone(405)),
    "learning_group_create": Row(get=coordinators(200), post=coordinators(200)),
    "learning_group_detail": Row(
        get=only({"coordinator": 200, "procesbegeleider": 200, "coach": 200, "opleider": 200}),
        post=everyone(405),
        kwargs=lambda world: {"public_id": world.group.public_id},
    ),
    # --- Learning groups (roles/views/groups.py): members and notes ---
    # Adding a colleague is for whoever manages the group: the coordinator and its facilitator;
    # its members get 403. Each meets a new colleague to add (302 back to the group's page).
    "learning_group_member_add": Row(
        get=everyone(405),
        post=only({"coordinator": 302, "procesbegeleider": 302}),
        kwargs=the_group,
        post_data=new_colleague,
        fresh=True,
    ),
    # Taking the coach off: a confirmation page first. The managers may take anyone off, the
    # coach may leave; another member (the opleider) gets 403. Each persona meets the coach
    # as a current member.
    "learning_group_member_leave": Row(
        get=only({"coordinator": 200, "procesbegeleider": 200, "coach": 200}),
        post=only({"coordinator": 302, "procesbegeleider": 302, "coach": 302}),
        kwargs=coach_membership,
        fresh=True,
    ),
    # A note to the group is group content: its facilitator and members write one (302).
    "learning_group_note_add": Row(
        get=everyone(405),
        post=group_content(302),
        kwargs=the_group,
        post_data={"text": "Neem volgende keer een voorbeeld van een opdracht mee."},
    ),
    # --- Group sessions (reflection/views/sessions.py), on world.group_session (an intervisie
    # session in its first phase, with an entry by the coach) unless said otherwise ---
    # Planning is the facilitator's; an empty POST is a form with errors (200), nothing written.
    "group_session_plan": Row(get=facilitator(200), post=facilitator(200), kwargs=the_group),
    "session_detail": Row(get=group_content(200), post=everyone(405), kwargs=the("group_session")),
    # The facilitator takes each new session one phase on (302 to the page).
    "session_move": Row(
        get=everyone(405),
        post=facilitator(302),
        kwargs=new_session,
        post_data={"step": "next"},
        fresh=True,
    ),
    # Cancelling asks first; each meets a new planned session without contributions.
    "session_cancel": Row(
        get=facilitator(200), post=facilitator(302), kwargs=new_session, fresh=True
    ),
    "session_attendance": Row(
        get=everyone(405),
        post=facilitator(302),
        kwargs=the("group_session"),
        post_data=lambda world: {"attendees": [world.people["coach"].public_id]},
    ),
    # A contribution to the current phase, by anyone in the group (302 to the phase).
    "session_entry_add": Row(
        get=everyone(405),
        post=group_content(302),
        kwargs=the("group_session"),
        post_data=lambda world: {
            "phase": world.group_session.phase,
            "text": "Ik liet de leerlingen eerst zelf een aanpak kiezen.",
        },
    ),
    # Only its author takes a contribution back, after a confirmation page: the coach; the
    # facilitator and the other member read it but get 403.
    "session_entry_delete": Row(
        get=only({"coach": 200}), post=only({"coach": 302}), kwargs=coach_entry, fresh=True
    ),
    # A principle, in a session that reached the phase collecting them (302 to the phase).
    "group_principle_add": Row(
        get=everyone(405),
        post=group_content(302),
        kwargs=session_at_principles,
        post_data={"text": "Geef de opdracht pas als het stil is."},
    ),
    # Its author, or a facilitator tidying the list; the other member gets 403.
    "group_principle_delete": Row(
        get=only({"coach": 200, "procesbegeleider": 200}),
        post=only({"coach": 302, "procesbegeleider": 302}),
        kwargs=coach_principle,
        fresh=True,
    ),
    # --- Video clips (reflection/views/clips.py), on the coach's uploaded clip, shown to the
    # whole group. An empty upload adds nothing: a message on the session page (302).
    "video_clip_add": Row(get=everyone(405), post=group_content(302), kwargs=the("group_session")),
    # The file itself, streamed through the view to everyone the owner lets see it.
    "video_clip_file": Row(get=group_content(200), post=everyone(405), kwargs=file_clip),
    # Withdrawing (the file is deleted) and choosing the viewers are the filmed teacher's
    # alone: the facilitator and the other member see the clip but get 403.
    "video_clip_withdraw": Row(
        get=only({"coach": 200}), post=only({"coach": 302}), kwargs=file_clip, fresh=True
    ),
    "video_clip_viewers": Row(
        get=everyone(405),
        post=only({"coach": 302}),
        kwargs=file_clip,
        post_data={"audience": "group"},
    ),
    # --- Session reports (reflection/views/session_reports.py): the group follows and
    # downloads them; only the facilitator asks for one (a member's POST is 403).
    "session_reports": Row(
        get=group_content(200),
        post=facilitator(302),
        kwargs=the("group_session"),
        post_data={"language": "nl"},
        headers=HX_REQUEST,
    ),
    "session_report_download": Row(
        get=group_content(200), post=everyone(405), kwargs=group_session_report
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
