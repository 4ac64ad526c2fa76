"""Loading instruments and indicators from a file: precise problems, and nothing saved from a
file that has any.

Messages are read in English (the source strings), so these tests keep reading the same
whatever the Dutch catalogue says.
"""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from mentoring.models import AuditEntry
from observations import instruments, selectors
from observations.models import Domain, Indicator, Instrument, Item, ScaleLevel
from roles.models import StaffKind
from tests.factories import MembershipFactory, SchoolFactory, icalt

KIJKWIJZER_YAML = """\
key: kijkwijzer-baken
version: "2026"
name_nl: Kijkwijzer Het Baken
name_en: Het Baken observation guide
source: Sectie lesobservatie Het Baken College, 2026
scale:
  - value: 1
    label_nl: onvoldoende
    label_en: insufficient
  - value: 2
    label_nl: voldoende
  - value: 3
    label_nl: goed
domains:
  - number: 1
    name_nl: Pedagogisch klimaat
    teaching: ja
  - number: 2
    name_nl: Betrokkenheid van leerlingen
    teaching: nee
items:
  - number: 1
    domain: 1
    text_nl: begroet de leerlingen bij de deur
    text_en: greets learners at the door
    indicators:
      - position: 1
        text_nl: noemt leerlingen bij hun naam
      - position: 2
        text_nl: maakt een praatje
  - number: 2
    domain: 1
    text_nl: zorgt voor een ontspannen sfeer
  - number: 3
    domain: 2
    text_nl: leerlingen werken actief mee
"""

KIJKWIJZER_CSV = """\
sleutel;kijkwijzer-baken
versie;2026
naam;Kijkwijzer Het Baken;Het Baken observation guide
bron;"Sectie lesobservatie; Het Baken College, 2026"
schaal;1;onvoldoende;insufficient
schaal;2;voldoende;sufficient
schaal;3;goed;good

domein;domein_naam;lesgeven;item;tekst;indicator;indicator_tekst
1;Pedagogisch klimaat;ja;1;begroet de leerlingen bij de deur;1;noemt leerlingen bij hun naam
1;;;1;;2;maakt een praatje
1;;;2;zorgt voor een ontspannen sfeer;;
2;Betrokkenheid van leerlingen;nee;3;leerlingen werken actief mee;;
"""

INDICATORS_YAML = """\
key: kijkwijzer-baken
version: "2026"
source: Handreiking lesobservatie Het Baken, 2026
items:
  - number: 2
    text_nl: De leraar zorgt voor een ontspannen sfeer.
    indicators:
      - position: 1
        text_nl: lacht met de klas
        text_en: laughs with the class
      - position: 2
        text_nl: blijft rustig bij onrust
"""


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Instrument, ScaleLevel, Domain, Item, Indicator)
    )


def load(school, content: str | bytes, filename: str = "kijkwijzer.yaml", actor=None):
    data = content.encode() if isinstance(content, str) else content
    return instruments.instrument_load(actor=actor, school=school, filename=filename, data=data)


def problems_of(school, content: str | bytes, filename: str = "kijkwijzer.yaml") -> list[str]:
    """The problems a whole-instrument file is refused for, having checked nothing was saved."""
    before = counts()
    with pytest.raises(instruments.InstrumentFileInvalid) as refused:
        load(school, content, filename)
    assert counts() == before
    return [str(problem) for problem in refused.value.problems]


def kijkwijzer(world, content: str = KIJKWIJZER_YAML, filename: str = "kijkwijzer.yaml"):
    return load(world.school, content, filename, actor=world.people["coordinator"])


def indicators_problems(school, content: str, filename: str = "indicatoren.yaml") -> list[str]:
    before = counts()
    with pytest.raises(instruments.InstrumentFileInvalid) as refused:
        instruments.indicators_load(
            actor=None,
            school=school,
            filename=filename,
            data=content.encode(),
            items_match_confirmed=True,
        )
    assert counts() == before
    return [str(problem) for problem in refused.value.problems]


# --- A whole instrument ---------------------------------------------------------------------


