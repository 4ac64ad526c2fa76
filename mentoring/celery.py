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
    timezone="Europe/Amsterdam",
)
# Redis re-delivers an unacknowledged message after the visibility timeout. It must be longer
# than the hard time limit (and any countdown), or a running task is handed to a second
# worker while the first is still busy.
app.conf.broker_transport_options = {
    "visibility_timeout": app.conf.task_time_limit * 4,
}
app.autodiscover_tasks()
