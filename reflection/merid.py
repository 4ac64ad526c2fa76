"""MERID profiles: the four roles' shares from coded topics or an estimate, how evenly they are
used (versatility), and the kite drawing. Pure functions of rows already read, so that a page,
a list over time and a PDF compute and draw the same thing.

The model (the source chapter §8.2, reference/merid.md): input on the vertical axis (active
at the top: the begeleider brings the topic in; reactive below), style on the horizontal axis
(directive on the left: judging, opinion, advice; non-directive on the right: listening,
summarising, asking further). So the leader (imperator) is top left, the initiator top right,
the encourager bottom right and the advisor bottom left.

The drawing is SVG computed here and written by templates/reflection/partials/merid_kite.svg
with presentation attributes only (the CSP allows no inline styles; WeasyPrint reads the
same attributes), and every share is also written as text.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from reflection.models import MeridEstimate, MeridInput, MeridRole, MeridStyle, MeridTopic

ROLES: tuple[str, ...] = tuple(MeridRole.values)

ROLE_OF: dict[tuple[str, str], str] = {
    (MeridInput.ACTIVE, MeridStyle.DIRECTIVE): MeridRole.IMPERATOR,
    (MeridInput.ACTIVE, MeridStyle.NON_DIRECTIVE): MeridRole.INITIATOR,
    (MeridInput.REACTIVE, MeridStyle.NON_DIRECTIVE): MeridRole.ENCOURAGER,
    (MeridInput.REACTIVE, MeridStyle.DIRECTIVE): MeridRole.ADVISOR,
}

# Where each role's corner is, seen from the centre: (x, y) with y growing downwards.
CORNER: dict[str, tuple[int, int]] = {
    MeridRole.IMPERATOR: (-1, -1),
    MeridRole.INITIATOR: (1, -1),
    MeridRole.ENCOURAGER: (1, 1),
    MeridRole.ADVISOR: (-1, 1),
}


class Basis:
    """What a profile was computed from; the page says it in words."""

    TIME = "time"
    TOPICS = "topics"
    ESTIMATE = "estimate"


@dataclass(frozen=True)
class RoleShares:
    """The four roles' shares of one conversation, as fractions that total 1."""

    shares: Mapping[str, float]
    basis: str

    def percentages(self) -> dict[str, int]:
        """Whole percentages that total exactly 100 (largest remainder), so the numbers
        written beside the drawing add up as the reader expects."""
        exact = {role: self.shares[role] * 100 for role in ROLES}
        whole = {role: math.floor(value) for role, value in exact.items()}
        rest = 100 - sum(whole.values())
        for role in sorted(ROLES, key=lambda role: (whole[role] - exact[role], ROLES.index(role)))[
            :rest
        ]:
            whole[role] += 1
        return whole

    @property
    def versatility(self) -> float:
        return versatility(self.shares)

    @property
    def leading_role(self) -> str:
        return max(ROLES, key=lambda role: (self.shares[role], -ROLES.index(role)))

    @property
    def leading_role_name(self) -> str:
        return role_name(self.leading_role)


def topic_role(topic: MeridTopic) -> str:
    return ROLE_OF[(topic.input, topic.style)]


def shares_from_topics(topics: Iterable[MeridTopic]) -> RoleShares | None:
    """The share of time per role when every topic has a duration, else the share of topics.

    A mix would weigh timed topics against untimed ones by guesswork, so one topic without a
    duration makes the whole profile a count (and the page says so). None without topics.
    Topics not coded yet (input or style still open) do not count.
    """
    topics = [topic for topic in topics if topic.is_coded]
    if not topics:
        return None
    timed = all(topic.minutes is not None for topic in topics)
    totals = dict.fromkeys(ROLES, Decimal(0))
    for topic in topics:
        totals[topic_role(topic)] += topic.minutes if timed else Decimal(1)
    whole = sum(totals.values())
    return RoleShares(
        shares={role: float(total / whole) for role, total in totals.items()},
        basis=Basis.TIME if timed else Basis.TOPICS,
    )


def shares_from_estimate(estimate: MeridEstimate) -> RoleShares:
    return shares_from_percentages(estimate.percentages())


def shares_from_percentages(percentages: Mapping[str, int]) -> RoleShares:
    return RoleShares(
        shares={role: percentages[role] / 100 for role in ROLES}, basis=Basis.ESTIMATE
    )


def versatility(shares: Mapping[str, float]) -> float:
    """How evenly the four roles are used: the normalised entropy of the shares, 0 when one
    role is used only and 1 when all four are used equally (the "chameleon" of the chapter)."""
    entropy = -sum(share * math.log(share) for share in shares.values() if share > 0)
    return min(1.0, max(0.0, entropy / math.log(len(ROLES))))


def versatility_text(value: float) -> str:
    """A versatility as the pages write it: two decimals in the reader's language."""
    return floatformat(value, 2)


