"""Fill an installation with a realistic demo: one school board, two schools with their people,
begeleider roles, trajectories and learning groups, in the current school year, and the lesson
visits of those trajectories with their ICALT observations; and in four of those trajectories
the teachers' reflections, learning goals and conversations with their agreements
(mentoring/management/demo_reflection.py); two begeleiders' MERID profiles over the year,
from a coach who mostly advised in the autumn to one who uses the four roles; and at Het Baken
College a learning group of each format with its sessions, each at a different point in its
phases (mentoring/management/demo_groups.py).

Everything after the accounts goes through the same services as the coordinator's, the
begeleider's and the teacher's pages (`roles.services`, `observations.services`,
`reflection.services`), each called by the person who would do it, so the demo obeys the same
rules and leaves the same audit trail. Safe to run again: what already exists is left alone, so a
second run changes nothing.

The ICALT scores are drawn from a simple ordinal Rasch-type model: each teacher has an ability
that grows from visit to visit, and the items are harder in the cumulative order of icalt.md.
That is what makes growth and the suggested focus (the zone of proximal development) meaningful
on the first run. The draws are seeded by the people's e-mail addresses, so every installation
gets the same demo.
"""

import datetime
import math
import random
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mentoring.management import demo_groups as group_story
from mentoring.management import demo_reflection as story
from mentoring.reports import report_run
from observations import insights
from observations import services as observation_services
from observations.models import (
    Instrument,
    Item,
    LessonVisit,
    Observation,
    ObservationStatus,
    VisitStatus,
)
from reflection import group_phases, merid
from reflection import services as reflection_services
from reflection.models import (
    Conversation,
    ConversationKind,
    CycleStatus,
    EstimateKind,
    GoalStatus,
    MeridProfile,
    ReflectionCycle,
    SessionStatus,
)
from reflection.tasks import CONVERSATION_REPORTS
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
    TrajectoryStatus,
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
    visits: int = 0  # lesson visits so far, each held and observed with ICALT
    second_observer: str = ""  # observes one of those lessons too, to calibrate the scoring


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
        visits=5,
        second_observer="coordinator",
    ),
    TrajectorySpec("opleider", "thijs", "baken", OPLEIDEN, STUDENT_STAGE, 1, visits=4),
    TrajectorySpec(
        "willem",
        "yasmina",
        "baken",
        OPLEIDEN,
        STUDENT_STAGE,
        3,
        "Differentiëren bij het oefenen: drie niveaus in één wiskundeles.",
        visits=4,
    ),
    TrajectorySpec("annelies", "student", "baken", OPLEIDEN, STUDENT_STAGE, 2, visits=3),
    TrajectorySpec(
        "coordinator",
        "emma",
        "baken",
        OPLEIDEN,
        STUDENT_STAGE,
        4,
        "Zelfstandig lesgeven in de LIO-stage: de eigen klassen van begin tot eind.",
        visits=4,
    ),
    TrajectorySpec(
        "coach",
        "coachee",
        "baken",
        COACHING,
        TeacherStage.STARTER_1,
        focus="Ik wil rustig blijven als een klas onrustig wordt, en weten wat ik dan doe.",
        visits=4,
    ),
    # Mohammed's and Anouk's questions are about their workload, not their lessons: their
    # coaches have not come to watch a lesson.
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
        visits=3,
    ),
    TrajectorySpec("hans", "sofie", "baken", COACHING, TeacherStage.STARTER_3, ended=True),
    TrajectorySpec(
        "coach",
        "ilse",
        "baken",
        COACHING,
        TeacherStage.RETURNING,
        focus="Weer op gang komen na mijn ziekteverlof, zonder mezelf te overvragen.",
        visits=3,
    ),
    TrajectorySpec("martijn", "lucas", "horizon", OPLEIDEN, STUDENT_STAGE, 2, visits=5),
    TrajectorySpec(
        "gerda",
        "fleur",
        "horizon",
        OPLEIDEN,
        STUDENT_STAGE,
        3,
        "Feedback geven op schrijfopdrachten die leerlingen echt gebruiken.",
        visits=4,
    ),
    TrajectorySpec("annelies", "fleur", "horizon", OPLEIDEN, STUDENT_STAGE, 3, visits=3),
    TrajectorySpec(
        "esra",
        "sem",
        "horizon",
        COACHING,
        TeacherStage.STARTER_1,
        focus="Contact maken met een lastige klas zonder in een machtsstrijd te raken.",
        visits=4,
    ),
    TrajectorySpec("esra", "julia", "horizon", COACHING, TeacherStage.STARTER_2, visits=3),
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


@dataclass(frozen=True)
class Teaching:
    """What a demo teacher teaches, and how well: `ability` is where they stand on the ICALT
    scale (in logits, like the item difficulties) at their first visit of the year."""

    ability: float
    subject: str
    classes: tuple[str, ...]
    lesson_goals: tuple[str, ...]


