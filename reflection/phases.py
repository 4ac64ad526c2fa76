"""The structure of the two kinds of reflection cycle: sections, their fields and guiding texts.

One place describes what a cycle asks, so the form, the read-only page, the autosave check
and (later) the PDF report all follow it. Wordings follow reference/domain.md §3: Korthagen's
ALACT cycle with the eight questions of phase 2, and core reflection along the onion model.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Limits in characters: a phase is a page of writing at most; a single question a paragraph.
LONG = 5000
SHORT = 2000


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    limit: int
    rows: int = 4


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    guide: str
    fields: tuple[Field, ...]
    # The eight questions are shown as a grid of self and pupils.
    grid: bool = False


ALACT = (
    Section(
        "action",
        _("1. Action"),
        _(
            "Start from one concrete experience: a lesson or a moment in it. What happened, "
            "and what did you intend? Describe it as a film would show it."
        ),
        (Field("action", _("What happened?"), LONG, 6),),
    ),
    Section(
        "looking_back",
        _("2. Looking back"),
        _(
            "Look back on the situation with the eight questions: what you and your pupils "
            "wanted, did, thought and felt. Stay close to what happened; judging comes later."
        ),
        (
            Field("context", _("What was the context?"), SHORT, 2),
            Field("want_self", _("What did I want?"), SHORT, 2),
            Field("do_self", _("What did I do?"), SHORT, 2),
            Field("think_self", _("What was I thinking?"), SHORT, 2),
            Field("feel_self", _("How did I feel?"), SHORT, 2),
            Field("want_pupils", _("What did the pupils want?"), SHORT, 2),
            Field("do_pupils", _("What did the pupils do?"), SHORT, 2),
            Field("think_pupils", _("What were the pupils thinking?"), SHORT, 2),
            Field("feel_pupils", _("How did the pupils feel?"), SHORT, 2),
        ),
        grid=True,
    ),
    Section(
        "awareness",
        _("3. Awareness of essential aspects"),
        _(
            "What was essential? How do your answers in phase 2 hang together, and where do "
            "you and your pupils differ? Name the problem, or the positive discovery."
        ),
        (Field("awareness", _("What is essential here?"), LONG, 5),),
    ),
    Section(
        "alternatives",
        _("4. Alternatives"),
        _(
            "Which other ways of acting can you think of? Weigh their pros and cons, then "
            "choose what you resolve to do next time."
        ),
        (
            Field("alternatives", _("Which alternatives do you see?"), LONG, 5),
            Field("intention", _("What do you resolve to do?"), SHORT, 3),
        ),
    ),
    Section(
        "trial",
        _("5. Trial"),
        _(
            "Try your intention out in a next lesson. How did it go? Trying it out is the "
            "first phase of a new cycle."
        ),
        (Field("trial", _("How did trying it out go?"), LONG, 5),),
    ),
)

CORE = (
    Section(
        "situation",
        _("1. The situation"),
        _("Describe one concrete situation that matters to you: what happened, and who was there."),
        (Field("action", _("What happened?"), LONG, 6),),
    ),
    Section(
        "onion",
        _("2. The levels of the onion"),
        _(
            "Go through the levels from the outside in. Where is the friction, and where do "
            "the levels line up?"
        ),
        (
            Field("environment", _("Environment: what do I encounter?"), SHORT, 2),
            Field("behaviour", _("Behaviour: what do I do?"), SHORT, 2),
            Field("competencies", _("Competencies: what am I competent at?"), SHORT, 2),
            Field("beliefs", _("Beliefs: what do I believe about this situation?"), SHORT, 2),
            Field("identity", _("Identity: who am I in my work?"), SHORT, 2),
            Field("mission", _("Mission: what inspires me?"), SHORT, 2),
        ),
    ),
    Section(
        "ideal",
        _("3. Ideal and core qualities"),
        _(
            "What was your ideal in this situation, what did you long for? Which of your core "
            "qualities were, or could have been, at work?"
        ),
        (Field("ideal", _("What is my ideal here?"), SHORT, 3),),
    ),
    Section(
        "obstacle",
        _("4. The obstacle"),
        _(
            "What stood in the way: something inside you (a belief, a fear) or outside? Do "
            "you let it decide what you do?"
        ),
        (Field("obstacle", _("What is the obstacle?"), SHORT, 3),),
    ),
    Section(
        "new_step",
        _("5. The new step"),
        _("Which step will you take, drawing on your core qualities? Try it out and look back."),
        (Field("new_step", _("What is my new step?"), SHORT, 3),),
    ),
)

# Trying the intention out happens in the lessons after the conversation, so phase 5 of an
# ALACT cycle stays open once the cycle has been discussed; the rest is what was talked about.
OPEN_AFTER_DISCUSSION = frozenset({"trial"})

# Core qualities to choose from (the centre of the onion); anyone can add their own.
CORE_QUALITIES = {
    "enthusiasm": _("enthusiasm"),
    "curiosity": _("curiosity"),
    "courage": _("courage"),
    "steadfastness": _("steadfastness"),
    "decisiveness": _("decisiveness"),
    "openness": _("openness"),
    "flexibility": _("flexibility"),
    "care": _("care"),
    "patience": _("patience"),
    "humour": _("humour"),
    "clarity": _("clarity"),
    "trust": _("trust"),
    "creativity": _("creativity"),
    "perseverance": _("perseverance"),
}
MAX_CORE_QUALITIES = 12
CORE_QUALITY_LIMIT = 60


def sections_of(kind: str) -> tuple[Section, ...]:
    return CORE if kind == "core" else ALACT


def text_limits(kind: str) -> dict[str, int]:
    """Every text field a cycle of this kind has, with its limit: what autosave accepts."""
    return {field.name: field.limit for section in sections_of(kind) for field in section.fields}


def section_keys(kind: str) -> set[str]:
    return {section.key for section in sections_of(kind)}


def core_quality_label(value: str) -> str:
    return str(CORE_QUALITIES.get(value, value))
