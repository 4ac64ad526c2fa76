"""Load an observation instrument, or indicators for one, from a YAML or CSV file.

The file formats and the rules are those of the coordinator's page (observations/instruments.py).
With --school the instrument, or the indicators, are that school's: only it sees them, as when
its coordinator loads them. Without --school the instrument is a built-in one, or the
indicators are shared, shown to every school: this command is the only way to load either.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from observations import instruments
from observations.management.problems import file_problems_error
from roles.models import School


class Command(BaseCommand):
    help = (
        "Load an observation instrument (a kijkwijzer) or, with --indicators, indicators for an "
        "existing one, from a YAML or CSV file. Nothing is saved from a file with problems."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .yaml, .yml or .csv file.")
        parser.add_argument(
            "--school",
            metavar="BRIN",
            help="The school, by BRIN code, whose instrument it is or, with --indicators, whose "
            "indicators they are: only that school sees them. Without it: a built-in instrument, "
            "or indicators shared with every school.",
        )
        parser.add_argument(
            "--indicators",
            action="store_true",
            help="The file holds indicators for an instrument that exists.",
        )
        parser.add_argument(
            "--confirm-items-match",
            action="store_true",
            help="With --indicators: you have checked that each item number in the file is "
            "the instrument's item with that number. Run without it first to see them side by "
            "side.",
        )

    def handle(self, *args, path, school, indicators, confirm_items_match, **options):
        if confirm_items_match and not indicators:
            raise CommandError(gettext("--confirm-items-match goes with --indicators."))
        school = self._school(school)
        filename, data = self._read(path)
        try:
            if not indicators:
                instrument = instruments.instrument_load(
                    actor=None, school=school, filename=filename, data=data
                )
                self.stdout.write(
                    self.style.SUCCESS(instruments.instrument_loaded_message(instrument))
                )
                return
            check = instruments.indicators_check(school=school, filename=filename, data=data)
            if not confirm_items_match:
                self._show(check)
                raise CommandError(
                    gettext(
                        "Check that each item in the file is the instrument's item with that "
                        "number, then run the command again with --confirm-items-match. "
                        "Nothing has been saved."
                    )
                )
            result = instruments.indicators_load(
                actor=None,
                school=school,
                filename=filename,
                data=data,
                items_match_confirmed=True,
            )
        except instruments.InstrumentFileInvalid as error:
            raise file_problems_error(
                stderr=self.stderr, filename=filename, problems=error.problems
            ) from None
        self.stdout.write(self.style.SUCCESS(instruments.indicators_loaded_message(result)))

    def _school(self, brin: str | None) -> School | None:
        if brin is None:
            return None
        school = School.objects.filter(brin_code=brin.strip().upper()).first()
        if school is None:
            raise CommandError(
                gettext("There is no school with BRIN code “%(brin)s”.") % {"brin": brin}
            )
        return school

    def _read(self, path: str) -> tuple[str, bytes]:
        try:
            with open(path, "rb") as file:
                # One byte more than allowed is enough to say the file is too big.
                return Path(path).name, file.read(instruments.MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(
                gettext("The file %(path)s cannot be read: %(error)s.")
                % {"path": path, "error": error.strerror}
            ) from None

    def _show(self, check: instruments.IndicatorsCheck) -> None:
        self.stdout.write(
            gettext("Indicators for “%(name)s” (version %(version)s); source: %(source)s")
            % {
                "name": check.instrument.name,
                "version": check.instrument.version,
                "source": check.source,
            }
        )
        if check.school is None:
            self.stdout.write(gettext("They are shared: every school will see them."))
        else:
            self.stdout.write(
                gettext("They are for %(school)s: no other school will see them.")
                % {"school": check.school.name}
            )
        for row in check.items:
            place = {"number": row.item.number, "line": row.data.at.line}
            if row.matches:
                self.stdout.write(
                    gettext("Item %(number)s (line %(line)s): the same wording.") % place
                )
            else:
                self.stdout.write(
                    gettext("Item %(number)s (line %(line)s): THE WORDING DIFFERS, check it.")
                    % place
                )
            self.stdout.write(gettext("  instrument: %(text)s") % {"text": row.item.text_nl})
            self.stdout.write(gettext("  file:       %(text)s") % {"text": row.file_text})
            self.stdout.write(
                ngettext(
                    "  %(count)s indicator", "  %(count)s indicators", len(row.data.indicators)
                )
                % {"count": len(row.data.indicators)}
            )
            if row.closest is not None:
                self.stdout.write(
                    gettext("  closer to item %(number)s: %(text)s")
                    % {"number": row.closest.number, "text": row.closest.text_nl}
                )