# Some strong, some weak: a first-year student, a LIO student almost ready, starters in between
# and an experienced teacher back from sick leave.
TEACHING = {
    "thijs": Teaching(
        -1.6,
        "scheikunde",
        ("3 havo", "3 vwo"),
        (
            "Leerlingen kunnen het verschil tussen een zuivere stof en een mengsel uitleggen.",
            "Leerlingen kunnen een scheidingsmethode kiezen bij een gegeven mengsel.",
            "Leerlingen kunnen een reactievergelijking kloppend maken.",
            "Leerlingen kunnen met de wet van behoud van massa een reactieproduct berekenen.",
        ),
    ),
    "coachee": Teaching(
        -1.2,
        "aardrijkskunde",
        ("2B", "2C"),
        (
            "Leerlingen kunnen uitleggen hoe een rivier een delta vormt.",
            "Leerlingen kunnen een klimaatgrafiek lezen en het klimaat benoemen.",
            "Leerlingen kunnen push- en pullfactoren van migratie noemen.",
            "Leerlingen kunnen met de atlas de bevolkingsdichtheid van twee landen vergelijken.",
        ),
    ),
    "sem": Teaching(
        -1.0,
        "geschiedenis",
        ("2 mavo", "3 mavo"),
        (
            "Leerlingen kunnen uitleggen waarom de Opstand begon.",
            "Leerlingen kunnen het verschil tussen een primaire en een secundaire bron uitleggen.",
            "Leerlingen kunnen een tijdlijn van de Gouden Eeuw maken.",
            "Leerlingen kunnen de gevolgen van de industriële revolutie voor arbeiders "
            "beschrijven.",
        ),
    ),
    "student": Teaching(
        -0.9,
        "biologie",
        ("2B", "3 havo"),
        (
            "Leerlingen kunnen de delen van een bloem benoemen en hun functie uitleggen.",
            "Leerlingen kunnen met een microscoop een preparaat van uienhuid maken en tekenen.",
            "Leerlingen kunnen uitleggen hoe de bloedsomloop zuurstof door het lichaam vervoert.",
            "Leerlingen kunnen een voedselweb tekenen en voorspellen wat er gebeurt als een soort "
            "verdwijnt.",
        ),
    ),
    "lucas": Teaching(
        -0.6,
        "Nederlands",
        ("1B", "2 havo"),
        (
            "Leerlingen kunnen de persoonsvorm en het onderwerp in een zin vinden.",
            "Leerlingen kunnen de hoofdgedachte van een zakelijke tekst formuleren.",
            "Leerlingen kunnen signaalwoorden herkennen en de tekststructuur benoemen.",
            "Leerlingen kunnen een zakelijke e-mail met een duidelijke opbouw schrijven.",
        ),
    ),
    "yasmina": Teaching(
        -0.1,
        "wiskunde",
        ("1A", "2 mavo", "3 havo"),
        (
            "Leerlingen kunnen breuken gelijknamig maken en optellen.",
            "Leerlingen kunnen een vergelijking oplossen met de balansmethode.",
            "Leerlingen kunnen bij een tabel een lineaire formule opstellen.",
            "Leerlingen kunnen met de stelling van Pythagoras een zijde berekenen.",
        ),
    ),
    "julia": Teaching(
        0.1,
        "Duits",
        ("3 havo", "4 havo"),
        (
            "Leerlingen kunnen scheidbare werkwoorden op de juiste plaats in de zin zetten.",
            "Leerlingen kunnen de naamval na vaste voorzetsels toepassen.",
            "Leerlingen kunnen de hoofdgedachte van een Duitse krantentekst vinden.",
            "Leerlingen kunnen een korte brief aan hun gastgezin schrijven.",
        ),
    ),
    "fleur": Teaching(
        0.3,
        "Engels",
        ("3 vwo", "4 havo"),
        (
            "Leerlingen kunnen de present perfect en de past simple juist gebruiken.",
            "Leerlingen kunnen een betoog schrijven met een duidelijke stelling en twee "
            "argumenten.",
            "Leerlingen kunnen feedback van een klasgenoot in hun tekst verwerken.",
            "Leerlingen kunnen in een kort gesprek hun mening geven en onderbouwen.",
        ),
    ),
    "kees": Teaching(
        0.4,
        "economie",
        ("4 havo", "5 havo", "6 vwo"),
        (
            "Leerlingen kunnen het verschil tussen nominaal en reëel inkomen berekenen.",
            "Leerlingen kunnen vraag- en aanbodlijnen tekenen en het evenwicht bepalen.",
            "Leerlingen kunnen marktvormen herkennen aan hun kenmerken.",
            "Leerlingen kunnen uitleggen hoe de rente de bestedingen beïnvloedt.",
        ),
    ),
    "emma": Teaching(
        0.9,
        "geschiedenis",
        ("4 havo", "5 vwo"),
        (
            "Leerlingen kunnen kenmerkende aspecten van de tijd van burgers en stoommachines "
            "herkennen.",
            "Leerlingen kunnen een bron over de Verlichting op betrouwbaarheid beoordelen.",
            "Leerlingen kunnen de oorzaken van de Eerste Wereldoorlog indelen in korte en lange "
            "termijn.",
            "Leerlingen kunnen een historische redenering over de Koude Oorlog opbouwen.",
        ),
    ),
    "ilse": Teaching(
        1.3,
        "Frans",
        ("3 vwo", "4 vwo"),
        (
            "Leerlingen kunnen zich in het Frans voorstellen en vragen stellen.",
            "Leerlingen kunnen de passé composé met être en avoir vormen.",
            "Leerlingen kunnen een korte luistertekst in het Nederlands samenvatten.",
            "Leerlingen kunnen de woorden van hoofdstuk 4 in een eigen zin gebruiken.",
        ),
    ),
}

