"""Background jobs of the project as a whole."""

from celery import shared_task

from mentoring import reports
from reflection.tasks import CONVERSATION_REPORTS, SESSION_REPORTS

# Every kind of report job; the sweeper looks after each.
REPORT_KINDS = (CONVERSATION_REPORTS, SESSION_REPORTS)


@shared_task(name="mentoring.sweep_report_jobs")
def sweep_report_jobs() -> None:
    """Send again report jobs whose message was lost (Celery beat, every minute)."""
    for kind in REPORT_KINDS:
        reports.report_sweep(kind)
