"""The Celery app is configured for reliability as DESIGN.md §8 asks."""

from mentoring.celery import app


def test_messages_are_acknowledged_only_after_the_task_finished():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_a_worker_process_takes_one_message_at_a_time():
    assert app.conf.worker_prefetch_multiplier == 1


def test_only_json_travels():
    assert app.conf.task_serializer == "json"
    assert list(app.conf.accept_content) == ["json"]


def test_time_limits_and_a_visibility_timeout_longer_than_any_task():
    soft, hard = app.conf.task_soft_time_limit, app.conf.task_time_limit
    assert 0 < soft < hard
    assert app.conf.broker_transport_options["visibility_timeout"] > hard


def test_password_reset_job_is_registered():
    app.loader.import_default_modules()
    assert "roles.send_password_reset_email" in app.tasks


def test_beat_sweeps_report_jobs_every_minute_with_a_registered_task():
    app.loader.import_default_modules()
    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"].endswith("report_jobs")]
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 60
    assert "reflection.render_conversation_report" in app.tasks


def test_a_report_lease_outlives_the_hard_time_limit():
    """A render is killed at the hard limit before its claim can pass to a second worker."""
    from mentoring.reports import lease_duration

    assert lease_duration().total_seconds() > app.conf.task_time_limit


def test_a_running_task_stops_when_its_connection_to_redis_breaks():
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True
