"""Fill an installation with a realistic demo: one school board, two schools with their people,
begeleider roles, trajectories and learning groups, in the current school year.

Everything after the accounts goes through the same services as the coordinator's pages
(`roles.services`), so the demo obeys the same rules and leaves the same audit trail. Safe to run
again: what already exists is left alone, so a second run changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from roles import services
from roles.models import (
    ROLE_FOR_KIND,
    Institute,
    LearningGroup,
    LearningGroupFormat,
    Membership,
    OpleiderKind,
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

DEMO_PASSWORD = "demo-mentoring-2026"  # noqa: S105 -- published on purpose, demo only

BOARD = "Stichting Onderwijs De Delta (demo)"
INSTITUTE = "Hogeschool van Amsterdam (demo)"
SCHOOLS = {
    "baken": ("Het Baken College", "99XA", True),
    "horizon": ("Scholengemeenschap De Horizon", "99XB", False),
}
# Who sets each school up, and so appears in its audit log.
COORDINATOR_OF = {"baken": "coordinator", "horizon": "other_school"}

TEACHER = (StaffKind.TEACHER,)
STUDENT = (StaffKind.STUDENT_TEACHER,)


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    full_name: str
    school: str
    staff_kinds: tuple[str, ...] = TEACHER
    also_works_at: tuple[str, ...] = ()  # other schools, with a teacher membership there
    persona: bool = False  # one of DESIGN.md §10's personas, listed after seeding


@dataclass(frozen=True)
class RoleSpec:
    person: str
    school: str
    role: str
    opleider_kind: str = ""
    task_hours: int = 0
    task_description: str = ""


@dataclass(frozen=True)
class TrajectorySpec:
    begeleider: str
    teacher: str
    school: str
    kind: str
    stage: str
    study_year: int | None = None
    focus: str = ""
    ended: bool = False


@dataclass(frozen=True)
class GroupSpec:
    school: str
    name: str
    format: str
    theme: str
    facilitators: tuple[str, ...]
    members: tuple[str, ...]


PEOPLE = (
    # Het Baken College: an opleidingsschool with student teachers from the HvA.
    Person(
        "coordinator",
        "coordinator@demo.example",
        "Marieke de Vries",
        "baken",
        (StaffKind.COORDINATOR, StaffKind.TEACHER),
        persona=True,
    ),
    Person("opleider", "opleider@demo.example", "Jeroen Bakker", "baken", persona=True),
    Person("coach", "coach@demo.example", "Fatima El Amrani", "baken", persona=True),
    Person(
        "procesbegeleider", "procesbegeleider@demo.example", "Sanne Visser", "baken", persona=True
    ),
    Person("student", "student@demo.example", "Daan Jansen", "baken", STUDENT, persona=True),
    Person("coachee", "coachee@demo.example", "Lotte Smit", "baken", persona=True),
    Person(
        "leader",
        "leader@demo.example",
        "Peter Mulder",
        "baken",
        (StaffKind.SCHOOL_LEADER,),
        persona=True,
    ),
    Person("willem", "w.vandenberg@baken.demo.example", "Willem van den Berg", "baken"),
    Person("hans", "h.dijkstra@baken.demo.example", "Hans Dijkstra", "baken"),
    Person("rik", "r.meijer@baken.demo.example", "Rik Meijer", "baken", also_works_at=("horizon",)),
    Person("yasmina", "y.bouzid@baken.demo.example", "Yasmina Bouzid", "baken", STUDENT),
    Person("thijs", "t.deboer@baken.demo.example", "Thijs de Boer", "baken", STUDENT),
    Person("emma", "e.verhoeven@baken.demo.example", "Emma Verhoeven", "baken", STUDENT),
    Person("mohammed", "m.aittaleb@baken.demo.example", "Mohammed Ait Taleb", "baken"),
    Person("kees", "k.hoekstra@baken.demo.example", "Kees Hoekstra", "baken"),
    Person("sofie", "s.peters@baken.demo.example", "Sofie Peters", "baken"),
    Person("ilse", "i.brouwer@baken.demo.example", "Ilse Brouwer", "baken"),
    # The instituutsopleider works for the teacher-training institute and visits both schools.
    Person(
        "annelies",
        "a.kok@hva.demo.example",
        "Annelies Kok",
        "baken",
        also_works_at=("horizon",),
    ),
    # Scholengemeenschap De Horizon.
    Person(
        "other_school",
        "coordinator@horizon.demo.example",
        "Noor Hendriks",
        "horizon",
        (StaffKind.COORDINATOR,),
        persona=True,
    ),
    Person(
        "bram",
        "b.willems@horizon.demo.example",
        "Bram Willems",
        "horizon",
        (StaffKind.SCHOOL_LEADER,),
    ),
    Person("gerda", "g.postma@horizon.demo.example", "Gerda Postma", "horizon"),
    Person("martijn", "m.vos@horizon.demo.example", "Martijn Vos", "horizon"),
    Person("esra", "e.yilmaz@horizon.demo.example", "Esra Yilmaz", "horizon"),
    Person("joost", "j.vanleeuwen@horizon.demo.example", "Joost van Leeuwen", "horizon"),
    Person("karin", "k.schouten@horizon.demo.example", "Karin Schouten", "horizon"),
    Person("lucas", "l.degraaf@horizon.demo.example", "Lucas de Graaf", "horizon", STUDENT),
    Person("fleur", "f.jacobs@horizon.demo.example", "Fleur Jacobs", "horizon", STUDENT),
    Person("sem", "s.kuipers@horizon.demo.example", "Sem Kuipers", "horizon"),
    Person("julia", "j.vandam@horizon.demo.example", "Julia van Dam", "horizon"),
    Person("anouk", "a.prins@horizon.demo.example", "Anouk Prins", "horizon"),
    Person("tim", "t.bos@horizon.demo.example", "Tim Bos", "horizon"),
    Person("ruud", "r.sanders@horizon.demo.example", "Ruud Sanders", "horizon"),
)
PERSONAS = tuple(person for person in PEOPLE if person.persona)

OPLEIDER = Role.OPLEIDER
ROLES = (
    RoleSpec(
        "coordinator",
        "baken",
        OPLEIDER,
        OpleiderKind.SCHOOLOPLEIDER,
        120,
        "Schoolopleider en coördinator van de opleidingsschool.",
    ),
    RoleSpec(
        "opleider",
        "baken",
        OPLEIDER,
        OpleiderKind.WERKPLEKBEGELEIDER,
        40,
        "Werkplekbegeleider van twee studenten in de sectie natuurwetenschappen.",
    ),
    RoleSpec(
        "willem",
        "baken",
        OPLEIDER,
        OpleiderKind.WERKPLEKBEGELEIDER,
        30,
        "Werkplekbegeleider in de sectie wiskunde.",
    ),
    RoleSpec(
        "annelies",
        "baken",
        OPLEIDER,
        OpleiderKind.INSTITUUTSOPLEIDER,
        24,
        "Instituutsopleider: bezoekt de studenten op school en beoordeelt mee.",
    ),
    RoleSpec(
        "coach",
        "baken",
        Role.COACH,
        task_hours=60,
        task_description="Coach van startende docenten en van wie terugkeert na ziekte.",
    ),
    RoleSpec("hans", "baken", Role.COACH, task_hours=40, task_description="Coach van starters."),
    RoleSpec(
        "procesbegeleider",
        "baken",
        Role.PROCESBEGELEIDER,
        task_hours=50,
        task_description="Begeleidt de intervisiegroep, het lesson-studyteam en de videoclub.",
    ),
    RoleSpec(
        "hans",
        "baken",
        Role.PROCESBEGELEIDER,
        task_hours=30,
        task_description="Begeleidt het ontwerpatelier en het lesson-studyteam.",
    ),
    RoleSpec(
        "gerda",
        "horizon",
        OPLEIDER,
        OpleiderKind.WERKPLEKBEGELEIDER,
        40,
        "Werkplekbegeleider in de sectie Engels; spreekpunt voor de lerarenopleiding.",
    ),
    RoleSpec(
        "martijn",
        "horizon",
        OPLEIDER,
        OpleiderKind.STAGEBEGELEIDER,
        30,
        "Stagebegeleider in de sectie Nederlands.",
    ),
    RoleSpec(
        "annelies",
        "horizon",
        OPLEIDER,
        OpleiderKind.INSTITUUTSOPLEIDER,
        16,
        "Instituutsopleider: bezoekt de studenten op school en beoordeelt mee.",
    ),
    RoleSpec("esra", "horizon", Role.COACH, task_hours=60, task_description="Schoolcoach."),
    RoleSpec("karin", "horizon", Role.COACH, task_hours=30, task_description="Lerarencoach."),
    RoleSpec(
        "joost",
        "horizon",
        Role.PROCESBEGELEIDER,
        task_hours=40,
        task_description="Begeleidt intervisie, lesson study en het ontwerpatelier.",
    ),
    RoleSpec(
        "karin",
        "horizon",
        Role.PROCESBEGELEIDER,
        task_hours=20,
        task_description="Begeleidt de videoclub.",
    ),
)

OPLEIDEN, COACHING = TrajectoryKind.OPLEIDEN, TrajectoryKind.COACHING
STUDENT_STAGE = TeacherStage.STUDENT_TEACHER
TRAJECTORIES = (
    TrajectorySpec(
        "opleider",
        "student",
        "baken",
        OPLEIDEN,
        STUDENT_STAGE,
        2,
        "Klassenmanagement in 2B: een duidelijke instructie bij de start van de les.",
    ),
    TrajectorySpec("opleider", "thijs", "baken", OPLEIDEN, STUDENT_STAGE, 1),
    TrajectorySpec(
        "willem",
        "yasmina",
        "baken",
        OPLEIDEN,
        STUDENT_STAGE,
        3,
        "Differentiëren bij het oefenen: drie niveaus in één wiskundeles.",
    ),
    TrajectorySpec("annelies", "student", "baken", OPLEIDEN, STUDENT_STAGE, 2),
    TrajectorySpec(
        "coordinator",
        "emma",
        "baken",
        OPLEIDEN,
        STUDENT_STAGE,
        4,
        "Zelfstandig lesgeven in de LIO-stage: de eigen klassen van begin tot eind.",
    ),
    TrajectorySpec(
        "coach",
        "coachee",
        "baken",
        COACHING,
        TeacherStage.STARTER_1,
        focus="Ik wil rustig blijven als een klas onrustig wordt, en weten wat ik dan doe.",
    ),
    TrajectorySpec(
        "coach",
        "mohammed",
        "baken",
        COACHING,
        TeacherStage.STARTER_1,
        focus="Hoe verdeel ik mijn tijd tussen lesvoorbereiding en nakijken?",
    ),
    TrajectorySpec(
        "hans",
        "kees",
        "baken",
        COACHING,
        TeacherStage.STARTER_2,
        focus="Meer activerende werkvormen in de bovenbouw.",
    ),
    TrajectorySpec("hans", "sofie", "baken", COACHING, TeacherStage.STARTER_3, ended=True),
    TrajectorySpec(
        "coach",
        "ilse",
        "baken",
        COACHING,
        TeacherStage.RETURNING,
        focus="Weer op gang komen na mijn ziekteverlof, zonder mezelf te overvragen.",
    ),
    TrajectorySpec("martijn", "lucas", "horizon", OPLEIDEN, STUDENT_STAGE, 2),
    TrajectorySpec(
        "gerda",
        "fleur",
        "horizon",
        OPLEIDEN,
        STUDENT_STAGE,
        3,
        "Feedback geven op schrijfopdrachten die leerlingen echt gebruiken.",
    ),
    TrajectorySpec("annelies", "fleur", "horizon", OPLEIDEN, STUDENT_STAGE, 3),
    TrajectorySpec(
        "esra",
        "sem",
        "horizon",
        COACHING,
        TeacherStage.STARTER_1,
        focus="Contact maken met een lastige klas zonder in een machtsstrijd te raken.",
    ),
    TrajectorySpec("esra", "julia", "horizon", COACHING, TeacherStage.STARTER_2),
    TrajectorySpec(
        "karin",
        "anouk",
        "horizon",
        COACHING,
        TeacherStage.STARTER_1,
        focus="Grenzen stellen aan mijn werktijd.",
    ),
)

GROUPS = (
    GroupSpec(
        "baken",
        "Intervisie startende docenten",
        LearningGroupFormat.INTERVISIE,
        "Omgaan met onrust in de klas",
        ("procesbegeleider",),
        ("coachee", "mohammed", "kees", "sofie"),
    ),
    GroupSpec(
        "baken",
        "Lesson study wiskunde",
        LearningGroupFormat.LESSON_STUDY,
        "Hoe laten we leerlingen zelf een strategie kiezen bij breuken?",
        ("procesbegeleider", "hans"),
        ("willem", "rik", "yasmina", "thijs"),
    ),
    GroupSpec(
        "baken",
        "Ontwerpatelier formatief evalueren",
        LearningGroupFormat.ONTWERPATELIER,
        "Exit tickets die echt iets zeggen over wat leerlingen begrijpen",
        ("hans",),
        ("opleider", "coach", "ilse", "emma"),
    ),
    GroupSpec(
        "baken",
        "Videoclub instructie",
        LearningGroupFormat.VIDEOCLUB,
        "De eerste vijf minuten van de les",
        ("procesbegeleider",),
        ("coach", "opleider", "student", "coachee"),
    ),
    GroupSpec(
        "horizon",
        "Intervisie starters",
        LearningGroupFormat.INTERVISIE,
        "Werkdruk in het eerste jaar",
        ("joost",),
        ("sem", "julia", "anouk"),
    ),
    GroupSpec(
        "horizon",
        "Lesson study Nederlands",
        LearningGroupFormat.LESSON_STUDY,
        "Begrijpend lezen van zakelijke teksten in de onderbouw",
        ("joost", "karin"),
        ("tim", "ruud", "lucas", "rik"),
    ),
    GroupSpec(
        "horizon",
        "Ontwerpatelier taalbewust lesgeven",
        LearningGroupFormat.ONTWERPATELIER,
        "Vaktaal in de zaakvakken",
        ("joost",),
        ("tim", "esra", "gerda"),
    ),
    GroupSpec(
        "horizon",
        "Videoclub klassenmanagement",
        LearningGroupFormat.VIDEOCLUB,
        "Overgangen tussen lesfasen",
        ("karin",),
        ("martijn", "fleur", "sem"),
    ),
)


def school_year_containing(day: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """Dutch school years run from 1 August to 31 July."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}", datetime.date(first, 8, 1), datetime.date(first + 1, 7, 31)


