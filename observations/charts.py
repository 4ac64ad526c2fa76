"""Charts as server-rendered SVG: the geometry is computed here and drawn by the templates in
templates/observations/partials/, so a page and a PDF include the very same chart.

Readable without colour (DESIGN.md §3): every value is also written as text, each line has
its own marker shape and dash pattern and a label at its end, and every chart comes with a data
table. Only SVG presentation attributes are used, never `style`: the Content-Security-Policy
allows no inline styles, and WeasyPrint reads the attributes just the same.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from observations import analysis
from observations.insights import DomainProfile, GrowthPoint
from observations.models import Domain

SCALE_MIN = analysis.LOWEST_SCORE
SCALE_MAX = analysis.HIGHEST_SCORE
SCALE_TICKS = tuple(range(SCALE_MIN, SCALE_MAX + 1))
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#212529"
GRID = "#adb5bd"
BAR_FILL = "#1d3557"


def _number(value: float) -> str:
    """A mean as the tables write it: rounded to one decimal, in the reader's language (3,8 in
    Dutch, 3.8 in English for 3.75). number_format would cut 3.75 to 3,7 instead."""
    return floatformat(value, 1)


def _date(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def _domain_label(domain: Domain, *, limit: int | None = None) -> str:
    label = f"{domain.number}. {domain.name}"
    if limit is not None and len(label) > limit:
        label = label[: limit - 1].rstrip() + "…"
    return label


# --- Domain profile: horizontal bars ----------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    label_y: float
    bar_y: float
    width: float  # 0 for a domain without a scored item
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bar_height: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    description: str
    font: str = FONT
    ink: str = INK
    grid: str = GRID
    fill: str = BAR_FILL


def domain_profile_chart(profile: DomainProfile, *, chart_id: str) -> BarChart:
    """The teaching domains' means as bars from 1 to 4, each with its name above it and its
    value at its end. `chart_id` keeps the ids of several charts on one page apart."""
    width, left, right, top = 640, 8.0, 584.0, 6.0
    row_height, bar_height = 46.0, 18.0
    bottom = top + row_height * len(profile.teaching)
    height = int(bottom + 24)

    def x(value: float) -> float:
        return round(left + (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * (right - left), 1)

    bars = []
    for index, row in enumerate(profile.teaching):
        row_top = top + index * row_height
        bar_y = row_top + 20
        mean = row.mean.mean
        width_of_bar = 0.0 if mean is None else round(x(mean) - left, 1)
        bars.append(
            Bar(
                label=_domain_label(row.domain),
                value_text=_("not observed") if mean is None else _number(mean),
                label_y=row_top + 14,
                bar_y=bar_y,
                width=width_of_bar,
                value_x=round(left + width_of_bar + 6, 1),
                value_y=bar_y + 13,
            )
        )
    values = "; ".join(f"{bar.label}: {bar.value_text}" for bar in bars)
    description = _(
        "Mean score per teaching domain, on a scale from 1 (predominantly weak) to 4 "
        "(predominantly strong): %(values)s."
    ) % {"values": values}
    return BarChart(
        chart_id=chart_id,
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        bar_height=bar_height,
        bars=tuple(bars),
        ticks=tuple(Tick(position=x(value), label=str(value)) for value in SCALE_TICKS),
        description=description,
    )


# --- Growth: one line per domain --------------------------------------------------------------


@dataclass(frozen=True)
class LineStyle:
    colour: str
    dash: str  # stroke-dasharray; empty for a solid line
    shape: str
    filled: bool


# Colours all reach 4.5:1 on white, but the shape, the fill and the dash tell the lines apart.
LINE_STYLES = (
    LineStyle("#0b5394", "", "circle", True),
    LineStyle("#b45309", "8 4", "square", False),
    LineStyle("#1b7f3b", "2 3", "triangle", True),
    LineStyle("#8e2c6e", "10 3 2 3", "diamond", False),
    LineStyle("#374151", "4 4", "triangle_down", True),
    LineStyle("#b91c1c", "14 4", "cross", True),
)
MARKER_SIZE = 5.0


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"


def marker_path(shape: str, x: float, y: float, size: float = MARKER_SIZE) -> str:
    """An SVG path for a marker centred on (x, y)."""
    s = size
    if shape == "circle":
        return f"M{x - s:.1f},{y:.1f}a{s},{s} 0 1,0 {2 * s},0a{s},{s} 0 1,0 {-2 * s},0Z"
    if shape == "square":
        e = s * 0.85
        return _polygon([(x - e, y - e), (x + e, y - e), (x + e, y + e), (x - e, y + e)])
    if shape == "triangle":
        return _polygon([(x, y - s * 1.15), (x + s, y + s * 0.75), (x - s, y + s * 0.75)])
    if shape == "triangle_down":
        return _polygon([(x, y + s * 1.15), (x + s, y - s * 0.75), (x - s, y - s * 0.75)])
    if shape == "diamond":
        d = s * 1.2
        return _polygon([(x, y - d), (x + d, y), (x, y + d), (x - d, y)])
    if shape == "cross":
        a = s * 0.35
        return _polygon(
            [
                (x - a, y - s),
                (x + a, y - s),
                (x + a, y - a),
                (x + s, y - a),
                (x + s, y + a),
                (x + a, y + a),
                (x + a, y + s),
                (x - a, y + s),
                (x - a, y + a),
                (x - s, y + a),
                (x - s, y - a),
                (x - a, y - a),
            ]
        )
    raise ValueError(f"Unknown marker shape {shape!r}.")


@dataclass(frozen=True)
class Series:
    label: str
    full_label: str
    style: LineStyle
    segments: tuple[str, ...]  # "x,y x,y ..." for each unbroken stretch of the line
    markers: tuple[str, ...]  # marker paths, one per point with a value
    label_x: float
    label_y: float
    label_marker: str
    legend_marker: str  # the same marker in a 14 x 14 box, for the table's column heads


@dataclass(frozen=True)
class LineChart:
    chart_id: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    description: str
    font: str = FONT
    ink: str = INK
    grid: str = GRID


def _spread(positions: list[float], *, gap: float, low: float, high: float) -> list[float]:
    """Move end labels apart by at least `gap`, keeping them within [low, high] and as close
    to their lines as that allows."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [positions[i] for i in order]
    for k in range(len(placed)):
        floor = low if k == 0 else placed[k - 1] + gap
        placed[k] = max(placed[k], floor)
    for k in range(len(placed) - 1, -1, -1):
        ceiling = high if k == len(placed) - 1 else placed[k + 1] - gap
        placed[k] = min(placed[k], ceiling)
    result = [0.0] * len(positions)
    for k, i in enumerate(order):
        result[i] = placed[k]
    return result


