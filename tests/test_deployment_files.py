"""The deployment files say what a deployer relies on: docker-compose.yml and the Dockerfile.

Plain parsing, no Docker and no Django: these tests read the files as a deployer would.
"""

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"web", "worker", "beat", "db", "redis", "mailpit"}
APP_SERVICES = ["web", "worker", "beat"]
REQUIRED_APP_ENV = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
}
# ${SECRET_KEY}, ${SECRET_KEY?msg} or ${SECRET_KEY:?msg}; a ${SECRET_KEY:-default} is a literal.
SECRET_FROM_ENV = re.compile(r"\$\{SECRET_KEY(:?\?[^}]*)?\}|\$SECRET_KEY")


@pytest.fixture(scope="module")
def services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile():
    """The Dockerfile as (INSTRUCTION, arguments) pairs, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    lines = (line.strip() for line in text.splitlines())
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def environment(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the KEY=value list form
        env = dict(item.split("=", 1) for item in env)
    return env


def argv(command) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_compose_defines_the_six_services(services):
    assert set(services) == SERVICES


def test_web_builds_the_app_image_from_the_dockerfile(services):
    build = services["web"]["build"]
    context = build if isinstance(build, str) else build.get("context", ".")
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    assert (ROOT / context / dockerfile).resolve() == ROOT / "Dockerfile"
    assert services["web"]["image"]


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_share_the_web_image(services, name):
    assert services[name]["image"] == services["web"]["image"]
    assert "build" not in services[name], "a second build would produce a second, drifting image"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_reach_db_and_redis_and_get_secret_hosts_and_email(services, name):
    env = environment(services[name])
    assert set(env) >= REQUIRED_APP_ENV
    assert urlsplit(env["DATABASE_URL"]).scheme.startswith("postgres")
    assert urlsplit(env["DATABASE_URL"]).hostname == "db"
    assert urlsplit(env["REDIS_URL"]).hostname == "redis"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_secret_key_comes_from_the_environment_not_from_compose(services, name):
    assert SECRET_FROM_ENV.fullmatch(str(environment(services[name])["SECRET_KEY"]))


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_a_healthcheck_command(services, name):
    healthcheck = services[name].get("healthcheck") or {}
    assert not healthcheck.get("disable")
    test = healthcheck.get("test")
    command = [test] if isinstance(test, str) else list(test or [])
    if command and command[0] in {"CMD", "CMD-SHELL"}:
        command = command[1:]
    assert command and all(command), f"{name} has no health check command"


@pytest.mark.parametrize("name", ["web", "worker"])
def test_web_and_worker_wait_for_healthy_db_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    for dependency in ("db", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"


def test_worker_command_starts_a_celery_worker_for_the_mentoring_app(services):
    command = argv(services["worker"]["command"])
    assert command[0] == "celery"
    assert "worker" in command
    assert command[command.index("-A") + 1] == "mentoring"


def test_beat_command_starts_celery_beat_for_the_mentoring_app(services):
    command = argv(services["beat"]["command"])
    assert command[0] == "celery"
    assert "beat" in command
    assert command[command.index("-A") + 1] == "mentoring"


def test_dockerfile_installs_pango_for_weasyprint(dockerfile):
    installs = [args for instruction, args in dockerfile if instruction == "RUN"]
    assert any("apt-get install" in args and "libpango-1.0-0" in args for args in installs)


def test_container_runs_as_a_non_root_user_after_system_packages_are_installed(
    dockerfile,
):
    users = [i for i, (instruction, _) in enumerate(dockerfile) if instruction == "USER"]
    apt = [i for i, (instruction, args) in enumerate(dockerfile) if "apt-get" in args]
    assert users, "no USER line: the container would run as root"
    user = dockerfile[users[-1]][1].split(":")[0]
    assert user not in {"root", "0"}
    assert users[-1] > max(apt, default=-1), "apt-get after USER needs root again"


def test_web_and_worker_share_one_volume_for_the_private_reports(services, dockerfile):
    """The worker writes a report and the web process serves it: both must see the folder.
    settings.REPORTS_ROOT defaults to <WORKDIR>/var/reports, writable by the app user."""
    workdir = next(args for instruction, args in dockerfile if instruction == "WORKDIR")
    reports_root = f"{workdir.rstrip('/')}/var/reports"
    mounts = {}
    for name in ("web", "worker"):
        volumes = [volume.split(":") for volume in services[name].get("volumes", [])]
        mounts[name] = {
            (source, target) for source, target, *_ in volumes if reports_root.startswith(target)
        }
    assert mounts["web"] and mounts["web"] == mounts["worker"]
    assert "REPORTS_ROOT" not in environment(services["web"])  # the default is the shared one
    owned = [args for instruction, args in dockerfile if instruction == "RUN" and "chown" in args]
    assert any(f"{workdir}/var" in args for args in owned)
