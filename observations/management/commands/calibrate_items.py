"""Estimate ICALT item difficulties from this installation's own final observations."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from observations import analysis, calibration, insights
from observations.models import Instrument


class InstrumentCommand(BaseCommand):
    """A command that names an instrument by --instrument KEY --version VERSION.

    Django gives every command a --version that prints Django's version; here the option
    means the instrument's version, as in `load_instrument` files and the admin.
    """

    def add_base_argument(self, parser, *args, **kwargs):
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)


class Command(InstrumentCommand):
    help = (
        "Fit the Rasch model on every final observation of an instrument (its teaching items) "
        "and save the item difficulties as the newest calibration, used for the suggested "
        "focus from then on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--instrument",
            default=insights.ZONE_INSTRUMENT_KEY,
            help="The instrument's key (default: icalt).",
        )
        parser.add_argument(
            "--version", dest="instrument_version", help="Its version (default: the newest)."
        )
        parser.add_argument(
            "--min-observations",
            type=int,
            help="Refuse below this many final observations (default: the setting "
            "ITEM_CALIBRATION_MIN_OBSERVATIONS).",
        )

    def handle(self, *args, instrument, instrument_version, min_observations, **options):
        found = find_shared_instrument(key=instrument, version=instrument_version)
        if min_observations is not None and min_observations < 2:
            raise CommandError(gettext("--min-observations must be at least 2."))
        try:
            result = calibration.calibration_estimate(
                instrument=found, min_observations=min_observations
            )
        except analysis.CalibrationError as error:
            raise CommandError(
                gettext("No calibration was saved. %(reason)s") % {"reason": error}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                gettext(
                    "Saved: item difficulties of %(instrument)s estimated from %(count)s "
                    "final observations."
                )
                % {"instrument": found, "count": result.observation_count}
            )
        )


def find_shared_instrument(*, key: str, version: str | None) -> Instrument:
    """A built-in instrument by key, in the given version or the newest one."""
    instruments = Instrument.objects.filter(key=key, school=None)
    if version is not None:
        instruments = instruments.filter(version=version)
    instrument = instruments.order_by("-created_at", "-pk").first()
    if instrument is None and version is None:
        raise CommandError(gettext("There is no built-in instrument %(key)s.") % {"key": key})
    if instrument is None:
        raise CommandError(
            gettext("There is no built-in instrument %(key)s in version %(version)s.")
            % {"key": key, "version": version}
        )
    return instrument
