"""Where item difficulties come from: a published table loaded from a file, and a Rasch fit on
the installation's own final observations (by command and by the weekly job)."""

import datetime
import io

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from mentoring.celery import app
from observations import insights, tasks
from observations.models import (
    Calibration,
    CalibrationKind,
    ItemDifficulty,
    ItemScore,
    LessonVisit,
    Observation,
    ObservationStatus,
)
from tests.factories import icalt
from tests.observations.test_insights import final_observation, first_shown, visit_on

pytestmark = pytest.mark.django_db

SOURCE = "Van der Lans, Van de Grift & Van Veen (2018), tabel 2"


def teaching_items():
    return list(icalt().items.filter(domain__is_teaching=True).order_by("number"))


def published_csv(*, text: bool = True) -> str:
    """A table in item order with Dutch decimal commas: item n is on line n + 1."""
    lines = ["item;difficulty;standard_error" + (";text" if text else "")]
    for index, item in enumerate(teaching_items()):
        difficulty = f"{-2.0 + index * 0.125:.3f}".replace(".", ",")
        lines.append(f"{item.number};{difficulty};0,2" + (f";{item.text_nl}" if text else ""))
    return "\n".join(lines) + "\n"


def load(tmp_path, content: str | bytes, *args: str, name: str = "tabel.csv") -> str:
    """Run load_calibration on a file with `content`; returns what it wrote to stderr."""
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    errors = io.StringIO()
    with translation.override("en"):
        call_command(
            "load_calibration",
            str(path),
            "--source",
            SOURCE,
            *args,
            stderr=errors,
            stdout=io.StringIO(),
        )
    return errors.getvalue()


def nothing_saved() -> bool:
    return not Calibration.objects.exists() and not ItemDifficulty.objects.exists()


def test_a_published_table_is_saved_with_its_source(tmp_path):
    load(tmp_path, published_csv())

    saved = Calibration.objects.get()
    assert saved.kind == CalibrationKind.PUBLISHED
    assert saved.source == SOURCE
    difficulties = dict(saved.difficulties.values_list("item__number", "difficulty"))
    assert len(difficulties) == 32
    assert difficulties[1] == pytest.approx(-2.0)
    assert difficulties[32] == pytest.approx(-2.0 + 31 * 0.125)
    assert set(saved.difficulties.values_list("standard_error", flat=True)) == {0.2}
    with translation.override("en"):
        label = insights.current_calibration(insights.instrument_layout(icalt())).label
    assert label == f"the published table: {SOURCE}"


def test_a_yaml_table_without_wording_needs_the_numbering_confirmed(tmp_path):
    entries = "".join(
        f"  - item: {item.number}\n    difficulty: {index / 10 - 1.5}\n"
        for index, item in enumerate(teaching_items())
    )
    content = "items:\n" + entries

    with pytest.raises(CommandError):
        load(tmp_path, content, name="tabel.yaml")
    assert nothing_saved()

    load(tmp_path, content, "--confirm-items-match", name="tabel.yaml")
    assert Calibration.objects.get().difficulties.count() == 32


def replace_line(content: str, line: int, new: str) -> str:
    lines = content.split("\n")
    lines[line - 1] = new
    return "\n".join(lines)


def swapped_wording(content: str) -> str:
    lines = content.split("\n")
    fifth, sixth = lines[5].rsplit(";", 1), lines[6].rsplit(";", 1)
    lines[5], lines[6] = f"{fifth[0]};{sixth[1]}", f"{sixth[0]};{fifth[1]}"
    return "\n".join(lines)


@pytest.mark.parametrize(
    "broken, expected",
    [
        (
            lambda csv: replace_line(csv, 6, "99;0,1;0,2;bestaat niet"),
            ["line 6, item: the instrument has no teaching item 99.", "item 5 of the instrument"],
        ),
        (
            lambda csv: replace_line(csv, 9, csv.split("\n")[3]),
            ["line 9, item: item 3 is already on line 4.", "item 8 of the instrument"],
        ),
        (
            lambda csv: replace_line(
                csv, 8, "7;moeilijk;0,2;zorgt voor doelmatig klassenmanagement"
            ),
            ["line 8, difficulty: 'moeilijk' is not a number."],
        ),
        (
            lambda csv: replace_line(csv, 8, "7;45;0,2;zorgt voor doelmatig klassenmanagement"),
            ["line 8, difficulty: 45 is outside -10 to 10"],
        ),
        (
            lambda csv: replace_line(csv, 8, "7;0,5;-1;zorgt voor doelmatig klassenmanagement"),
            ["line 8, standard_error: '-1' is not a positive number."],
        ),
        (lambda csv: csv.encode("latin-1"), ["line 9: the file is not UTF-8 text"]),
        (swapped_wording, ["line 6, text:", "reads like item 6", "not item 5"]),
        (lambda csv: csv.replace(";", ","), ["line 1: separate the columns with semicolons"]),
    ],
    ids=[
        "unknown item",
        "duplicate item",
        "difficulty not a number",
        "difficulty not in logits",
        "negative standard error",
        "not utf-8",
        "numbered differently",
        "commas",
    ],
)
def test_a_broken_table_names_the_line_and_field_and_saves_nothing(tmp_path, broken, expected):
    errors = io.StringIO()
    path = tmp_path / "tabel.csv"
    content = broken(published_csv())
    path.write_bytes(content if isinstance(content, bytes) else content.encode())

    with translation.override("en"), pytest.raises(CommandError, match="nothing has been saved"):
        call_command(
            "load_calibration", str(path), "--source", SOURCE, stderr=errors, stdout=io.StringIO()
        )

    for fragment in expected:
        assert fragment in errors.getvalue()
    assert nothing_saved()


