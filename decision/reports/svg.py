"""A small SVG writer for the report's charts: elements, escaping, numbers, scales, legends.

Charts are a few rectangles, lines, markers and labels, so they are written as SVG text
directly rather than drawn by a plotting library: a chart is a few kilobytes, costs
milliseconds, and the same data give the same bytes (numbers are rounded to a tenth of
a view-box unit, attributes come in a fixed order, nothing depends on time or on fonts).

Legibility on a phone is a rule here, not a hope: every chart is :data:`WIDTH` view-box units
wide and shrinks to fit the page, which leaves it :data:`PHONE_WIDTH` CSS px on a 390 px wide
phone (the page pads 20 px on each side). Text of ``size`` view-box units then shows at
``size * PHONE_WIDTH / WIDTH`` px, so :meth:`Canvas.text` refuses any size under
:data:`MIN_FONT` = 10 * WIDTH / PHONE_WIDTH, which is 10 px on that phone. Text widths are
estimated (:func:`text_width`) with a generous average glyph width, so wrapped labels fit in
any common sans-serif font.

Nothing is told by colour alone: :data:`PATTERNS` (hatches) and :data:`MARKERS` (shapes) come
with the palette's colours, so the charts read in greyscale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape as _escape

from decision.reports.visible import visible


def escape(text: str) -> str:
    """``text`` for SVG markup: XML-escaped, and bidirectional and other invisible controls
    shown as ``[U+XXXX]``, so every label is safe whichever chart builds it."""
    return _escape(visible(text))


#: View-box width of every chart (its height follows its content).
WIDTH = 440.0
#: CSS px a chart is shown at on a 390 px wide phone (the page pads 20 px on each side).
PHONE_WIDTH = 350.0
#: The smallest text allowed: 10 CSS px on that phone, in view-box units.
MIN_FONT = 10.0 * WIDTH / PHONE_WIDTH
#: Sizes of body text (labels, ticks, legends) and of the chart's heading.
FONT = 13.0
HEADING = 14.5
#: Line height of text, in multiples of its size.
LEADING = 1.25
#: Average glyph width in ems, a little above DejaVu Sans and system-ui fonts' average.
GLYPH = 0.58
#: Space around the plot, in view-box units.
MARGIN = 8.0
INK, MUTED, RULE, TRACK = "#1b1b1b", "#555555", "#cccccc", "#e8e8e8"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"

#: Hatch kinds, in the order charts hand them out (the first is a plain fill).
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal", "back-diagonal", "vertical",
            "grid")
#: Marker shapes, in the order charts hand them out.
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "plus", "cross", "star")


def num(value: float) -> str:
    """A coordinate as short, deterministic text: one decimal at most (a tenth of a
    view-box unit is far below a screen pixel), no ``-0``."""
    text = f"{round(float(value), 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float = FONT) -> float:
    """The width a line of text needs at ``size`` (an upper estimate for common fonts)."""
    return len(text) * size * GLYPH


def wrap(text: str, width: float, size: float = FONT, max_lines: int = 2) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width``; past ``max_lines`` the
    last line ends in an ellipsis (the chart's description carries the full text)."""
    per_line = max(int(width / (size * GLYPH)), 4)
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > per_line:  # a word longer than a line is cut
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:per_line])
            word = word[per_line:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= per_line:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[: max_lines - 1], last[: per_line - 1].rstrip() + "…"]
    return lines


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values from at or below ``low`` to at or above ``high``
    (steps of 1, 2, 2.5 or 5 x 10^k), so an axis on them holds every value."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(count - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw * 0.999)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def tick_text(value: float, ticks: Sequence[float]) -> str:
    """A tick value with as many decimals as the ticks' step needs (0.25 steps: two)."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    if step > 0 and abs(round(step, decimals) - step) > 1e-9:
        decimals += 1
    text = f"{value:.{min(decimals, 6)}f}"
    return "0" if text.strip("-0.") == "" else text


@dataclass(frozen=True)
class Scale:
    """A linear map from data values [low, high] to view-box positions [start, end]."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.high - self.low
        share = 0.5 if span == 0 else (float(value) - self.low) / span
        return self.start + share * (self.end - self.start)


def padded(low: float, high: float, share: float = 0.06, floor: float = 0.01) -> tuple[float,
                                                                                        float]:
    """[low, high] widened by ``share`` of its span (at least ``floor``) on each side, but
    not below 0 when ``low`` is not (an axis of costs or scores does not go negative)."""
    pad = max((high - low) * share, floor)
    return (low - pad if low < 0 else max(low - pad, 0.0)), high + pad


