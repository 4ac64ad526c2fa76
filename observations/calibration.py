"""Writes for item calibrations: a published difficulty table loaded from a file, and a Rasch
fit on the installation's own final observations (by hand or by the weekly job).

Item numbering differs between reproductions of ICALT (icalt.md), so a published table is
matched on the items' wording, or the person loading it confirms that the numbers match.
A file is checked completely before anything is written: every problem is reported with its
line and field, and a file with any problem saves nothing.
"""

import csv
import difflib
import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from observations import analysis, insights
from observations.models import (
    Calibration,
    CalibrationKind,
    Instrument,
    Item,
    ItemDifficulty,
    Observation,
    ObservationStatus,
)

logger = logging.getLogger(__name__)

# Rasch difficulties of ICALT items lie within a few logits of 0; a number far outside this
# range means the table is on another scale (percentages, a 0-100 score) and cannot be used.
MAX_ABS_DIFFICULTY = 10.0
# How alike two wordings of one item must be (difflib ratio, after normalising case, spaces,
# punctuation and the leading "De leraar").
WORDING_MATCH = 0.85

COLUMN_NAMES = {
    "item": "item",
    "nummer": "item",
    "difficulty": "difficulty",
    "moeilijkheid": "difficulty",
    "standard_error": "standard_error",
    "standaardfout": "standard_error",
    "se": "standard_error",
    "text": "text",
    "tekst": "text",
}
POSITIONAL_COLUMNS = ("item", "difficulty", "standard_error", "text")


# --- Problems with a file ---------------------------------------------------------------------


@dataclass(frozen=True)
class FileProblem:
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        if self.line is not None and self.field:
            return _("line %(line)s, %(field)s: %(message)s") % {
                "line": self.line,
                "field": self.field,
                "message": self.message,
            }
        if self.line is not None:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return f"{self.field}: {self.message}" if self.field else self.message


