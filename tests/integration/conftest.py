"""Real services for the integration tests: a Redis of the test's own, Celery worker processes
started as docker-compose starts them, and the test database (PostgreSQL) they share.

Each test gets a private `redis-server` on a free port, so it can stop and restart the broker
without touching a Redis that other runs share. The test process's Celery app is pointed at it
for the test and back afterwards. Workers run tests/integration/worker_with_hooks.py: the
production worker, with a pause in the report render that a test can hold.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
import redis
from celery import _state as celery_state
from django.conf import settings

from mentoring.celery import app

BASE_DIR = Path(__file__).resolve().parents[2]
# Generous: a worker on a loaded CI machine may take long to start or render; a wait that
# ends early costs nothing, one that ends too soon makes a flaky test.
TIMEOUT = 60
# Celery prefers these variables to the settings; a worker must use the test's broker.
CELERY_URL_VARIABLES = ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL")


def _missing_services() -> list[str]:
    missing = []
    if shutil.which("redis-server") is None:
        missing.append("redis-server is not installed (apt-get install redis-server)")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.append(
            "the test database is SQLite in memory, which a worker process cannot see "
            "(set DATABASE_URL=postgres://...)"
        )
    return missing


@pytest.fixture
def services():
    """A skip with the reason when Redis or PostgreSQL is missing; a failure in CI
    (REQUIRE_SERVICES=1), where these tests must run."""
    missing = _missing_services()
    if missing:
        reason = "needs PostgreSQL and redis-server: " + "; ".join(missing)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def wait_until(
    condition: Callable[[], object],
    what: str,
    *,
    timeout: float = TIMEOUT,
    details: Callable[[], str] = str,
):
    """Poll `condition` until it returns something true, and return that. On giving up, the
    message says what was awaited, followed by `details()` (a worker's log, say)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting until {what}\n{details()}")
        time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of one test's own, which the test may stop and start again (same port,
    empty: no persistence, like a Redis restarted without it)."""

    def __init__(self, folder: Path):
        folder.mkdir()
        self.folder = folder
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self._client = redis.Redis.from_url(self.url, socket_timeout=5)  # reconnects as needed

    def start(self) -> None:
        log = (self.folder / "redis.log").open("a")
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(self.folder)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()

        def answers() -> bool:
            assert self.process.poll() is None, "redis-server exited:\n" + self.log()
            try:
                return self.client().ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, f"redis-server answers on port {self.port}", details=self.log)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=TIMEOUT)
        self.process = None
        self._client.close()

    def client(self) -> redis.Redis:
        return self._client

    def log(self) -> str:
        return (self.folder / "redis.log").read_text()

    # What kombu keeps in Redis: a list per queue, and a hash of the messages handed to a
    # worker and not yet acknowledged (acks_late: acknowledged when the task has finished).

    def messages_waiting(self) -> int:
        client = self.client()
        return sum(
            client.llen(key) for key in client.scan_iter("celery*") if client.type(key) == b"list"
        )

    def messages_unacknowledged(self) -> int:
        return self.client().hlen("unacked")

    def unacknowledged(self) -> dict[str, float]:
        """{task id: when its message was handed to a worker (Unix time)} of the messages
        that no worker has acknowledged yet."""
        client = self.client()
        handed_out = dict(client.zrange("unacked_index", 0, -1, withscores=True))
        return {
            json.loads(message)[0]["headers"]["id"]: handed_out[tag]
            for tag, message in client.hgetall("unacked").items()
        }

    def idle(self) -> bool:
        """No message waits and none is in a worker's hands."""
        return self.messages_waiting() == 0 and self.messages_unacknowledged() == 0


def _point_celery_at(url: str) -> None:
    # Close every pooled broker connection of this process, then let the app build new pools
    # for the new URL on first use (celery/app/base.py: `pool` and `amqp.producer_pool` are
    # made lazily and cached in `_pool` and `amqp._producer_pool`).
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url


@pytest.fixture
def broker(services, settings, tmp_path):
    """A private Redis, started; this process sends jobs to it, as production does."""
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    previous_url = app.conf.broker_url
    # Tasks made with @shared_task are looked up in the current app, which any `Celery()`
    # made by an earlier test replaces; the jobs must go through the project's app.
    previous_app = celery_state.get_current_app()
    app.set_current()
    _point_celery_at(server.url)
    settings.REDIS_URL = settings.CELERY_BROKER_URL = server.url
    settings.JOBS_RUN_IN_PROCESS = False  # what settings.py derives from REDIS_URL
    try:
        yield server
    finally:
        _point_celery_at(previous_url)
        previous_app.set_current()
        server.stop()


def database_url() -> str:
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A Celery worker process started by `start_worker`."""

    def __init__(self, process: subprocess.Popen, name: str, log_path: Path):
        self.process = process
        self.name = name
        self.log_path = log_path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text()

    def has_done(self, task_id: str) -> bool:
        """Whether this worker has run the task of that message to its end (Celery's log)."""
        return f"[{task_id}] succeeded" in self.log()

    def kill(self) -> None:
        """SIGKILL: the worker dies at once, as in an out-of-memory kill or a power cut, with
        no chance to give its message back."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=TIMEOUT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown: finish the current task
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=TIMEOUT)


@pytest.fixture
def start_worker(broker, reports_dir, tmp_path, transactional_db):
    """`start_worker(**environment)` starts a Celery worker process on the private broker and
    the test database, writing reports where this test reads them, and waits until it answers.
    Every worker is stopped after the test."""
    workers: list[Worker] = []

    def start(**environment: str) -> Worker:
        name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        env = {
            **os.environ,
            "DEBUG": "true",
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker.url,
            "REPORTS_ROOT": str(reports_dir),
            **environment,
        }
        for overriding in CELERY_URL_VARIABLES:
            env.pop(overriding, None)
        log_path = tmp_path / f"worker-{len(workers) + 1}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.integration.worker_with_hooks", "--pool=solo",
                 "--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", name],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        worker = Worker(process, name, log_path)
        workers.append(worker)

        def answers() -> bool:
            assert process.poll() is None, "the worker exited:\n" + worker.log()
            return bool(app.control.ping(destination=[name], timeout=1))

        wait_until(answers, f"worker {name} answers", details=worker.log)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()


class RenderHooks:
    """The test's side of the pause in worker_with_hooks.py: while the `hold` file exists, a
    render that has started waits; each render that starts writes down its process and report."""

    def __init__(self, folder: Path):
        folder.mkdir()
        self.folder = folder

    @property
    def environment(self) -> dict[str, str]:
        return {"REPORT_HOOK_DIR": str(self.folder)}

    def hold(self) -> None:
        (self.folder / "hold").touch()

    def release(self) -> None:
        (self.folder / "hold").unlink(missing_ok=True)

    def started(self) -> dict[int, list[str]]:
        """{worker pid: public ids of the reports whose render it started, in order}"""
        started = {
            int(path.name.removeprefix("started-")): path.read_text().split()
            for path in self.folder.glob("started-*")
        }
        return {pid: reports for pid, reports in started.items() if reports}


@pytest.fixture
def render_hooks(tmp_path):
    hooks = RenderHooks(tmp_path / "hooks")
    yield hooks
    hooks.release()
