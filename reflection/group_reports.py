"""The session report of a learning group: what the session produced, phase by phase, read in
a fixed number of queries and rendered through mentoring/pdf.py by the same report-job
machinery as the conversation report (mentoring/reports.py); a second kind, not a copy.

It shows what every member of the group may read: the phases with their guiding texts and the
contributions, the principles formulated in the session, who attended. Clips are listed by
title only (never the link or the file: the filmed teacher decides who sees them, and a PDF
cannot be withdrawn).
"""

import hashlib
import json

from django.db.models import Prefetch
from django.utils import timezone, translation

from mentoring import access
from mentoring.pdf import render_pdf
from mentoring.reports import RenderedReport, ReportKind
from reflection import group_phases
from reflection.models import GroupPrinciple, GroupSession, SessionEntry, SessionReport, VideoClip

TEMPLATE = "pdf/session_report.html"


def session_report_context(session_id: int) -> dict:
    session = (
        GroupSession.objects.select_related("group__school", "group__school_year")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=SessionEntry.objects.select_related("author").order_by(
                    "case_pupil", "created_at", "pk"
                ),
            ),
            Prefetch("principles", queryset=GroupPrinciple.objects.select_related("author")),
            Prefetch("clips", queryset=VideoClip.objects.select_related("owner")),
            "attendees",
            "group__facilitators",
        )
        .get(pk=session_id)
    )
    entries = list(session.entries.all())
    steps = []
    for phase in group_phases.phases_of(session.group.format):
        steps.append(
            {
                "phase": phase,
                "entries": [entry for entry in entries if entry.phase == phase.key],
                "principles": list(session.principles.all())
                if phase.collects == group_phases.PRINCIPLES
                else [],
                "clips": [clip.title for clip in session.clips.all() if clip.withdrawn_at is None]
                if phase.collects == group_phases.CLIPS
                else [],
            }
        )
    record = {
        "starts_at": session.starts_at.isoformat(),
        "focus": session.focus,
        "phase": session.phase,
        "status": session.status,
        "attendees": sorted(person.pk for person in session.attendees.all()),
        "entries": [
            [entry.pk, entry.phase, entry.case_pupil, entry.text, entry.interpretation]
            for entry in entries
        ],
        "principles": [[principle.pk, principle.text] for principle in session.principles.all()],
    }
    return {
        "school_name": session.group.school.name,
        "session": session,
        "group": session.group,
        "steps": steps,
        "attendees": sorted(session.attendees.all(), key=lambda person: person.full_name),
        "facilitators": sorted(session.group.facilitators.all(), key=lambda p: p.full_name),
        "made_at": timezone.localtime(),
        "fingerprint": hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest(),
    }


def may_render(report: SessionReport) -> bool:
    session = GroupSession.objects.select_related("group").get(pk=report.session_id)
    return access.can(report.render_for, "view_content", session)


def render(report: SessionReport) -> RenderedReport:
    with translation.override(report.language):
        context = session_report_context(report.session_id)
        rendered = render_pdf(template_name=TEMPLATE, context=context, language=report.language)
    return RenderedReport(pdf=rendered.pdf, fingerprint=context["fingerprint"])


def download_name(report: SessionReport) -> str:
    return f"bijeenkomst-{timezone.localtime(report.session.starts_at):%Y-%m-%d}.pdf"


def session_report_kind(task) -> ReportKind:
    return ReportKind(
        model=SessionReport, task=task, folder="sessions", may_render=may_render, render=render
    )
