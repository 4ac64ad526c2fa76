"""The phases of a learning group's session, per format, with a short guiding text each.

One place describes how a session goes, so the session page, the services and the PDF report
follow it. Wordings follow reference/domain.md §3.3 (VESIt: Korthagen, Melief & Tigchelaar),
§4.1 (lesson study: the Dutch six-phase cycle with Dudley's case pupils) and §4.2 (the video
club of Van Es & Sherin: what do I see, how do I interpret it), and the source chapter's
ontwerpatelier (a shared design question, material tried out in class).

What a phase collects:
- TEXT: each participant's contributions, as short texts;
- CASE_PUPIL: the same, each about one case pupil (predictions, observations, interviews);
- NOTICING: two steps per contribution, what I see and how I interpret it;
- CLIPS: the video clips of the session (the filmed teacher's, with consent);
- PRINCIPLES: the group's growing list of "theorie met een kleine t".
A phase marked `product` is what the group made and shares: its entries are listed on the
group's page as the group's products.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from roles.models import LearningGroupFormat

TEXT = "text"
CASE_PUPIL = "case_pupil"
NOTICING = "noticing"
CLIPS = "clips"
PRINCIPLES = "principles"

# Lesson study: the phase whose revised lesson the next research lesson starts from.
REVISED_LESSON = "herontwerp"


@dataclass(frozen=True)
class GroupPhase:
    key: str
    title: str
    guide: str
    collects: str = TEXT
    product: bool = False
    # In a CASE_PUPIL phase: may a contribution be about the lesson as a whole (the plan)?
    pupil_optional: bool = False


INTERVISIE = (
    GroupPhase(
        "voorstructureren",
        _("V · Voorstructureren"),
        _(
            "The facilitator names the theme. Each participant recalls one concrete experience "
            "within it, preferably a success, and writes it down in a few sentences."
        ),
    ),
    GroupPhase(
        "ervaringen",
        _("E · Ervaringen gebruiken"),
        _(
            "Exchange the experiences, in pairs or in the group, and make them concrete: what "
            "exactly happened, what did you do, what did the pupils do?"
        ),
    ),
    GroupPhase(
        "structureren",
        _("S · Structureren"),
        _(
            "Look across the experiences: what do they have in common, where do they differ? "
            "Write down the patterns the group sees."
        ),
    ),
    GroupPhase(
        "inzoomen",
        _("I · Inzoomen"),
        _(
            "Zoom in on one experience or one pattern and ask what made it work: what did the "
            "teacher and the pupils want, do, think and feel?"
        ),
    ),
    GroupPhase(
        "theorie",
        _("t · Theorie met een kleine t"),
        _(
            "Put what the group learned into practical principles, rules of thumb you can use "
            "tomorrow. They join the group's list, which grows session by session."
        ),
        collects=PRINCIPLES,
        product=True,
    ),
)

LESSON_STUDY = (
    GroupPhase(
        "orientatie",
        _("1 · Orientation"),
        _(
            "Agree on the theme and the research question. What do the literature, good "
            "practice and your own experience say? Choose a few case pupils."
        ),
    ),
    GroupPhase(
        "ontwerp",
        _("2 · The research lesson"),
        _(
            "Design the research lesson together: write the plan (leave the case pupil empty), "
            "and for each case pupil predict how they will respond to its key moments."
        ),
        collects=CASE_PUPIL,
        pupil_optional=True,
    ),
    GroupPhase(
        "observatie",
        _("3 · Teaching and observing"),
        _(
            "One member teaches the lesson; the others observe the case pupils, not the "
            "teacher. Note what each case pupil does and says, on your phone during the lesson."
        ),
        collects=CASE_PUPIL,
    ),
    GroupPhase(
        "interviews",
        _("4 · Pupil interviews"),
        _("Ask the case pupils after the lesson how they experienced it, and note their words."),
        collects=CASE_PUPIL,
    ),
    GroupPhase(
        "nabespreking",
        _("5 · Post-lesson discussion"),
        _(
            "Start from the case pupils: what did they do, compared with the predictions? "
            "Discuss the lesson, not the teacher."
        ),
    ),
    GroupPhase(
        REVISED_LESSON,
        _("6 · The revised lesson"),
        _("Revise the lesson for the next research lesson: what do you change, and why?"),
        product=True,
    ),
    GroupPhase(
        "opbrengst",
        _("7 · Learned and shared"),
        _("What did the pupils and the teachers learn? Write down what the group shares."),
        product=True,
    ),
)

VIDEOCLUB = (
    GroupPhase(
        "clip",
        _("1 · The clip"),
        _(
            "A member shows a short clip of their own lesson. Only the filmed teacher adds a "
            "clip, with their consent recorded; they decide who sees it and can withdraw it."
        ),
        collects=CLIPS,
    ),
    GroupPhase(
        "focusvraag",
        _("2 · Focus question"),
        _("The filmed teacher says what they want to learn from the clip: their question."),
    ),
    GroupPhase(
        "waarnemen",
        _("3 · Noticing"),
        _(
            "Each participant writes in two steps: what do I see (pupils' words and actions, "
            "without judging), and how do I interpret it?"
        ),
        collects=NOTICING,
    ),
    GroupPhase(
        "bespreking",
        _("4 · Discussion"),
        _(
            "Discuss the noticings, with the focus on the pupils' thinking. What does the "
            "filmed teacher take from it?"
        ),
        product=True,
    ),
)

ONTWERPATELIER = (
    GroupPhase(
        "ontwerpvraag",
        _("1 · Design question"),
        _("Agree on the shared (subject-)didactic question and what the material must do."),
    ),
    GroupPhase(
        "iteratie",
        _("2 · Iteration"),
        _("Develop or improve the material. Note what you changed and why."),
        product=True,
    ),
    GroupPhase(
        "uitproberen",
        _("3 · Trying it out"),
        _("Each member tries the material in class and notes what happened."),
    ),
    GroupPhase(
        "evaluatie",
        _("4 · Evaluation"),
        _("What worked, what not, and what is the next iteration? What does the group share?"),
        product=True,
    ),
)

PHASES: dict[str, tuple[GroupPhase, ...]] = {
    LearningGroupFormat.INTERVISIE: INTERVISIE,
    LearningGroupFormat.LESSON_STUDY: LESSON_STUDY,
    LearningGroupFormat.VIDEOCLUB: VIDEOCLUB,
    LearningGroupFormat.ONTWERPATELIER: ONTWERPATELIER,
}


def phases_of(format: str) -> tuple[GroupPhase, ...]:
    return PHASES[format]


def phase_of(format: str, key: str) -> GroupPhase | None:
    return next((phase for phase in PHASES[format] if phase.key == key), None)


def phase_index(format: str, key: str) -> int:
    return [phase.key for phase in PHASES[format]].index(key)