def test_yaml_kijkwijzer_is_loaded_as_the_schools_own_instrument(world):
    instrument = kijkwijzer(world)

    assert (instrument.key, instrument.version, instrument.school) == (
        "kijkwijzer-baken",
        "2026",
        world.school,
    )
    assert instrument.name_en == "Het Baken observation guide"
    assert [(level.value, level.label_nl) for level in instrument.scale.all()] == [
        (1, "onvoldoende"),
        (2, "voldoende"),
        (3, "goed"),
    ]
    assert [(d.number, d.is_teaching) for d in instrument.domains.all()] == [(1, True), (2, False)]
    assert [(i.number, i.domain.number) for i in instrument.items.all()] == [(1, 1), (2, 1), (3, 2)]
    indicators = Indicator.objects.filter(item__instrument=instrument)
    assert [(i.item.number, i.position, i.text_nl) for i in indicators] == [
        (1, 1, "noemt leerlingen bij hun naam"),
        (1, 2, "maakt een praatje"),
    ]
    assert {i.source for i in indicators} == {"Sectie lesobservatie Het Baken College, 2026"}
    # A school's own kijkwijzer's indicators are that school's, like any it loads.
    assert {i.school for i in indicators} == {world.school}
    entry = AuditEntry.objects.get(action="instrument.imported")
    assert (entry.actor, entry.school, entry.object_id) == (
        world.people["coordinator"],
        world.school,
        str(instrument.public_id),
    )


def test_csv_kijkwijzer_with_semicolons_and_a_byte_order_mark_is_loaded(world):
    instrument = kijkwijzer(world, "\ufeff" + KIJKWIJZER_CSV, "kijkwijzer.csv")

    assert instrument.name_nl == "Kijkwijzer Het Baken"
    # A quoted value may contain the delimiter.
    assert instrument.source == "Sectie lesobservatie; Het Baken College, 2026"
    assert [(d.number, d.name_nl, d.is_teaching) for d in instrument.domains.all()] == [
        (1, "Pedagogisch klimaat", True),
        (2, "Betrokkenheid van leerlingen", False),
    ]
    assert [(i.number, i.domain.number) for i in instrument.items.all()] == [(1, 1), (2, 1), (3, 2)]
    assert list(
        Indicator.objects.filter(item__instrument=instrument).values_list(
            "item__number", "position", "text_nl"
        )
    ) == [(1, 1, "noemt leerlingen bij hun naam"), (1, 2, "maakt een praatje")]
    assert instrument.scale.get(value=3).label_en == "good"


def test_csv_with_commas_reads_a_source_that_contains_commas(world):
    content = (
        'sleutel,kw\nversie,1\nnaam,Kijkwijzer\nbron,"Van de Grift, W. (2007)"\n'
        "schaal,1,zwak\nschaal,2,sterk\n"
        "domein,domein_naam,item,tekst\n1,Klimaat,1,begroet de leerlingen\n"
    )
    instrument = kijkwijzer(world, content, "kw.csv")
    assert instrument.source == "Van de Grift, W. (2007)"


def test_the_same_key_and_version_cannot_be_loaded_twice(world):
    kijkwijzer(world)
    assert problems_of(world.school, KIJKWIJZER_YAML) == [
        "Line 1, key: An instrument with key “kijkwijzer-baken” and version “2026” already "
        "exists; give it a new version."
    ]
    # A new version is a new instrument; another school may use the same key.
    kijkwijzer(world, KIJKWIJZER_YAML.replace('"2026"', '"2026-2"'))
    load(world.other_school, KIJKWIJZER_YAML)
    assert Instrument.objects.filter(key="kijkwijzer-baken").count() == 3


def test_a_school_cannot_load_an_instrument_under_the_key_of_icalt(world):
    content = KIJKWIJZER_YAML.replace("key: kijkwijzer-baken", "key: icalt")
    assert problems_of(world.school, content) == [
        "Line 1, key: The key “icalt” is the built-in instrument “ICALT lesson observation”; "
        "give the school's own instrument another key."
    ]


# --- Broken files: the precise problem, and nothing saved -------------------------------------


def test_an_item_in_a_domain_the_file_does_not_have_is_refused(world):
    content = KIJKWIJZER_YAML.replace("    domain: 2\n", "    domain: 7\n")
    assert problems_of(world.school, content) == [
        # And so domain 2 has nothing in it.
        "Line 18, domains[2].number: Domain 2 has no items.",
        "Line 35, items[3].domain: Domain 7 is not in the file's list of domains.",
    ]


def test_a_csv_domain_without_a_name_is_refused(world):
    content = KIJKWIJZER_CSV.replace("2;Betrokkenheid van leerlingen;nee;3", "2;;nee;3")
    assert problems_of(world.school, content, "kijkwijzer.csv") == [
        "Line 13, domein_naam: This is required but missing or empty."
    ]


def test_a_csv_item_without_a_domain_is_refused(world):
    content = KIJKWIJZER_CSV.replace("1;;;2;zorgt", ";;;2;zorgt")
    assert problems_of(world.school, content, "kijkwijzer.csv") == [
        "Line 12, domein: This is required but missing or empty."
    ]