# --- Over time -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    first: float
    last: float

    @property
    def change(self) -> float:
        return self.last - self.first

    def sentence(self) -> str:
        values = {"first": versatility_text(self.first), "last": versatility_text(self.last)}
        if abs(self.change) < 0.05:
            return _("Your versatility stayed about the same (%(first)s, now %(last)s).") % values
        if self.change > 0:
            return (
                _(
                    "Your versatility grew from %(first)s to %(last)s: you use the four roles more "
                    "evenly than before."
                )
                % values
            )
        return (
            _(
                "Your versatility went down from %(first)s to %(last)s: you lean more on fewer "
                "roles than before."
            )
            % values
        )


def trend(points: Sequence[RoleShares]) -> Trend | None:
    """From the first profile to the last; None with fewer than two."""
    if len(points) < 2:
        return None
    return Trend(first=points[0].versatility, last=points[-1].versatility)


# --- The kite --------------------------------------------------------------------------------

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#212529"
GRID = "#6c757d"
# Fills per source, with a different outline dash each, so colour is never the only signal.
KITE_STYLES = {
    "coded": ("#1d3557", "none"),
    "self": ("#7a4b00", "6 3"),
    "perception": ("#2a6f3e", "2 3"),
}


@dataclass(frozen=True)
class KitePoint:
    role: str
    name: str
    percentage: int
    x: float
    y: float
    label_x: float
    label_y: float
    share_y: float
    anchor: str


@dataclass(frozen=True)
class Kite:
    drawing_id: str
    title: str
    description: str
    width: int
    height: int
    left: float
    top: float
    size: float
    right: float
    bottom: float
    centre_x: float
    centre_y: float
    points: tuple[KitePoint, ...]
    polygon: str
    colour: str
    dash: str
    axis_labels: dict[str, tuple[float, float, str]]
    font: str = FONT
    ink: str = INK
    grid: str = GRID


def role_name(role: str) -> str:
    return str(MeridRole(role).label)


def kite(shares: RoleShares, *, drawing_id: str, title: str, source: str = "coded") -> Kite:
    """The four shares as a kite: each role's point lies on the diagonal from the centre to
    its corner, at its share of the way (100% reaches the corner), and the four points are
    joined. The role's name and percentage are written in its corner."""
    width, height = 440, 340
    left, top, size = 80.0, 40.0, 260.0
    centre_x, centre_y = left + size / 2, top + size / 2
    half = size / 2
    percentages = shares.percentages()
    points = []
    for role in ROLES:
        dx, dy = CORNER[role]
        reach = shares.shares[role] * half
        label_y = centre_y + dy * (half - 8) + (10 if dy < 0 else -20)
        points.append(
            KitePoint(
                role=role,
                name=role_name(role),
                percentage=percentages[role],
                x=round(centre_x + dx * reach, 2),
                y=round(centre_y + dy * reach, 2),
                label_x=centre_x + dx * (half - 8),
                label_y=label_y,
                share_y=label_y + 16,
                anchor="start" if dx < 0 else "end",
            )
        )
    colour, dash = KITE_STYLES[source]
    return Kite(
        drawing_id=drawing_id,
        title=title,
        description=describe(shares),
        width=width,
        height=height,
        left=left,
        top=top,
        size=size,
        right=left + size,
        bottom=top + size,
        centre_x=centre_x,
        centre_y=centre_y,
        points=tuple(points),
        polygon=" ".join(f"{point.x},{point.y}" for point in points),
        colour=colour,
        dash=dash,
        axis_labels={
            "active": (centre_x, top - 12, "middle"),
            "reactive": (centre_x, top + size + 24, "middle"),
            "directive": (left - 6, centre_y + 4, "end"),
            "non_directive": (left + size + 6, centre_y + 4, "start"),
        },
    )


def describe(shares: RoleShares) -> str:
    """The drawing in words, for its <desc> and for anyone who does not see it."""
    percentages = shares.percentages()
    parts = [
        _("%(role)s %(percentage)s%%") % {"role": role_name(role), "percentage": percentages[role]}
        for role in ROLES
    ]
    return _("Share per role: %(shares)s. Versatility %(versatility)s.") % {
        "shares": ", ".join(parts),
        "versatility": versatility_text(shares.versatility),
    }


def basis_text(shares: RoleShares) -> str:
    if shares.basis == Basis.TIME:
        return _("Weighted by the time each topic took.")
    if shares.basis == Basis.TOPICS:
        return _(
            "Counted per topic, because not every topic has a duration. Give every topic its "
            "minutes to weigh by time."
        )
    return _(
        "An estimate, not a measurement: a practical aid, not the validated research instrument."
    )


def percentages_of(estimates: Iterable[MeridEstimate], kind: str) -> MeridEstimate | None:
    """The estimate of one kind among a profile's (prefetched) estimates."""
    return next((estimate for estimate in estimates if estimate.kind == kind), None)
