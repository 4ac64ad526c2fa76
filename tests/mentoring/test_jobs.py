"""mentoring.jobs.enqueue: jobs start after commit, carry only JSON, and fail loudly in logs."""

import datetime
import logging

import pytest
from celery import Celery, shared_task
from django.core import mail
from django.db import transaction

from mentoring.jobs import enqueue
from roles.tasks import send_password_reset_email

ran: list[dict] = []


@shared_task(name="tests.record")
def record(**kwargs):
    ran.append(kwargs)


@shared_task(name="tests.explode")
def explode():
    raise RuntimeError("the document could not be rendered")


@pytest.fixture(autouse=True)
def _clear():
    ran.clear()


def test_job_waits_for_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue(record, visit_id=7)
        assert ran == []
    assert len(callbacks) == 1
    assert ran == [{"visit_id": 7}]


def test_rolled_back_work_sends_no_job(transactional_db):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue(record, visit_id=7)
        1 / 0  # noqa: B018
    assert ran == []


def test_arguments_that_a_broker_could_not_carry_are_refused_at_once(db):
    with pytest.raises(TypeError):
        enqueue(record, when=datetime.date(2026, 11, 28))


def test_a_failing_job_is_logged_and_does_not_break_the_request(
    db, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        enqueue(explode)
    assert "tests.explode failed" in caplog.text


def test_password_reset_job_does_nothing_for_a_deactivated_account(world):
    user = world.people["coach"]
    user.is_active = False
    user.save()
    send_password_reset_email.apply(
        kwargs={"user_id": user.pk, "domain": "x.nl", "use_https": True}
    )
    assert mail.outbox == []


def test_a_broker_that_cannot_be_reached_does_not_fail_the_request(
    db, settings, django_capture_on_commit_callbacks, caplog
):
    """Redis down: the committed work stands and the error is logged; report jobs are then
    sent again by the sweeper (tests/reflection/test_reports.py, tests/integration)."""
    # Not the current app: shared tasks elsewhere in the session must keep the project's.
    unreachable = Celery("unreachable", broker="redis://127.0.0.1:1/0", set_as_current=False)
    unreachable.conf.broker_connection_timeout = 1
    unreachable.conf.task_publish_retry_policy = {"max_retries": 0}

    @unreachable.task(name="tests.unreachable")
    def task():
        pass

    settings.JOBS_RUN_IN_PROCESS = False

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        enqueue(task)

    assert "tests.unreachable could not be sent to the broker" in caplog.text