def test_a_duplicate_item_number_is_refused(world):
    content = KIJKWIJZER_YAML.replace("  - number: 3\n", "  - number: 2\n")
    assert problems_of(world.school, content) == [
        "Line 34, items[3].number: Item number 2 is already used on line 31. Each item needs "
        "its own number."
    ]


def test_a_duplicate_item_number_in_csv_is_refused(world):
    content = KIJKWIJZER_CSV.replace(
        "1;;;2;zorgt voor een ontspannen sfeer", "1;;;1;zorgt voor een ontspannen sfeer"
    )
    assert problems_of(world.school, content, "kijkwijzer.csv") == [
        "Line 12, tekst: Item number 1 is already used on line 10, for “begroet de leerlingen "
        "bij de deur”. Each item needs its own number."
    ]


def test_a_duplicate_domain_number_is_refused(world):
    content = KIJKWIJZER_YAML.replace(
        "  - number: 2\n    name_nl: Betrokkenheid", "  - number: 1\n    name_nl: Betrokkenheid"
    )
    assert problems_of(world.school, content) == [
        "Line 18, domains[2].number: Domain number 1 is already used on line 15. Each domain "
        "needs its own number.",
        # Item 3 was in domain 2, which the file no longer has.
        "Line 35, items[3].domain: Domain 2 is not in the file's list of domains.",
    ]


def test_a_duplicate_domain_number_in_csv_is_refused(world):
    content = KIJKWIJZER_CSV.replace(
        "2;Betrokkenheid van leerlingen;nee;3", "1;Betrokkenheid van leerlingen;nee;3"
    )
    assert problems_of(world.school, content, "kijkwijzer.csv") == [
        "Line 13, domein_naam: Domain number 1 is already used on line 10, for “Pedagogisch "
        "klimaat”. Each domain needs its own number."
    ]


@pytest.mark.parametrize("filename", ["kijkwijzer.yaml", "kijkwijzer.csv"])
def test_a_file_not_saved_as_utf8_is_refused_naming_the_line(world, filename):
    content = KIJKWIJZER_YAML if filename.endswith(".yaml") else KIJKWIJZER_CSV
    content = content.replace("Pedagogisch klimaat", "Pédagogisch klimaat")
    line = next(i for i, text in enumerate(content.splitlines(), 1) if "Pédagogisch" in text)
    assert problems_of(world.school, content.encode("latin-1"), filename) == [
        f"Line {line}: The file is not saved as UTF-8 text: this line has a character that "
        "cannot be read. Save the file as UTF-8 (in Excel: the file type “CSV UTF-8”) and load "
        "it again."
    ]


def test_a_yaml_syntax_error_names_its_line_and_column(world):
    content = KIJKWIJZER_YAML.replace("    text_nl: zorgt voor", "    text_nl: zorgt: voor")
    assert problems_of(world.school, content) == [
        "Line 33: This is not valid YAML (column 19): mapping values are not allowed here."
    ]


def test_an_unknown_key_is_refused(world):
    content = KIJKWIJZER_YAML.replace("    text_nl: zorgt", "    txt_nl: zorgt")
    assert problems_of(world.school, content) == [
        # The item's mapping starts on line 31; it has no text_nl now.
        "Line 31, items[2].text_nl: This is required but missing or empty.",
        "Line 33, items[2].txt_nl: “txt_nl” is not a known key here. The keys are: number, "
        "domain, text_nl, text_en, indicators.",
    ]


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"# only a comment\n"])
def test_an_empty_file_is_refused(world, content):
    assert problems_of(world.school, content) == ["The file is empty."]


def test_a_file_that_is_too_big_is_refused(world):
    content = KIJKWIJZER_YAML + "#" * instruments.MAX_FILE_BYTES
    assert problems_of(world.school, content) == [
        "The file is larger than 1.0\xa0MB, the most that can be loaded at once."
    ]


def test_a_file_of_another_type_is_refused(world):
    assert problems_of(world.school, KIJKWIJZER_YAML, "kijkwijzer.docx") == [
        "Load a YAML file (.yaml or .yml) or a CSV file (.csv)."
    ]


def test_scale_values_must_run_from_one_without_gaps(world):
    content = KIJKWIJZER_YAML.replace("value: 3", "value: 4")
    assert problems_of(world.school, content) == [
        "Line 6, scale: The scale values must be 1, 2, 3 and so on, without gaps: 3 is missing."
    ]


