"""Loading an observation instrument, or indicators for one, from a YAML or CSV file.

Two kinds of file, each in YAML or in CSV:

- **A whole instrument**, a school's own kijkwijzer in the structure of ICALT: key, version,
  name, source, the rating scale, the domains and the items, and optionally indicators under
  the items. It becomes an instrument of the chosen school. A key and version that the school
  already has are refused: a changed instrument is a new version, because observations keep
  pointing at the version they were made with. Keys of built-in instruments ("icalt") are
  reserved, so that nothing a school loads can pass for ICALT.
- **Indicators for an instrument that exists**: the instrument's key and version, a source (where
  the texts come from, e.g. "ICALT-formulier RUG versie 3.0, licentie school X") and, for each
  item, its number, its wording as a check, and its indicators. Reproductions of a form number
  their items differently (reference/icalt.md), so the number is never trusted alone: the
  preview shows the instrument's wording next to the file's, says where they differ, and
  nothing is loaded until the person importing confirms that the items match
  (`items_match_confirmed`; the command's `--confirm-items-match`). An item that already has
  an indicator at that position is refused; existing indicators are never changed.

  Indicators are loaded for one school: each school imports its own licensed copy of a form,
  and one school's texts are never shown to another. A coordinator loads them for their school
  into a built-in instrument (ICALT) or into one of the school's own; the administrator does
  the same with `manage.py load_instrument PATH --indicators --school BRIN`. Only the
  administrator, without `--school`, loads indicators shared with every school, into a
  built-in instrument. The positions a school sees (the shared indicators and its own) are
  unique per item: a school cannot use a position the shared indicators have, and the shared
  indicators cannot use one that any school has. A whole instrument's indicators belong to the
  school the instrument is loaded for.

The file, either format:

- `.yaml` / `.yml` or `.csv`; UTF-8 with or without a byte-order mark; at most 1 MB.
- Every value is checked before anything is written, and every problem is reported with the
  line and the field (a YAML path such as `items[4].domain`, counted from 1, or a CSV column or
  label as typed). A file with any problem saves nothing; a good file is saved in one
  transaction.
- Numbers (scale values, domains, items, indicator positions) are whole numbers from 1 to 999.
  Texts are single lines (runs of white space become one space): names and the source at most
  200 and 400 characters, item and indicator texts at most 400. `_nl` texts are required,
  `_en` texts optional (the English page falls back to Dutch).

YAML, a whole instrument (only the keys shown; the `_en` keys and `indicators` optional;
`teaching` is ja/nee or yes/no, default ja; items refer to their domain by number)::

    key: kijkwijzer-baken         # letters, digits, - and _
    version: "2026"
    name_nl: Kijkwijzer Het Baken
    name_en: Het Baken observation guide
    source: Vastgesteld door de sectie lesobservatie van Het Baken College, 2026
    scale:                        # values 1, 2, 3, ... without gaps; 2 to 9 levels
      - {value: 1, label_nl: onvoldoende, label_en: insufficient}
      - {value: 2, label_nl: voldoende}
    domains:
      - {number: 1, name_nl: Pedagogisch klimaat, teaching: ja}
    items:
      - number: 1
        domain: 1
        text_nl: begroet de leerlingen bij de deur
        indicators:
          - {position: 1, text_nl: noemt leerlingen bij hun naam}

YAML, indicators (`text_nl` of an item is its wording on the school's form, the check)::

    key: kijkwijzer-baken
    version: "2026"
    source: Handreiking lesobservatie Het Baken, 2026
    items:
      - number: 1
        text_nl: begroet de leerlingen bij de deur
        indicators:
          - {position: 1, text_nl: noemt leerlingen bij hun naam, text_en: uses names}

The YAML is read with `yaml.compose` and PyYAML's SafeLoader: it becomes a tree of nodes with
their line numbers and nothing is ever constructed from it. Only plain values, lists and
mappings are accepted; a tag such as `!!python/object` is refused as a problem, and so are
anchors and aliases (`&a`, `*a`: a few lines of them can stand for a tree of millions of
nodes), keys given twice and keys that are not in the structure above.

CSV: cells separated by semicolons (Dutch Excel), commas or tabs; Excel's `sep=;` first line is
understood. Above the table, one line per field: a label, then its values. Then the table: a
line naming the columns (Dutch or English names, in any order; case, spaces, `_` and `-` do not
matter), and a line for each item, or for each indicator. An item's later lines may leave its
domain and texts empty, and a domain's later lines its name: what they do give must be the
same as before, or the number is taken to be used twice. Blank lines are skipped.

A whole instrument: labels `sleutel` (key), `versie` (version), `naam` (name; Dutch, then
English), `bron` (source), `schaal` (scale: one line per level with value, Dutch, English).
Columns: `domein`, `domein_naam`, `item`, `tekst` required; `domein_naam_en`, `lesgeven`
(teaching: ja/nee), `tekst_en`, `indicator` (position), `indicator_tekst`, `indicator_tekst_en`
optional::

    sleutel;kijkwijzer-baken
    versie;2026
    naam;Kijkwijzer Het Baken;Het Baken observation guide
    bron;Vastgesteld door de sectie lesobservatie van Het Baken College, 2026
    schaal;1;onvoldoende;insufficient
    schaal;2;voldoende;sufficient

    domein;domein_naam;lesgeven;item;tekst;indicator;indicator_tekst
    1;Pedagogisch klimaat;ja;1;begroet de leerlingen bij de deur;1;noemt leerlingen bij hun naam
    1;;;1;;2;maakt een praatje
    1;;;2;zorgt voor een ontspannen sfeer;;

Indicators: labels `sleutel`, `versie`, `bron`; columns `item`, `tekst` (the item's wording, the
check) and `indicator_tekst` required, `tekst_en`, `indicator` and `indicator_tekst_en`
optional; one line per indicator::

    sleutel;kijkwijzer-baken
    versie;2026
    bron;Handreiking lesobservatie Het Baken, 2026

    item;tekst;indicator;indicator_tekst
    1;begroet de leerlingen bij de deur;1;noemt leerlingen bij hun naam

Without an `indicator` column, an item's indicators are numbered in the order of their lines.
"""

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mentoring import access
from mentoring.audit import audit_record
from observations.models import Domain, Indicator, Instrument, Item, ScaleLevel
from roles.models import School, User

# ICALT is 35 items; a megabyte is far more than any real instrument needs (a thousand items
# with ten indicators each), and the pure-Python YAML composer reads it in about two seconds.
MAX_FILE_BYTES = 1024 * 1024
MAX_NUMBER = 999
# ItemScore's check constraint allows scores 1-9, so a scale has at most nine levels.
MIN_SCALE_LEVELS, MAX_SCALE_LEVELS = 2, 9

KEY_MAX_LENGTH = Instrument._meta.get_field("key").max_length
VERSION_MAX_LENGTH = Instrument._meta.get_field("version").max_length
NAME_MAX_LENGTH = Instrument._meta.get_field("name_nl").max_length
LABEL_MAX_LENGTH = ScaleLevel._meta.get_field("label_nl").max_length
DOMAIN_NAME_MAX_LENGTH = Domain._meta.get_field("name_nl").max_length
ITEM_TEXT_MAX_LENGTH = Item._meta.get_field("text_nl").max_length
INDICATOR_TEXT_MAX_LENGTH = Indicator._meta.get_field("text_nl").max_length
# Each indicator carries the source it was imported from, so the file's source must fit there.
SOURCE_MAX_LENGTH = Indicator._meta.get_field("source").max_length


