"""Seed a large installation in a throwaway database and measure the key pages.

Timings belong here, not in tests (shared machines are noisy). The figures go into
docs/performance.md together with this command.
"""

import datetime
import random
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
from django.utils import timezone, translation
from weasyprint import CSS, HTML

from mentoring.management.commands.seed_demo import (
    LESSON_TIMES,
    draw_score,
    school_year_containing,
    weekday_on_or_before,
)
from mentoring.models import ReportStatus
from mentoring.pdf import render_pdf
from mentoring.reports import report_run, reports_storage
from observations import analysis, calibration, insights
from observations.models import (
    Instrument,
    ItemScore,
    KeyMoment,
    KeyMomentKind,
    LessonVisit,
    Observation,
    ObservationStatus,
    VisitStatus,
)
from reflection import group_phases, merid, phases, selectors
from reflection import reports as conversation_reports
from reflection.models import (
    Agreement,
    CommentKind,
    Conversation,
    ConversationKind,
    ConversationReport,
    CycleComment,
    CycleKind,
    CycleStatus,
    EstimateKind,
    GoalStatus,
    GroupPrinciple,
    GroupSession,
    LearningGoal,
    MeridEstimate,
    MeridProfile,
    MeridRole,
    MeridTopic,
    ReflectionCycle,
    ReportConfirmation,
    SessionEntry,
    SessionStatus,
)
from reflection.services import (
    CONVERSATION_TEXT_LIMITS,
    MERID_MAX_TOPICS,
    conversation_report_request,
)
from reflection.tasks import CONVERSATION_REPORTS
from roles.models import (
    LearningGroup,
    LearningGroupFormat,
    LearningGroupMember,
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

# The score model: a score of k or more has probability logistic(ability - difficulty -
# threshold_k) (seed_demo.draw_score). The teaching items are spread evenly over five logits by
# item number; learner engagement sits in the middle. Each teacher starts somewhere and grows
# every visit, with a good or a bad day on top.
DIFFICULTY_SPAN = 5.0
ENGAGEMENT_DIFFICULTY = -0.8
START_ABILITY = (-0.5, 1.0)  # mean and spread, logits
GROWTH_PER_VISIT = (0.2, 0.6)
DAY_TO_DAY_SPREAD = 0.3
SECOND_OBSERVER_AGREES = 0.65
SCORE_BATCH = 20_000  # ItemScore rows held in memory at once

# Running text for the reports: sentences a begeleider might write, cut to the length wanted.
PROSE = (
    "De leerlingen kwamen binnen terwijl de opdracht al op het bord stond. ",
    "Tijdens de uitleg werd het achterin onrustig en ik liep daar naartoe. ",
    "Ik vroeg me af of de stappen in de instructie klein genoeg waren voor deze groep. ",
    "Twee leerlingen hielpen elkaar zonder dat ik dat had gevraagd, en dat werkte goed. ",
    "Na tien minuten zelfstandig werken had ongeveer de helft de eerste som af. ",
    "Volgende keer controleer ik eerst of iedereen de vraag begrijpt voordat ze beginnen. ",
    "Mijn begeleider merkte op dat ik vooral de leerlingen vooraan de beurt gaf. ",
)
# The largest report: the most key moments and focus items an observer plausibly records in a
# 50-minute lesson (neither has a cap), and a long list of agreements.
LARGEST_KEY_MOMENTS = 20
LARGEST_FOCUS_ITEMS = 8
LARGEST_AGREEMENTS = 40
AGREEMENT_LIMIT = 500
KEY_MOMENT_LIMIT = 2000

# MERID: the opleider starts out as most untrained mentors do, mostly advising, and uses the four
# roles more evenly profile by profile (reference/merid.md). Role weights, first and last.
MERID_FIRST_WEIGHTS = {
    MeridRole.IMPERATOR: 0.25,
    MeridRole.INITIATOR: 0.1,
    MeridRole.ENCOURAGER: 0.1,
    MeridRole.ADVISOR: 0.55,
}
MERID_LAST_WEIGHTS = dict.fromkeys(MeridRole, 0.25)
MERID_TOPIC_LABELS = (
    "Start van de les",
    "Uitleg in stappen",
    "Onrust achterin",
    "Zelfstandig werken",
    "Differentiatie",
    "Vragen stellen",
    "Afsluiting van de les",
    "Lesvoorbereiding",
)
MERID_KITE_TEMPLATE = "reflection/partials/merid_kite.svg"


class Command(BaseCommand):
    help = "Seed a large installation in a throwaway database and time the key pages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schools", type=int, default=20)
        parser.add_argument("--staff", type=int, default=3000, help="people in all schools")
        parser.add_argument(
            "--requests", type=int, default=100, help="requests per page; 0 skips the pages"
        )
        parser.add_argument("--pdf-runs", type=int, default=10)
        parser.add_argument(
            "--visits", type=int, default=5, help="past visits, each observed, per trajectory"
        )
        parser.add_argument("--rasch-runs", type=int, default=3)
        parser.add_argument(
            "--report-runs",
            type=int,
            default=5,
            help="runs of each conversation report timing (typical and largest); 0 skips them",
        )
        parser.add_argument(
            "--report-jobs",
            type=int,
            default=20,
            help="typical reports made one after another by the job body, for the throughput",
        )
        parser.add_argument(
            "--cycles",
            type=int,
            default=30,
            help="reflection cycles per trajectory (half of them shared, with comments)",
        )
        parser.add_argument(
            "--merid-profiles",
            type=int,
            default=40,
            help="MERID profiles of the opleider over the past year, besides one with the most "
            "topics; 0 skips MERID",
        )
        parser.add_argument(
            "--merid-topics", type=int, default=15, help="coded topics per MERID profile"
        )
        parser.add_argument(
            "--group-sessions",
            type=int,
            default=30,
            help="sessions of one intervisie group with 15 members, for the group and session "
            "pages; 0 skips them",
        )
        parser.add_argument(
            "--kite-runs",
            type=int,
            default=200,
            help="runs of the MERID kite drawing alone (geometry and SVG); 0 skips it",
        )

    def handle(
        self,
        *args,
        schools: int,
        staff: int,
        requests: int,
        pdf_runs: int,
        visits: int,
        rasch_runs: int,
        cycles: int,
        report_runs: int,
        report_jobs: int,
        merid_profiles: int,
        merid_topics: int,
        kite_runs: int,
        group_sessions: int,
        **options,
    ):
        if visits < 1:
            raise CommandError("--visits must be at least 1: the pages need an observation.")
        if report_runs and visits < 2:
            raise CommandError(
                "--visits must be at least 2 for the report timings: the typical and the "
                "largest report each discuss a lesson of their own."
            )
        if report_runs and settings.CELERY_BROKER_URL != "memory://":
            # The throughput run queues its reports through the real service, which sends a
            # message after commit; a worker of a real installation must not receive it.
            raise CommandError("Run the report timings without REDIS_URL (or --report-runs 0).")
        if merid_profiles and not 1 <= merid_topics <= MERID_MAX_TOPICS:
            raise CommandError(f"--merid-topics must be from 1 to {MERID_MAX_TOPICS}.")
        setup_test_environment()
        db = settings.DATABASES["default"]
        # Named after the configured database, so that two benchmarks (say, on two branches)
        # next to each other do not drop each other's.
        db.setdefault("TEST", {})["NAME"] = (
            None if db["ENGINE"].endswith("sqlite3") else f"{db['NAME']}_benchmark"
        )
        original_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            started = time.perf_counter()
            people = self._seed(schools=schools, staff=staff, visits=visits)
            reflection_started = time.perf_counter()
            people |= self._reflections(cycles, people["trajectory"])
            self.stdout.write(
                f"Seeded {schools} schools, {staff} people, "
                f"{Trajectory.objects.count()} trajectories, "
                f"{LessonVisit.objects.count()} lesson visits, "
                f"{Observation.objects.count()} observations and "
                f"{ItemScore.objects.count()} item scores in "
                f"{time.perf_counter() - started:.1f} s on {connection.vendor} "
                f"(visits, observations and scores: {people['visits_seconds']:.1f} s).\n"
                f"Reflection: {ReflectionCycle.objects.count()} cycles, "
                f"{CycleComment.objects.count()} comments, "
                f"{LearningGoal.objects.count()} goals, "
                f"{Conversation.objects.count()} conversations and "
                f"{Agreement.objects.count()} agreements in "
                f"{time.perf_counter() - reflection_started:.1f} s.\n"
            )
            if merid_profiles:
                merid_started = time.perf_counter()
                people |= self._merid(people, merid_profiles, merid_topics)
                self.stdout.write(
                    f"MERID: {MeridProfile.objects.count()} profiles of the opleider, "
                    f"{MeridTopic.objects.count()} topics, "
                    f"{MeridEstimate.objects.filter(kind=EstimateKind.SELF).count()} "
                    "self-estimates and "
                    f"{MeridEstimate.objects.filter(kind=EstimateKind.PERCEPTION).count()} "
                    f"perceptions in {time.perf_counter() - merid_started:.1f} s.\n"
                )
            # Before the pages, so that the analysis pages use an estimated calibration, as
            # they do once the weekly refit has run; printed after them.
            rasch = self._rasch(rasch_runs) if rasch_runs else None
            pages = [
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
                ("lesson visits, coordinator", people["coordinator"], "/visits/"),
                (
                    "lesson visits, past, coordinator",
                    people["coordinator"],
                    "/visits/?when=past",
                ),
                ("lesson visits, opleider", people["opleider"], "/visits/"),
                (
                    "observation page, student teacher (final)",
                    people["student_teacher"],
                    f"/observations/{people['observation'].public_id}/",
                ),
                (
                    f"trajectory analysis (growth, focus), student teacher, {visits} observations",
                    people["student_teacher"],
                    f"/trajectories/{people['trajectory'].public_id}/analysis/",
                ),
                (
                    "agreement page, opleider (two observers of one visit)",
                    people["opleider"],
                    f"/visits/{people['observation'].visit.public_id}/agreement/",
                ),
                (
                    f"reflections, student teacher ({cycles} own cycles)",
                    people["student_teacher"],
                    "/reflections/",
                ),
                (
                    "reflections, opleider (shared with them, first page)",
                    people["opleider"],
                    "/reflections/",
                ),
                (
                    "reflection form, student teacher (owner)",
                    people["student_teacher"],
                    f"/reflections/{people['cycle'].public_id}/",
                ),
                (
                    "shared reflection with comments, opleider (audited)",
                    people["opleider"],
                    f"/reflections/{people['cycle'].public_id}/",
                ),
                ("learning goals, student teacher", people["student_teacher"], "/goals/"),
                ("conversations, opleider", people["opleider"], "/conversations/"),
                (
                    "conversation page with agreements, opleider (audited)",
                    people["opleider"],
                    f"/conversations/{people['conversation'].public_id}/",
                ),
            ]
            if group_sessions:
                people |= self._group_sessions(people["trajectory"], group_sessions)
                pages += [
                    (
                        f"learning group page, facilitator ({group_sessions} sessions, "
                        "15 members, audited)",
                        people["facilitator"],
                        f"/groups/{people['group'].public_id}/",
                    ),
                    (
                        "group session page, facilitator (5 phases, 20 contributions, audited)",
                        people["facilitator"],
                        f"/sessions/{people['group_session'].public_id}/",
                    ),
                ]
            if merid_profiles:
                typical, largest = people["merid_typical"], people["merid_largest"]
                pages += [
                    (
                        f"MERID profiles over time, opleider ({merid_profiles + 1} profiles)",
                        people["opleider"],
                        "/merid/",
                    ),
                    (
                        f"MERID profile, opleider ({merid_topics} topics, "
                        f"{self._merid_sources(typical)})",
                        people["opleider"],
                        f"/merid/{typical.public_id}/",
                    ),
                    (
                        f"MERID profile, largest ({MERID_MAX_TOPICS} topics, "
                        f"{self._merid_sources(largest)})",
                        people["opleider"],
                        f"/merid/{largest.public_id}/",
                    ),
                    (
                        "MERID profile panel (htmx)",
                        people["opleider"],
                        f"/merid/{typical.public_id}/profile/",
                        {"HX-Request": "true"},
                    ),
                ]
            if requests:
                self.stdout.write("| page | p50 ms | p95 ms | queries |\n|---|---:|---:|---:|")
                for page in pages:
                    self._page(*page, requests=requests)
            if merid_profiles and kite_runs:
                self._kite(kite_runs, people["merid_typical"])
            if rasch is not None:
                self._report_rasch(*rasch)
            if pdf_runs:
                self._pdf(pdf_runs)
            if report_runs:
                self._conversation_reports(report_runs, report_jobs, people)
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)

    def _seed(self, *, schools: int, staff: int, visits: int) -> dict:
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
        # The first student teacher's trajectory, at School 00 where users[0] coordinates: the
        # pages are opened by its opleider and its student teacher.
        trajectory = next(t for t in trajectories if t.kind == TrajectoryKind.OPLEIDEN)
        started = time.perf_counter()
        # Another opleider of the school observes one visit too; in a tiny installation with
        # only one, the coordinator does.
        second_observer = next(
            (
                a.user
                for a in assignments
                if a.school_id == trajectory.school_id
                and a.role == Role.OPLEIDER
                and a.user.pk not in {trajectory.begeleider_id, trajectory.teacher_id}
            ),
            users[0],
        )
        observation = self._visits(trajectories, year, visits, trajectory, second_observer)
        return {
            "coordinator": users[0],
            "opleider": trajectory.begeleider,
            "student_teacher": trajectory.teacher,
            "trajectory": trajectory,
            "observation": observation,
            "visits_seconds": time.perf_counter() - started,
        }

    @staticmethod
    def _group_sessions(chosen: Trajectory, count: int) -> dict:
        """The chosen trajectory's school's intervisie group: a procesbegeleider facilitating,
        15 members, `count` held sessions through the five VESIt phases with four
        contributions per phase from the members present and two principles each."""
        school = chosen.school
        facilitator = (
            RoleAssignment.objects.filter(school=school, role=Role.PROCESBEGELEIDER)
            .select_related("user")
            .first()
            .user
        )
        group = LearningGroup.objects.get(school=school, format=LearningGroupFormat.INTERVISIE)
        group.facilitators.add(facilitator)
        members = list(
            User.objects.filter(memberships__school=school)
            .exclude(pk=facilitator.pk)
            .order_by("pk")[:15]
        )
        LearningGroupMember.objects.bulk_create(
            LearningGroupMember(group=group, user=member) for member in members
        )
        phases_ = [phase.key for phase in group_phases.phases_of(group.format)]
        now = timezone.now()
        sessions = GroupSession.objects.bulk_create(
            GroupSession(
                group=group,
                starts_at=now - datetime.timedelta(days=7 * (count - n)),
                phase=phases_[-1],
                status=SessionStatus.HELD,
                focus="Leerlingen activeren bij de start van de les",
                created_by=facilitator,
            )
            for n in range(count)
        )
        text = "In 2B begon ik met een vraag in tweetallen; iedereen deed mee. " * 3
        SessionEntry.objects.bulk_create(
            SessionEntry(session=session, phase=phase, author=members[k % 15], text=text)
            for session in sessions
            for phase in phases_[:-1]
            for k in range(4)
        )
        GroupPrinciple.objects.bulk_create(
            GroupPrinciple(
                group=group, session=session, author=members[k], text=f"Principe {k} " * 6
            )
            for session in sessions
            for k in range(2)
        )
        through = GroupSession.attendees.through
        through.objects.bulk_create(
            through(groupsession=session, user=member)
            for session in sessions
            for member in members[:10]
        )
        return {"facilitator": facilitator, "group": group, "group_session": sessions[-1]}

    @staticmethod
    def _reflections(per_trajectory: int, chosen: Trajectory) -> dict:
        """Per trajectory: `per_trajectory` cycles, every other one shared with two comments;
        three goals; a conversation after each of the three latest held visits, with three
        agreements, one of them done. Returns the chosen trajectory's shared cycle and latest
        conversation for the pages."""
        rng = random.Random(2027)  # noqa: S311 -- benchmark data, not secrets
        trajectories = list(Trajectory.objects.select_related("teacher", "begeleider"))
        now = timezone.now()
        text = "Ik merkte dat de leerlingen onrustig werden tijdens de uitleg. " * 8
        cycles = []
        for trajectory in trajectories:
            for n in range(per_trajectory):
                shared = n % 2 == 1
                cycles.append(
                    ReflectionCycle(
                        owner=trajectory.teacher,
                        trajectory=trajectory,
                        kind=CycleKind.ALACT if n % 5 else CycleKind.CORE,
                        title=f"Reflectie {n + 1}",
                        status=CycleStatus.SHARED if shared else CycleStatus.DRAFT,
                        shared_at=now - datetime.timedelta(days=n) if shared else None,
                        action=text,
                        want_self=text[:300],
                        awareness=text,
                        intention="Ik geef de uitleg in drie korte stappen.",
                    )
                )
        ReflectionCycle.objects.bulk_create(cycles, batch_size=1000)
        comments = [
            CycleComment(
                cycle=cycle,
                author=cycle.trajectory.begeleider,
                phase=rng.choice(["", "action", "awareness"]),
                kind=CommentKind.QUESTION,
                text="Wat deed je precies op het moment dat het onrustig werd?",
            )
            for cycle in cycles
            if cycle.status == CycleStatus.SHARED
            for _ in range(2)
        ]
        CycleComment.objects.bulk_create(comments, batch_size=1000)
        LearningGoal.objects.bulk_create(
            (
                LearningGoal(
                    trajectory=trajectory,
                    owner=trajectory.teacher,
                    created_by=trajectory.teacher,
                    title=f"Leerdoel {n + 1}: heldere uitleg in korte stappen",
                    status=GoalStatus.values[n % len(GoalStatus.values)],
                )
                for trajectory in trajectories
                for n in range(3)
            ),
            batch_size=1000,
        )
        latest_visits = {}
        for visit in LessonVisit.objects.filter(status=VisitStatus.HELD).order_by("starts_at"):
            latest_visits.setdefault(visit.trajectory_id, []).append(visit)
        conversations = [
            Conversation(
                trajectory=trajectory,
                kind=ConversationKind.NAGESPREK,
                visit=visit,
                held_on=timezone.localdate(visit.starts_at),
                topics="Klassenmanagement, instructie",
                notes=text,
                created_by=trajectory.begeleider,
            )
            for trajectory in trajectories
            for visit in latest_visits.get(trajectory.pk, [])[-3:]
        ]
        Conversation.objects.bulk_create(conversations, batch_size=1000)
        by_trajectory = {trajectory.pk: trajectory for trajectory in trajectories}
        Participant = Conversation.participants.through
        Participant.objects.bulk_create(
            (
                Participant(conversation=conversation, user_id=user_id)
                for conversation in conversations
                for user_id in (
                    by_trajectory[conversation.trajectory_id].teacher_id,
                    by_trajectory[conversation.trajectory_id].begeleider_id,
                )
            ),
            batch_size=1000,
        )
        Agreement.objects.bulk_create(
            (
                Agreement(
                    conversation=conversation,
                    what=f"Afspraak {n + 1}: lesvoorbereiding vooraf delen",
                    who_id=by_trajectory[conversation.trajectory_id].teacher_id,
                    due_on=conversation.held_on + datetime.timedelta(days=14),
                    done_at=now if n == 0 else None,
                )
                for conversation in conversations
                for n in range(3)
            ),
            batch_size=1000,
        )
        return {
            "cycle": next(
                c for c in cycles if c.trajectory_id == chosen.pk and c.status == CycleStatus.SHARED
            ),
            "conversation": next(
                c for c in reversed(conversations) if c.trajectory_id == chosen.pk
            ),
        }

    @classmethod
    def _merid(cls, people: dict, count: int, per_profile: int) -> dict:
        """The opleider's MERID profiles over the past year, each with `per_profile` coded and
        timed topics and an own estimate; every other one is of a conversation the opleider
        held (while there are conversations left) and has the student teacher's perception too.
        One more, of today, has the most topics a profile may have. Returns the latest profile
        with a perception (or the latest) and the largest."""
        rng = random.Random(2028)  # noqa: S311 -- benchmark data, not secrets
        opleider, school = people["opleider"], people["trajectory"].school
        conversations = list(
            Conversation.objects.filter(trajectory__begeleider=opleider)
            .select_related("trajectory__school", "trajectory__teacher")
            .order_by("held_on", "pk")
        )
        today, now = timezone.localdate(), timezone.now()
        input_style = {role: key for key, role in merid.ROLE_OF.items()}

        def profile(held_on: datetime.date, title: str, *, of_conversation: bool) -> MeridProfile:
            conversation = conversations.pop() if of_conversation and conversations else None
            if conversation is None:
                return MeridProfile(owner=opleider, school=school, title=title, held_on=held_on)
            return MeridProfile(
                owner=opleider,
                school=conversation.trajectory.school,
                conversation=conversation,
                title=f"Nagesprek met {conversation.trajectory.teacher.full_name}",
                held_on=conversation.held_on,
                counterpart=conversation.trajectory.teacher,
                perception_requested_at=now,
            )

        # The largest takes the first conversation, so that its page draws all three kites.
        largest = profile(today, "Lange opname van een gesprek", of_conversation=True)
        profiles = [
            profile(
                today - datetime.timedelta(days=round(365 * (count - 1 - n) / max(count - 1, 1))),
                f"Begeleidingsgesprek {n + 1}",
                of_conversation=n % 2 == 1,
            )
            for n in range(count)
        ] + [largest]
        MeridProfile.objects.bulk_create(profiles, batch_size=1000)

        topics, estimates = [], []
        for n, row in enumerate(profiles):
            progress = min(1.0, n / max(count - 1, 1))
            weights = [
                MERID_FIRST_WEIGHTS[role] + progress * (MERID_LAST_WEIGHTS[role] - first)
                for role, first in MERID_FIRST_WEIGHTS.items()
            ]
            own = []
            for position in range(1, (MERID_MAX_TOPICS if n == count else per_profile) + 1):
                role = rng.choices(list(MERID_FIRST_WEIGHTS), weights)[0]
                given_input, style = input_style[role]
                own.append(
                    MeridTopic(
                        profile=row,
                        position=position,
                        label=rng.choice(MERID_TOPIC_LABELS),
                        input=given_input,
                        style=style,
                        minutes=Decimal(rng.randint(5, 80)) / 10,
                    )
                )
            topics += own
            coded = merid.shares_from_topics(own).percentages()
            # Begeleiders tend to see themselves as less directive than they were; the
            # student teacher sees them as somewhat more.
            estimates.append(
                MeridEstimate(
                    profile=row,
                    kind=EstimateKind.SELF,
                    author=opleider,
                    **cls._shifted(coded, MeridRole.ADVISOR, MeridRole.ENCOURAGER, 10),
                )
            )
            if row.counterpart is not None:
                estimates.append(
                    MeridEstimate(
                        profile=row,
                        kind=EstimateKind.PERCEPTION,
                        author=row.counterpart,
                        **cls._shifted(coded, MeridRole.INITIATOR, MeridRole.IMPERATOR, 5),
                    )
                )
        MeridTopic.objects.bulk_create(topics, batch_size=1000)
        MeridEstimate.objects.bulk_create(estimates, batch_size=1000)
        typical = profiles[:-1]
        return {
            "merid_typical": max(
                typical, key=lambda row: (row.counterpart is not None, row.held_on, row.pk)
            ),
            "merid_largest": profiles[-1],
        }

    @staticmethod
    def _shifted(percentages: dict[str, int], source: str, target: str, points: int) -> dict:
        """The percentages with up to `points` moved from one role to another: still 100."""
        moved = min(points, percentages[source])
        return percentages | {
            source: percentages[source] - moved,
            target: percentages[target] + moved,
        }

    @staticmethod
    def _merid_sources(profile: MeridProfile) -> str:
        return "self and perception" if profile.counterpart_id else "self-estimate only"

    @staticmethod
    def _visits(
        trajectories: list[Trajectory],
        year: SchoolYear,
        per_trajectory: int,
        chosen: Trajectory,
        second_observer: User,
    ) -> Observation:
        """Past visits spread over the school year so far, each held and observed with ICALT by
        the begeleider (final, every item scored), and one planned visit ahead, per trajectory.

        The chosen trajectory's latest visit is observed a second time, by `second_observer`,
        for the agreement page. Returns the begeleider's observation of that visit.
        """
        rng = random.Random(2026)  # noqa: S311 -- benchmark data, not secrets
        icalt = Instrument.objects.get(key="icalt", version="1", school=None)
        items = list(icalt.items.select_related("domain").order_by("number"))
        teaching = [item for item in items if item.domain.is_teaching]
        step = DIFFICULTY_SPAN / (len(teaching) - 1)
        difficulty = {item.pk: -DIFFICULTY_SPAN / 2 + n * step for n, item in enumerate(teaching)}
        for item in items:
            difficulty.setdefault(item.pk, ENGAGEMENT_DIFFICULTY)

        today = timezone.localdate()
        last = weekday_on_or_before(today - datetime.timedelta(days=2))
        first = year.starts_on + datetime.timedelta(days=21)  # after the summer holiday
        # Early in a school year there is no room: the first visits then fall before it.
        first = min(first, last - datetime.timedelta(days=7 * per_trajectory))
        gap = (last - first).days / max(per_trajectory - 1, 1)

        def at(day: datetime.date) -> datetime.datetime:
            day = weekday_on_or_before(day)
            return timezone.make_aware(datetime.datetime.combine(day, rng.choice(LESSON_TIMES)))

        visits, abilities = [], []
        for trajectory in trajectories:
            ability = rng.gauss(*START_ABILITY)
            growth = rng.uniform(*GROWTH_PER_VISIT)
            for n in range(per_trajectory):
                day = first + datetime.timedelta(days=round(n * gap) - rng.randint(0, 4))
                visits.append(
                    LessonVisit(
                        trajectory=trajectory,
                        planned_by=trajectory.begeleider,
                        starts_at=at(min(day, last)),
                        class_name=f"{rng.randint(1, 4)}{rng.choice('abc')}",
                        subject="Wiskunde",
                        lesson_goal="Leerlingen kunnen een lineaire vergelijking oplossen.",
                        status=VisitStatus.HELD,
                    )
                )
                abilities.append(ability + growth * n + rng.gauss(0, DAY_TO_DAY_SPREAD))
            visits.append(
                LessonVisit(
                    trajectory=trajectory,
                    planned_by=trajectory.begeleider,
                    starts_at=at(today + datetime.timedelta(days=rng.randint(3, 16))),
                    subject="Wiskunde",
                    status=VisitStatus.PLANNED,
                )
            )
        LessonVisit.objects.bulk_create(visits, batch_size=1000)
        held = [visit for visit in visits if visit.status == VisitStatus.HELD]
        observations = [
            Observation(
                visit=visit,
                instrument=icalt,
                observer=visit.trajectory.begeleider,
                status=ObservationStatus.FINAL,
                version=3,  # started, one batch of changes, finalised
                finalised_at=visit.starts_at + datetime.timedelta(hours=2),
            )
            for visit in held
        ]
        chosen_index = max(
            (n for n, visit in enumerate(held) if visit.trajectory is chosen),
            key=lambda n: held[n].starts_at,
        )
        second = Observation(
            visit=held[chosen_index],
            instrument=icalt,
            observer=second_observer,
            status=ObservationStatus.FINAL,
            version=3,
            finalised_at=held[chosen_index].starts_at + datetime.timedelta(hours=3),
        )
        Observation.objects.bulk_create([*observations, second], batch_size=1000)

        scores: list[ItemScore] = []

        def flush() -> None:
            ItemScore.objects.bulk_create(scores, batch_size=2000)
            scores.clear()

        for observation, ability in zip(observations, abilities, strict=True):
            drawn = {item.pk: draw_score(rng, ability - difficulty[item.pk]) for item in items}
            scores.extend(
                ItemScore(observation=observation, item_id=pk, score=score)
                for pk, score in drawn.items()
            )
            if observation is observations[chosen_index]:
                scores.extend(
                    ItemScore(
                        observation=second,
                        item_id=pk,
                        score=score
                        if rng.random() < SECOND_OBSERVER_AGREES
                        else min(4, max(1, score + rng.choice((-1, 1)))),
                    )
                    for pk, score in drawn.items()
                )
            if len(scores) >= SCORE_BATCH:
                flush()
        flush()
        return observations[chosen_index]

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

    def _page(
        self,
        label: str,
        user: User | None,
        url: str,
        headers: dict[str, str] | None = None,
        *,
        requests: int,
    ) -> None:
        client = Client(headers=headers)
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

    def _kite(self, runs: int, profile: MeridProfile) -> None:
        """The drawing alone, as every MERID page makes it once per profile and source: the
        geometry (reflection.merid.kite) and the SVG partial written from it."""
        shares = selectors.merid_reading(profile, viewer=profile.owner).coded

        def geometry() -> merid.Kite:
            return merid.kite(shares, drawing_id="benchmark", title=profile.title)

        def drawing() -> None:
            render_to_string(MERID_KITE_TEMPLATE, {"kite": geometry()})

        with translation.override("nl"):
            drawing()  # warm-up: template loading
            alone, whole = self._time_interleaved([geometry, drawing], runs)
        self.stdout.write(f"\n| MERID kite, {runs} runs | p50 ms | p95 ms |\n|---|---:|---:|")
        for label, (p50, p95) in [
            ("geometry (reflection.merid.kite)", alone),
            (f"geometry and SVG ({MERID_KITE_TEMPLATE})", whole),
        ]:
            self.stdout.write(f"| {label} | {p50:.2f} | {p95:.2f} |")

    def _rasch(self, runs: int) -> tuple | None:
        """Time the Rasch calibration on every final ICALT observation: reading the response
        matrix from the database, the fit on it, and the whole service that saves the result."""
        icalt = Instrument.objects.get(key="icalt", version="1", school=None)
        count, minimum = insights.final_observation_count(icalt), calibration.minimum_observations()
        if count < minimum:
            self.stdout.write(
                f"Rasch calibration skipped: {count} final observations, {minimum} needed.\n"
            )
            return None
        built = {}

        def build() -> None:
            layout = insights.instrument_layout(icalt)
            built["responses"], built["item_ids"] = insights.final_responses(layout)

        def fit() -> None:
            built["fit"] = analysis.rasch_fit(
                responses=built["responses"],
                item_ids=built["item_ids"],
                min_observations=minimum,
            )

        rows = [
            (
                "response matrix from the database (insights.instrument_layout and "
                "final_responses)",
                self._time(build, runs),
            ),
            ("Rasch fit on it (analysis.rasch_fit)", self._time(fit, runs)),
            (
                "whole service: read, fit, save (calibration.calibration_estimate)",
                self._time(lambda: calibration.calibration_estimate(instrument=icalt), runs),
            ),
        ]
        return runs, built["responses"].shape, built["fit"], rows

    def _report_rasch(self, runs: int, shape: tuple[int, int], fit, rows: list) -> None:
        self.stdout.write(
            f"\nRasch calibration: {shape[0]} final observations x {shape[1]} teaching items; "
            f"{fit.n_persons_used} lessons estimated ({fit.n_extreme_persons} all shown or none "
            f"shown left out), {len(fit.difficulties)} items, {fit.iterations} iterations."
        )
        self.stdout.write(f"\n| Rasch calibration, {runs} runs | p50 ms | max ms |")
        self.stdout.write("|---|---:|---:|")
        for label, (p50, p95) in rows:
            self.stdout.write(f"| {label} | {p50:.0f} | {p95:.0f} |")

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
    def _prose(length: int, *, paragraph: int = 700) -> str:
        """Running text of exactly `length` characters, in paragraphs of about `paragraph`."""
        text, since_break, n = "", 0, 0
        while len(text) < length:
            if since_break >= paragraph:
                text, since_break = text.rstrip() + "\n\n", 0
            sentence = PROSE[n % len(PROSE)]
            text, since_break, n = text + sentence, since_break + len(sentence), n + 1
        text = text[:length]
        return text[:-1] + "." if text[-1].isspace() else text

    def _report_conversations(self, people: dict, queued: int) -> dict:
        """In the chosen trajectory: a typical nagesprek and a largest valid one, each with a
        report row to render, and `queued` copies of the typical one for the throughput."""
        trajectory = people["trajectory"]
        teacher, begeleider = trajectory.teacher, trajectory.begeleider
        typical_observation = people["observation"]
        largest_observation = (
            Observation.objects.filter(
                visit__trajectory=trajectory, observer=begeleider, status=ObservationStatus.FINAL
            )
            .exclude(pk=typical_observation.pk)
            .select_related("visit")
            .order_by("-visit__starts_at")
            .first()
        )
        # The second observer of the latest lesson takes part as a third person.
        third = (
            Observation.objects.filter(visit=typical_observation.visit)
            .exclude(observer=begeleider)
            .select_related("observer")
            .first()
            .observer
        )
        participants = [teacher, begeleider, third]
        items = list(typical_observation.instrument.items.order_by("number"))
        now = timezone.now()
        prose = self._prose

        typical_visit = typical_observation.visit
        typical_visit.focus_items.set(items[n] for n in (6, 11, 18, 22))
        largest_visit = largest_observation.visit
        largest_visit.class_name = prose(40)
        largest_visit.subject = prose(100)
        largest_visit.lesson_goal = prose(2000)
        largest_visit.save(update_fields=["class_name", "subject", "lesson_goal"])
        step = len(items) // LARGEST_FOCUS_ITEMS
        largest_visit.focus_items.set(items[n * step] for n in range(LARGEST_FOCUS_ITEMS))
        kinds = KeyMomentKind.values
        KeyMoment.objects.bulk_create(
            [
                KeyMoment(
                    observation=typical_observation,
                    minute=minute,
                    kind=kinds[n % len(kinds)],
                    text=prose(180 + 40 * n),
                )
                for n, minute in enumerate((4, 12, 21, 33, 45))
            ]
            + [
                KeyMoment(
                    observation=largest_observation,
                    minute=2 + n * 48 // LARGEST_KEY_MOMENTS,
                    kind=kinds[n % len(kinds)],
                    text=prose(KEY_MOMENT_LIMIT),
                )
                for n in range(LARGEST_KEY_MOMENTS)
            ]
        )

        def shared_cycle(visit: LessonVisit, title: str, texts: dict[str, str]) -> ReflectionCycle:
            return ReflectionCycle.objects.create(
                owner=teacher,
                trajectory=trajectory,
                kind=CycleKind.ALACT,
                title=title,
                visit=visit,
                status=CycleStatus.SHARED,
                shared_at=now,
                **texts,
            )

        typical_cycle = shared_cycle(
            typical_visit,
            "Onrust tijdens de uitleg",
            {
                "action": prose(900),
                # Phase 2: the context and the eight questions, a few sentences each.
                **{
                    field.name: prose(150 + 10 * n)
                    for n, field in enumerate(phases.ALACT[1].fields)
                },
                "awareness": prose(700),
                "alternatives": prose(600),
                "intention": prose(250),
            },
        )
        # ALACT has the most text of the two kinds: four long phases and ten short answers.
        largest_cycle = shared_cycle(
            largest_visit,
            prose(200),
            {name: prose(limit) for name, limit in phases.text_limits(CycleKind.ALACT).items()},
        )

        def conversation(
            observation: Observation,
            cycle: ReflectionCycle,
            *,
            topics: str,
            notes: str,
            agreements: list[str],
        ) -> Conversation:
            conversation = Conversation.objects.create(
                trajectory=trajectory,
                kind=ConversationKind.NAGESPREK,
                visit=observation.visit,
                held_on=timezone.localdate(observation.visit.starts_at),
                topics=topics,
                notes=notes,
                cycle=cycle,
                observation=observation,
                created_by=begeleider,
            )
            conversation.participants.set(participants)
            Agreement.objects.bulk_create(
                Agreement(
                    conversation=conversation,
                    what=what,
                    who=(teacher, begeleider)[n % 2],
                    due_on=conversation.held_on + datetime.timedelta(days=7 + n),
                )
                for n, what in enumerate(agreements)
            )
            return conversation

        def typical() -> Conversation:
            return conversation(
                typical_observation,
                typical_cycle,
                topics="Klassenmanagement bij de start van de les, de uitleg in stappen, "
                "differentiatie tijdens het zelfstandig werken.",
                notes=prose(2500),
                agreements=[prose(90 + 20 * n) for n in range(4)],
            )

        largest = conversation(
            largest_observation,
            largest_cycle,
            topics=prose(CONVERSATION_TEXT_LIMITS["topics"]),
            notes=prose(CONVERSATION_TEXT_LIMITS["notes"]),
            agreements=[prose(AGREEMENT_LIMIT) for _ in range(LARGEST_AGREEMENTS)],
        )

        def report(conversation: Conversation) -> ConversationReport:
            return ConversationReport.objects.create(
                conversation=conversation,
                requested_by=begeleider,
                render_for=begeleider,
                language="nl",
                status=ReportStatus.RUNNING,
            )

        largest_report = report(largest)
        # Everyone has confirmed the largest one: the last render a report gets.
        ReportConfirmation.objects.bulk_create(
            ReportConfirmation(report=largest_report, user=person) for person in participants
        )
        return {
            "typical": report(typical()),
            "largest": largest_report,
            "queued": [typical() for _ in range(queued)],
            "begeleider": begeleider,
        }

    def _conversation_reports(self, runs: int, jobs: int, people: dict) -> None:
        """The conversation report against WeasyPrint rendering the same HTML bare, for a
        typical and a largest valid report; then reports per minute made by one worker."""
        seeded = self._report_conversations(people, jobs)
        css_path = finders.find("pdf/base.css")
        self.stdout.write(
            f"\n| conversation report, {runs} runs | p50 ms | p95 ms | queries |\n"
            "|---|---:|---:|---:|"
        )
        for label, report in [("typical", seeded["typical"]), ("largest", seeded["largest"])]:
            pk, conversation_pk = report.pk, report.conversation_id

            def context(report: ConversationReport = report, conversation_pk=conversation_pk):
                return conversation_reports.conversation_report_context(
                    conversation_pk, report=report
                )

            def full(pk: int = pk):
                # A fresh row each run, as the task has: the template reads who requested it.
                job = ConversationReport.objects.get(pk=pk)
                if conversation_reports.render(job) is None:
                    raise RuntimeError("The report was not rendered.")

            built = context()
            rendered = render_pdf(
                template_name=conversation_reports.TEMPLATE, context=built, language="nl"
            )

            def template(built: dict = built):
                with translation.override("nl"):
                    render_to_string(conversation_reports.TEMPLATE, {**built, "pdf_language": "nl"})

            html = re.sub(r"<link rel=\"stylesheet\"[^>]*>", "", rendered.html)
            if html == rendered.html:
                raise RuntimeError("The report's stylesheet link was not found.")

            def bare(html: str = html):
                HTML(string=html).write_pdf(
                    stylesheets=[CSS(filename=css_path)], pdf_variant="pdf/ua-1"
                )

            pages = len(HTML(string=html).render(stylesheets=[CSS(filename=css_path)]).pages)
            context_queries = self._queries(context)
            full_queries = self._queries(full)
            # Interleaved, so that a slow spell of this shared machine hits both alike.
            (gather, to_html, whole, plain) = self._time_interleaved(
                [context, template, full, bare], runs
            )
            name = f"{label} ({pages} pages, {len(rendered.pdf) // 1024} KiB)"
            for row, (p50, p95), queries in [
                ("data gathering (conversation_report_context)", gather, context_queries),
                ("template to HTML", to_html, 0),
                ("report path (reflection.reports.render)", whole, full_queries),
                ("bare WeasyPrint, same HTML and stylesheet, PDF/UA-1", plain, 0),
            ]:
                self.stdout.write(f"| {name}: {row} | {p50:.0f} | {p95:.0f} | {queries} |")
            self.stdout.write(
                f"| {name}: ratio report path / bare WeasyPrint (p50; p95) "
                f"| {whole[0] / plain[0]:.2f} | {whole[1] / plain[1]:.2f} | |"
            )
        self._report_throughput(seeded["queued"], seeded["begeleider"])

    def _report_throughput(self, conversations: list[Conversation], requester: User) -> None:
        """Typical reports requested through the service, then made one after another by the
        job's own body (claim, access re-check, render, file write, done), as one worker does.
        The first is a warm-up and counts the job's queries; the others are timed."""
        if len(conversations) < 2:
            return
        folder = tempfile.mkdtemp(prefix="benchmark-reports-")
        reports_setting = settings.STORAGES["reports"]
        storages_setting = {
            **settings.STORAGES,
            "reports": {
                **reports_setting,
                "OPTIONS": {**reports_setting["OPTIONS"], "location": folder},
            },
        }
        try:
            # Not in process: the messages go to the in-memory broker, where no worker takes
            # them; this loop is the worker.
            with override_settings(STORAGES=storages_setting, JOBS_RUN_IN_PROCESS=False):
                ids = [
                    conversation_report_request(
                        actor=requester, conversation=conversation, language="nl"
                    )[0].pk
                    for conversation in conversations
                ]
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    report_run(CONVERSATION_REPORTS, ids[0])
                samples = []
                started = time.perf_counter()
                for pk in ids[1:]:
                    run_started = time.perf_counter()
                    report_run(CONVERSATION_REPORTS, pk)
                    samples.append((time.perf_counter() - run_started) * 1000)
                elapsed = time.perf_counter() - started
                done = ConversationReport.objects.filter(pk__in=ids, status=ReportStatus.DONE)
                names = list(done.values_list("file_name", flat=True))
                storage = reports_storage()
                if len(names) != len(ids) or not all(storage.exists(name) for name in names):
                    raise RuntimeError("Not every report was made and written.")
                size = statistics.median(storage.size(name) for name in names)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        p50, p95 = self._summary(samples)
        self.stdout.write(
            f"\nThroughput, one worker: {len(samples)} typical reports (after one to warm up) "
            "made one after another by the job body (mentoring.reports.report_run: claim, "
            f"access re-check, render, file write, done) in {elapsed:.1f} s: p50 {p50:.0f} ms, "
            f"p95 {p95:.0f} ms a report, {60 * len(samples) / elapsed:.0f} reports per minute "
            f"({len(queries.captured_queries)} queries and {size / 1024:.0f} KiB a report)."
        )

    @staticmethod
    def _queries(action: Callable[[], object]) -> int:
        reset_queries()  # the query log is a bounded deque; after seeding it is full
        with CaptureQueriesContext(connection) as queries:
            action()
        return len(queries.captured_queries)

    @classmethod
    def _time_interleaved(
        cls, actions: list[Callable[[], object]], runs: int
    ) -> list[tuple[float, float]]:
        """Each action once per round, round after round; (p50, p95) in ms per action."""
        samples: list[list[float]] = [[] for _ in actions]
        for _ in range(runs):
            for action, taken in zip(actions, samples, strict=True):
                started = time.perf_counter()
                action()
                taken.append((time.perf_counter() - started) * 1000)
        return [cls._summary(taken) for taken in samples]

    @classmethod
    def _time(cls, action: Callable[[], object], runs: int) -> tuple[float, float]:
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            action()
            samples.append((time.perf_counter() - started) * 1000)
        return cls._summary(samples)

    @staticmethod
    def _summary(samples: list[float]) -> tuple[float, float]:
        samples = sorted(samples)
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        return statistics.median(samples), p95