def test_an_item_without_text_and_a_number_that_is_not_one_are_refused(world):
    content = KIJKWIJZER_YAML.replace(
        "    text_nl: zorgt voor een ontspannen sfeer\n", "    text_nl: \n"
    ).replace("  - number: 3\n", "  - number: drie\n")
    assert problems_of(world.school, content) == [
        "Line 33, items[2].text_nl: This is required but missing or empty.",
        "Line 34, items[3].number: “drie” is not a whole number from 1 to 999.",
    ]


def test_a_key_given_twice_is_refused(world):
    content = KIJKWIJZER_YAML.replace("name_en:", "name_nl:")
    assert problems_of(world.school, content) == [
        "Line 4, name_nl: “name_nl” is given twice; the first is on line 3."
    ]


def test_a_python_tag_is_refused_and_never_run(world, tmp_path):
    """The YAML is only composed into nodes, never constructed: a tag cannot run code."""
    marker = tmp_path / "ran"
    content = KIJKWIJZER_YAML.replace(
        'version: "2026"',
        # yaml.unsafe_load would create the directory.
        f'version: !!python/object/apply:os.mkdir ["{marker}"]',
    )
    assert problems_of(world.school, content) == [
        "Line 2, version: The YAML tag “!!python/object/apply:os.mkdir” is not "
        "allowed: the file may hold only plain values, lists and keys."
    ]
    assert not marker.exists()


def test_yaml_aliases_are_refused(world):
    content = KIJKWIJZER_YAML.replace("label_nl: goed", "label_nl: *good").replace(
        "label_nl: voldoende", "label_nl: &good voldoende"
    )
    assert problems_of(world.school, content) == [
        "Line 13: Anchors and aliases (&name, *name) are not supported: write the value out."
    ]


def test_an_indicators_file_chosen_as_an_instrument_says_so(world):
    problems = problems_of(world.school, INDICATORS_YAML)
    assert problems[0] == (
        "Line 1: This looks like a file of indicators for an instrument, not a whole "
        "instrument. Choose “indicators” to load it."
    )


def test_csv_without_a_line_naming_the_columns_is_refused(world):
    assert problems_of(world.school, "sleutel;kw\nversie;1\n", "kw.csv") == [
        "No line names the table's columns. The table starts with a line such as: "
        "domein;domein_naam;item;tekst"
    ]


def test_csv_with_an_unknown_column_is_refused(world):
    content = KIJKWIJZER_CSV.replace(";tekst;", ";tekst_nl_x;")
    problems = problems_of(world.school, content, "kijkwijzer.csv")
    assert problems[0].startswith(
        "Line 9, tekst_nl_x: “tekst_nl_x” is not a column of this kind of file. The columns "
        "are: domein, domein_naam, domein_naam_en, lesgeven, item, tekst,"
    )
    assert problems[1] == "Line 9: The table has no column for: tekst."


def test_csv_with_a_quotation_mark_not_closed_names_the_line(world):
    content = KIJKWIJZER_CSV.replace(";2;maakt een praatje", ';2;"maakt een praatje')
    assert problems_of(world.school, content, "kijkwijzer.csv") == [
        "Line 11: This line could not be read. Check it for a quotation mark that is not closed."
    ]


# --- Indicators --------------------------------------------------------------------------------


def test_indicators_are_added_to_the_schools_own_instrument(world):
    instrument = kijkwijzer(world)
    check = instruments.indicators_check(
        school=world.school, filename="indicatoren.yaml", data=INDICATORS_YAML.encode()
    )
    (row,) = check.items
    # "De leraar" in front and the full stop do not make the wording differ.
    assert (row.item.text_nl, row.matches) == ("zorgt voor een ontspannen sfeer", True)
    assert Indicator.objects.filter(item__number=2).count() == 0  # checking saves nothing

    result = instruments.indicators_load(
        actor=world.people["coordinator"],
        school=world.school,
        filename="indicatoren.yaml",
        data=INDICATORS_YAML.encode(),
        items_match_confirmed=True,
    )

    assert (result.instrument, result.count) == (instrument, 2)
    assert list(
        Indicator.objects.filter(item__instrument=instrument, item__number=2).values_list(
            "position", "text_nl", "text_en", "source", "school"
        )
    ) == [
        (
            1,
            "lacht met de klas",
            "laughs with the class",
            "Handreiking lesobservatie Het Baken, 2026",
            world.school.pk,
        ),
        (
            2,
            "blijft rustig bij onrust",
            "",
            "Handreiking lesobservatie Het Baken, 2026",
            world.school.pk,
        ),
    ]
    assert AuditEntry.objects.filter(
        action="indicators.imported", object_id=str(instrument.public_id), school=world.school
    ).exists()


