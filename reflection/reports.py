"""The conversation report (gespreksverslag): what it shows, read in a fixed number of queries,
and how it is rendered through mentoring/pdf.py.

What a report shows is the same for everyone who may read the conversation: the reflection
is in it only while shared (a draft is its owner's alone), the observation only when final.
Its fingerprint is a digest of the conversation's own record (texts, participants, agreements
as agreed, the lesson, the versions of the observation and reflection discussed); when that
changes, the report is superseded. Ticking an agreement off later, a newly planned visit or
a refitted suggested focus do not change what was said, so they do not supersede it.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from mentoring import access
from mentoring.pdf import render_pdf
from mentoring.reports import RenderedReport, ReportKind
from observations import charts, insights
from observations.models import (
    KeyMoment,
    LessonVisit,
    Observation,
    ObservationStatus,
    VisitStatus,
)
from reflection.models import (
    Agreement,
    Conversation,
    ConversationReport,
    CycleStatus,
    ReflectionCycle,
    ReportConfirmation,
)
from reflection.phases import core_quality_label, sections_of, text_limits

TEMPLATE = "pdf/conversation_report.html"


@dataclass(frozen=True)
class Participant:
    name: str
    role: str


@dataclass(frozen=True)
class ReportSection:
    title: str
    answers: tuple[tuple[str, str], ...]  # (question, answer), only those answered


def _conversation(conversation_pk: int) -> Conversation:
    return (
        Conversation.objects.select_related(
            "trajectory__school",
            "trajectory__school_year",
            "trajectory__teacher",
            "trajectory__begeleider",
            "trajectory__begeleider_role",
            "visit",
            "cycle",
            "observation__instrument",
            "observation__observer",
            "observation__visit",
        )
        .prefetch_related(
            "participants",
            Prefetch("agreements", queryset=Agreement.objects.select_related("who")),
            "visit__focus_items",
            # The observation's own lesson: a coachgesprek may discuss one without a visit.
            "observation__visit__focus_items",
            Prefetch("observation__key_moments", queryset=KeyMoment.objects.order_by("minute")),
        )
        .get(pk=conversation_pk)
    )


def _role_of(person, trajectory) -> str:
    if person.pk == trajectory.teacher_id:
        return _("coachee") if trajectory.is_coaching else trajectory.get_stage_display()
    if person.pk == trajectory.begeleider_id:
        role = trajectory.begeleider_role
        return role.get_opleider_kind_display() or role.get_role_display()
    return _("schoolopleider")


def _shared_cycle(conversation: Conversation) -> ReflectionCycle | None:
    cycle = conversation.cycle
    if cycle is None or cycle.status == CycleStatus.DRAFT:
        return None
    return cycle


def _final_observation(conversation: Conversation) -> Observation | None:
    observation = conversation.observation
    if observation is None or observation.status != ObservationStatus.FINAL:
        return None
    return observation


def _confirmation_rows(conversation: Conversation, report: ConversationReport) -> list:
    """(name, confirmed at or None) for each participant, and for anyone who confirmed and
    has since been taken off the list of participants."""
    confirmed = {
        confirmation.user_id: confirmation
        for confirmation in ReportConfirmation.objects.filter(report=report).select_related("user")
    }
    rows = [
        (person.full_name, getattr(confirmed.pop(person.pk, None), "confirmed_at", None))
        for person in sorted(conversation.participants.all(), key=lambda p: p.full_name)
    ]
    rows += [(c.user.full_name, c.confirmed_at) for c in confirmed.values()]
    return rows


def cycle_sections(cycle: ReflectionCycle) -> tuple[ReportSection, ...]:
    sections = []
    for section in sections_of(cycle.kind):
        answers = [
            (str(field.label), getattr(cycle, field.name))
            for field in section.fields
            if getattr(cycle, field.name)
        ]
        if section.key == "ideal" and cycle.core_qualities:
            answers.append(
                (
                    _("Core qualities"),
                    ", ".join(core_quality_label(value) for value in cycle.core_qualities),
                )
            )
        if answers:
            sections.append(ReportSection(str(section.title), tuple(answers)))
    return tuple(sections)


def fingerprint(conversation: Conversation) -> str:
    """A digest of the conversation's record; see the module docstring for what counts."""
    visit = conversation.visit
    cycle = _shared_cycle(conversation)
    observation = _final_observation(conversation)
    record = {
        "conversation": [
            conversation.kind,
            conversation.held_on.isoformat(),
            conversation.topics,
            conversation.notes,
        ],
        "participants": sorted(person.pk for person in conversation.participants.all()),
        "agreements": [
            [agreement.pk, agreement.what, agreement.who_id, str(agreement.due_on)]
            for agreement in conversation.agreements.all()
        ],
        "visit": None
        if visit is None
        else [
            visit.pk,
            visit.starts_at.isoformat(),
            visit.class_name,
            visit.subject,
            visit.lesson_goal,
            sorted(item.pk for item in visit.focus_items.all()),
        ],
        "observation": None if observation is None else [observation.pk, observation.version],
        # The texts, not the version: marking the reflection discussed changes no word of it.
        "cycle": None
        if cycle is None
        else [
            cycle.pk,
            cycle.title,
            cycle.core_qualities,
            [getattr(cycle, name) for name in sorted(text_limits(cycle.kind))],
        ],
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def current_fingerprint(conversation: Conversation) -> str:
    return fingerprint(_conversation(conversation.pk))


def conversation_report_context(conversation_pk: int, *, report: ConversationReport) -> dict:
    """Everything the report shows, in a fixed number of queries whatever its size."""
    conversation = _conversation(conversation_pk)
    trajectory = conversation.trajectory
    visit = conversation.visit
    observation = _final_observation(conversation)
    cycle = _shared_cycle(conversation)
    context = {
        "conversation": conversation,
        "trajectory": trajectory,
        "school_name": trajectory.school.name,
        "participants": sorted(
            (
                Participant(person.full_name, _role_of(person, trajectory))
                for person in conversation.participants.all()
            ),
            key=lambda participant: participant.name,
        ),
        "agreements": list(conversation.agreements.all()),
        "cycle": cycle,
        "cycle_sections": cycle_sections(cycle) if cycle else (),
        "visit": visit,
        "observation": observation,
        "confirmation_rows": _confirmation_rows(conversation, report),
        "report": report,
        "fingerprint": fingerprint(conversation),
    }
    if observation is not None:
        layout = insights.instrument_layout(observation.instrument)
        (lesson,) = insights.scored_lessons([observation])
        focus_ids = [item.pk for item in observation.visit.focus_items.all()]
        context["focus_scores"] = [
            (layout.items[pk], lesson.scores.get(pk)) for pk in focus_ids if pk in layout.items
        ]
        context["key_moments"] = list(observation.key_moments.all())
        if layout.supports_analysis:
            profile = insights.domain_profile(lesson, layout)
            context["profile"] = profile
            context["profile_chart"] = charts.domain_profile_chart(
                profile, chart_id="report-profile"
            )
        if layout.supports_zone:
            suggestion = insights.suggested_focus(
                lesson, layout, insights.current_calibration(layout)
            )
            context["suggested_focus"] = suggestion.usable_focus
    after = visit.starts_at if visit else None
    next_visits = LessonVisit.objects.filter(
        trajectory=trajectory, status=VisitStatus.PLANNED
    ).order_by("starts_at")
    if after is not None:
        next_visits = next_visits.filter(starts_at__gt=after)
    context["next_visit"] = next_visits.first()
    return context


# --- The job --------------------------------------------------------------------------------


def may_render(report: ConversationReport) -> bool:
    conversation = Conversation.objects.select_related(
        "trajectory__begeleider_role", "trajectory"
    ).get(pk=report.conversation_id)
    return access.can(report.render_for, "view", conversation)


def render(report: ConversationReport) -> RenderedReport | None:
    # The whole context in the report's language (roles, questions, the chart's labels), not
    # in whatever language the worker or the request that runs the job happens to be in.
    with translation.override(report.language):
        context = conversation_report_context(report.conversation_id, report=report)
    if report.fingerprint and report.fingerprint != context["fingerprint"]:
        # A re-render for a confirmation, but the conversation changed since the report was
        # made: confirmations must not appear under text nobody confirmed. The report keeps
        # its last file and shows as superseded.
        return None
    rendered = render_pdf(template_name=TEMPLATE, context=context, language=report.language)
    return RenderedReport(pdf=rendered.pdf, fingerprint=context["fingerprint"])


def download_name(report: ConversationReport) -> str:
    conversation = report.conversation
    return f"{conversation.kind}-{conversation.held_on:%Y-%m-%d}.pdf"


def conversation_report_kind(task) -> ReportKind:
    return ReportKind(
        model=ConversationReport,
        task=task,
        folder="conversations",
        may_render=may_render,
        render=render,
    )
