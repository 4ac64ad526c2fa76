"""The expected answer of every URL to every persona, for GET and POST.

A URL pattern without a row here fails the suite (test_every_url_has_a_row), so a new view
cannot ship without deciding who may use it. Values: an HTTP status, or LOGIN for
"redirected to the log-in page". POSTs are sent with `post_data` (empty by default); after
every POST that is not allowed (LOGIN, 403, 404, 405) the database must be unchanged.

`kwargs` and `post_data` may be functions of the `world` fixture (tests/conftest.py), for
URLs that name one of its objects. The objects are chosen to cover the object axis: the
school's opleiden and coaching trajectories, its learning group and invitation, a person
at the school; the other-school coordinator sees them all as 404.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import PERSONA_NAMES

LOGIN = "login"
MEMBERS = tuple(name for name in PERSONA_NAMES if name != "anonymous")
DENIED = {LOGIN, 403, 404, 405}


def everyone(status) -> dict:
    return dict.fromkeys(PERSONA_NAMES, status)


def signed_in(status, *, anonymous=LOGIN) -> dict:
    return {"anonymous": anonymous, **dict.fromkeys(MEMBERS, status)}


@dataclass(frozen=True)
class Row:
    get: dict
    post: dict
    kwargs: dict | Callable = field(default_factory=dict)
    post_data: dict | Callable = field(default_factory=dict)

    def resolve(self, world) -> tuple[dict, dict]:
        def value(item):
            return item(world) if callable(item) else item

        return value(self.kwargs), value(self.post_data)


EXPECTED: dict[str, Row] = {
    "home": Row(get=signed_in(200), post=everyone(405)),
    # Switching language is for everyone, logged in or not; it only answers POST.
    "language_switch": Row(get=everyone(405), post=everyone(302), post_data={"language": "en"}),
    "login": Row(get=signed_in(302, anonymous=200), post=signed_in(302, anonymous=200)),
    "logout": Row(get=everyone(405), post=everyone(302)),
    "password_change": Row(get=signed_in(200), post=signed_in(200)),
    "password_change_done": Row(get=signed_in(200), post=signed_in(405)),
    "password_reset": Row(get=everyone(200), post=everyone(200)),
    "password_reset_done": Row(get=everyone(200), post=everyone(405)),
    "password_reset_confirm": Row(
        get=everyone(200), post=everyone(200), kwargs={"uidb64": "MQ", "token": "bad-token"}
    ),
    "password_reset_complete": Row(get=everyone(200), post=everyone(405)),
}