def test_indicators_from_csv_numbered_in_the_order_of_their_lines(world):
    instrument = kijkwijzer(world)
    content = (
        "sleutel;kijkwijzer-baken\nversie;2026\nbron;Handreiking\n\n"
        "item;tekst;indicator_tekst\n"
        "3;leerlingen werken actief mee;stellen vragen\n"
        "3;;helpen elkaar\n"
    )
    instruments.indicators_load(
        actor=None,
        school=world.school,
        filename="indicatoren.csv",
        data=content.encode(),
        items_match_confirmed=True,
    )
    assert list(
        Indicator.objects.filter(item__instrument=instrument, item__number=3).values_list(
            "position", "text_nl"
        )
    ) == [(1, "stellen vragen"), (2, "helpen elkaar")]


def test_indicators_are_never_loaded_without_the_items_being_confirmed(world):
    kijkwijzer(world)
    before = counts()
    with pytest.raises(instruments.InstrumentFileInvalid):
        instruments.indicators_load(
            actor=None,
            school=world.school,
            filename="indicatoren.yaml",
            data=INDICATORS_YAML.encode(),
            items_match_confirmed=False,
        )
    assert counts() == before


def test_differing_wording_is_shown_with_the_item_it_is_closer_to(world):
    kijkwijzer(world)
    content = INDICATORS_YAML.replace(
        "De leraar zorgt voor een ontspannen sfeer.", "begroet de leerlingen bij de deur"
    )
    (row,) = instruments.indicators_check(
        school=world.school, filename="indicatoren.yaml", data=content.encode()
    ).items
    assert (row.item.number, row.matches, row.closest.number) == (2, False, 1)


def test_indicators_at_positions_already_taken_are_refused(world):
    kijkwijzer(world)
    content = INDICATORS_YAML.replace(
        "  - number: 2\n    text_nl: De leraar zorgt voor een ontspannen sfeer.",
        "  - number: 1\n    text_nl: begroet de leerlingen bij de deur",
    )
    assert indicators_problems(world.school, content) == [
        "Line 8, items[1].indicators[1].position: Item 1 of the instrument already has an "
        "indicator at position 1.",
        "Line 11, items[1].indicators[2].position: Item 1 of the instrument already has an "
        "indicator at position 2.",
    ]


def test_indicators_for_an_item_the_instrument_lacks_are_refused(world):
    kijkwijzer(world)
    content = INDICATORS_YAML.replace("  - number: 2\n", "  - number: 9\n")
    assert indicators_problems(world.school, content) == [
        "Line 5, items[1].number: “Het Baken observation guide” has no item 9."
    ]


ICALT_INDICATORS_YAML = INDICATORS_YAML.replace("kijkwijzer-baken", "icalt").replace(
    '"2026"', '"1"'
)


def load_indicators(school, content: str = ICALT_INDICATORS_YAML, actor=None):
    return instruments.indicators_load(
        actor=actor,
        school=school,
        filename="indicatoren.yaml",
        data=content.encode(),
        items_match_confirmed=True,
    )


def test_a_coordinator_loads_icalt_indicators_for_their_school_only(world):
    result = load_indicators(world.school, actor=world.people["coordinator"])

    assert (result.instrument, result.count) == (icalt(), 2)
    assert list(
        Indicator.objects.filter(item__instrument=icalt()).values_list(
            "item__number", "position", "text_nl", "school"
        )
    ) == [
        (2, 1, "lacht met de klas", world.school.pk),
        (2, 2, "blijft rustig bij onrust", world.school.pk),
    ]
    entry = AuditEntry.objects.get(action="indicators.imported")
    assert (entry.actor, entry.school, entry.object_id) == (
        world.people["coordinator"],
        world.school,
        str(icalt().public_id),
    )
    # The other school's observers and coordinator see none of them.
    assert not selectors.indicators_shown_at(school_id=world.other_school.pk).exists()
    (other_icalt,) = instruments.instruments_for_coordinator(
        world.people["other_school_coordinator"]
    )
    assert (other_icalt.indicator_count, other_icalt.own_indicator_count) == (0, 0)


def test_a_second_school_loads_the_same_icalt_positions_from_its_own_copy(world):
    load_indicators(world.school)
    load_indicators(
        world.other_school, ICALT_INDICATORS_YAML.replace("lacht met de klas", "maakt grapjes")
    )

    def texts(school):
        return list(
            selectors.indicators_shown_at(school_id=school.pk).values_list("position", "text_nl")
        )

    assert texts(world.school) == [(1, "lacht met de klas"), (2, "blijft rustig bij onrust")]
    assert texts(world.other_school) == [(1, "maakt grapjes"), (2, "blijft rustig bij onrust")]


