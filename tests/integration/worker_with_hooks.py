"""The production Celery worker, with a pause in the report render that a test controls.

    python -m tests.integration.worker_with_hooks --pool=solo -n name@localhost ...

(the arguments of `celery -A mentoring worker`). With REPORT_HOOK_DIR set, every render of a
conversation report first appends the report's public id to `<dir>/started-<pid>`, then waits
for as long as `<dir>/hold` exists: a test can kill the worker in the middle of a render, and
count the renders that began. Without REPORT_HOOK_DIR the worker is the production one.
The hook lives here, so the code under test has none.
"""

import dataclasses
import os
import sys
import time
from pathlib import Path

import django


def install_render_hook(hook_dir: Path) -> None:
    from reflection import tasks

    kind = tasks.CONVERSATION_REPORTS
    render = kind.render

    def render_with_hook(report):
        with (hook_dir / f"started-{os.getpid()}").open("a") as started:
            started.write(f"{report.public_id}\n")
        while (hook_dir / "hold").exists():
            time.sleep(0.1)
        return render(report)

    # The kind is a frozen dataclass holding the render function itself, so it is replaced as
    # a whole; the task body looks `CONVERSATION_REPORTS` up in reflection.tasks on each run.
    tasks.CONVERSATION_REPORTS = dataclasses.replace(kind, render=render_with_hook)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
    django.setup()
    from mentoring.celery import app

    if hook_dir := os.environ.get("REPORT_HOOK_DIR"):
        install_render_hook(Path(hook_dir))
    app.worker_main(["worker", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
