"""Load a published table of item difficulties for an instrument, with its source."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext

from observations import calibration
from observations.management.commands.calibrate_items import (
    InstrumentCommand,
    find_shared_instrument,
)
from observations.management.problems import file_problems_error

# A difficulty table has a few dozen lines; anything near this size is not one.
MAX_FILE_BYTES = 1024 * 1024


class Command(InstrumentCommand):
    help = (
        "Load a published table of item difficulties (logits) from a CSV file (item;difficulty"
        ";standard_error;text, separated by semicolons) or a YAML file (a list of items with "
        "those fields). It becomes the newest calibration of the instrument. Nothing is saved "
        "from a file with problems."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .csv or .yaml file.")
        parser.add_argument("--instrument", default="icalt", help="The instrument's key.")
        parser.add_argument(
            "--version", dest="instrument_version", help="Its version (default: the newest)."
        )
        parser.add_argument(
            "--source",
            required=True,
            help="Where the table comes from: authors, year, title, table number.",
        )
        parser.add_argument(
            "--confirm-items-match",
            action="store_true",
            help="You have checked by hand that each item number in the file is the "
            "instrument's item with that number; the file then needs no text column. Item "
            "numbering differs between reproductions of ICALT.",
        )

    def handle(
        self, *args, path, instrument, instrument_version, source, confirm_items_match, **options
    ):
        found = find_shared_instrument(key=instrument, version=instrument_version)
        try:
            with open(path, "rb") as file:
                content = file.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(
                gettext("The file %(path)s cannot be read: %(error)s.")
                % {"path": path, "error": error.strerror}
            ) from None
        if len(content) > MAX_FILE_BYTES:
            raise CommandError(gettext("The file is too large for a difficulty table."))
        filename = Path(path).name
        try:
            result = calibration.calibration_load_published(
                instrument=found,
                content=content,
                filename=filename,
                source=source,
                confirm_items_match=confirm_items_match,
            )
        except calibration.CalibrationFileError as error:
            raise file_problems_error(
                stderr=self.stderr, filename=filename, problems=error.problems
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Saved: %(count)s item difficulties for %(instrument)s, source: %(source)s")
                % {
                    "count": result.difficulties.count(),
                    "instrument": found,
                    "source": result.source,
                }
            )
        )
