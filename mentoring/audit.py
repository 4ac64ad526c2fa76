"""Writing the audit log. Call `audit_record` from services and views; never store content."""

from django.db import models

from mentoring.models import AuditEntry


def audit_record(*, actor, action: str, obj: models.Model, school=None) -> AuditEntry:
    """Record that `actor` did `action` to `obj`: who, what, which object and when.

    `obj` is identified by its type and public id (or primary key); its text never goes in.
    """
    object_id = getattr(obj, "public_id", None) or obj.pk
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(object_id),
        school=school if school is not None else getattr(obj, "school", None),
    )