def test_a_table_without_wording_is_refused_unless_the_numbering_is_confirmed(tmp_path):
    with pytest.raises(CommandError):
        load(tmp_path, published_csv(text=False))
    assert nothing_saved()

    errors = load(tmp_path, published_csv(text=False), "--confirm-items-match")
    assert errors == ""
    assert Calibration.objects.get().difficulties.count() == 32


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "tabel.yaml"
    path.write_text("items:\n  - item: 1\n    difficulty: [1, 2\n")
    errors = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("load_calibration", str(path), "--source", SOURCE, stderr=errors)

    assert "line 4: this is not valid YAML" in errors.getvalue()
    assert nothing_saved()


# --- Estimated from this installation's observations ------------------------------------------


def simulate_final_observations(trajectory, count: int, *, seed: int) -> dict[int, float]:
    """`count` final observations drawn from the Rasch model, stored in bulk; returns the true
    difficulty of each teaching item (by pk), in an order unlike the default one."""
    rng = np.random.default_rng(seed)
    items = teaching_items()
    true = dict(
        zip([item.pk for item in items], rng.permutation(np.linspace(-2.5, 2.5, 32)), strict=True)
    )
    start = timezone.now() - datetime.timedelta(days=count)
    visits = LessonVisit.objects.bulk_create(
        LessonVisit(
            trajectory=trajectory,
            planned_by=trajectory.begeleider,
            starts_at=start + datetime.timedelta(days=day),
            status="held",
        )
        for day in range(count)
    )
    observations = Observation.objects.bulk_create(
        Observation(
            visit=visit,
            instrument=icalt(),
            observer=trajectory.begeleider,
            status=ObservationStatus.FINAL,
            finalised_at=timezone.now(),
        )
        for visit in visits
    )
    difficulties = np.array([true[item.pk] for item in items])
    abilities = rng.normal(0.0, 1.2, count)
    shown = rng.random((count, 32)) < 1 / (1 + np.exp(-(abilities[:, None] - difficulties)))
    levels = rng.integers(0, 2, (count, 32))  # 3 or 4 when shown, 1 or 2 when not yet
    ItemScore.objects.bulk_create(
        (
            ItemScore(
                observation=observation,
                item=item,
                score=int(
                    3 + levels[row, column] if shown[row, column] else 1 + levels[row, column]
                ),
            )
            for row, observation in enumerate(observations)
            for column, item in enumerate(items)
        ),
        batch_size=2000,
    )
    return true


def test_calibrate_items_refuses_with_too_few_final_observations(world):
    final_observation(visit_on(world.opleiden, 3), first_shown(12))

    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("calibrate_items", stdout=io.StringIO())

    minimum = django_settings.ITEM_CALIBRATION_MIN_OBSERVATIONS
    assert f"needs at least {minimum} final observations" in str(refused.value)
    assert "has 1 so far" in str(refused.value)
    assert nothing_saved()


def test_calibrate_items_estimates_the_difficulties_behind_the_observations(world, settings):
    settings.ITEM_CALIBRATION_MIN_OBSERVATIONS = 250
    true = simulate_final_observations(world.opleiden, 300, seed=7)

    call_command("calibrate_items", stdout=io.StringIO())

    saved = Calibration.objects.get()
    assert saved.kind == CalibrationKind.ESTIMATED
    assert saved.observation_count == 300
    assert saved.source.startswith("Rasch fit on 300 final observations, ")
    fitted = dict(saved.difficulties.values_list("item_id", "difficulty"))
    items = sorted(fitted)
    correlation = np.corrcoef([true[i] for i in items], [fitted[i] for i in items])[0, 1]
    assert correlation > 0.95
    with translation.override("en"):
        label = insights.current_calibration(insights.instrument_layout(icalt())).label
    assert label.startswith("estimated from 300 observations in this installation on ")


def test_the_minimum_can_be_given_on_the_command_line(world):
    simulate_final_observations(world.opleiden, 60, seed=3)

    call_command("calibrate_items", "--min-observations", "50", stdout=io.StringIO())

    assert Calibration.objects.get().observation_count == 60


def test_the_weekly_refit_is_idempotent(world, settings):
    settings.ITEM_CALIBRATION_MIN_OBSERVATIONS = 100
    simulate_final_observations(world.opleiden, 120, seed=11)

    tasks.refit_item_difficulties()
    first = Calibration.objects.get()
    assert first.kind == CalibrationKind.ESTIMATED

    tasks.refit_item_difficulties()  # nothing new since: no second calibration
    assert Calibration.objects.get() == first

    final_observation(visit_on(world.opleiden, 400), first_shown(16))
    tasks.refit_item_difficulties()
    assert Calibration.objects.count() == 2
    assert insights.newest_calibration(icalt()).observation_count == 121


def test_the_weekly_refit_waits_for_enough_observations(world, settings):
    settings.ITEM_CALIBRATION_MIN_OBSERVATIONS = 100
    simulate_final_observations(world.opleiden, 40, seed=5)

    tasks.refit_item_difficulties()

    assert nothing_saved()


def test_the_weekly_refit_leaves_a_published_table_in_place(world, settings, tmp_path):
    settings.ITEM_CALIBRATION_MIN_OBSERVATIONS = 100
    simulate_final_observations(world.opleiden, 120, seed=13)
    load(tmp_path, published_csv())

    tasks.refit_item_difficulties()

    assert Calibration.objects.get().kind == CalibrationKind.PUBLISHED


def test_the_refit_is_a_registered_weekly_job():
    app.loader.import_default_modules()
    assert "observations.refit_item_difficulties" in app.tasks
    schedule = [entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()]
    assert "observations.refit_item_difficulties" in schedule
