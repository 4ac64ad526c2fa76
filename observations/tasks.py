"""Background jobs of the observations app."""

import logging

from celery import shared_task

from observations import analysis, calibration, insights
from observations.models import Instrument

logger = logging.getLogger(__name__)


@shared_task(name="observations.refit_item_difficulties")
def refit_item_difficulties() -> None:
    """The weekly Rasch refit of the built-in ICALT versions in use (Celery beat, settings).

    Idempotent: an instrument without new final observations since its last estimate is left
    alone, so a second delivery of the same run writes nothing. A fit that fails is logged and
    waits for next week's run rather than being retried.
    """
    instruments = Instrument.objects.filter(
        key=insights.ZONE_INSTRUMENT_KEY, school=None, is_active=True
    ).order_by("pk")
    for instrument in instruments:
        try:
            calibration.calibration_refit(instrument=instrument)
        except analysis.CalibrationError as error:
            logger.warning(
                "Item difficulties of instrument %s not refitted: %s", instrument.pk, error
            )