def test_a_school_cannot_load_icalt_indicators_twice_at_the_same_positions(world):
    load_indicators(world.school)
    assert indicators_problems(world.school, ICALT_INDICATORS_YAML) == [
        "Line 8, items[1].indicators[1].position: Item 2 of the instrument already has an "
        "indicator at position 1.",
        "Line 11, items[1].indicators[2].position: Item 2 of the instrument already has an "
        "indicator at position 2.",
    ]


def test_a_school_cannot_use_a_position_the_shared_indicators_have(world):
    load_indicators(
        None, ICALT_INDICATORS_YAML.replace("      - position: 2\n", "      - position: 3\n")
    )
    # Position 1 is shared, and the school would see both; position 2 is free.
    assert indicators_problems(world.school, ICALT_INDICATORS_YAML) == [
        "Line 8, items[1].indicators[1].position: Item 2 of the instrument already has an "
        "indicator at position 1."
    ]


def test_shared_indicators_cannot_take_a_position_a_school_has(world):
    load_indicators(world.school)
    assert indicators_problems(None, ICALT_INDICATORS_YAML)[0] == (
        "Line 8, items[1].indicators[1].position: Item 2 of the instrument already has an "
        "indicator of Het Baken College at position 1; that school would see both."
    )


def test_indicators_for_another_schools_instrument_are_not_found(world):
    load(world.other_school, KIJKWIJZER_YAML)
    assert indicators_problems(world.school, INDICATORS_YAML) == [
        "Line 1, key: Het Baken College has no instrument with key “kijkwijzer-baken” and "
        "version “2026”."
    ]


def test_an_indicator_without_text_is_refused(world):
    kijkwijzer(world)
    content = INDICATORS_YAML.replace("text_nl: blijft rustig bij onrust", "text_en: stays calm")
    assert indicators_problems(world.school, content) == [
        "Line 11, items[1].indicators[2].text_nl: This is required but missing or empty."
    ]


# --- The management command --------------------------------------------------------------------


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def test_command_loads_a_kijkwijzer_for_a_school(world, tmp_path, capsys):
    call_command(
        "load_instrument", write(tmp_path, "kw.csv", KIJKWIJZER_CSV), school=world.school.brin_code
    )
    instrument = Instrument.objects.get(key="kijkwijzer-baken")
    assert instrument.school == world.school
    assert (
        "“Het Baken observation guide” (version 2026) has been loaded." in capsys.readouterr().out
    )
    assert AuditEntry.objects.get(action="instrument.imported").actor is None


def test_command_refuses_an_invalid_file_with_its_lines_and_saves_nothing(world, tmp_path, capsys):
    content = KIJKWIJZER_YAML.replace("  - number: 3\n", "  - number: 2\n").replace(
        "    domain: 2\n", "    domain: 7\n"
    )
    before = counts()
    with pytest.raises(CommandError, match="The file has 3 problems, so nothing has been saved"):
        call_command(
            "load_instrument", write(tmp_path, "kw.yaml", content), school=world.school.brin_code
        )
    assert counts() == before
    errors = capsys.readouterr().err
    assert "kw.yaml: Line 34, items[3].number: Item number 2 is already used on line 31." in errors
    assert (
        "kw.yaml: Line 35, items[3].domain: Domain 7 is not in the file's list of domains."
        in errors
    )


def test_command_without_school_loads_a_built_in_instrument(world, tmp_path):
    call_command("load_instrument", write(tmp_path, "kw.yaml", KIJKWIJZER_YAML))
    assert Instrument.objects.get(key="kijkwijzer-baken").school is None


def test_command_refuses_an_unknown_school(world, tmp_path):
    with pytest.raises(CommandError, match="There is no school with BRIN code “00ZZ”"):
        call_command("load_instrument", write(tmp_path, "kw.yaml", KIJKWIJZER_YAML), school="00ZZ")