# The 50-minute periods of the demo schools' timetable (Europe/Amsterdam).
LESSON_TIMES = tuple(
    datetime.time(hour, minute)
    for hour, minute in ((8, 30), (9, 20), (10, 15), (11, 5), (13, 0), (13, 50))
)
# A visit every four to six weeks; closer together when the school year is still young.
MIN_DAYS_BETWEEN_VISITS, MAX_DAYS_BETWEEN_VISITS = 7, 42

# The model the scores are drawn from. The teaching items are spread evenly over five logits in
# the cumulative order of icalt.md (domain 1 easiest, domain 6 hardest, roughly form order within
# a domain), like the app's approximate default order. A score of k or more has probability
# logistic(ability - difficulty - threshold_k); the middle threshold is 0, so "shown" (3 or 4)
# follows the dichotomous Rasch model the zone of proximal development is computed with.
DIFFICULTY_SPAN = 5.0
DIFFICULTY_JITTER = 0.2
STEP_THRESHOLDS = (-1.5, 0.0, 1.5)  # to reach a 2, a 3 and a 4
# Learner engagement is an outcome of the teaching as a whole: it follows the teacher's ability.
ENGAGEMENT_DIFFICULTY = -0.8
GROWTH_PER_VISIT = (0.3, 0.6)  # logits
DAY_TO_DAY_SPREAD = 0.15  # logits: a good or a bad lesson
NOT_OBSERVED_RATE = 0.05  # per teaching item
SECOND_OBSERVER_AGREES = 0.65  # otherwise one step apart

# Key moments and notes, by the domain of the item they are about. Minutes: when in a 50-minute
# lesson that domain's behaviour tends to show (start, instruction, processing, closing).
MOMENT_MINUTES = {1: (1, 8), 2: (1, 12), 3: (6, 22), 4: (10, 32), 5: (20, 44), 6: (25, 46)}
STRENGTH_MOMENTS = {
    1: (
        "Begroet de leerlingen bij de deur; de sfeer is meteen ontspannen.",
        "Reageert rustig en met humor als een leerling een fout antwoord geeft.",
    ),
    2: (
        "Lesstart binnen twee minuten: de opdracht staat al op het bord.",
        "Overgang naar zelfstandig werken in één minuut; iedereen weet wat hij moet doen.",
    ),
    3: (
        "Duidelijke instructie met een voorbeeld op het bord.",
        "Vat de uitleg samen in drie stappen en laat die op het bord staan.",
    ),
    4: (
        "Wisbordjes: alle leerlingen geven tegelijk antwoord.",
        "Eerst in tweetallen overleggen, daarna beurten door de hele klas.",
    ),
    5: (
        "Verlengde instructie aan de instructietafel voor vier leerlingen; de rest werkt door.",
        "Opgaven op drie niveaus; leerlingen kiezen zelf en de docent stuurt bij.",
    ),
    6: (
        "Laat een leerling hardop voordoen hoe hij de opgave aanpakt.",
        "Leerlingen schatten eerst de uitkomst en controleren daarmee hun antwoord.",
    ),
}
SUGGESTION_MOMENTS = {
    1: (
        "Een leerling wordt uitgelachen en dat blijft onbenoemd: meteen reageren.",
        "Complimenten gaan vooral naar de sterke leerlingen; zoek ook de anderen op.",
    ),
    2: (
        "Onrust bij het uitdelen van de werkbladen: leg ze vooraf klaar.",
        "Na de instructie vragen vijf leerlingen wat de bedoeling is: zet de opdracht op het bord.",
    ),
    3: (
        "Vraag niet 'is het duidelijk?', maar laat twee leerlingen de stap zelf uitleggen.",
        "De uitleg duurt twintig minuten: knip hem op met een tussenvraag.",
    ),
    4: (
        "De beurten gaan naar dezelfde vier leerlingen: probeer beurten zonder vingers.",
        "Geef na een denkvraag tien seconden wachttijd voordat iemand antwoordt.",
    ),
    5: (
        "Snelle leerlingen zijn na tien minuten klaar: houd een verdiepingsopdracht achter de "
        "hand.",
        "Ga bij de afsluiting na of het lesdoel gehaald is, bijvoorbeeld met een exit ticket.",
    ),
    6: (
        "Vraag leerlingen hoe ze hun antwoord kunnen controleren, voordat je het voordoet.",
        "Laat leerlingen benoemen welke aanpak ze kozen en waarom.",
    ),
}
QUESTION_MOMENTS = (
    "Hoe wist je dat iedereen de uitleg begrepen had?",
    "Wat was je bedoeling met de groepjes vandaag?",
    "Waarom koos je ervoor de opdracht klassikaal te bespreken?",
    "Wat zou je bij de afsluiting de volgende keer anders doen?",
)
NOTE_MOMENTS = (
    "Vijf leerlingen komen later binnen; de vorige les liep uit.",
    "De beamer doet het eerst niet; de les begint drie minuten later.",
    "Volgende week is de toetsweek: de klas is merkbaar gespannen.",
    "Een leerling wordt uit de les gehaald voor een gesprek met de mentor.",
)
SHOWN_NOTES = {
    1: ("Spreekt leerlingen met hun naam aan.", "Vriendelijke toon, ook bij een correctie."),
    2: ("Materialen lagen klaar; geen tijdverlies.", "Duidelijke afspraak voor wie klaar is."),
    3: (
        "Uitleg in kleine stappen, met een uitgewerkt voorbeeld.",
        "Loopt rond en geeft gerichte feedback.",
    ),
    4: (
        "Veel leerlingen tegelijk actief met wisbordjes.",
        "Open vragen, en doorvragen op het antwoord.",
    ),
    5: ("Verlengde instructie voor een groepje.", "Opdrachten op twee niveaus."),
    6: (
        "Leerlingen controleren hun uitkomst met een schatting.",
        "Vraagt naar de aanpak, niet alleen naar het antwoord.",
    ),
}
NOT_YET_NOTES = {
    1: ("Een opmerking over een leerling klonk kleinerend.", "Weinig oogcontact met de klas."),
    2: ("De start duurde acht minuten.", "Overgang naar zelfstandig werken was rommelig."),
    3: ("Begrip niet nagegaan voor de verwerking.", "Opdracht alleen mondeling gegeven."),
    4: ("Vooral gesloten vragen.", "Lesdoel niet genoemd."),
    5: ("Iedereen kreeg dezelfde opdracht.", "Niet nagegaan of het lesdoel gehaald is."),
    6: (
        "Antwoorden voorgezegd in plaats van de aanpak te laten uitleggen.",
        "Geen ruimte om de eigen oplossing te controleren.",
    ),
}
NOT_OBSERVED_NOTES = ("Kwam in deze les niet aan bod.", "Geen zelfstandige verwerking in deze les.")