class CalibrationFileError(ValueError):
    """The file cannot be loaded; `problems` says where and why. Nothing was saved."""

    def __init__(self, problems: list[FileProblem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class TableRow:
    line: int
    item: int
    difficulty: float
    standard_error: float | None
    text: str | None


# --- Reading a file ---------------------------------------------------------------------------


def _decoded(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise CalibrationFileError(
            [
                FileProblem(
                    line,
                    None,
                    _(
                        "the file is not UTF-8 text (byte %(byte)s cannot be read). Save it "
                        "as UTF-8, in Excel as 'CSV UTF-8'."
                    )
                    % {"byte": error.start + 1},
                )
            ]
        ) from None


def _parse_number(raw: str) -> float | None:
    """A number as written in a Dutch spreadsheet too: a decimal comma, a minus sign (U+2212)."""
    text = raw.strip().replace("\u2212", "-").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


@dataclass
class _Raw:
    """One entry before checking: the text of each field and the line it is on."""

    line: int
    fields: dict[str, tuple[str, int]]


def _csv_entries(text: str) -> tuple[list[_Raw], bool, list[FileProblem]]:
    """Entries of a semicolon-separated file, whether it has a text column, and problems."""
    reader = csv.reader(io.StringIO(text), delimiter=";")
    problems: list[FileProblem] = []
    entries: list[_Raw] = []
    columns: tuple[str, ...] | None = None
    for cells in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if columns is None:
            if len(cells) == 1 and ("," in cells[0] or "\t" in cells[0]):
                raise CalibrationFileError(
                    [
                        FileProblem(
                            line,
                            None,
                            _("separate the columns with semicolons (;), not commas or tabs."),
                        )
                    ]
                )
            if cells[0].isascii() and cells[0].isdigit():
                columns = POSITIONAL_COLUMNS[: max(2, len(cells))]
            else:
                names = [COLUMN_NAMES.get(cell.casefold()) for cell in cells]
                unknown = [cell for cell, name in zip(cells, names, strict=True) if name is None]
                if unknown:
                    raise CalibrationFileError(
                        [
                            FileProblem(
                                line,
                                None,
                                _(
                                    "unknown column %(column)s; the columns are item, "
                                    "difficulty, standard_error and text."
                                )
                                % {"column": repr(unknown[0])},
                            )
                        ]
                    )
                missing = [c for c in ("item", "difficulty") if c not in names]
                if missing:
                    raise CalibrationFileError(
                        [
                            FileProblem(
                                line,
                                None,
                                _("the header has no %(column)s column.") % {"column": missing[0]},
                            )
                        ]
                    )
                columns = tuple(names)
                continue
        if len(cells) > len(columns):
            problems.append(
                FileProblem(
                    line,
                    None,
                    _("%(found)s columns, but the file has %(expected)s.")
                    % {"found": len(cells), "expected": len(columns)},
                )
            )
            continue
        entries.append(
            _Raw(line, {name: (cell, line) for name, cell in zip(columns, cells, strict=False)})
        )
    return entries, columns is not None and "text" in columns, problems


def _yaml_entries(text: str) -> tuple[list[_Raw], bool, list[FileProblem]]:
    """Entries of a YAML file: a list of mappings (item, difficulty, standard_error, text),
    on its own or under `items:`. Read as nodes, so every value keeps its line number."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise CalibrationFileError(
            [
                FileProblem(
                    mark.line + 1 if mark else None,
                    None,
                    _("this is not valid YAML: %(problem)s.")
                    % {"problem": error.problem or error.context},
                )
            ]
        ) from None
    except yaml.YAMLError:
        raise CalibrationFileError(
            [FileProblem(None, None, _("This is not valid YAML."))]
        ) from None
    if isinstance(root, yaml.MappingNode):
        root = next(
            (value for key, value in root.value if getattr(key, "value", None) == "items"), None
        )
    if not isinstance(root, yaml.SequenceNode):
        raise CalibrationFileError(
            [FileProblem(None, None, _("The YAML file needs a list of items, under 'items:'."))]
        )
    entries: list[_Raw] = []
    problems: list[FileProblem] = []
    has_text = False
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(
                FileProblem(line, None, _("each entry needs item and difficulty fields."))
            )
            continue
        fields: dict[str, tuple[str, int]] = {}
        for key, value in node.value:
            name = COLUMN_NAMES.get(str(key.value).casefold())
            if name is None:
                problems.append(
                    FileProblem(
                        key.start_mark.line + 1,
                        str(key.value),
                        _(
                            "unknown field; the fields are item, difficulty, standard_error and "
                            "text."
                        ),
                    )
                )
                continue
            if not isinstance(value, yaml.ScalarNode):
                problems.append(
                    FileProblem(value.start_mark.line + 1, name, _("a single value is expected."))
                )
                continue
            fields[name] = (value.value, value.start_mark.line + 1)
        has_text = has_text or "text" in fields
        entries.append(_Raw(line, fields))
    return entries, has_text, problems


def read_difficulty_table(
    *, content: bytes, filename: str, items: dict[int, Item]
) -> tuple[list[TableRow], bool]:
    """The rows of a difficulty table checked against the instrument's teaching items (keyed
    by number), and whether the file gives each item's wording. Raises CalibrationFileError
    listing every problem found."""
    text = _decoded(content)
    suffix = Path(filename).suffix.casefold()
    if suffix in {".csv", ".txt"}:
        entries, has_text, problems = _csv_entries(text)
    elif suffix in {".yaml", ".yml"}:
        entries, has_text, problems = _yaml_entries(text)
    else:
        raise CalibrationFileError([FileProblem(None, None, _("Use a .csv or a .yaml file."))])
    rows: list[TableRow] = []
    first_line_of: dict[int, int] = {}
    for entry in entries:
        row = _checked_row(entry, items, first_line_of, problems)
        if row is not None:
            rows.append(row)
    if not entries and not problems:
        problems.append(FileProblem(None, None, _("The file holds no items.")))
    missing = sorted(set(items) - set(first_line_of))
    if entries and missing:
        problems.append(
            FileProblem(
                None,
                "item",
                ngettext(
                    "item %(numbers)s of the instrument is missing from the file.",
                    "items %(numbers)s of the instrument are missing from the file.",
                    len(missing),
                )
                % {"numbers": ", ".join(str(number) for number in missing)},
            )
        )
    if problems:
        raise CalibrationFileError(sorted(problems, key=lambda p: (p.line is None, p.line or 0)))
    return rows, has_text


def _checked_row(
    entry: _Raw, items: dict[int, Item], first_line_of: dict[int, int], problems: list
) -> TableRow | None:
    def value(name: str) -> tuple[str, int]:
        return entry.fields.get(name, ("", entry.line))

    ok = True
    raw_item, item_line = value("item")
    number = int(raw_item) if raw_item.isascii() and raw_item.isdigit() else None
    if not raw_item.strip():
        problems.append(FileProblem(item_line, "item", _("the value is missing.")))
        ok = False
    elif number is None:
        problems.append(
            FileProblem(
                item_line, "item", _("%(value)s is not an item number.") % {"value": repr(raw_item)}
            )
        )
        ok = False
    elif number not in items:
        problems.append(
            FileProblem(
                item_line,
                "item",
                _("the instrument has no teaching item %(number)s.") % {"number": number},
            )
        )
        ok = False
    elif number in first_line_of:
        problems.append(
            FileProblem(
                item_line,
                "item",
                _("item %(number)s is already on line %(line)s.")
                % {"number": number, "line": first_line_of[number]},
            )
        )
        ok = False
    else:
        first_line_of[number] = item_line

    raw_difficulty, difficulty_line = value("difficulty")
    difficulty = _parse_number(raw_difficulty)
    if not raw_difficulty.strip():
        problems.append(FileProblem(difficulty_line, "difficulty", _("the value is missing.")))
        ok = False
    elif difficulty is None or not math.isfinite(difficulty):
        problems.append(
            FileProblem(
                difficulty_line,
                "difficulty",
                _("%(value)s is not a number.") % {"value": repr(raw_difficulty)},
            )
        )
        ok = False
    elif abs(difficulty) > MAX_ABS_DIFFICULTY:
        problems.append(
            FileProblem(
                difficulty_line,
                "difficulty",
                _(
                    "%(value)s is outside -%(limit)s to %(limit)s: the table should give "
                    "difficulties in logits."
                )
                % {"value": raw_difficulty, "limit": int(MAX_ABS_DIFFICULTY)},
            )
        )
        ok = False

    raw_error, error_line = value("standard_error")
    standard_error = None
    if raw_error.strip():
        standard_error = _parse_number(raw_error)
        if standard_error is None or not math.isfinite(standard_error) or standard_error <= 0:
            problems.append(
                FileProblem(
                    error_line,
                    "standard_error",
                    _("%(value)s is not a positive number.") % {"value": repr(raw_error)},
                )
            )
            ok = False

    raw_text = entry.fields.get("text", (None, entry.line))[0]
    if not ok:
        return None
    return TableRow(
        line=entry.line,
        item=number,
        difficulty=difficulty,
        standard_error=standard_error,
        text=raw_text.strip() if raw_text else None,
    )


def normalised_wording(text: str) -> str:
    words = " ".join(text.casefold().split()).strip(" .;:,")
    for prefix in ("de leraar ", "the teacher "):
        words = words.removeprefix(prefix)
    return words


def wording_matches(item: Item, text: str) -> bool:
    """Whether `text` is this item's wording in Dutch or English, allowing for the small
    differences between reproductions of the form."""
    wanted = normalised_wording(text)
    return any(
        difflib.SequenceMatcher(None, wanted, normalised_wording(own)).ratio() >= WORDING_MATCH
        for own in (item.text_nl, item.text_en)
        if own
    )


def _wording_problems(rows: list[TableRow], items: dict[int, Item]) -> list[FileProblem]:
    problems = []
    for row in rows:
        item = items[row.item]
        if row.text is None:
            problems.append(FileProblem(row.line, "text", _("the item's wording is missing.")))
        elif not wording_matches(item, row.text):
            alike = next((i for i in items.values() if wording_matches(i, row.text)), None)
            if alike is not None:
                message = _(
                    "%(text)s reads like item %(other)s (%(other_text)s), not item %(number)s "
                    "(%(own_text)s): the file numbers the items differently."
                ) % {
                    "text": repr(row.text),
                    "other": alike.number,
                    "other_text": alike.text,
                    "number": item.number,
                    "own_text": item.text,
                }
            else:
                message = _("%(text)s does not match item %(number)s (%(own_text)s).") % {
                    "text": repr(row.text),
                    "number": item.number,
                    "own_text": item.text,
                }
            problems.append(FileProblem(row.line, "text", message))
    return problems


# --- Saving calibrations ----------------------------------------------------------------------


def calibration_load_published(
    *,
    instrument: Instrument,
    content: bytes,
    filename: str,
    source: str,
    confirm_items_match: bool = False,
) -> Calibration:
    """Save a published difficulty table for the instrument's teaching items.

    Without `confirm_items_match` every row must give the item's wording, and it must match
    the instrument's item of that number: numbers alone are not trusted. With it, the person
    loading the file has checked the numbering by hand and the wording is not compared.
    """
    source = source.strip()
    if not source:
        raise CalibrationFileError(
            [FileProblem(None, None, _("Say where the table comes from (its source)."))]
        )
    items = {
        item.number: item
        for item in instrument.items.filter(domain__is_teaching=True).order_by("number")
    }
    rows, has_text = read_difficulty_table(content=content, filename=filename, items=items)
    if not confirm_items_match:
        if not has_text:
            raise CalibrationFileError(
                [
                    FileProblem(
                        None,
                        "text",
                        _(
                            "the file has no column with the items' wording. Item numbers "
                            "differ between reproductions of ICALT, so add a text column, or "
                            "check the numbering by hand and confirm that it matches."
                        ),
                    )
                ]
            )
        problems = _wording_problems(rows, items)
        if problems:
            raise CalibrationFileError(problems)
    with transaction.atomic():
        calibration = Calibration.objects.create(
            instrument=instrument, kind=CalibrationKind.PUBLISHED, source=source
        )
        ItemDifficulty.objects.bulk_create(
            ItemDifficulty(
                calibration=calibration,
                item=items[row.item],
                difficulty=row.difficulty,
                standard_error=row.standard_error,
            )
            for row in rows
        )
    return calibration


class NotEnoughObservations(analysis.InsufficientDataError):
    def __init__(self, *, count: int, minimum: int):
        super().__init__(
            _(
                "A Rasch calibration needs at least %(minimum)s final observations with scores; "
                "this installation has %(count)s so far."
            )
            % {"minimum": minimum, "count": count}
        )
        self.count = count
        self.minimum = minimum


def minimum_observations() -> int:
    return settings.ITEM_CALIBRATION_MIN_OBSERVATIONS


def calibration_estimate(
    *, instrument: Instrument, min_observations: int | None = None
) -> Calibration:
    """Fit the Rasch model on every final observation of the instrument (teaching items) and
    save the difficulties as an estimated calibration.

    Raises NotEnoughObservations below the minimum (ITEM_CALIBRATION_MIN_OBSERVATIONS unless
    given), and analysis.CalibrationError when the data cannot be fitted. Items everyone or
    no one shows get no difficulty: the zone then leaves them out and says so.
    """
    minimum = minimum_observations() if min_observations is None else min_observations
    layout = insights.instrument_layout(instrument)
    if not layout.supports_analysis:
        raise analysis.CalibrationError(
            _("A Rasch calibration needs ICALT's 1 to 4 scale; %(instrument)s uses another one.")
            % {"instrument": instrument}
        )
    responses, item_ids = insights.final_responses(layout)
    count = len(responses)
    if count < minimum:
        raise NotEnoughObservations(count=count, minimum=minimum)
    fit = analysis.rasch_fit(responses=responses, item_ids=item_ids, min_observations=minimum)
    today = timezone.localdate()
    with transaction.atomic():
        calibration = Calibration.objects.create(
            instrument=instrument,
            kind=CalibrationKind.ESTIMATED,
            observation_count=fit.n_observations,
            # Stored as a record, in English like the default order's source; the page words
            # it in the reader's language from the kind, the count and the date.
            source=f"Rasch fit on {fit.n_observations} final observations, {today:%Y-%m-%d}",
        )
        ItemDifficulty.objects.bulk_create(
            ItemDifficulty(
                calibration=calibration,
                item_id=item.item_id,
                difficulty=item.difficulty,
                standard_error=item.standard_error,
            )
            for item in fit.items
            if item.difficulty is not None
        )
    return calibration


def calibration_refit(*, instrument: Instrument) -> Calibration | None:
    """The periodic refit: a new estimated calibration only when it would differ.

    Nothing happens when no final observation arrived since the last estimate (so running it
    twice is harmless), when a published table is the newest calibration (a person chose it;
    `calibrate_items` can still replace it on purpose), or when there are too few observations.
    """
    with transaction.atomic():
        # Two workers running the job at once would both fit; the lock makes the second wait
        # and then find the first one's calibration up to date.
        Instrument.objects.select_for_update().filter(pk=instrument.pk).first()
        newest = insights.newest_calibration(instrument)
        if newest is not None and newest.kind == CalibrationKind.PUBLISHED:
            logger.info("Instrument %s uses a published calibration; not refitted.", instrument.pk)
            return None
        if newest is not None and not _has_new_observations(instrument, since=newest):
            return None
        try:
            return calibration_estimate(instrument=instrument)
        except NotEnoughObservations as error:
            logger.info("Instrument %s not refitted: %s", instrument.pk, error)
            return None


def _has_new_observations(instrument: Instrument, *, since: Calibration) -> bool:
    # The count catches an observation finalised while the last fit ran (before its row was
    # saved, but not in its data); the date catches everything else without counting.
    finalised_since = Observation.objects.filter(
        instrument=instrument,
        status=ObservationStatus.FINAL,
        finalised_at__gt=since.created_at,
    ).exists()
    return (
        finalised_since or insights.final_observation_count(instrument) != since.observation_count
    )