def test_command_adds_indicators_to_icalt_only_once_the_items_are_confirmed(
    world, tmp_path, capsys
):
    content = (
        "sleutel;icalt\nversie;1\nbron;ICALT-formulier RUG, licentie Het Baken College\n\n"
        "item;tekst;indicator;indicator_tekst\n"
        "2;De leraar zorgt voor een ontspannen sfeer;1;(indicator 2.1 van het formulier)\n"
        "3;geeft duidelijke uitleg van de leerstof;1;(indicator 3.1 van het formulier)\n"
    )
    path = write(tmp_path, "icalt.csv", content)

    with pytest.raises(CommandError, match="--confirm-items-match"):
        call_command("load_instrument", path, indicators=True)
    out = capsys.readouterr().out
    assert "Item 2 (line 6): the same wording." in out
    # Item 3 of the built-in numbering is another item; the wording gives it away.
    assert "Item 3 (line 7): THE WORDING DIFFERS, check it." in out
    assert "  instrument: ondersteunt het zelfvertrouwen van leerlingen" in out
    assert "  closer to item 9: geeft duidelijke uitleg van de leerstof" in out
    assert "They are shared: every school will see them." in out
    assert Indicator.objects.count() == 0

    call_command("load_instrument", path, indicators=True, confirm_items_match=True)
    assert list(
        Indicator.objects.filter(item__instrument=icalt()).values_list(
            "item__number", "source", "school"
        )
    ) == [
        (2, "ICALT-formulier RUG, licentie Het Baken College", None),
        (3, "ICALT-formulier RUG, licentie Het Baken College", None),
    ]


def test_command_with_a_school_loads_icalt_indicators_for_that_school(world, tmp_path, capsys):
    path = write(tmp_path, "icalt.yaml", ICALT_INDICATORS_YAML)
    brin = world.other_school.brin_code

    with pytest.raises(CommandError, match="--confirm-items-match"):
        call_command("load_instrument", path, indicators=True, school=brin)
    assert "They are for De Horizon: no other school will see them." in capsys.readouterr().out

    call_command("load_instrument", path, indicators=True, school=brin, confirm_items_match=True)
    assert set(Indicator.objects.values_list("school", flat=True)) == {world.other_school.pk}
    assert AuditEntry.objects.get(action="indicators.imported").school == world.other_school


# --- The coordinator's pages -------------------------------------------------------------------


