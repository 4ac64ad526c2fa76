"""Autosave: the one way a form sends its changes while the user works.

A form page (static/js/autosave.js) keeps the changes not yet sent in a queue in the page,
never in localStorage: observations, reflections and conversation notes are confidential and
a tablet in school is often shared. The queue goes to a save view as one JSON batch,
`{"version": <the version the page last saw>, "changes": [...]}`. The view answers:

- 200 `{"version", "saved_at"}`: everything was written; the page carries on from `version`;
- 409 `{"error", "server"}`: someone saved in between (a second tab, another device, a
  colleague). Nothing was written; `server` is what is saved now, so the page can show both
  and the user decides to keep their own changes or to load the saved version;
- 400 `{"error"}`: the batch was unreadable or a change was refused; nothing was written;
- 401 `{"error"}`: the session ended; the page keeps the changes and sends them again later.

So a dropped connection or a second tab never silently overwrites anything: the page keeps
what it could not send, and a batch made on a stale copy is refused by the version number on
the row (mentoring/versioning.py), which the app's service checks inside its transaction.

A save view stays a few lines: decorated with `autosave_view(missing=..., refused=...)`, it
finds the object for the user (404/403 as everywhere, answered as JSON), then

    return autosave_response(
        request,
        apply=partial(services.cycle_apply, actor=request.user, cycle=cycle),
        state=partial(text_state, fields=CYCLE_TEXT_LIMITS),
        stale_message=_("Someone else saved this reflection in the meantime."),
    )

and for long text the service is

    with transaction.atomic():
        cycle = ReflectionCycle.objects.select_for_update().get(pk=cycle.pk)
        version_check(cycle, version)
        fields = text_changes_apply(cycle, changes, limits=CYCLE_TEXT_LIMITS)
        version_bump(cycle, *fields, "updated_at")
"""

import json
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mentoring.versioning import StaleVersion

# A batch from a tablet that was offline for a whole lesson is at most a few hundred changes;
# a long-text form sends whole texts, and all of a reflection's fields together stay far below.
MAX_BATCH_BYTES = 256 * 1024


class Apply(Protocol):
    """Writes a batch made against `version` and returns the saved object.

    Raises StaleVersion (nothing written) when the object has moved on since `version`, and
    ValidationError (nothing written) when a change is refused.
    """

    def __call__(self, *, version: int, changes: list[dict]) -> Model: ...


def autosave_view(*, missing: str, refused: str):
    """For an autosave endpoint: every answer is JSON the page can act on, never a redirect or
    an HTML error page. An ended session is 401 (the page keeps its changes and asks the user
    to log in again in another tab); the view's object lookup raising Http404 or
    PermissionDenied becomes 404 `missing` or 403 `refused` (lazily translated sentences)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return JsonResponse(
                    {"error": _("Your session has ended. Log in again.")}, status=401
                )
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return JsonResponse({"error": str(missing)}, status=404)
            except PermissionDenied:
                return JsonResponse({"error": str(refused)}, status=403)

        return wrapper

    return decorator


def plain_text(text: str) -> str:
    """One form of line break. The browser posts a textarea's line breaks as CRLF in a form but
    counts them as one character for maxlength; count them as the user saw them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def autosave_response(
    request: HttpRequest,
    *,
    apply: Apply,
    state: Callable[[Model], dict],
    stale_message: str | None = None,
) -> JsonResponse:
    """Read the batch in `request`, write it with `apply`, and answer as the page expects.

    `state(current)` is what the page is shown after a 409: at least `{"version": ...}`, and for
    long-text forms `{"fields": {name: text}}` (text_state) so the page can show both texts.
    `stale_message` is that 409's sentence naming the thing ("this observation"); it is passed
    whole because a name cannot be put into a translated sentence (Dutch "deze observatie" but
    "dit gesprek").
    """
    if len(request.body) > MAX_BATCH_BYTES:
        return JsonResponse({"error": _("Too many changes at once.")}, status=400)
    try:
        payload = json.loads(request.body)
        version = int(payload["version"])
        changes = payload["changes"]
        if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("The changes could not be read.")}, status=400)
    try:
        saved = apply(version=version, changes=changes)
    except StaleVersion as stale:
        return JsonResponse(
            {
                "error": stale_message or _("Someone else saved this in the meantime."),
                "server": state(stale.current),
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(
        {"version": saved.version, "saved_at": timezone.localtime().strftime("%H:%M")}
    )


def text_changes_apply(obj: Model, changes: list[dict], *, limits: dict[str, int]) -> list[str]:
    """Put the texts of a long-text batch on `obj` and return the names of the fields changed.

    Each change is `{"field": name, "text": "..."}`; `limits` names the fields a page may write
    and their lengths. A later change to the same field wins. Everything is checked before
    anything is set, so a refused batch leaves `obj` as it was; the caller saves with
    `version_bump(obj, *fields, "updated_at")`.

    A text that is too long is refused, never cut short: a reflection that silently loses its
    end is worse than one that is not saved yet and says why.
    """
    texts: dict[str, str] = {}
    for change in changes:
        name = change.get("field") if isinstance(change, dict) else None
        if not isinstance(name, str) or name not in limits:
            raise ValidationError(_("Unknown field."), code="unknown_field")
        text = change.get("text")
        if not isinstance(text, str):
            raise ValidationError(_("The text could not be read."), code="invalid")
        text = plain_text(text)
        if len(text) > limits[name]:
            raise ValidationError(
                _("%(field)s is at most %(limit)s characters; shorten it and it will be saved."),
                code="max_length",
                params={
                    "field": capfirst(obj._meta.get_field(name).verbose_name),
                    "limit": number_format(limits[name], force_grouping=True),
                },
            )
        texts[name] = text
    for name, text in texts.items():
        setattr(obj, name, text)
    return list(texts)


def text_state(obj: Model, fields: Iterable[str]) -> dict:
    """What a long-text form is shown after a 409: the saved version and its texts."""
    return {"version": obj.version, "fields": {name: getattr(obj, name) for name in fields}}