@dataclass
class Canvas:
    """One chart being written: its elements in drawing order and the patterns they use.

    Element ids are prefixed with the chart's name, so many charts can share one HTML page.
    """

    name: str
    elements: list[str] = field(default_factory=list)
    patterns: dict[str, str] = field(default_factory=dict)
    grid_lines: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ elements

    def add(self, tag: str, attributes: dict[str, str | float | None], text: str | None = None,
            ) -> None:
        """An element; float attributes go through :func:`num`, None ones are left out."""
        parts = [tag]
        for key, value in attributes.items():
            if value is None:
                continue
            shown = num(value) if isinstance(value, float | int) else escape(value)
            parts.append(f'{key}="{shown}"')
        head = " ".join(parts)
        self.elements.append(f"<{head}/>" if text is None else f"<{head}>{text}</{tag}>")

    def rect(self, x: float, y: float, width: float, height: float, fill: str,
             stroke: str | None = None, opacity: float | None = None) -> None:
        """A rectangle (a negative width or height is drawn from the other side)."""
        if width < 0:
            x, width = x + width, -width
        if height < 0:
            y, height = y + height, -height
        self.add("rect", {"x": x, "y": y, "width": width, "height": height, "fill": fill,
                          "stroke": stroke, "stroke-width": 0.8 if stroke else None,
                          "opacity": opacity})

    def bar(self, x: float, y: float, width: float, height: float, colour: str, pattern: str,
            opacity: float | None = None) -> None:
        """A rectangle filled with ``colour`` under a hatch (see :data:`PATTERNS`), outlined
        in dark grey so that bars stay apart in greyscale."""
        fill = colour if pattern == "solid" else f"url(#{self.pattern(pattern, colour)})"
        self.rect(x, y, width, height, fill, stroke=INK, opacity=opacity)

    def grid(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """A light grid line, drawn behind everything else (all of a chart's in one path)."""
        self.grid_lines.append(f"M{num(x1)},{num(y1)} L{num(x2)},{num(y2)}")

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = INK,
             width: float = 1.0, dash: str | None = None) -> None:
        self.add("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": stroke,
                          "stroke-width": width, "stroke-dasharray": dash})

    def strokes(self, segments: Sequence[tuple[float, float, float, float]], stroke: str,
                width: float = 1.0) -> None:
        """Many straight lines of one style as one path (smaller than one element each)."""
        if segments:
            path = " ".join(f"M{num(a)},{num(b)} L{num(c)},{num(d)}" for a, b, c, d in segments)
            self.add("path", {"d": path, "stroke": stroke, "stroke-width": width})

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str, width: float = 1.5,
                 dash: str | None = None) -> None:
        coordinates = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self.add("polyline", {"points": coordinates, "fill": "none", "stroke": stroke,
                              "stroke-width": width, "stroke-dasharray": dash,
                              "stroke-linejoin": "round"})

    def text(self, x: float, y: float, text: str, size: float = FONT, anchor: str = "start",
             bold: bool = False, fill: str = INK, middle: bool = True) -> None:
        """One line of text at (x, y); ``middle``: y is its vertical centre, else its
        baseline. Sizes under :data:`MIN_FONT` are refused (they would be unreadable on a
        phone)."""
        if size < MIN_FONT:
            raise ValueError(f"font size {size} is under the phone minimum {MIN_FONT:.2f}")
        self.add("text", {"x": x, "y": y + (size * 0.35 if middle else 0.0),
                          "font-size": None if size == FONT else size,
                          "text-anchor": None if anchor == "start" else anchor,
                          "font-weight": "bold" if bold else None,
                          "fill": None if fill == INK else fill}, escape(text))

    def lines(self, x: float, y: float, lines: Sequence[str], size: float = FONT,
              anchor: str = "start", bold: bool = False) -> float:
        """Lines of text from top ``y`` down; returns the y below the last."""
        step = size * LEADING
        for k, line in enumerate(lines):
            self.text(x, y + step * (k + 0.5), line, size, anchor, bold)
        return y + step * len(lines)

    def marker(self, shape: str, x: float, y: float, colour: str, radius: float = 5.0,
               hollow: bool = False) -> None:
        """A marker of one of :data:`MARKERS`, centred on (x, y)."""
        r = radius
        fill, stroke = ("white", colour) if hollow else (colour, INK)
        common: dict[str, str | float | None] = {"fill": fill, "stroke": stroke,
                                                 "stroke-width": 1.4 if hollow else 0.8}
        if shape == "circle":
            self.add("circle", {"cx": x, "cy": y, "r": r, **common})
            return
        outline = {
            "square": [(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
            "triangle": [(0.0, -1.1), (1.0, 0.75), (-1.0, 0.75)],
            "triangle-down": [(0.0, 1.1), (1.0, -0.75), (-1.0, -0.75)],
            "diamond": [(0.0, -1.2), (1.0, 0.0), (0.0, 1.2), (-1.0, 0.0)],
            "plus": [(-0.35, -1.1), (0.35, -1.1), (0.35, -0.35), (1.1, -0.35), (1.1, 0.35),
                     (0.35, 0.35), (0.35, 1.1), (-0.35, 1.1), (-0.35, 0.35), (-1.1, 0.35),
                     (-1.1, -0.35), (-0.35, -0.35)],
            "cross": [(-0.75, -1.0), (0.0, -0.25), (0.75, -1.0), (1.0, -0.75), (0.25, 0.0),
                      (1.0, 0.75), (0.75, 1.0), (0.0, 0.25), (-0.75, 1.0), (-1.0, 0.75),
                      (-0.25, 0.0), (-1.0, -0.75)],
            "star": [(math.sin(k * math.pi / 5) * (1.2 if k % 2 == 0 else 0.5),
                      -math.cos(k * math.pi / 5) * (1.2 if k % 2 == 0 else 0.5))
                     for k in range(10)],
        }[shape]
        path = "M" + " L".join(f"{num(x + dx * r)},{num(y + dy * r)}" for dx, dy in outline)
        self.add("path", {"d": path + " Z", **common})

    def pattern(self, kind: str, colour: str) -> str:
        """The id of a hatch of one of :data:`PATTERNS` over ``colour`` (defined once per
        chart)."""
        key = f"{kind}:{colour}"
        if key not in self.patterns:
            pattern_id = f"chart-{self.name}-p{len(self.patterns) + 1}"
            strokes = {
                "diagonal": '<path d="M0,6 L6,0" stroke="#1b1b1b" stroke-width="1.1"/>',
                "back-diagonal": '<path d="M0,0 L6,6" stroke="#1b1b1b" stroke-width="1.1"/>',
                "cross": '<path d="M0,6 L6,0 M0,0 L6,6" stroke="#1b1b1b" stroke-width="0.8"/>',
                "horizontal": '<path d="M0,3 L6,3" stroke="#1b1b1b" stroke-width="1.1"/>',
                "vertical": '<path d="M3,0 L3,6" stroke="#1b1b1b" stroke-width="1.1"/>',
                "grid": '<path d="M0,3 L6,3 M3,0 L3,6" stroke="#1b1b1b" stroke-width="0.7"/>',
                "dots": '<circle cx="3" cy="3" r="1.2" fill="#1b1b1b"/>',
            }[kind]
            self.patterns[key] = (
                f'<pattern id="{pattern_id}" width="6" height="6" '
                f'patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{colour}"/>'
                f"{strokes}</pattern>"
            )
        return self.patterns[key].split('"', 2)[1]

    # ------------------------------------------------------------------- output

    def render(self, height: float, title: str, description: str) -> str:
        """The chart as one ``<svg>`` element: ``role="img"`` named by its title (and
        described by its ``<desc>``), sized :data:`WIDTH` by ``height``."""
        name = f"chart-{self.name}"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" id="{name}" class="chart" role="img" '
            f'aria-label="{escape(title)}" aria-describedby="{name}-desc" '
            f'width="{num(WIDTH)}" height="{num(height)}" '
            f'viewBox="0 0 {num(WIDTH)} {num(height)}" font-family="{FONT_FAMILY}" '
            f'font-size="{num(FONT)}" fill="{INK}">'
        )
        body = [
            head,
            f"<title>{escape(title)}</title>",
            f'<desc id="{name}-desc">{escape(description)}</desc>',
        ]
        if self.patterns:
            body.append("<defs>" + "".join(self.patterns.values()) + "</defs>")
        body.append(f'<rect width="{num(WIDTH)}" height="{num(height)}" fill="#ffffff"/>')
        if self.grid_lines:
            body.append(f'<path d="{" ".join(self.grid_lines)}" stroke="{TRACK}" '
                        'stroke-width="0.8"/>')
        body += self.elements
        body.append("</svg>")
        return "\n".join(body) + "\n"


# ------------------------------------------------------------------------- shared pieces


def heading(canvas: Canvas, title: str, y: float = MARGIN) -> float:
    """The chart's title at the top left, wrapped; returns the y below it."""
    lines = wrap(title, WIDTH - 2 * MARGIN, HEADING, max_lines=3)
    return canvas.lines(MARGIN, y, lines, HEADING, bold=True) + 4.0


#: A legend entry: how its key is drawn ("bar:<colour>:<pattern>", "marker:<shape>:<colour>",
#: "hollow:<shape>:<colour>", "line:<colour>:<dash>", "band:<colour>:<height>") and its label.
LegendEntry = tuple[str, str]


def legend(canvas: Canvas, entries: Sequence[LegendEntry], y: float,
           columns: int = 1) -> float:
    """Legend entries in ``columns`` columns from top ``y`` (labels wrap to two lines);
    returns the y below the legend."""
    column_width = (WIDTH - 2 * MARGIN) / columns
    step = FONT * LEADING
    row_top = y
    row_bottom = y
    for k, (key, label) in enumerate(entries):
        column = k % columns
        if column == 0:
            row_top = row_bottom
        x = MARGIN + column * column_width
        lines = wrap(label, column_width - 26.0, FONT)
        centre = row_top + step / 2
        _legend_key(canvas, key, x + 9.0, centre)
        canvas.lines(x + 22.0, row_top, lines)
        row_bottom = max(row_bottom, row_top + step * len(lines) + 2.0)
    return row_bottom + 4.0


def _legend_key(canvas: Canvas, key: str, x: float, y: float) -> None:
    kind, *rest = key.split(":")
    if kind == "bar":
        canvas.bar(x - 8.0, y - 5.5, 16.0, 11.0, rest[0], rest[1])
    elif kind in ("marker", "hollow"):
        canvas.marker(rest[0], x, y, rest[1], hollow=kind == "hollow")
    elif kind == "line":
        canvas.line(x - 9.0, y, x + 9.0, y, rest[0], 2.0, rest[1] or None)
    elif kind == "band":
        height = float(rest[1])
        canvas.rect(x - 8.0, y - height / 2, 16.0, height, rest[0], stroke=INK)


def x_axis(canvas: Canvas, scale: Scale, y: float, ticks: Sequence[float],
           labels: Sequence[str] | None = None, grid_top: float | None = None,
           title: str | None = None) -> float:
    """A horizontal axis at ``y``: ticks, their labels below and (with ``grid_top``) light
    grid lines up to it; ``title`` wrapped beneath. Returns the y below the axis."""
    canvas.line(scale.start, y, scale.end, y, MUTED, 0.8)
    shown = list(labels) if labels is not None else [tick_text(t, ticks) for t in ticks]
    for tick, label in zip(ticks, shown, strict=True):
        x = scale(tick)
        if grid_top is not None:
            canvas.grid(x, grid_top, x, y)
        canvas.line(x, y, x, y + 4.0, MUTED, 0.8)
        anchor = "middle"
        if x - text_width(label) / 2 < 0:
            anchor = "start"
        elif x + text_width(label) / 2 > WIDTH:
            anchor = "end"
        canvas.text(x, y + 6.0 + FONT * 0.6, label, anchor=anchor)
    bottom = y + 6.0 + FONT * LEADING
    if title:
        bottom = canvas.lines(MARGIN, bottom + 2.0, wrap(title, WIDTH - 2 * MARGIN, FONT, 3),
                              FONT)
    return bottom + 4.0


def y_axis(canvas: Canvas, scale: Scale, x: float, ticks: Sequence[float], right: float,
           title: str | None = None) -> None:
    """A vertical axis at ``x`` with tick labels to its left and light grid lines across to
    ``right``; ``title`` above the axis, left-aligned."""
    canvas.line(x, scale.start, x, scale.end, MUTED, 0.8)
    for tick in ticks:
        y = scale(tick)
        canvas.grid(x, y, right, y)
        canvas.text(x - 4.0, y, tick_text(tick, ticks), anchor="end")
    if title:
        canvas.text(MARGIN, min(scale.start, scale.end) - 12.0, title)
