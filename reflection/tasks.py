"""Background jobs of the reflection app."""

from celery import shared_task

from mentoring import reports
from reflection.reports import conversation_report_kind


@shared_task(name="reflection.render_conversation_report")
def render_conversation_report(*, report_id: int) -> None:
    """Make one conversation report (mentoring/reports.py: claimed, re-checked, idempotent)."""
    reports.report_run(CONVERSATION_REPORTS, report_id)


CONVERSATION_REPORTS = conversation_report_kind(render_conversation_report)