def _x_ticks(moments: Sequence[datetime.datetime], x_of, *, most: int = 6, room: float = 72):
    """Date labels under the axis: at most `most`, spread over the visits, none overlapping."""
    count = len(moments)
    if count <= most:
        indices = list(range(count))
    else:
        indices = sorted({round(k * (count - 1) / (most - 1)) for k in range(most)})
    ticks: list[Tick] = []
    for index in indices:
        position = x_of(moments[index])
        if ticks and position - ticks[-1].position < room:
            continue
        ticks.append(Tick(position=position, label=_date(moments[index])))
    return tuple(ticks)


def growth_chart(
    points: Sequence[GrowthPoint], domains: Sequence[Domain], *, chart_id: str
) -> LineChart:
    """Each teaching domain's mean per visit over time (x: the visit dates, y: 1 to 4)."""
    width, height = 760, 320
    left, right, top, bottom = 40.0, 470.0, 14.0, 272.0
    moments = [point.lesson.starts_at for point in points]
    first, last = moments[0], moments[-1]
    span = (last - first).total_seconds()
    inner = 14.0

    def x_of(moment: datetime.datetime) -> float:
        if span <= 0:
            return (left + right) / 2
        share = (moment - first).total_seconds() / span
        return round(left + inner + share * (right - left - 2 * inner), 1)

    def y_of(value: float) -> float:
        return round(bottom - (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * (bottom - top), 1)

    lines = []
    for index, domain in enumerate(domains):
        style = LINE_STYLES[index % len(LINE_STYLES)]
        segments: list[list[tuple[float, float]]] = [[]]
        for point, moment in zip(points, moments, strict=True):
            mean = next(r.mean.mean for r in point.profile.teaching if r.domain.pk == domain.pk)
            if mean is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((x_of(moment), y_of(mean)))
        drawn = [segment for segment in segments if segment]
        lines.append((domain, style, drawn))

    ends = [drawn[-1][-1][1] if drawn else bottom for _domain, _style, drawn in lines]
    label_ys = _spread(ends, gap=16.0, low=top + 4, high=bottom)
    series = []
    for (domain, style, drawn), label_y in zip(lines, label_ys, strict=True):
        series.append(
            Series(
                label=_domain_label(domain, limit=34),
                full_label=_domain_label(domain),
                style=style,
                segments=tuple(
                    " ".join(f"{px:.1f},{py:.1f}" for px, py in segment) for segment in drawn
                ),
                markers=tuple(
                    marker_path(style.shape, px, py) for segment in drawn for px, py in segment
                ),
                label_x=right + 30,
                label_y=round(label_y, 1),
                label_marker=marker_path(style.shape, right + 18, label_y - 4),
                legend_marker=marker_path(style.shape, 7, 7),
            )
        )
    description = _(
        "Mean score per teaching domain, on a scale from 1 to 4, at each of %(count)s visits "
        "from %(first)s to %(last)s. Each domain has its own marker and line pattern and is "
        "named at the end of its line; the table gives every value."
    ) % {"count": len(points), "first": _date(first), "last": _date(last)}
    return LineChart(
        chart_id=chart_id,
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        y_ticks=tuple(Tick(position=y_of(v), label=str(v)) for v in SCALE_TICKS),
        x_ticks=_x_ticks(moments, x_of),
        series=tuple(series),
        description=description,
    )


def growth_table(points: Sequence[GrowthPoint], domains: Sequence[Domain]) -> list[dict]:
    """The chart's data as rows: one per visit, one cell per domain (None: not observed)."""
    rows = []
    for point in points:
        by_domain = {row.domain.pk: row.mean.mean for row in point.profile.teaching}
        rows.append(
            {
                "starts_at": point.lesson.starts_at,
                "observer": point.lesson.observation.observer,
                "means": [by_domain.get(domain.pk) for domain in domains],
                "overall": point.profile.overall.mean,
            }
        )
    return rows
