"""One way to refuse a save made on a stale copy: a version number on the row.

A page or script remembers the version it was shown; the service locks the row, compares,
writes and counts up. A mismatch writes nothing and raises StaleVersion with the current
row, so the user sees both texts and decides (never a silent overwrite).
"""

from django.db.models import F, Model


class StaleVersion(Exception):
    """The row changed since the client last saw it; nothing was written."""

    def __init__(self, current: Model):
        super().__init__(f"{current._meta.label} changed since version was read")
        self.current = current


def version_check(locked: Model, version: int) -> None:
    """Call on a row fetched with select_for_update, before writing anything."""
    if locked.version != version:
        raise StaleVersion(locked)


def version_bump(locked: Model, *fields: str) -> None:
    """Save `fields` and count the version up, in one UPDATE."""
    locked.version = F("version") + 1
    locked.save(update_fields=[*fields, "version"])
    locked.refresh_from_db(fields=["version"])