class Command(BaseCommand):
    help = "Create the demo school board, two schools and their people; skips what exists."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Demo accounts have published passwords.",
        )

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo accounts have published passwords; refusing to create them with "
                "DEBUG off. Use --force if this really is a demo installation."
            )
        with transaction.atomic():
            Seeder().run()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ as:"))
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.key:<17} {persona.email:<34} {DEMO_PASSWORD}")
        self.stdout.write(
            f"The other {len(PEOPLE) - len(PERSONAS)} demo people have the same password."
        )


class Seeder:
    def __init__(self) -> None:
        self.today = timezone.localdate()

    def run(self) -> None:
        board, _ = SchoolBoard.objects.get_or_create(name=BOARD)
        self.schools = {
            key: School.objects.get_or_create(
                brin_code=brin,
                defaults={"board": board, "name": name, "is_training_school": training},
            )[0]
            for key, (name, brin, training) in SCHOOLS.items()
        }
        self.institute, _ = Institute.objects.get_or_create(name=INSTITUTE)
        self.people = {person.key: self.account(person) for person in PEOPLE}
        self.coordinators = {school: self.people[key] for school, key in COORDINATOR_OF.items()}
        for person in PEOPLE:
            self.memberships(person)
        self.school_year = self.current_school_year()
        for spec in ROLES:
            self.role(spec)
        for spec in TRAJECTORIES:
            self.trajectory(spec)
        for spec in GROUPS:
            self.group(spec)

    def account(self, person: Person) -> User:
        # Accounts are made with the published password directly: the invitation flow that a
        # coordinator uses would mail every demo person a link.
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = User.objects.create_user(person.email, DEMO_PASSWORD, full_name=person.full_name)
        return user

    def memberships(self, person: Person) -> None:
        user = self.people[person.key]
        places = [(person.school, kind) for kind in person.staff_kinds]
        places += [(school, StaffKind.TEACHER) for school in person.also_works_at]
        for school_key, kind in places:
            school = self.schools[school_key]
            if not Membership.objects.filter(user=user, school=school, staff_kind=kind).exists():
                services.membership_ensure(
                    actor=self.coordinators[school_key], user=user, school=school, staff_kind=kind
                )

    def current_school_year(self) -> SchoolYear:
        name, starts_on, ends_on = school_year_containing(self.today)
        existing = (
            SchoolYear.objects.filter(name=name).first()
            or SchoolYear.objects.filter(starts_on__lte=self.today, ends_on__gte=self.today).first()
        )
        return existing or services.school_year_create(
            actor=self.coordinators["baken"], name=name, starts_on=starts_on, ends_on=ends_on
        )

    def role(self, spec: RoleSpec) -> None:
        user, school = self.people[spec.person], self.schools[spec.school]
        if RoleAssignment.objects.filter(
            user=user, school=school, school_year=self.school_year, role=spec.role
        ).exists():
            return
        services.role_assign(
            actor=self.coordinators[spec.school],
            user=user,
            school=school,
            school_year=self.school_year,
            role=spec.role,
            opleider_kind=spec.opleider_kind,
            institute=self.institute,  # kept only for an instituutsopleider
            task_hours=spec.task_hours,
            task_description=spec.task_description,
            active_from=self.school_year.starts_on,
        )

    def trajectory(self, spec: TrajectorySpec) -> None:
        begeleider, teacher = self.people[spec.begeleider], self.people[spec.teacher]
        school = self.schools[spec.school]
        if Trajectory.objects.filter(
            begeleider=begeleider, teacher=teacher, kind=spec.kind, school=school
        ).exists():
            return
        actor = self.coordinators[spec.school]
        starts_on = min(self.today, self.school_year.starts_on + datetime.timedelta(days=30))
        trajectory = services.trajectory_create(
            actor=actor,
            begeleider_role=RoleAssignment.objects.get(
                user=begeleider,
                school=school,
                school_year=self.school_year,
                role=ROLE_FOR_KIND[spec.kind],
            ),
            teacher=teacher,
            kind=spec.kind,
            stage=spec.stage,
            study_year=spec.study_year,
            starts_on=starts_on,
        )
        if spec.focus:
            # The question for support is the teacher's own, so they are the ones who write it.
            services.trajectory_focus_update(actor=teacher, trajectory=trajectory, focus=spec.focus)
        if spec.ended:
            ends_on = min(self.today, starts_on + datetime.timedelta(days=60))
            services.trajectory_end(actor=actor, trajectory=trajectory, ends_on=ends_on)

    def group(self, spec: GroupSpec) -> None:
        school = self.schools[spec.school]
        if LearningGroup.objects.filter(
            school=school, school_year=self.school_year, name=spec.name
        ).exists():
            return
        services.learning_group_create(
            actor=self.coordinators[spec.school],
            school=school,
            school_year=self.school_year,
            name=spec.name,
            format=spec.format,
            theme=spec.theme,
            facilitators=[self.people[key] for key in spec.facilitators],
            members=[self.people[key] for key in spec.members],
        )