class ImportKind(models.TextChoices):
    INSTRUMENT = "instrument", _("A whole instrument: the school's own kijkwijzer")
    INDICATORS = (
        "indicators",
        _("Indicators for ICALT or another instrument the school has, for this school only"),
    )


# --- Problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: the message, and where (line and field, as in the file)."""

    message: str
    line: int | None = None
    field: str = ""

    def __str__(self) -> str:
        if self.line and self.field:
            return gettext("Line %(line)s, %(field)s: %(message)s") % {
                "line": self.line,
                "field": self.field,
                "message": self.message,
            }
        if self.line:
            return gettext("Line %(line)s: %(message)s") % {
                "line": self.line,
                "message": self.message,
            }
        if self.field:
            return gettext("%(field)s: %(message)s") % {
                "field": self.field,
                "message": self.message,
            }
        return self.message


class InstrumentFileInvalid(Exception):
    """The file cannot be loaded, for all of `problems`; nothing has been saved."""

    def __init__(self, problems: list[Problem]):
        # A stable sort: problems on one line stay in the order of the fields.
        self.problems = sorted(problems, key=lambda problem: problem.line or 0)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Where:
    """A place in the file: its line (None when the field is absent) and the field's name."""

    line: int | None
    field: str


@dataclass(frozen=True)
class Cell:
    """A value as typed, and where. `text` is None when the value was wrong and is reported."""

    text: str | None
    at: Where


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Checker:
    """Turns typed values into checked ones, and collects what is wrong with them."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, at: Where, message: str) -> None:
        self.problems.append(Problem(message=message, line=at.line, field=at.field))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InstrumentFileInvalid(self.problems)

    def text(self, cell: Cell, *, max_length: int, required: bool = True) -> str:
        if cell.text is None:
            return ""
        text = _one_line(cell.text)
        if not text:
            if required:
                self.add(cell.at, gettext("This is required but missing or empty."))
        elif len(text) > max_length:
            self.add(
                cell.at,
                gettext("This is %(length)s characters long; at most %(max)s fit.")
                % {"length": len(text), "max": max_length},
            )
        elif any(unicodedata.category(char) == "Cc" for char in text):
            self.add(cell.at, gettext("This contains a control character."))
        return text

    def number(self, cell: Cell, *, required: bool = True) -> int | None:
        if cell.text is None:
            return None
        text = cell.text.strip()
        if not text:
            if required:
                self.add(cell.at, gettext("This is required but missing or empty."))
            return None
        if not re.fullmatch(r"[0-9]+", text) or not 1 <= int(text) <= MAX_NUMBER:
            self.add(
                cell.at,
                gettext("“%(value)s” is not a whole number from 1 to %(max)s.")
                % {"value": text, "max": MAX_NUMBER},
            )
            return None
        return int(text)

    def yes_no(self, cell: Cell) -> bool | None:
        """True or False, or None when the cell is empty (or wrong, and reported)."""
        if cell.text is None or not cell.text.strip():
            return None
        answer = YES_NO.get(cell.text.strip().casefold())
        if answer is None:
            self.add(
                cell.at,
                gettext("“%(value)s” is not yes or no: write ja or nee (or yes or no).")
                % {"value": cell.text.strip()},
            )
        return answer

    def key(self, cell: Cell) -> str:
        key = self.text(cell, max_length=KEY_MAX_LENGTH)
        if key and len(key) <= KEY_MAX_LENGTH:
            try:
                validate_slug(key)
            except ValidationError:
                self.add(
                    cell.at,
                    gettext(
                        "A key may contain only letters, digits, hyphens and underscores, "
                        "such as “kijkwijzer-2026”."
                    ),
                )
        return key


YES_NO = {
    **dict.fromkeys(("ja", "j", "yes", "y", "true", "waar", "1"), True),
    **dict.fromkeys(("nee", "n", "no", "false", "onwaar", "0"), False),
}


# --- What a file holds, checked ---------------------------------------------------------------


@dataclass
class ScaleLevelData:
    value: int | None
    label_nl: str
    label_en: str
    at: Where


@dataclass
class DomainData:
    number: int | None
    name_nl: str
    name_en: str
    is_teaching: bool
    at: Where


@dataclass
class IndicatorData:
    position: int | None
    text_nl: str
    text_en: str
    at: Where


@dataclass
class ItemData:
    """An item: for a whole instrument its text; for indicators its wording on the form."""

    number: int | None
    text_nl: str
    text_en: str
    at: Where
    domain_number: int | None = None
    domain_at: Where | None = None
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass
class InstrumentData:
    key: str
    version: str
    name_nl: str
    name_en: str
    source: str
    key_at: Where
    scale_at: Where
    domains_at: Where
    items_at: Where
    scale: list[ScaleLevelData] = field(default_factory=list)
    domains: list[DomainData] = field(default_factory=list)
    items: list[ItemData] = field(default_factory=list)

    @property
    def indicator_count(self) -> int:
        return sum(len(item.indicators) for item in self.items)


@dataclass
class IndicatorsData:
    key: str
    version: str
    source: str
    key_at: Where
    items_at: Where
    items: list[ItemData] = field(default_factory=list)


# --- Reading the bytes ------------------------------------------------------------------------


def _unreadable(message: str, line: int | None = None) -> InstrumentFileInvalid:
    return InstrumentFileInvalid([Problem(message=message, line=line)])


def _decoded(filename: str, data: bytes) -> tuple[str, str]:
    """The file's format ("yaml" or "csv") and its text; InstrumentFileInvalid if unreadable."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".yaml", ".yml"):
        file_format = "yaml"
    elif suffix == ".csv":
        file_format = "csv"
    else:
        raise _unreadable(gettext("Load a YAML file (.yaml or .yml) or a CSV file (.csv)."))
    if len(data) > MAX_FILE_BYTES:
        raise _unreadable(
            gettext("The file is larger than %(max)s, the most that can be loaded at once.")
            % {"max": filesizeformat(MAX_FILE_BYTES)}
        )
    if data.startswith(b"PK\x03\x04"):
        raise _unreadable(
            gettext(
                "This is an Excel workbook or another zipped file, not a text file. In Excel, "
                "choose “Save as” and the file type “CSV UTF-8”, and load that file."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _unreadable(
            gettext(
                "The file is not saved as UTF-8 text: this line has a character that cannot be "
                "read. Save the file as UTF-8 (in Excel: the file type “CSV UTF-8”) and load it "
                "again."
            ),
            line=data.count(b"\n", 0, error.start) + 1,
        ) from None
    if "\x00" in text:
        raise _unreadable(
            gettext("The file contains characters that do not belong in a text file.")
        )
    if not text.strip():
        raise _unreadable(gettext("The file is empty."))
    return file_format, text


def instrument_file_read(*, filename: str, data: bytes) -> InstrumentData:
    """A whole instrument from the file, every value checked; InstrumentFileInvalid if not.

    Uses no database: the checks against what is already loaded are `instrument_load`'s.
    """
    file_format, text = _decoded(filename, data)
    checker = _Checker()
    if file_format == "yaml":
        parsed = _instrument_from_yaml(text, checker)
    else:
        parsed = _instrument_from_csv(text, checker)
    _check_instrument(checker, parsed)
    checker.raise_if_any()
    return parsed


def indicators_file_read(*, filename: str, data: bytes) -> IndicatorsData:
    """Indicators from the file, every value checked; InstrumentFileInvalid if not."""
    file_format, text = _decoded(filename, data)
    checker = _Checker()
    if file_format == "yaml":
        parsed = _indicators_from_yaml(text, checker)
    else:
        parsed = _indicators_from_csv(text, checker)
    _check_indicator_items(checker, parsed)
    checker.raise_if_any()
    return parsed


# --- YAML -------------------------------------------------------------------------------------

INSTRUMENT_KEYS = ("key", "version", "name_nl", "name_en", "source", "scale", "domains", "items")
SCALE_KEYS = ("value", "label_nl", "label_en")
DOMAIN_KEYS = ("number", "name_nl", "name_en", "teaching")
ITEM_KEYS = ("number", "domain", "text_nl", "text_en", "indicators")
INDICATOR_KEYS = ("position", "text_nl", "text_en")
INDICATORS_FILE_KEYS = ("key", "version", "source", "items")
INDICATORS_ITEM_KEYS = ("number", "text_nl", "text_en", "indicators")

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_NULL = _CORE + "null"
_ALLOWED_TAGS = _SCALAR_TAGS | {_CORE + "seq", _CORE + "map"}


class _AliasFound(Exception):
    def __init__(self, mark):
        super().__init__()
        self.mark = mark


class _ComposeOnlyLoader(yaml.SafeLoader):
    """The safe loader, used only to compose nodes, refusing aliases as they are met."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(self.peek_event().start_mark)
        return super().compose_node(parent, index)


def _yaml_root(text: str) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=_ComposeOnlyLoader)
    except _AliasFound as alias:
        raise _unreadable(
            gettext("Anchors and aliases (&name, *name) are not supported: write the value out."),
            line=alias.mark.line + 1,
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise _unreadable(
            gettext("This is not valid YAML (column %(column)s): %(problem)s.")
            % {"column": mark.column + 1, "problem": error.problem or error.context},
            line=mark.line + 1,
        ) from None
    except yaml.reader.ReaderError as error:
        raise _unreadable(
            gettext("The file contains a character that is not allowed in YAML."),
            line=text.count("\n", 0, error.position) + 1,
        ) from None
    except yaml.YAMLError:
        raise _unreadable(gettext("This is not valid YAML.")) from None
    except RecursionError:
        raise _unreadable(gettext("The file is nested too deeply to be read.")) from None
    if root is None:
        raise _unreadable(gettext("The file is empty."))
    return root


def _tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


class _YamlMapping:
    """A mapping in the file, read key by key; unknown keys and keys given twice are problems."""

    def __init__(self, node: yaml.Node, path: str, checker: _Checker, known: tuple[str, ...]):
        self.path, self.checker = path, checker
        self.line = node.start_mark.line + 1
        self.values: dict[str, yaml.Node] = {}
        self.key_lines: dict[str, int] = {}
        self.unknown: list[str] = []
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            where = Where(key_node.start_mark.line + 1, self._path(key))
            if key not in known:
                self.unknown.append(key)
                checker.add(
                    where,
                    gettext("“%(key)s” is not a known key here. The keys are: %(known)s.")
                    % {"key": key, "known": ", ".join(known)},
                )
            elif key in self.values:
                checker.add(
                    where,
                    gettext("“%(key)s” is given twice; the first is on line %(line)s.")
                    % {"key": key, "line": self.key_lines[key]},
                )
            else:
                self.values[key] = value_node
                self.key_lines[key] = where.line

    @classmethod
    def root(cls, text: str, checker: _Checker, known: tuple[str, ...]) -> "_YamlMapping":
        node = _yaml_root(text)
        if not isinstance(node, yaml.MappingNode):
            raise InstrumentFileInvalid(
                [
                    Problem(
                        message=gettext(
                            "The file must consist of “key: value” lines, starting with "
                            "“key:”, as in the example."
                        ),
                        line=node.start_mark.line + 1,
                    )
                ]
            )
        if node.tag != _CORE + "map":
            checker.add(Where(node.start_mark.line + 1, ""), _tag_not_allowed(node.tag))
        return cls(node, "", checker, known)

    def _path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def where(self, key: str) -> Where:
        """The key's line; the mapping's own first line when the key is missing."""
        return Where(self.key_lines.get(key, self.line), self._path(key))

    def cell(self, key: str) -> Cell:
        node, where = self.values.get(key), self.where(key)
        if node is None:
            return Cell("", where)
        if node.tag not in _ALLOWED_TAGS:
            self.checker.add(where, _tag_not_allowed(node.tag))
            return Cell(None, where)
        if not isinstance(node, yaml.ScalarNode):
            self.checker.add(where, gettext("This should be a single value, not a list or keys."))
            return Cell(None, where)
        # The text as written: `version: 1.10` stays "1.10", `teaching: ja` stays "ja".
        return Cell("" if node.tag == _NULL else node.value, where)

    def mappings(self, key: str, known: tuple[str, ...]) -> list["_YamlMapping"]:
        node, where = self.values.get(key), self.where(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
            return []
        if node.tag not in _ALLOWED_TAGS:
            self.checker.add(where, _tag_not_allowed(node.tag))
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.checker.add(where, gettext("This should be a list, with lines starting “- ”."))
            return []
        mappings = []
        for index, child in enumerate(node.value, start=1):
            path = f"{where.field}[{index}]"
            at = Where(child.start_mark.line + 1, path)
            if child.tag not in _ALLOWED_TAGS:
                self.checker.add(at, _tag_not_allowed(child.tag))
            elif not isinstance(child, yaml.MappingNode):
                self.checker.add(
                    at, gettext("This should be a set of “key: value” lines, not a single value.")
                )
            else:
                mappings.append(_YamlMapping(child, path, self.checker, known))
        return mappings


def _tag_not_allowed(tag: str) -> str:
    return gettext(
        "The YAML tag “%(tag)s” is not allowed: the file may hold only plain values, lists and "
        "keys."
    ) % {"tag": _tag(tag)}


def _wrong_kind(checker: _Checker, *, line: int | None, kind: str) -> None:
    if kind == ImportKind.INSTRUMENT:
        message = gettext(
            "This looks like a file of indicators for an instrument, not a whole instrument. "
            "Choose “indicators” to load it."
        )
    else:
        message = gettext(
            "This looks like a whole instrument, not a file of indicators. Choose “a whole "
            "instrument” to load it."
        )
    checker.add(Where(line, ""), message)


def _indicators_of(checker: _Checker, mapping: _YamlMapping) -> list[IndicatorData]:
    indicators = []
    for entry in mapping.mappings("indicators", INDICATOR_KEYS):
        position = entry.cell("position")
        indicators.append(
            IndicatorData(
                position=checker.number(position),
                text_nl=checker.text(entry.cell("text_nl"), max_length=INDICATOR_TEXT_MAX_LENGTH),
                text_en=checker.text(
                    entry.cell("text_en"), max_length=INDICATOR_TEXT_MAX_LENGTH, required=False
                ),
                at=position.at,
            )
        )
    return indicators


def _instrument_from_yaml(text: str, checker: _Checker) -> InstrumentData:
    root = _YamlMapping.root(text, checker, INSTRUMENT_KEYS)
    if "domains" not in root.values and "scale" not in root.values and "items" in root.values:
        _wrong_kind(checker, line=root.line, kind=ImportKind.INSTRUMENT)
    key = root.cell("key")
    data = InstrumentData(
        key=checker.key(key),
        version=checker.text(root.cell("version"), max_length=VERSION_MAX_LENGTH),
        name_nl=checker.text(root.cell("name_nl"), max_length=NAME_MAX_LENGTH),
        name_en=checker.text(root.cell("name_en"), max_length=NAME_MAX_LENGTH, required=False),
        source=checker.text(root.cell("source"), max_length=SOURCE_MAX_LENGTH),
        key_at=key.at,
        scale_at=root.where("scale"),
        domains_at=root.where("domains"),
        items_at=root.where("items"),
    )
    for entry in root.mappings("scale", SCALE_KEYS):
        value = entry.cell("value")
        data.scale.append(
            ScaleLevelData(
                value=checker.number(value),
                label_nl=checker.text(entry.cell("label_nl"), max_length=LABEL_MAX_LENGTH),
                label_en=checker.text(
                    entry.cell("label_en"), max_length=LABEL_MAX_LENGTH, required=False
                ),
                at=value.at,
            )
        )
    for entry in root.mappings("domains", DOMAIN_KEYS):
        number = entry.cell("number")
        teaching = checker.yes_no(entry.cell("teaching"))
        data.domains.append(
            DomainData(
                number=checker.number(number),
                name_nl=checker.text(entry.cell("name_nl"), max_length=DOMAIN_NAME_MAX_LENGTH),
                name_en=checker.text(
                    entry.cell("name_en"), max_length=DOMAIN_NAME_MAX_LENGTH, required=False
                ),
                is_teaching=teaching is not False,
                at=number.at,
            )
        )
    for entry in root.mappings("items", ITEM_KEYS):
        number, domain = entry.cell("number"), entry.cell("domain")
        data.items.append(
            ItemData(
                number=checker.number(number),
                text_nl=checker.text(entry.cell("text_nl"), max_length=ITEM_TEXT_MAX_LENGTH),
                text_en=checker.text(
                    entry.cell("text_en"), max_length=ITEM_TEXT_MAX_LENGTH, required=False
                ),
                at=number.at,
                domain_number=checker.number(domain),
                domain_at=domain.at,
                indicators=_indicators_of(checker, entry),
            )
        )
    return data


def _indicators_from_yaml(text: str, checker: _Checker) -> IndicatorsData:
    root = _YamlMapping.root(text, checker, INDICATORS_FILE_KEYS)
    if {"domains", "scale", "name_nl"} & set(root.unknown):
        _wrong_kind(checker, line=root.line, kind=ImportKind.INDICATORS)
    key = root.cell("key")
    data = IndicatorsData(
        key=checker.key(key),
        version=checker.text(root.cell("version"), max_length=VERSION_MAX_LENGTH),
        source=checker.text(root.cell("source"), max_length=SOURCE_MAX_LENGTH),
        key_at=key.at,
        items_at=root.where("items"),
    )
    for entry in root.mappings("items", INDICATORS_ITEM_KEYS):
        number = entry.cell("number")
        data.items.append(
            ItemData(
                number=checker.number(number),
                text_nl=checker.text(entry.cell("text_nl"), max_length=ITEM_TEXT_MAX_LENGTH),
                text_en=checker.text(
                    entry.cell("text_en"), max_length=ITEM_TEXT_MAX_LENGTH, required=False
                ),
                at=number.at,
                indicators=_indicators_of(checker, entry),
            )
        )
    return data


# --- CSV --------------------------------------------------------------------------------------


def _key(text: str) -> str:
    """A label or column name as compared: no case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(char for char in decomposed if char.isalnum())


# The first name of each is the one the documentation uses, and the one a problem names when
# the column or label is absent.
COLUMN_NAMES = {
    "domain": ("domein", "domain", "domeinnummer", "domain number"),
    "domain_name_nl": ("domein_naam", "domain_name", "domein_naam_nl", "domain_name_nl"),
    "domain_name_en": ("domein_naam_en", "domain_name_en"),
    "teaching": ("lesgeven", "teaching"),
    "item": ("item", "itemnummer", "item number"),
    "text_nl": ("tekst", "text", "tekst_nl", "text_nl", "item_tekst", "item_text"),
    "text_en": ("tekst_en", "text_en", "item_tekst_en", "item_text_en"),
    "position": ("indicator", "positie", "position", "indicator_nummer", "indicator_number"),
    "indicator_text_nl": ("indicator_tekst", "indicator_text", "indicator_tekst_nl"),
    "indicator_text_en": ("indicator_tekst_en", "indicator_text_en"),
}
COLUMN_FOR_KEY = {_key(name): column for column, names in COLUMN_NAMES.items() for name in names}
INSTRUMENT_COLUMNS = tuple(COLUMN_NAMES)
INSTRUMENT_REQUIRED_COLUMNS = ("domain", "domain_name_nl", "item", "text_nl")
INDICATORS_COLUMNS = (
    "item",
    "text_nl",
    "text_en",
    "position",
    "indicator_text_nl",
    "indicator_text_en",
)
INDICATORS_REQUIRED_COLUMNS = ("item", "text_nl", "indicator_text_nl")
# Columns of a whole instrument only: in an indicators file they mean the wrong kind was chosen.
DOMAIN_COLUMN_KEYS = {
    _key(name)
    for column in ("domain", "domain_name_nl", "domain_name_en", "teaching")
    for name in COLUMN_NAMES[column]
}

LABEL_NAMES = {
    "key": ("sleutel", "key", "code"),
    "version": ("versie", "version"),
    "name": ("naam", "name"),
    "source": ("bron", "source"),
    "scale": ("schaal", "scale"),
}
LABEL_FOR_KEY = {_key(name): label for label, names in LABEL_NAMES.items() for name in names}
# How many values follow each label: the name in Dutch and English; a scale level's value and
# its label in Dutch and English.
LABEL_VALUES = {"key": 1, "version": 1, "name": 2, "source": 1, "scale": 3}


@dataclass
class _CsvTable:
    delimiter: str
    header_line: int
    width: int  # cells in the line naming the columns
    head: list[tuple[int, list[str]]]  # the lines above the table
    columns: dict[str, tuple[int, str]]  # column -> (index, name as typed)
    rows: list["_CsvRow"]


@dataclass
class _CsvRow:
    line: int
    cells: list[str]
    columns: dict[str, tuple[int, str]]

    def has(self, column: str) -> bool:
        return column in self.columns

    def cell(self, column: str) -> Cell:
        index, name = self.columns.get(column, (None, COLUMN_NAMES[column][0]))
        text = self.cells[index] if index is not None and index < len(self.cells) else ""
        return Cell(text, Where(self.line, name))

    def given(self, column: str) -> str:
        return _one_line(self.cell(column).text)


def _unclosed_quote() -> str:
    return gettext("This line could not be read. Check it for a quotation mark that is not closed.")


def _csv_header(lines: list[str], first: int, delimiter: str | None) -> tuple[int, str] | None:
    """(line number, delimiter) of the line naming the columns: the first with an item column.

    The labels and values above it may well contain commas (a source usually does), so the
    delimiter is the one that makes that line name its columns.
    """
    item_names = {_key(name) for name in COLUMN_NAMES["item"]}
    for number, line in enumerate(lines[first:], start=first + 1):
        best = None
        for candidate in (delimiter,) if delimiter else (";", ",", "\t"):
            cells = [cell.strip().strip('"').strip() for cell in line.split(candidate)]
            names_columns = len(cells) > 1 and any(_key(cell) in item_names for cell in cells)
            if names_columns and (best is None or len(cells) > best[1]):
                best = (candidate, len(cells))
        if best is not None:
            return number, best[0]
    return None


def _csv_read(
    text: str, *, columns: tuple[str, ...], required: tuple[str, ...], example: str
) -> _CsvTable:
    lines = list(io.StringIO(text, newline=""))
    first_line = lines[0].strip() if lines else ""
    delimiter, first = None, 0
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        delimiter, first = first_line[4], 1  # Excel's own hint, not part of the file's content
    found = _csv_header(lines, first, delimiter)
    if found is None:
        raise _unreadable(
            gettext(
                "No line names the table's columns. The table starts with a line such as: "
                "%(example)s"
            )
            % {"example": example}
        )
    header_line, delimiter = found
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            if start > first and any(cell.strip() for cell in record):
                records.append((start, [cell.strip() for cell in record]))
            start = reader.line_num + 1
    except csv.Error:
        raise _unreadable(_unclosed_quote(), line=start) from None

    header = next((cells for line, cells in records if line == header_line), None)
    if header is None:  # the line is inside a quoted value that spans lines
        raise _unreadable(_unclosed_quote(), line=header_line)
    table_columns: dict[str, tuple[int, str]] = {}
    problems = []
    names = ", ".join(COLUMN_NAMES[allowed][0] for allowed in columns)
    for index, name in enumerate(header):
        if not name:
            continue
        column = COLUMN_FOR_KEY.get(_key(name))
        if column not in columns:
            problems.append(
                Problem(
                    message=gettext(
                        "“%(column)s” is not a column of this kind of file. The columns are: "
                        "%(columns)s."
                    )
                    % {"column": name, "columns": names},
                    line=header_line,
                    field=name,
                )
            )
        elif column in table_columns:
            problems.append(
                Problem(
                    message=gettext("This column is named twice."), line=header_line, field=name
                )
            )
        else:
            table_columns[column] = (index, name)
    missing = [COLUMN_NAMES[column][0] for column in required if column not in table_columns]
    if missing:
        problems.append(
            Problem(
                message=gettext("The table has no column for: %(columns)s.")
                % {"columns": ", ".join(missing)},
                line=header_line,
            )
        )
    if problems:
        raise InstrumentFileInvalid(problems)
    return _CsvTable(
        delimiter=delimiter,
        header_line=header_line,
        width=len(header),
        head=[(line, cells) for line, cells in records if line < header_line],
        columns=table_columns,
        rows=[
            _CsvRow(line=line, cells=cells, columns=table_columns)
            for line, cells in records
            if line > header_line
        ],
    )


class _CsvHead:
    """The labelled lines above the table: `sleutel;kijkwijzer-baken` and so on."""

    def __init__(self, table: _CsvTable, checker: _Checker, labels: tuple[str, ...]):
        self.lines: dict[str, list[tuple[int, str, list[str]]]] = {}
        for line, cells in table.head:
            typed = cells[0]
            label = LABEL_FOR_KEY.get(_key(typed))
            where = Where(line, typed)
            if label not in labels:
                checker.add(
                    where,
                    gettext("“%(label)s” is not known above the table. The labels are: %(labels)s.")
                    % {"label": typed, "labels": ", ".join(LABEL_NAMES[x][0] for x in labels)},
                )
                continue
            if label != "scale" and label in self.lines:
                checker.add(
                    where,
                    gettext("“%(label)s” is given twice; the first is on line %(line)s.")
                    % {"label": typed, "line": self.lines[label][0][0]},
                )
                continue
            values = cells[1:]
            while values and not values[-1]:
                values.pop()
            if len(values) > LABEL_VALUES[label]:
                checker.add(
                    where,
                    ngettext(
                        "This line has %(count)s values where %(max)s fits. A value that "
                        "contains “%(delimiter)s” must be put in double quotes.",
                        "This line has %(count)s values where %(max)s fit. A value that "
                        "contains “%(delimiter)s” must be put in double quotes.",
                        LABEL_VALUES[label],
                    )
                    % {
                        "count": len(values),
                        "max": LABEL_VALUES[label],
                        "delimiter": table.delimiter,
                    },
                )
                values = [None] * LABEL_VALUES[label]
            self.lines.setdefault(label, []).append((line, typed, values))

    def where(self, label: str) -> Where:
        lines = self.lines.get(label)
        return Where(lines[0][0], lines[0][1]) if lines else Where(None, LABEL_NAMES[label][0])

    def cells(self, label: str) -> list[list[Cell]]:
        """The values of each line with the label, as many as the label takes."""
        return [
            [
                Cell(values[index] if index < len(values) else "", Where(line, typed))
                for index in range(LABEL_VALUES[label])
            ]
            for line, typed, values in self.lines.get(label, [])
        ]

    def one(self, label: str) -> list[Cell]:
        lines = self.cells(label)
        if lines:
            return lines[0]
        return [Cell("", self.where(label))] * LABEL_VALUES[label]


def _same_text(first: str, other: str) -> bool:
    return first.casefold() == other.casefold()


def _csv_indicator(checker: _Checker, row: _CsvRow, item: ItemData) -> None:
    """The row's indicator for the item, if it gives one."""
    text_cell, position_cell = row.cell("indicator_text_nl"), row.cell("position")
    if not (row.given("indicator_text_nl") or row.given("indicator_text_en")):
        if row.given("position"):
            checker.text(text_cell, max_length=INDICATOR_TEXT_MAX_LENGTH)  # reports it missing
        return
    if row.has("position"):
        position, at = checker.number(position_cell), position_cell.at
    else:
        position, at = len(item.indicators) + 1, text_cell.at
    item.indicators.append(
        IndicatorData(
            position=position,
            text_nl=checker.text(text_cell, max_length=INDICATOR_TEXT_MAX_LENGTH),
            text_en=checker.text(
                row.cell("indicator_text_en"),
                max_length=INDICATOR_TEXT_MAX_LENGTH,
                required=False,
            ),
            at=at,
        )
    )


def _csv_same_item(checker: _Checker, row: _CsvRow, item: ItemData) -> bool:
    """Whether a further line of an item repeats its texts (or leaves them out); if not, the
    number is used for two items, and that is reported."""
    for column, known in (("text_nl", item.text_nl), ("text_en", item.text_en)):
        text = row.given(column)
        if text and known and not _same_text(text, known):
            checker.add(
                row.cell(column).at,
                gettext(
                    "Item number %(number)s is already used on line %(line)s, for “%(text)s”. "
                    "Each item needs its own number."
                )
                % {"number": item.number, "line": item.at.line, "text": known},
            )
            return False
    return True


def _csv_item_again(checker: _Checker, row: _CsvRow, item: ItemData) -> None:
    """A further line of an item already given: only for another indicator."""
    if not _csv_same_item(checker, row, item):
        return
    if not (row.given("indicator_text_nl") or row.given("indicator_text_en")):
        checker.add(
            row.cell("item").at,
            gettext(
                "Item %(number)s is already on line %(line)s. Give an item a further line only "
                "for another indicator."
            )
            % {"number": item.number, "line": item.at.line},
        )


def _csv_domain(
    checker: _Checker, row: _CsvRow, number: int, domains: dict[int, DomainData]
) -> None:
    """Define the domain on its first line; a later line may repeat what it gives, no more."""
    domain = domains.get(number)
    teaching = checker.yes_no(row.cell("teaching"))
    if domain is None:
        name_cell = row.cell("domain_name_nl")
        domains[number] = DomainData(
            number=number,
            name_nl=checker.text(name_cell, max_length=DOMAIN_NAME_MAX_LENGTH),
            name_en=checker.text(
                row.cell("domain_name_en"), max_length=DOMAIN_NAME_MAX_LENGTH, required=False
            ),
            is_teaching=teaching is not False,
            at=row.cell("domain").at,
        )
        return
    name = row.given("domain_name_nl")
    if name and domain.name_nl and not _same_text(name, domain.name_nl):
        checker.add(
            row.cell("domain_name_nl").at,
            gettext(
                "Domain number %(number)s is already used on line %(line)s, for “%(name)s”. "
                "Each domain needs its own number."
            )
            % {"number": number, "line": domain.at.line, "name": domain.name_nl},
        )
        return
    name_en = row.given("domain_name_en")
    differs = (name_en and domain.name_en and not _same_text(name_en, domain.name_en)) or (
        teaching is not None and teaching != domain.is_teaching
    )
    if differs:
        checker.add(
            Where(row.line, ""),
            gettext(
                "Domain %(number)s is given differently on line %(line)s. Give a domain the "
                "same way on each of its lines, or leave it empty after the first."
            )
            % {"number": number, "line": domain.at.line},
        )


def _instrument_from_csv(text: str, checker: _Checker) -> InstrumentData:
    table = _csv_read(
        text,
        columns=INSTRUMENT_COLUMNS,
        required=INSTRUMENT_REQUIRED_COLUMNS,
        example="domein;domein_naam;item;tekst",
    )
    head = _CsvHead(table, checker, ("key", "version", "name", "source", "scale"))
    (key,) = head.one("key")
    (version,) = head.one("version")
    name_nl, name_en = head.one("name")
    (source,) = head.one("source")
    table_start = Where(table.header_line, "")
    data = InstrumentData(
        key=checker.key(key),
        version=checker.text(version, max_length=VERSION_MAX_LENGTH),
        name_nl=checker.text(name_nl, max_length=NAME_MAX_LENGTH),
        name_en=checker.text(name_en, max_length=NAME_MAX_LENGTH, required=False),
        source=checker.text(source, max_length=SOURCE_MAX_LENGTH),
        key_at=key.at,
        scale_at=head.where("scale"),
        domains_at=table_start,
        items_at=table_start,
    )
    for value, label_nl, label_en in head.cells("scale"):
        data.scale.append(
            ScaleLevelData(
                value=checker.number(value),
                label_nl=checker.text(label_nl, max_length=LABEL_MAX_LENGTH),
                label_en=checker.text(label_en, max_length=LABEL_MAX_LENGTH, required=False),
                at=value.at,
            )
        )

    domains: dict[int, DomainData] = {}
    items: dict[int, ItemData] = {}
    for row in table.rows:
        _check_width(checker, row, table)
        number_cell, domain_cell = row.cell("item"), row.cell("domain")
        number = checker.number(number_cell)
        item = items.get(number)
        # An item's first line gives its domain; its later lines may leave it out.
        domain_number = checker.number(domain_cell, required=item is None)
        if domain_number is not None:
            _csv_domain(checker, row, domain_number, domains)
        if number is None:
            continue
        if item is None:
            item = items[number] = ItemData(
                number=number,
                text_nl=checker.text(row.cell("text_nl"), max_length=ITEM_TEXT_MAX_LENGTH),
                text_en=checker.text(
                    row.cell("text_en"), max_length=ITEM_TEXT_MAX_LENGTH, required=False
                ),
                at=number_cell.at,
                domain_number=domain_number,
                domain_at=domain_cell.at,
            )
        elif domain_number is not None and domain_number != item.domain_number:
            checker.add(
                domain_cell.at,
                gettext(
                    "Item %(number)s is in domain %(domain)s on line %(line)s; an item belongs "
                    "to one domain."
                )
                % {"number": number, "domain": item.domain_number, "line": item.at.line},
            )
        else:
            _csv_item_again(checker, row, item)
        _csv_indicator(checker, row, item)
    data.domains = list(domains.values())
    data.items = list(items.values())
    return data


def _check_width(checker: _Checker, row: _CsvRow, table: _CsvTable) -> None:
    if not any(row.cells[table.width :]):
        return
    checker.add(
        Where(row.line, ""),
        gettext(
            "This line has more values than the table has columns. A value that contains "
            "“%(delimiter)s” must be put in double quotes."
        )
        % {"delimiter": table.delimiter},
    )


def _indicators_from_csv(text: str, checker: _Checker) -> IndicatorsData:
    try:
        table = _csv_read(
            text,
            columns=INDICATORS_COLUMNS,
            required=INDICATORS_REQUIRED_COLUMNS,
            example="item;tekst;indicator;indicator_tekst",
        )
    except InstrumentFileInvalid as error:
        if any(_key(problem.field) in DOMAIN_COLUMN_KEYS for problem in error.problems):
            _wrong_kind(checker, line=None, kind=ImportKind.INDICATORS)
            raise InstrumentFileInvalid(checker.problems + error.problems) from None
        raise
    head = _CsvHead(table, checker, ("key", "version", "source"))
    (key,) = head.one("key")
    (version,) = head.one("version")
    (source,) = head.one("source")
    data = IndicatorsData(
        key=checker.key(key),
        version=checker.text(version, max_length=VERSION_MAX_LENGTH),
        source=checker.text(source, max_length=SOURCE_MAX_LENGTH),
        key_at=key.at,
        items_at=Where(table.header_line, ""),
    )
    items: dict[int, ItemData] = {}
    for row in table.rows:
        _check_width(checker, row, table)
        number_cell = row.cell("item")
        number = checker.number(number_cell)
        if number is None:
            continue
        item = items.get(number)
        if item is None:
            item = items[number] = ItemData(
                number=number,
                text_nl=checker.text(row.cell("text_nl"), max_length=ITEM_TEXT_MAX_LENGTH),
                text_en=checker.text(
                    row.cell("text_en"), max_length=ITEM_TEXT_MAX_LENGTH, required=False
                ),
                at=number_cell.at,
            )
        else:
            _csv_same_item(checker, row, item)
        if not (row.given("indicator_text_nl") or row.given("indicator_text_en")):
            checker.text(row.cell("indicator_text_nl"), max_length=INDICATOR_TEXT_MAX_LENGTH)
            continue
        _csv_indicator(checker, row, item)
    data.items = list(items.values())
    return data


# --- Checks on the whole file -----------------------------------------------------------------


def _check_unique(checker: _Checker, records: list, number_of: Callable, message: str) -> dict:
    """The records by number; a number used again is reported with `message` (number, line)."""
    first = {}
    for record in records:
        number = number_of(record)
        if number is None:
            continue
        if number in first:
            checker.add(record.at, message % {"number": number, "line": first[number].at.line})
        else:
            first[number] = record
    return first


def _check_indicators(checker: _Checker, item: ItemData) -> None:
    _check_unique(
        checker,
        item.indicators,
        lambda indicator: indicator.position,
        gettext(
            "Position %(number)s is already used on line %(line)s by another indicator of this "
            "item."
        ),
    )


def _check_instrument(checker: _Checker, data: InstrumentData) -> None:
    levels = _check_unique(
        checker,
        data.scale,
        lambda level: level.value,
        gettext("Scale value %(number)s is already given on line %(line)s."),
    )
    if not MIN_SCALE_LEVELS <= len(data.scale) <= MAX_SCALE_LEVELS:
        checker.add(
            data.scale_at,
            gettext(
                "The scale needs from %(min)s to %(max)s levels, with the values 1, 2, 3 and so "
                "on; this file has %(count)s."
            )
            % {"min": MIN_SCALE_LEVELS, "max": MAX_SCALE_LEVELS, "count": len(data.scale)},
        )
    elif len(levels) == len(data.scale):
        missing = sorted(set(range(1, len(levels) + 1)) - set(levels))
        if missing:
            checker.add(
                data.scale_at,
                ngettext(
                    "The scale values must be 1, 2, 3 and so on, without gaps: %(missing)s is "
                    "missing.",
                    "The scale values must be 1, 2, 3 and so on, without gaps: %(missing)s are "
                    "missing.",
                    len(missing),
                )
                % {"missing": ", ".join(map(str, missing))},
            )

    domains = _check_unique(
        checker,
        data.domains,
        lambda domain: domain.number,
        gettext(
            "Domain number %(number)s is already used on line %(line)s. Each domain needs its "
            "own number."
        ),
    )
    if not data.domains:
        checker.add(data.domains_at, gettext("The instrument has no domains."))
    elif not any(domain.is_teaching for domain in data.domains):
        checker.add(
            data.domains_at,
            gettext(
                "At least one domain must be about teaching (teaching: ja); the teaching score "
                "is made from those."
            ),
        )

    _check_unique(
        checker,
        data.items,
        lambda item: item.number,
        gettext(
            "Item number %(number)s is already used on line %(line)s. Each item needs its own "
            "number."
        ),
    )
    if not data.items:
        checker.add(data.items_at, gettext("The instrument has no items."))
    used = set()
    for item in data.items:
        if item.domain_number is not None:
            used.add(item.domain_number)
            if item.domain_number not in domains:
                checker.add(
                    item.domain_at,
                    gettext("Domain %(number)s is not in the file's list of domains.")
                    % {"number": item.domain_number},
                )
        _check_indicators(checker, item)
    for number, domain in domains.items():
        if number not in used:
            checker.add(domain.at, gettext("Domain %(number)s has no items.") % {"number": number})


def _check_indicator_items(checker: _Checker, data: IndicatorsData) -> None:
    _check_unique(
        checker,
        data.items,
        lambda item: item.number,
        gettext(
            "Item number %(number)s is already used on line %(line)s. Each item needs its own "
            "number."
        ),
    )
    if not data.items:
        checker.add(data.items_at, gettext("The file has no items with indicators."))
    for item in data.items:
        if not item.indicators and item.number is not None:
            checker.add(
                item.at,
                gettext("Item %(number)s has no indicators.") % {"number": item.number},
            )
        _check_indicators(checker, item)


# --- Loading a whole instrument ---------------------------------------------------------------


def _instruments_of(school: School | None) -> QuerySet[Instrument]:
    if school is None:
        return Instrument.objects.filter(school__isnull=True)
    return Instrument.objects.filter(school=school)


def instrument_load(
    *, actor: User | None, school: School | None, filename: str, data: bytes
) -> Instrument:
    """Load a whole instrument from a file for `school`, all of it or nothing.

    `school` None makes it a built-in instrument, shared by every school: only the
    installation's administrator does that, with the load_instrument command.
    """
    parsed = instrument_file_read(filename=filename, data=data)
    exists = Problem(
        message=gettext(
            "An instrument with key “%(key)s” and version “%(version)s” already exists; give "
            "it a new version."
        )
        % {"key": parsed.key, "version": parsed.version},
        line=parsed.key_at.line,
        field=parsed.key_at.field,
    )
    with transaction.atomic():
        if _instruments_of(school).filter(key=parsed.key, version=parsed.version).exists():
            raise InstrumentFileInvalid([exists])
        if school is not None:
            shared = Instrument.objects.filter(key=parsed.key, school__isnull=True).first()
            if shared is not None:
                raise InstrumentFileInvalid(
                    [
                        Problem(
                            message=gettext(
                                "The key “%(key)s” is the built-in instrument “%(name)s”; "
                                "give the school's own instrument another key."
                            )
                            % {"key": parsed.key, "name": shared.name},
                            line=parsed.key_at.line,
                            field=parsed.key_at.field,
                        )
                    ]
                )
        try:
            with transaction.atomic():
                instrument = _instrument_write(parsed=parsed, school=school)
        except IntegrityError:
            # Loaded by someone else between the check above and the writes.
            raise InstrumentFileInvalid([exists]) from None
        audit_record(actor=actor, action="instrument.imported", obj=instrument, school=school)
    return instrument


def _instrument_write(*, parsed: InstrumentData, school: School | None) -> Instrument:
    instrument = Instrument.objects.create(
        key=parsed.key,
        version=parsed.version,
        name_nl=parsed.name_nl,
        name_en=parsed.name_en,
        source=parsed.source,
        school=school,
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(
            instrument=instrument,
            value=level.value,
            label_nl=level.label_nl,
            label_en=level.label_en,
        )
        for level in parsed.scale
    )
    domains = {
        domain.number: Domain(
            instrument=instrument,
            number=domain.number,
            name_nl=domain.name_nl,
            name_en=domain.name_en,
            is_teaching=domain.is_teaching,
        )
        for domain in parsed.domains
    }
    Domain.objects.bulk_create(domains.values())
    items = [
        (
            item,
            Item(
                instrument=instrument,
                domain=domains[item.domain_number],
                number=item.number,
                text_nl=item.text_nl,
                text_en=item.text_en,
            ),
        )
        for item in parsed.items
    ]
    Item.objects.bulk_create(row for _data, row in items)
    Indicator.objects.bulk_create(
        Indicator(
            item=row,
            position=indicator.position,
            text_nl=indicator.text_nl,
            text_en=indicator.text_en,
            source=parsed.source,
            school=school,
        )
        for item, row in items
        for indicator in item.indicators
    )
    return instrument


def instrument_loaded_message(instrument: Instrument) -> str:
    return gettext("“%(name)s” (version %(version)s) has been loaded.") % {
        "name": instrument.name,
        "version": instrument.version,
    }


# --- Loading indicators -----------------------------------------------------------------------


def _wording(text: str) -> str:
    """An item's wording as compared: no case, punctuation or "De leraar" in front."""
    text = re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()
    for prefix in ("de leraar ", "de docent ", "the teacher "):
        text = text.removeprefix(prefix)
    return text


@dataclass
class IndicatorsPreviewItem:
    """An item of the file next to the instrument's item with that number."""

    data: ItemData
    item: Item
    matches: bool
    closest: Item | None  # another item whose wording is nearer, if there is one

    @property
    def file_text(self) -> str:
        return " / ".join(text for text in (self.data.text_nl, self.data.text_en) if text)


@dataclass
class IndicatorsCheck:
    instrument: Instrument
    school: School | None  # the school the indicators are for; None: shared with every school
    source: str
    items: list[IndicatorsPreviewItem]

    @property
    def indicator_count(self) -> int:
        return sum(len(row.data.indicators) for row in self.items)

    @property
    def differing_count(self) -> int:
        return sum(not row.matches for row in self.items)


def _preview_item(data: ItemData, item: Item, items: list[Item]) -> IndicatorsPreviewItem:
    theirs = {_wording(text) for text in (data.text_nl, data.text_en) if text}
    ours = {_wording(text) for text in (item.text_nl, item.text_en) if text}
    if theirs & ours:
        return IndicatorsPreviewItem(data=data, item=item, matches=True, closest=None)

    def likeness(candidate: Item) -> float:
        return max(
            (
                difflib.SequenceMatcher(None, mine, wording).ratio()
                for mine in theirs
                for wording in (_wording(candidate.text_nl), _wording(candidate.text_en))
                if wording
            ),
            default=0.0,
        )

    best = max(items, key=likeness)
    closest = best if best != item and likeness(best) > max(likeness(item), 0.75) else None
    return IndicatorsPreviewItem(data=data, item=item, matches=False, closest=closest)


def _instrument_for_indicators(school: School | None, key: str, version: str) -> Instrument | None:
    """The instrument a school loads indicators into: its own, or a built-in one.

    A school's own instrument never has a built-in key (instrument_load refuses it), but a
    built-in one loaded later could take a school's key; the school's own comes first then.
    """
    if school is None:
        instruments = Instrument.objects.filter(school__isnull=True)
    else:
        instruments = Instrument.objects.filter(Q(school=school) | Q(school__isnull=True))
    return (
        instruments.filter(key=key, version=version)
        .order_by(F("school").asc(nulls_last=True))
        .first()
    )


def _positions_taken(
    instrument: Instrument, school: School | None
) -> dict[tuple[int, int], Indicator]:
    """The item numbers and positions the new indicators would share with others, if loaded.

    A school sees the shared indicators and its own; shared ones are seen by every school.
    """
    indicators = Indicator.objects.filter(item__instrument=instrument)
    if school is not None:
        indicators = indicators.filter(Q(school__isnull=True) | Q(school=school))
    taken: dict[tuple[int, int], Indicator] = {}
    # Shared indicators first, so that a position they hold is reported as theirs.
    for indicator in indicators.select_related("item", "school").order_by(
        F("school").asc(nulls_first=True)
    ):
        taken.setdefault((indicator.item.number, indicator.position), indicator)
    return taken


def indicators_check(*, school: School | None, filename: str, data: bytes) -> IndicatorsCheck:
    """Read an indicators file and set each item next to the instrument's item with its number.

    With a school: indicators for that school only, into a built-in instrument or one of the
    school's own. `school` None: indicators shared with every school, into a built-in
    instrument (the administrator's command only).
    """
    parsed = indicators_file_read(filename=filename, data=data)
    instrument = _instrument_for_indicators(school, parsed.key, parsed.version)
    if instrument is None:
        if school is not None:
            message = gettext(
                "%(school)s has no instrument with key “%(key)s” and version “%(version)s”."
            ) % {"school": school.name, "key": parsed.key, "version": parsed.version}
        else:
            message = gettext(
                "There is no built-in instrument with key “%(key)s” and version “%(version)s”."
            ) % {"key": parsed.key, "version": parsed.version}
        raise InstrumentFileInvalid(
            [Problem(message=message, line=parsed.key_at.line, field=parsed.key_at.field)]
        )

    items = list(instrument.items.order_by("number"))
    by_number = {item.number: item for item in items}
    taken = _positions_taken(instrument, school)
    checker = _Checker()
    preview = []
    for row in parsed.items:
        item = by_number.get(row.number)
        if item is None:
            checker.add(
                row.at,
                gettext("“%(instrument)s” has no item %(number)s.")
                % {"instrument": instrument.name, "number": row.number},
            )
            continue
        for indicator in row.indicators:
            other = taken.get((row.number, indicator.position))
            if other is None:
                continue
            place = {"number": row.number, "position": indicator.position}
            if school is None and other.school is not None:
                # Only the administrator loads shared indicators, so naming the school is safe.
                message = gettext(
                    "Item %(number)s of the instrument already has an indicator of %(school)s "
                    "at position %(position)s; that school would see both."
                ) % {**place, "school": other.school.name}
            else:
                message = (
                    gettext(
                        "Item %(number)s of the instrument already has an indicator at "
                        "position %(position)s."
                    )
                    % place
                )
            checker.add(indicator.at, message)
        preview.append(_preview_item(row, item, items))
    checker.raise_if_any()
    return IndicatorsCheck(
        instrument=instrument, school=school, source=parsed.source, items=preview
    )


@dataclass(frozen=True)
class IndicatorsResult:
    instrument: Instrument
    count: int


def indicators_load(
    *,
    actor: User | None,
    school: School | None,
    filename: str,
    data: bytes,
    items_match_confirmed: bool,
) -> IndicatorsResult:
    """Add the file's indicators to the instrument's items for `school`, all of them or none.

    `school` None makes them shared with every school (the administrator's command only). Only
    after the person importing has seen each item next to the instrument's wording and
    confirmed that they match (reference/icalt.md: never by number alone).
    """
    if not items_match_confirmed:
        raise InstrumentFileInvalid(
            [
                Problem(
                    message=gettext(
                        "Check that each item in the file is the instrument's item with that "
                        "number, and confirm it; nothing has been loaded yet."
                    )
                )
            ]
        )
    with transaction.atomic():
        check = indicators_check(school=school, filename=filename, data=data)
        indicators = [
            Indicator(
                item=row.item,
                position=indicator.position,
                text_nl=indicator.text_nl,
                text_en=indicator.text_en,
                source=check.source,
                school=school,
            )
            for row in check.items
            for indicator in row.data.indicators
        ]
        try:
            with transaction.atomic():
                Indicator.objects.bulk_create(indicators)
        except IntegrityError:
            raise InstrumentFileInvalid(
                [
                    Problem(
                        message=gettext(
                            "Someone else loaded indicators for this instrument at the same "
                            "time, so nothing has been loaded. Load the file again."
                        )
                    )
                ]
            ) from None
        audit_record(
            actor=actor,
            action="indicators.imported",
            obj=check.instrument,
            school=school,
        )
    return IndicatorsResult(instrument=check.instrument, count=len(indicators))


def indicators_loaded_message(result: IndicatorsResult) -> str:
    return ngettext(
        "%(count)s indicator has been added to “%(name)s”.",
        "%(count)s indicators have been added to “%(name)s”.",
        result.count,
    ) % {"count": result.count, "name": result.instrument.name}


# --- The coordinator's list -------------------------------------------------------------------


def _count(model: type[models.Model], instrument_path: str, *filters: Q) -> Coalesce:
    per_instrument = (
        model.objects.filter(*filters, **{instrument_path: OuterRef("pk")})
        .order_by()
        .values(instrument_path)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(per_instrument), 0)


def instruments_for_coordinator(user: User) -> QuerySet[Instrument]:
    """The built-in instruments and those of the user's schools, with their sizes: one query.

    `indicator_count` counts the indicators the user's schools see: the shared ones and their
    own; `own_indicator_count` only their own. Another school's are never counted. (For a
    coordinator of several schools, their copies add up.)
    """
    schools = access.schools_coordinated_by(user)
    return (
        Instrument.objects.filter(Q(school__isnull=True) | Q(school__in=schools))
        .select_related("school")
        .annotate(
            domain_count=_count(Domain, "instrument"),
            item_count=_count(Item, "instrument"),
            indicator_count=_count(
                Indicator,
                "item__instrument",
                Q(school__isnull=True) | Q(school__in=schools),
            ),
            own_indicator_count=_count(Indicator, "item__instrument", Q(school__in=schools)),
        )
        # The built-in instruments first, then each school's own.
        .order_by(F("school__name").asc(nulls_first=True), "name_nl", "-created_at")
    )
