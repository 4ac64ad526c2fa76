"""The Celery app. Settings come from Django's settings (CELERY_* names) and DESIGN.md §8.

Job state lives in the database, never only in Redis: a task takes ids, fetches fresh rows
and may be delivered more than once, so every task must be idempotent.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

app = Celery("mentoring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # A message is acknowledged only when the task has finished, so a worker that dies
    # mid-task leaves it to be delivered again instead of losing it.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # One message at a time per process: a long PDF render must not hold others hostage.
    worker_prefetch_multiplier=1,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # No result backend: outcomes are written to our own tables.
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    # A task whose connection to Redis broke is stopped rather than left running: its message
    # comes back, and running it twice alongside would waste a render (security.md §3).
    worker_cancel_long_running_tasks_on_connection_loss=True,
    # A web request that sends a job while Redis is down gives up after about a second; the
    # job row stays queued and the sweeper sends it again (mentoring/reports.py).
    broker_connection_timeout=2,
    task_publish_retry_policy={
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    },
    timezone="Europe/Amsterdam",
)
# Redis re-delivers an unacknowledged message after the visibility timeout. It must be longer
# than the hard time limit (and any countdown), or a running task is handed to a second
# worker while the first is still busy.
app.conf.broker_transport_options = {
    "visibility_timeout": app.conf.task_time_limit * 4,
}
app.autodiscover_tasks()