def school_year_containing(day: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """Dutch school years run from 1 August to 31 July."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}", datetime.date(first, 8, 1), datetime.date(first + 1, 7, 31)


def seeded(seed: str) -> random.Random:
    """Draws that are the same on every installation, so the demo is too."""
    return random.Random(seed)  # noqa: S311 -- demo data, not secrets


def icalt_difficulties(items: list[Item]) -> dict[Item, float]:
    """The demo's item difficulties in logits: the teaching items in the cumulative order, evenly
    spread with a little jitter; the learner-engagement items in the middle of that range."""
    rng = seeded("ICALT demo difficulties")
    teaching = [item for item in items if item.domain.is_teaching]
    step = DIFFICULTY_SPAN / (len(teaching) - 1)
    difficulties = {
        item: -DIFFICULTY_SPAN / 2 + index * step + rng.gauss(0, DIFFICULTY_JITTER)
        for index, item in enumerate(teaching)
    }
    for item in items:
        if not item.domain.is_teaching:
            difficulties[item] = ENGAGEMENT_DIFFICULTY + rng.gauss(0, DIFFICULTY_JITTER)
    return difficulties


def draw_score(rng: random.Random, logit: float) -> int:
    """1 to 4, with P(score >= k) = logistic(logit - threshold_k); one draw keeps it ordinal."""
    draw = rng.random()
    return 1 + sum(draw < 1 / (1 + math.exp(threshold - logit)) for threshold in STEP_THRESHOLDS)


def lesson_scores(
    rng: random.Random, *, ability: float, difficulties: dict[Item, float]
) -> dict[Item, int | None]:
    """One lesson's scores; None is "not observed"."""
    today = ability + rng.gauss(0, DAY_TO_DAY_SPREAD)
    return {
        item: None
        if item.domain.is_teaching and rng.random() < NOT_OBSERVED_RATE
        else draw_score(rng, today - difficulty)
        for item, difficulty in difficulties.items()
    }


def second_opinion(rng: random.Random, scores: dict[Item, int | None]) -> dict[Item, int | None]:
    """Another observer of the same lesson: mostly the same score, otherwise one step apart."""
    return {
        item: score
        if score is None or rng.random() < SECOND_OBSERVER_AGREES
        else min(4, max(1, score + rng.choice((-1, 1))))
        for item, score in scores.items()
    }


# How each MERID role is coded: who brought the topic in, and how it was handled.
MERID_CODING = {role: coding for coding, role in merid.ROLE_OF.items()}


def weekday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=max(0, day.weekday() - 4))


