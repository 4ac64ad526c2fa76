"""One way to start a background job: `enqueue(task, **kwargs)`.

The job is sent only after the current transaction commits, so a worker never looks for rows
that are not there yet, and a rolled-back request sends nothing. With a broker (REDIS_URL) it
goes to the Celery workers; in the embedded default it runs in this process, after commit,
through the same task body.

A broker that cannot be reached does not fail the request: the data is already committed,
so the error is logged. Jobs with a row of their own (reports, mentoring/reports.py) stay
queued and are sent again by the sweeper; a mail job is lost, and the user can ask again.
"""

import json
import logging

from celery import Task
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Task, /, **kwargs: object) -> None:
    # Round-trip through JSON here so that an argument a broker could not carry fails in
    # development too, not only in production.
    payload = json.loads(json.dumps(kwargs))
    if settings.JOBS_RUN_IN_PROCESS:
        transaction.on_commit(lambda: _run_in_process(task, payload))
    else:
        transaction.on_commit(lambda: _send(task, payload))


def _send(task: Task, payload: dict) -> None:
    try:
        task.apply_async(kwargs=payload)
    except Exception:
        # kombu raises its own OperationalError (and others) when Redis is away.
        logger.exception("Job %s could not be sent to the broker.", task.name)


def _run_in_process(task: Task, payload: dict) -> None:
    result = task.apply(kwargs=payload)
    if result.failed():
        # The request that triggered the job has already succeeded; a failed job is logged,
        # as a worker would, rather than turned into an error page.
        logger.error(
            "Job %s failed in process: %r", task.name, result.result, exc_info=result.result
        )
