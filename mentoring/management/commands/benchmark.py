"""Seed a large installation in a throwaway database and measure the key pages.

Timings belong here, not in tests (shared machines are noisy). The figures go into
docs/performance.md together with this command.
"""

import re
import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone
from weasyprint import CSS, HTML

from mentoring.management.commands.seed_demo import school_year_containing
from mentoring.pdf import render_pdf
from roles.models import (
    LearningGroup,
    LearningGroupFormat,
    Membership,
    Role,
    RoleAssignment,
    School,
    SchoolBoard,
    SchoolYear,
    StaffKind,
    TeacherStage,
    Trajectory,
    TrajectoryKind,
    User,
)


class Command(BaseCommand):
    help = "Seed a large installation in a throwaway database and time the key pages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schools", type=int, default=20)
        parser.add_argument("--staff", type=int, default=3000, help="people in all schools")
        parser.add_argument("--requests", type=int, default=100, help="requests per page")
        parser.add_argument("--pdf-runs", type=int, default=10)

    def handle(self, *args, schools: int, staff: int, requests: int, pdf_runs: int, **options):
        setup_test_environment()
        db = settings.DATABASES["default"]
        db.setdefault("TEST", {})["NAME"] = (
            None if db["ENGINE"].endswith("sqlite3") else "mentoring_benchmark"
        )
        original_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            started = time.perf_counter()
            people = self._seed(schools=schools, staff=staff)
            self.stdout.write(
                f"Seeded {schools} schools, {staff} people in "
                f"{time.perf_counter() - started:.1f} s on {connection.vendor}.\n"
            )
            self.stdout.write("| page | p50 ms | p95 ms | queries |\n|---|---:|---:|---:|")
            for label, user, url in [
                ("log-in page (anonymous)", None, "/accounts/login/"),
                ("home, coordinator of a school", people["coordinator"], "/"),
                ("home, opleider", people["opleider"], "/"),
                ("home, student teacher", people["student_teacher"], "/"),
                ("people list, coordinator, first page", people["coordinator"], "/people/"),
                (
                    "people list, search and role filter",
                    people["coordinator"],
                    "/people/?q=Person+1&role=coach",
                ),
                (
                    "trajectory list, coordinator",
                    people["coordinator"],
                    "/trajectories/?status=all",
                ),
                ("trajectory list, opleider", people["opleider"], "/trajectories/"),
                (
                    "trajectory page, opleider (content, audited)",
                    people["opleider"],
                    f"/trajectories/{people['trajectory'].public_id}/",
                ),
                ("learning groups, coordinator", people["coordinator"], "/groups/"),
            ]:
                self._page(label, user, url, requests)
            if pdf_runs:
                self._pdf(pdf_runs)
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)

    def _seed(self, *, schools: int, staff: int) -> dict[str, User]:
        board = SchoolBoard.objects.create(name="Benchmark board")
        name, starts_on, ends_on = school_year_containing(timezone.localdate())
        year = SchoolYear.objects.create(name=name, starts_on=starts_on, ends_on=ends_on)
        school_rows = School.objects.bulk_create(
            School(board=board, name=f"School {n:02d}", brin_code=f"{n:02d}BM")
            for n in range(schools)
        )
        password = make_password("benchmark")  # hashed once: PBKDF2 per user would take minutes
        users = User.objects.bulk_create(
            User(email=f"person{n}@benchmark.example", full_name=f"Person {n}", password=password)
            for n in range(staff)
        )
        kinds = (
            [StaffKind.TEACHER] * 16 + [StaffKind.STUDENT_TEACHER] * 3 + [StaffKind.SCHOOL_LEADER]
        )
        memberships, assignments = [], []
        for n, user in enumerate(users):
            # Round-robin over the schools, so every school gets the same mix of people.
            school, rank = school_rows[n % schools], n // schools
            kind = StaffKind.COORDINATOR if rank == 0 else kinds[rank % len(kinds)]
            memberships.append(Membership(user=user, school=school, staff_kind=kind))
            if kind == StaffKind.TEACHER and rank % 3 == 0:
                assignments.append(
                    RoleAssignment(
                        user=user,
                        school=school,
                        school_year=year,
                        role=Role.values[(rank // 3) % 3],
                        task_hours=40,
                        active_from=year.starts_on,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=1000)
        RoleAssignment.objects.bulk_create(assignments, batch_size=1000)
        trajectories = self._pair(memberships, assignments, year)
        groups = []
        for school in school_rows:
            for format in LearningGroupFormat.values:
                groups.append(
                    LearningGroup(
                        school=school,
                        school_year=year,
                        name=f"{format} {school.name}",
                        format=format,
                    )
                )
        LearningGroup.objects.bulk_create(groups)
        by_kind = {m.staff_kind: m.user for m in reversed(memberships)}
        return {
            "coordinator": users[0],
            "opleider": trajectories[0].begeleider,
            "student_teacher": by_kind[StaffKind.STUDENT_TEACHER],
            "trajectory": trajectories[0],
        }

    @staticmethod
    def _pair(memberships, assignments, year) -> list[Trajectory]:
        """Every student teacher with an opleider, every third teacher with a coach."""
        roles_at = {}
        for assignment in assignments:
            roles_at.setdefault((assignment.school_id, assignment.role), []).append(assignment)
        trajectories = []
        for n, membership in enumerate(memberships):
            student = membership.staff_kind == StaffKind.STUDENT_TEACHER
            if not student and not (membership.staff_kind == StaffKind.TEACHER and n % 5 == 1):
                continue
            role = Role.OPLEIDER if student else Role.COACH
            candidates = roles_at.get((membership.school_id, role))
            if not candidates:
                continue
            assignment = candidates[n % len(candidates)]
            if assignment.user is membership.user:
                continue
            trajectories.append(
                Trajectory(
                    begeleider_role=assignment,
                    begeleider=assignment.user,
                    school_id=membership.school_id,
                    school_year=year,
                    teacher=membership.user,
                    kind=TrajectoryKind.OPLEIDEN if student else TrajectoryKind.COACHING,
                    stage=TeacherStage.STUDENT_TEACHER if student else TeacherStage.STARTER_2,
                    study_year=3 if student else None,
                    starts_on=year.starts_on,
                    focus="Klassenmanagement en differentiatie. " * 20,
                )
            )
        return Trajectory.objects.bulk_create(trajectories, batch_size=1000)

    def _page(self, label: str, user: User | None, url: str, requests: int) -> None:
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)  # warm-up: template loading, first connection
        # The query log is a bounded deque; after seeding it is full and would count nothing.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        timings = self._time(lambda: client.get(url), requests)
        self.stdout.write(
            f"| {label} | {timings[0]:.1f} | {timings[1]:.1f} | {len(queries.captured_queries)} |"
        )

    def _pdf(self, runs: int) -> None:
        context = {
            "school_name": "School 00",
            "title": "Gespreksverslag",
            "paragraphs": ["Een alinea met de tekst van een nagesprek. " * 12] * 12,
            "rows": [(n, f"Item {n}", n % 4 + 1, "Een korte notitie.") for n in range(1, 240)],
        }
        rendered = render_pdf(template_name="pdf/benchmark.html", context=context, language="nl")
        # The same HTML and stylesheet (parsed anew each run, as ours is), handed straight to
        # WeasyPrint with its own fetcher.
        html = re.sub(r"<link rel=\"stylesheet\"[^>]*>", "", rendered.html)
        css_path = finders.find("pdf/base.css")
        stylesheet = CSS(filename=css_path)
        rows = [
            (
                "mentoring.pdf.render_pdf: template, locked-down fetcher, tagged PDF/UA-1",
                lambda: render_pdf(
                    template_name="pdf/benchmark.html", context=context, language="nl"
                ),
            ),
            (
                "bare WeasyPrint, same HTML and stylesheet, tagged PDF/UA-1",
                lambda: HTML(string=html).write_pdf(
                    stylesheets=[CSS(filename=css_path)], pdf_variant="pdf/ua-1"
                ),
            ),
            (
                "bare WeasyPrint, same HTML and stylesheet, untagged",
                lambda: HTML(string=html).write_pdf(stylesheets=[CSS(filename=css_path)]),
            ),
        ]
        pages = len(HTML(string=html).render(stylesheets=[stylesheet]).pages)
        self.stdout.write(
            f"\n| PDF ({pages} pages), {runs} runs | p50 ms | p95 ms |\n|---|---:|---:|"
        )
        for label, action in rows:
            p50, p95 = self._time(action, runs)
            self.stdout.write(f"| {label} | {p50:.0f} | {p95:.0f} |")

    @staticmethod
    def _time(action: Callable[[], object], runs: int) -> tuple[float, float]:
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            action()
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        return statistics.median(samples), p95