def weekday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=7 - day.weekday() if day.weekday() > 4 else 0)


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
        self.icalt = Instrument.objects.get(key="icalt", version="1", school=None)
        self.difficulties = icalt_difficulties(
            list(self.icalt.items.select_related("domain").order_by("number"))
        )
        for spec in TRAJECTORIES:
            if spec.visits:
                self.lesson_visits(spec)
        for spec in story.REFLECTIONS:
            self.reflection(spec)
        self.report()
        for spec in story.MERID:
            self.merid(spec)
        for spec in group_story.GROUP_STORIES:
            self.group_sessions(spec)

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
            services.trajectory_focus_update(
                actor=teacher, trajectory=trajectory, focus=spec.focus, version=trajectory.version
            )
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

    def lesson_visits(self, spec: TrajectorySpec) -> None:
        """The visits so far, each held and observed by the begeleider, and the next one."""
        begeleider, teacher = self.people[spec.begeleider], self.people[spec.teacher]
        trajectory = Trajectory.objects.get(
            begeleider=begeleider, teacher=teacher, kind=spec.kind, school=self.schools[spec.school]
        )
        if trajectory.visits.exists() or trajectory.status != TrajectoryStatus.ACTIVE:
            return
        teaching = TEACHING[spec.teacher]
        # Ability and growth belong to the teacher, so that a student teacher seen by both the
        # werkplekbegeleider and the instituutsopleider is the same teacher in both; the other
        # draws belong to the trajectory.
        person = seeded(teacher.email)
        ability = teaching.ability + person.gauss(0, 0.15)
        growth = person.uniform(*GROWTH_PER_VISIT)
        rng = seeded(f"{teacher.email} {begeleider.email}")
        first_goal = rng.randrange(len(teaching.lesson_goals))
        focus: list[Item] = []
        days = self.visit_days(spec, trajectory, rng)
        for index, (visits_since_first, day) in enumerate(days):
            visit = self.plan(spec, trajectory, day, focus, first_goal + index, rng)
            observation_services.visit_mark_held(actor=begeleider, visit=visit)
            scores = lesson_scores(
                rng, ability=ability + growth * visits_since_first, difficulties=self.difficulties
            )
            self.observe(begeleider, visit, scores, rng)
            if spec.second_observer and index == len(days) - 2:
                second = second_opinion(rng, scores)
                self.observe(self.people[spec.second_observer], visit, second, rng)
            focus = self.next_focus(scores)
        upcoming = rng.choice(
            [
                day
                for day in (self.today + datetime.timedelta(days=n) for n in range(2, 15))
                if day.weekday() < 5
            ]
        )
        self.plan(spec, trajectory, upcoming, focus, first_goal + len(days), rng)

    def visit_days(
        self, spec: TrajectorySpec, trajectory: Trajectory, rng: random.Random
    ) -> list[tuple[float, datetime.date]]:
        """The days of the past visits, each with how many visits' worth of growth the teacher
        has made since their first visit of the year.

        The teacher's first trajectory with visits sets the rhythm, ending just before today; a
        second begeleider (the instituutsopleider) comes halfway between two of those visits.
        """
        main = next(
            other for other in TRAJECTORIES if other.teacher == spec.teacher and other.visits
        )
        latest = self.today - datetime.timedelta(days=2)
        room = (latest - trajectory.starts_on).days - 7
        # Early in a school year the rhythm cannot fit after the trajectory's start, and the first
        # visits fall before it: a demo seeded in September still shows growth.
        gap = min(max(room // (main.visits - 1), MIN_DAYS_BETWEEN_VISITS), MAX_DAYS_BETWEEN_VISITS)
        if spec == main:
            positions = [float(index) for index in range(spec.visits)]
        else:
            step = (main.visits - 1) / spec.visits
            positions = [math.floor((index + 0.5) * step) + 0.5 for index in range(spec.visits)]
        days = []
        for position in positions:
            around = latest - datetime.timedelta(days=round((main.visits - 1 - position) * gap))
            day = around + datetime.timedelta(days=rng.randint(0, 4) - around.weekday())
            days.append((position, min(day, weekday_on_or_before(latest))))
        return days

    def plan(
        self,
        spec: TrajectorySpec,
        trajectory: Trajectory,
        day: datetime.date,
        focus: list[Item],
        goal: int,
        rng: random.Random,
    ) -> LessonVisit:
        teaching = TEACHING[spec.teacher]
        return observation_services.visit_plan(
            actor=self.people[spec.begeleider],
            trajectory=trajectory,
            starts_at=timezone.make_aware(datetime.datetime.combine(day, rng.choice(LESSON_TIMES))),
            class_name=rng.choice(teaching.classes),
            subject=teaching.subject,
            lesson_goal=teaching.lesson_goals[goal % len(teaching.lesson_goals)],
            focus_items=focus,
        )

    def observe(
        self,
        observer: User,
        visit: LessonVisit,
        scores: dict[Item, int | None],
        rng: random.Random,
    ) -> None:
        """Fill in the observation form as an observer would: every item, a few notes and key
        moments; then finalise it."""
        strength, next_step = self.strength_and_next_step(scores)
        notes = {strength: rng.choice(SHOWN_NOTES[strength.domain.number])}
        if next_step is not None:
            notes[next_step] = rng.choice(NOT_YET_NOTES[next_step.domain.number])
        not_observed = [item for item, score in scores.items() if score is None]
        if not_observed and rng.random() < 0.5:
            notes[rng.choice(not_observed)] = rng.choice(NOT_OBSERVED_NOTES)
        changes = [
            {"type": "score", "item": item.pk}
            | ({"not_observed": True} if score is None else {"score": score})
            | ({"note": notes[item]} if item in notes else {})
            for item, score in scores.items()
        ]
        strength_domain = strength.domain.number
        suggestion_domain = next_step.domain.number if next_step else 6
        moments = [
            ("strength", MOMENT_MINUTES[strength_domain], STRENGTH_MOMENTS[strength_domain]),
            (
                "suggestion",
                MOMENT_MINUTES[suggestion_domain],
                SUGGESTION_MOMENTS[suggestion_domain],
            ),
            rng.choice([("question", (35, 48), QUESTION_MOMENTS), ("note", (0, 48), NOTE_MOMENTS)]),
        ]
        changes += [
            {
                "type": "key_moment",
                "minute": rng.randint(earliest, latest),
                "kind": kind,
                "text": rng.choice(texts),
            }
            for kind, (earliest, latest), texts in moments[: rng.randint(1, 3)]
        ]
        observation = observation_services.observation_start(
            actor=observer, visit=visit, instrument=self.icalt
        )
        observation = observation_services.observation_apply(
            actor=observer, observation=observation, version=observation.version, changes=changes
        )
        observation_services.observation_finalise(
            actor=observer, observation=observation, version=observation.version
        )

    def strength_and_next_step(self, scores: dict[Item, int | None]) -> tuple[Item, Item | None]:
        """The hardest teaching behaviour shown (or the best scored, if none was), and the
        easiest not yet shown: what an observer picks out to write about."""
        scored = [
            item for item, score in scores.items() if item.domain.is_teaching and score is not None
        ]
        shown = [item for item in scored if scores[item] >= 3]
        strength = (
            max(shown, key=self.difficulties.__getitem__)
            if shown
            else max(scored, key=scores.__getitem__)
        )
        focus = self.next_focus(scores, size=1)
        return strength, focus[0] if focus else None

    def next_focus(self, scores: dict[Item, int | None], size: int = 2) -> list[Item]:
        """The easiest teaching items not yet shown (scored 1 or 2): roughly the zone of proximal
        development, which the begeleider takes as the focus of the next visit."""
        not_yet = [
            item
            for item, score in scores.items()
            if item.domain.is_teaching and score is not None and score <= 2
        ]
        return sorted(not_yet, key=self.difficulties.__getitem__)[:size]

    def reflection(self, spec: story.ReflectionSpec) -> None:
        trajectory = Trajectory.objects.select_related("teacher", "begeleider", "school").get(
            begeleider=self.people[spec.begeleider],
            teacher=self.people[spec.teacher],
            school=self.schools[spec.school],
        )
        if (
            trajectory.reflection_cycles.exists()
            or trajectory.learning_goals.exists()
            or trajectory.conversations.exists()
        ):
            return
        TrajectoryStory(self, trajectory, spec).write()

    def report(self) -> None:
        """The report of the first demo opleider's newest nagesprek, confirmed by the student
        teacher. Rendered here, by the task body a worker runs, so the demo has one whether or
        not a worker is running; the messages sent after commit then find it done."""
        spec = next(s for s in story.REFLECTIONS if s.school == "baken")
        conversation = (
            Conversation.objects.filter(
                kind=ConversationKind.NAGESPREK,
                trajectory__begeleider=self.people[spec.begeleider],
                trajectory__teacher=self.people[spec.teacher],
            )
            .order_by("-held_on", "-pk")
            .first()
        )
        if conversation is None or conversation.reports.exists():
            return
        trajectory = conversation.trajectory
        report, _ = reflection_services.conversation_report_request(
            actor=trajectory.begeleider, conversation=conversation, language="nl"
        )
        report_run(CONVERSATION_REPORTS, report.pk)
        report.refresh_from_db()
        reflection_services.conversation_report_confirm(actor=trajectory.teacher, report=report)
        report_run(CONVERSATION_REPORTS, report.pk)

    def merid(self, spec: story.MeridSpec) -> None:
        """A begeleider's MERID profiles, made, coded and estimated through the same services
        as the MERID pages: the coding as one autosave batch with the ids a page makes."""
        begeleider = self.people[spec.begeleider]
        if MeridProfile.objects.filter(owner=begeleider).exists():
            return
        trajectory = Trajectory.objects.select_related("school").get(
            begeleider=begeleider,
            teacher=self.people[spec.teacher],
            school=self.schools[spec.school],
        )
        conversations = [self.merid_conversation(trajectory, p) for p in spec.profiles]
        for profile_spec, conversation, held_on in zip(
            spec.profiles,
            conversations,
            self.merid_days(trajectory, conversations),
            strict=True,
        ):
            if conversation is not None:
                profile = reflection_services.merid_profile_create(
                    actor=begeleider, conversation=conversation, title=profile_spec.title
                )
            else:
                profile = reflection_services.merid_profile_create(
                    actor=begeleider,
                    school=trajectory.school,
                    title=profile_spec.title,
                    held_on=held_on,
                )
            if profile_spec.topics:
                profile = reflection_services.merid_topics_apply(
                    actor=begeleider,
                    profile=profile,
                    version=profile.version,
                    changes=[
                        {
                            "type": "topic",
                            "id": str(uuid.uuid4()),
                            "label": label,
                            "input": MERID_CODING[role][0],
                            "style": MERID_CODING[role][1],
                            "minutes": "" if minutes is None else str(minutes),
                        }
                        for label, role, minutes in profile_spec.topics
                    ],
                )
            if profile_spec.self_estimate:
                reflection_services.merid_estimate_save(
                    actor=begeleider,
                    profile=profile,
                    kind=EstimateKind.SELF,
                    percentages=profile_spec.self_estimate,
                )
            if profile_spec.perception:
                profile = reflection_services.merid_perception_request(
                    actor=begeleider, profile=profile
                )
                reflection_services.merid_estimate_save(
                    actor=profile.counterpart,
                    profile=profile,
                    kind=EstimateKind.PERCEPTION,
                    percentages=profile_spec.perception,
                )
            if profile_spec.share_with:
                reflection_services.merid_share_add(
                    actor=begeleider, profile=profile, person=self.people[profile_spec.share_with]
                )

    def group_sessions(self, spec: group_story.GroupStorySpec) -> None:
        """A learning group's sessions so far and the next one, and the notes to the group."""
        group = LearningGroup.objects.get(
            school=self.schools[spec.school], school_year=self.school_year, name=spec.group
        )
        if group.sessions.exists() or group.notes.exists():
            return
        for session_spec in spec.sessions:
            self.group_session(group, self.people[spec.facilitator], session_spec)
        for note in spec.notes:
            reflection_services.group_note_add(
                actor=self.people[note.by], group=group, text=note.text
            )

    def group_session(
        self, group: LearningGroup, facilitator: User, spec: group_story.SessionSpec
    ) -> None:
        """Planned by the facilitator (a past date too, as on the session form), taken through
        its phases as the group works, with each contribution written by its author in the
        phase it belongs to; and, once it has begun, who was there."""
        keys = [phase.key for phase in group_phases.phases_of(group.format)]
        offset = datetime.timedelta(days=spec.days)
        day = (weekday_on_or_before if spec.days < 0 else weekday_on_or_after)(self.today + offset)
        session = reflection_services.group_session_plan(
            actor=facilitator,
            group=group,
            starts_at=timezone.make_aware(datetime.datetime.combine(day, spec.time)),
            location=spec.location,
            focus=spec.focus,
            research_lesson=spec.research_lesson,
        )
        for phase in spec.phases:
            for _step in range(keys.index(phase.key) - keys.index(session.phase)):
                session = reflection_services.group_session_move(
                    actor=facilitator, session=session, step=1
                )
            for clip in phase.clips:
                reflection_services.video_clip_add(
                    actor=self.people[clip.by],
                    session=session,
                    title=clip.title,
                    consent=True,
                    expires_on=self.today + datetime.timedelta(days=clip.expires_in_days),
                    link=clip.link,
                )
            for entry in phase.entries:
                reflection_services.session_entry_add(
                    actor=self.people[entry.by],
                    session=session,
                    phase=phase.key,
                    text=entry.text,
                    case_pupil=entry.case_pupil,
                    interpretation=entry.interpretation,
                )
            for principle in phase.principles:
                reflection_services.group_principle_add(
                    actor=self.people[principle.by], session=session, text=principle.text
                )
        while spec.held and session.status != SessionStatus.HELD:
            session = reflection_services.group_session_move(
                actor=facilitator, session=session, step=1
            )
        if spec.days < 0:
            absent = {self.people[key] for key in spec.absent}
            members = group.memberships.filter(left_on__isnull=True).select_related("user")
            everyone = [*group.facilitators.order_by("pk"), *(m.user for m in members)]
            reflection_services.group_session_attendance(
                actor=facilitator,
                session=session,
                attendees=[person for person in everyone if person not in absent],
            )

    @staticmethod
    def merid_conversation(
        trajectory: Trajectory, spec: story.MeridProfileSpec
    ) -> Conversation | None:
        if spec.conversation is None:
            return None
        kind, index = spec.conversation
        return list(trajectory.conversations.filter(kind=kind).order_by("held_on", "pk"))[index]

    def merid_days(
        self, trajectory: Trajectory, conversations: list[Conversation | None]
    ) -> list[datetime.date]:
        """A conversation's own day; a recording made outside the app halfway between the
        profiles either side of it (from the trajectory's start, up to today), on a school day."""
        days: list[datetime.date] = []
        for index, conversation in enumerate(conversations):
            if conversation is not None:
                days.append(conversation.held_on)
                continue
            before = days[-1] if days else trajectory.starts_on
            after = next(
                (later.held_on for later in conversations[index + 1 :] if later is not None),
                self.today,
            )
            days.append(weekday_on_or_before(before + (after - before) / 2))
        return days


class TrajectoryStory:
    """One trajectory's reflections, conversations and goals, written by the teacher and their
    begeleider in the order they would: a cycle is written, shared and commented on; then
    talked through in a conversation, with agreements; goals come from observations and
    cycles, and collect their evidence."""

    def __init__(self, seeder: Seeder, trajectory: Trajectory, spec: story.ReflectionSpec):
        self.seeder, self.trajectory, self.spec = seeder, trajectory, spec
        self.teacher, self.begeleider = trajectory.teacher, trajectory.begeleider
        self.visits = list(
            trajectory.visits.filter(status=VisitStatus.HELD).order_by("starts_at", "pk")
        )
        self.cycles: dict[str, ReflectionCycle] = {}
        self.classes: dict[str, str] = {}  # the class each cycle is about

    def write(self) -> None:
        for spec in self.spec.cycles:
            self.cycle(spec)
        for spec in self.spec.conversations:
            self.conversation(spec)
        for spec in self.spec.cycles:
            if spec.status == CycleStatus.DISCUSSED:
                reflection_services.cycle_mark_discussed(
                    actor=self.begeleider, cycle=self.cycles[spec.key]
                )
        for spec in self.spec.goals:
            self.goal(spec)

    def person(self, who: str) -> User:
        if who == story.TEACHER:
            return self.teacher
        if who == story.BEGELEIDER:
            return self.begeleider
        return self.seeder.people[who]

    def observation(self, visit: int) -> Observation:
        """The begeleider's own observation of a held visit (a second observer's is not it)."""
        return self.visits[visit].observations.get(
            observer=self.begeleider, status=ObservationStatus.FINAL
        )

    def cycle(self, spec: story.CycleSpec) -> None:
        visit = self.visits[spec.visit] if spec.visit is not None else None
        if spec.follows:
            klas = self.classes[spec.follows]
            cycle = reflection_services.cycle_start_next(
                actor=self.teacher, cycle=self.cycles[spec.follows]
            )
        else:
            klas = visit.class_name if visit else TEACHING[self.spec.teacher].classes[0]
            cycle = reflection_services.cycle_create(
                owner=self.teacher,
                kind=spec.kind,
                title=spec.title.format(klas=klas),
                trajectory=self.trajectory,
                visit=visit,
            )
        changes = [{"field": "title", "text": spec.title.format(klas=klas)}]
        changes += [
            {"field": name, "text": text.format(klas=klas)} for name, text in spec.texts.items()
        ]
        if spec.core_qualities:
            changes.append({"field": "core_qualities", "values": list(spec.core_qualities)})
        cycle = reflection_services.cycle_apply(
            actor=self.teacher, cycle=cycle, version=cycle.version, changes=changes
        )
        if spec.status != CycleStatus.DRAFT:
            cycle = reflection_services.cycle_share(actor=self.teacher, cycle=cycle)
        thread = None
        for comment in spec.comments:
            if comment.kind == story.REPLY:
                reflection_services.comment_add(
                    actor=self.person(comment.by), cycle=cycle, text=comment.text, parent=thread
                )
            else:
                thread = reflection_services.comment_add(
                    actor=self.person(comment.by),
                    cycle=cycle,
                    text=comment.text,
                    kind=comment.kind,
                    phase=comment.phase,
                )
        self.cycles[spec.key], self.classes[spec.key] = cycle, klas

    def conversation(self, spec: story.ConversationSpec) -> None:
        """Held on a school day `days_after` the visit it follows, and never after today; the
        begeleider keeps the record, and whoever an agreement is for ticks it off."""
        after = self.visits[spec.after_visit]
        day = timezone.localdate(after.starts_at) + datetime.timedelta(days=spec.days_after)
        held_on = weekday_on_or_before(min(day, self.seeder.today))
        klas = after.class_name
        conversation = reflection_services.conversation_create(
            actor=self.begeleider,
            trajectory=self.trajectory,
            kind=spec.kind,
            held_on=held_on,
            visit=after if spec.kind == ConversationKind.NAGESPREK else None,
            participants=[self.person(key) for key in spec.also],
            topics=spec.topics.format(klas=klas),
            cycle=self.cycles[spec.cycle] if spec.cycle else None,
            observation=self.observation(spec.after_visit) if spec.observation else None,
        )
        conversation = reflection_services.conversation_apply(
            actor=self.begeleider,
            conversation=conversation,
            version=conversation.version,
            changes=[{"field": "notes", "text": spec.notes.format(klas=klas)}],
        )
        for agreed in spec.agreements:
            due_on = None
            if agreed.due_in_days is not None and agreed.done:
                due_on = held_on + datetime.timedelta(days=agreed.due_in_days)
            elif agreed.due_in_days is not None:
                due_on = max(
                    self.seeder.today + datetime.timedelta(days=agreed.due_in_days),
                    held_on + datetime.timedelta(days=1),
                )
            agreement = reflection_services.agreement_add(
                actor=self.begeleider,
                conversation=conversation,
                what=agreed.what.format(klas=klas),
                who=self.person(agreed.who),
                due_on=due_on,
            )
            if agreed.done:
                reflection_services.agreement_set_done(
                    actor=self.person(agreed.who), agreement=agreement, done=True
                )

    def goal(self, spec: story.GoalSpec) -> None:
        observation = item = None
        if spec.from_observation is not None:
            observation = self.observation(spec.from_observation)
            item = self.focus_item(observation)
        words = {
            "item": item.text_nl if item else "",
            "step": story.FOCUS_STEPS.get(item.number, "") if item else "",
        }
        title, description = spec.title.format(**words), spec.description.format(**words).strip()
        goal = reflection_services.goal_create(
            actor=self.person(spec.by),
            trajectory=self.trajectory,
            title=title,
            description=description,
            source_observation=observation,
            source_item=item,
            source_cycle=self.cycles[spec.from_cycle] if spec.from_cycle else None,
        )
        if spec.status != GoalStatus.OPEN:
            goal = reflection_services.goal_update(
                actor=self.teacher,
                goal=goal,
                version=goal.version,
                title=title,
                description=description,
                status=spec.status,
            )
        for evidence in spec.evidence:
            reflection_services.goal_evidence_add(
                actor=self.teacher,
                goal=goal,
                visit=self.visits[evidence.visit] if evidence.visit is not None else None,
                observation=(
                    self.observation(evidence.observation)
                    if evidence.observation is not None
                    else None
                ),
                cycle=self.cycles[evidence.cycle] if evidence.cycle else None,
                note=evidence.note,
            )

    @staticmethod
    def focus_item(observation: Observation) -> Item | None:
        """The first item of the observation's suggested focus, as its page shows it; for a
        lesson that misfits the order (no usable focus), the first teaching item not shown."""
        layout = insights.instrument_layout(observation.instrument)
        (lesson,) = insights.scored_lessons([observation])
        suggestion = insights.suggested_focus(lesson, layout, insights.current_calibration(layout))
        if suggestion.usable_focus:
            return suggestion.usable_focus[0].item
        not_shown = observation.scores.filter(item__domain__is_teaching=True, score__lte=2)
        first = not_shown.select_related("item__domain").order_by("item__number").first()
        return first.item if first else None
