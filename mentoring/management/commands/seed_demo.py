"""Fill an empty installation with a small, realistic demo: one board, two schools, a school
year and a person for every persona. Safe to run again: it updates what is there."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from roles.models import (
    Membership,
    OpleiderKind,
    Role,
    RoleAssignment,
    School,
    SchoolBoard,
    SchoolYear,
    StaffKind,
    User,
)

DEMO_PASSWORD = "demo-mentoring-2026"  # noqa: S105 -- published on purpose, demo only


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    full_name: str
    school: str
    staff_kinds: tuple[str, ...]
    role: str = ""
    opleider_kind: str = ""
    task_hours: int = 0
    task_description: str = ""


SCHOOLS = {
    "baken": ("Het Baken College", "99XA", True),
    "horizon": ("Scholengemeenschap De Horizon", "99XB", False),
}

PERSONAS = (
    Persona(
        "coordinator",
        "coordinator@demo.example",
        "Marieke de Vries",
        "baken",
        (StaffKind.COORDINATOR, StaffKind.TEACHER),
        Role.OPLEIDER,
        OpleiderKind.SCHOOLOPLEIDER,
        120,
        "Schoolopleider en coördinator van de opleidingsschool.",
    ),
    Persona(
        "opleider",
        "opleider@demo.example",
        "Jeroen Bakker",
        "baken",
        (StaffKind.TEACHER,),
        Role.OPLEIDER,
        OpleiderKind.WERKPLEKBEGELEIDER,
        40,
        "Werkplekbegeleider van twee studenten in de sectie natuurwetenschappen.",
    ),
    Persona(
        "coach",
        "coach@demo.example",
        "Fatima El Amrani",
        "baken",
        (StaffKind.TEACHER,),
        Role.COACH,
        "",
        60,
        "Coach van startende docenten (inductiejaren 1-3).",
    ),
    Persona(
        "procesbegeleider",
        "procesbegeleider@demo.example",
        "Sanne Visser",
        "baken",
        (StaffKind.TEACHER,),
        Role.PROCESBEGELEIDER,
        "",
        50,
        "Begeleidt de intervisiegroep en het lesson-studyteam.",
    ),
    Persona(
        "student", "student@demo.example", "Daan Jansen", "baken", (StaffKind.STUDENT_TEACHER,)
    ),
    Persona("coachee", "coachee@demo.example", "Lotte Smit", "baken", (StaffKind.TEACHER,)),
    Persona("leader", "leader@demo.example", "Peter Mulder", "baken", (StaffKind.SCHOOL_LEADER,)),
    Persona(
        "other_school",
        "coordinator@horizon.demo.example",
        "Noor Hendriks",
        "horizon",
        (StaffKind.COORDINATOR,),
    ),
)


def school_year_containing(day: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """Dutch school years run from 1 August to 31 July."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}", datetime.date(first, 8, 1), datetime.date(first + 1, 7, 31)


class Command(BaseCommand):
    help = "Create or refresh the demo school board, schools and one person per persona."

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
            self._seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ as:"))
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.key:<17} {persona.email:<34} {DEMO_PASSWORD}")

    def _seed(self) -> None:
        board, _ = SchoolBoard.objects.get_or_create(name="Stichting Onderwijs De Delta (demo)")
        schools = {}
        for key, (name, brin, training) in SCHOOLS.items():
            schools[key], _ = School.objects.update_or_create(
                brin_code=brin,
                defaults={"board": board, "name": name, "is_training_school": training},
            )
        year_name, starts_on, ends_on = school_year_containing(timezone.localdate())
        school_year, _ = SchoolYear.objects.update_or_create(
            name=year_name, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
        for persona in PERSONAS:
            user, _ = User.objects.update_or_create(
                email=persona.email, defaults={"full_name": persona.full_name, "is_active": True}
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            school = schools[persona.school]
            for kind in persona.staff_kinds:
                Membership.objects.update_or_create(
                    user=user, school=school, staff_kind=kind, defaults={"is_active": True}
                )
            if persona.role:
                RoleAssignment.objects.update_or_create(
                    user=user,
                    school=school,
                    school_year=school_year,
                    role=persona.role,
                    defaults={
                        "opleider_kind": persona.opleider_kind,
                        "task_hours": persona.task_hours,
                        "task_description": persona.task_description,
                        "active_from": starts_on,
                    },
                )
