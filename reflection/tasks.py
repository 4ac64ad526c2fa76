"""Background jobs of the reflection app."""

from celery import shared_task

from mentoring import reports
from reflection.group_reports import session_report_kind
from reflection.reports import conversation_report_kind


@shared_task(name="reflection.render_conversation_report")
def render_conversation_report(*, report_id: int) -> None:
    """Make one conversation report (mentoring/reports.py: claimed, re-checked, idempotent)."""
    reports.report_run(CONVERSATION_REPORTS, report_id)


CONVERSATION_REPORTS = conversation_report_kind(render_conversation_report)


@shared_task(name="reflection.render_session_report")
def render_session_report(*, report_id: int) -> None:
    """Make one session report of a learning group (the same machinery, a second kind)."""
    reports.report_run(SESSION_REPORTS, report_id)


SESSION_REPORTS = session_report_kind(render_session_report)


@shared_task(name="reflection.purge_expired_clips")
def purge_expired_clips() -> None:
    """Delete the files of video clips past their date (Celery beat, daily)."""
    # Imported here: the services queue report tasks defined in this module.
    from reflection import services

    services.video_clips_purge_expired()