@pytest.fixture
def coordinator(as_persona):
    client = as_persona("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client, content: str | bytes, filename: str = "kijkwijzer.yaml", **data):
    body = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("instrument_import"),
        {"kind": "instrument", "file": SimpleUploadedFile(filename, body), **data},
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_coordinator_loads_a_kijkwijzer_and_sees_it_in_the_list(coordinator, world):
    response = upload(coordinator, KIJKWIJZER_YAML)

    assert response.status_code == 302
    assert response.url == reverse("instrument_list")
    assert messages_of(response) == [
        "“Het Baken observation guide” (version 2026) has been loaded."
    ]
    assert Instrument.objects.get(key="kijkwijzer-baken").school == world.school
    page = coordinator.get(response.url)
    rows = {instrument.key: instrument for instrument in page.context["instruments"]}
    assert set(rows) == {"icalt", "kijkwijzer-baken"}
    assert (rows["icalt"].domain_count, rows["icalt"].item_count) == (7, 35)
    assert rows["icalt"].indicator_count == 0
    assert (rows["kijkwijzer-baken"].item_count, rows["kijkwijzer-baken"].indicator_count) == (
        3,
        2,
    )
    assert "Built in, for every school" in page.content.decode()


def test_the_list_leaves_out_another_schools_instruments(coordinator, world):
    load(world.other_school, KIJKWIJZER_YAML)
    page = coordinator.get(reverse("instrument_list"))
    assert [instrument.key for instrument in page.context["instruments"]] == ["icalt"]


def test_the_page_lists_every_problem_with_its_line_and_saves_nothing(coordinator, world):
    content = KIJKWIJZER_YAML.replace("  - number: 3\n", "  - number: 2\n")
    before = counts()
    response = upload(coordinator, content)
    assert response.status_code == 200
    assert counts() == before
    page = response.content.decode()
    assert "The file has 1 problem, so nothing has been saved" in page
    assert '<th scope="row">34</th>' in page
    assert "<code>items[3].number</code>" in page
    assert "Item number 2 is already used on line 31." in page


def test_indicators_are_shown_next_to_the_instruments_items_before_they_are_loaded(
    coordinator, world
):
    kijkwijzer(world)
    before = counts()

    preview = coordinator.post(
        reverse("instrument_import"),
        {
            "kind": "indicators",
            "file": SimpleUploadedFile("indicatoren.yaml", INDICATORS_YAML.encode()),
            "items_match": "on",  # ticked before seeing the items: it confirms nothing
        },
    )
    assert preview.status_code == 200
    assert counts() == before
    page = preview.content.decode()
    assert "Check the items" in page
    assert "zorgt voor een ontspannen sfeer" in page  # the instrument's wording
    assert "De leraar zorgt voor een ontspannen sfeer." in page  # the file's
    assert "I have checked that the items match" in page
    token = preview.context["token"]

    unticked = coordinator.post(
        reverse("instrument_import"), {"kind": "indicators", "upload": token}
    )
    assert unticked.status_code == 200
    assert counts() == before
    assert "Tick the box once you have checked every item" in unticked.content.decode()

    confirmed = coordinator.post(
        reverse("instrument_import"), {"kind": "indicators", "upload": token, "items_match": "on"}
    )
    assert confirmed.status_code == 302
    assert messages_of(confirmed) == [
        "2 indicators have been added to “Het Baken observation guide”."
    ]
    assert (
        Indicator.objects.filter(item__number=2, item__instrument__school=world.school).count() == 2
    )
    assert AuditEntry.objects.filter(action="indicators.imported").count() == 1


def test_coordinator_loads_icalt_indicators_that_only_their_school_counts(
    coordinator, as_persona, world
):
    preview = coordinator.post(
        reverse("instrument_import"),
        {
            "kind": "indicators",
            "file": SimpleUploadedFile("icalt.yaml", ICALT_INDICATORS_YAML.encode()),
        },
    )
    assert preview.status_code == 200
    assert "The indicators are loaded for Het Baken College" in preview.content.decode()
    confirmed = coordinator.post(
        reverse("instrument_import"),
        {"kind": "indicators", "upload": preview.context["token"], "items_match": "on"},
    )
    assert confirmed.status_code == 302
    assert messages_of(confirmed) == ["2 indicators have been added to “ICALT lesson observation”."]
    assert set(Indicator.objects.values_list("school", flat=True)) == {world.school.pk}

    page = coordinator.get(reverse("instrument_list"))
    (row,) = page.context["instruments"]
    assert (row.indicator_count, row.own_indicator_count) == (2, 2)
    assert "2 loaded by your school" in page.content.decode()
    other = as_persona("other_school_coordinator").get(reverse("instrument_list"))
    (row,) = other.context["instruments"]
    assert (row.indicator_count, row.own_indicator_count) == (0, 0)


def test_a_confirmation_made_for_someone_else_is_refused(as_persona, world):
    load(world.other_school, KIJKWIJZER_YAML)
    other = as_persona("other_school_coordinator")
    preview = other.post(
        reverse("instrument_import"),
        {"kind": "indicators", "file": SimpleUploadedFile("i.yaml", INDICATORS_YAML.encode())},
    )
    token = preview.context["token"]
    kijkwijzer(world)
    before = counts()
    response = as_persona("coordinator").post(
        reverse("instrument_import"), {"kind": "indicators", "upload": token, "items_match": "on"}
    )
    assert response.status_code == 200
    assert counts() == before
    assert response.context["form"].non_field_errors()


def test_the_other_schools_coordinator_cannot_pick_this_school(as_persona, world):
    client = as_persona("other_school_coordinator")
    before = counts()
    response = upload(client, KIJKWIJZER_YAML, school=world.school.pk)
    # With one school of their own the choice is fixed: the file goes to their school or nowhere.
    assert response.status_code == 302
    assert Instrument.objects.get(key="kijkwijzer-baken").school == world.other_school
    assert counts() != before


def test_a_coordinator_of_two_schools_chooses_only_among_them(as_persona, world):
    third = SchoolFactory()
    MembershipFactory(
        user=world.people["other_school_coordinator"],
        school=third,
        staff_kind=StaffKind.COORDINATOR,
    )
    client = as_persona("other_school_coordinator")
    form = client.get(reverse("instrument_import")).context["form"]
    assert set(form.fields["school"].queryset) == {world.other_school, third}

    before = counts()
    response = upload(client, KIJKWIJZER_YAML, school=world.school.pk)
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert counts() == before


@pytest.mark.parametrize(
    "persona",
    ["opleider", "coach", "procesbegeleider", "student_teacher", "coachee", "school_leader"],
)
def test_only_coordinators_may_load_instruments(as_persona, world, persona):
    client = as_persona(persona)
    assert client.get(reverse("instrument_import")).status_code == 403
    assert upload(client, KIJKWIJZER_YAML).status_code == 403
    assert client.get(reverse("instrument_list")).status_code == 403
    assert not Instrument.objects.filter(key="kijkwijzer-baken").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(client, world, method):
    for name in ("instrument_import", "instrument_list"):
        response = getattr(client, method)(reverse(name))
        if method == "post" and name == "instrument_list":
            assert response.status_code == 405  # the list only answers GET
            continue
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
