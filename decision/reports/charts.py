"""Charts of a comparative report as small, accessible, reproducible SVG.

Each chart is written directly from the plain sections of the report data (see
:mod:`decision.reports.data`, never the engine's objects) with :mod:`decision.reports.svg`:
no plotting library, a few kilobytes a chart, the same bytes for the same data. Every chart
is ``role="img"`` with an ``aria-label``, a ``<title>`` and a ``<desc>`` that says what it
shows in words; options appear by their titles, criteria and indicators in words, never as
ids. Colours are the Okabe-Ito palette (safe for colour-blind readers), always paired with a
hatch, a marker shape or a label, so every chart reads in greyscale; text stays at least
10 CSS px on a 390 px wide phone (the rule is in :mod:`decision.reports.svg`).

Long rows put their label above the bar, across the chart's width, so that a long option
title needs no narrow label column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from decision.reports.svg import (
    FONT,
    LEADING,
    MARGIN,
    MARKERS,
    MUTED,
    PATTERNS,
    TRACK,
    WIDTH,
    Canvas,
    LegendEntry,
    Scale,
    heading,
    legend,
    nice_ticks,
    padded,
    text_width,
    wrap,
    x_axis,
    y_axis,
)
from decision.reports.visible import visible

if TYPE_CHECKING:
    from decision.reports.document import (
        Bar,
        DiscoveryDocument,
        DiscoveryFinding,
        MovedOption,
        OptionInfo,
        OptionRow,
        OptionTornado,
        Portfolio,
        ScenarioPlanData,
        ScenarioSection,
        Step,
        WeightSensitivity,
    )

#: Okabe-Ito, yellow last (weak on white).
PALETTE = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
POSITIVE, NEGATIVE, TOTAL = "#009E73", "#D55E00", "#0072B2"
LOW_END, HIGH_END = "#0072B2", "#E69F00"
#: Ten bands of the cividis colour map (dark to light: lightness rises with the share, so the
#: heat map reads in greyscale too).
CIVIDIS = ("#00224E", "#123570", "#3B496C", "#575D6D", "#707173", "#8A8678", "#A59C74",
           "#C3B369", "#E1CC55", "#FEE838")
#: Dash patterns of lines, in the order charts hand them out.
DASHES = ("", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 2", "3 3 1 3")
TORNADO_BARS = 10
#: Where bars and axes start and end (room on the right for the values written there).
LEFT, RIGHT = MARGIN + 2.0, WIDTH - MARGIN - 44.0
BAR = 14.0
LINE = FONT * LEADING
#: Names the renderer in the manifest (the charts are written by this package).
RENDERER = "decision.reports.svg"


@dataclass(frozen=True)
class Chart:
    """One chart: a file-safe ``name``, its title, a text description (alt text) and SVG."""

    name: str
    title: str
    description: str
    svg: str


def colour(k: int) -> str:
    """The k-th palette colour (cycled)."""
    return PALETTE[k % len(PALETTE)]


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def _words(identifier: str) -> str:
    """An id said in words: ``allied-security`` -> ``allied security``."""
    return visible(identifier.replace("_", " ").replace("-", " "))


def _label(canvas: Canvas, text: str, y: float, bold: bool = False) -> float:
    """A row's label above its bar, wrapped to two lines; returns the y below it."""
    return canvas.lines(LEFT, y, wrap(text, RIGHT + 40.0 - LEFT), bold=bold)


def _chart(canvas: Canvas, height: float, title: str, description: str) -> Chart:
    svg = canvas.render(height + MARGIN, visible(title), visible(description))
    return Chart(canvas.name, visible(title), visible(description), svg)


def _grid(canvas: Canvas, scale: Scale, ticks: Sequence[float], top: float,
          bottom: float) -> None:
    for tick in ticks:
        canvas.grid(scale(tick), top, scale(tick), bottom)


# ----------------------------------------------------------------------------- the charts


def ranking_chart(
    scenarios: Sequence[ScenarioSection], options: Sequence[OptionInfo]
) -> Chart:
    """Every option's score per scenario, one row per scenario: a marker per option (its own
    colour and shape) with whiskers over 5-95 % of the samples where the scenario is sampled;
    the rank is the order along the row. Unavailable options sit, hollow, in an "n/a" column
    left of the score axis, not at a score of 0."""
    name = "ranking"
    title = "Rank and score of each option in each scenario"
    canvas = Canvas(name)
    titles = {o["id"]: visible(o["title"]) for o in options}
    entries: list[LegendEntry] = [
        (f"marker:{MARKERS[k % len(MARKERS)]}:{colour(k)}", titles[o["id"]])
        for k, o in enumerate(options)
    ]
    entries += [(f"hollow:circle:{MUTED}", "unavailable (the n/a column)"),
                (f"line:{MUTED}:", "5-95 % of samples, where sampled")]
    y = legend(canvas, entries, heading(canvas, title))
    values = []
    for s in scenarios:
        for row in s["options"]:
            if row["available"]:
                values += [float(row["score"]), *(_quantile(row, q, row["score"])
                                                  for q in ("5", "95"))]
    ticks = nice_ticks(*padded(min(values, default=0.0), max(values, default=1.0), 0.02), 5)
    scale = Scale(ticks[0], ticks[-1], LEFT + 40.0, RIGHT + 30.0)
    lane = 7.0
    for s in scenarios:
        y = _label(canvas, visible(s["title"]), y + 2.0, bold=True)
        top, bottom = y, y + lane * len(options) + 4.0
        _grid(canvas, scale, ticks, top, bottom)
        canvas.rect(LEFT, top, 30.0, bottom - top, "#f4f4f4")
        for k, option in enumerate(options):
            row = _option_in(s, option["id"])
            middle = top + 2.0 + lane * (k + 0.5)
            shape = MARKERS[k % len(MARKERS)]
            if not row["available"]:
                canvas.marker(shape, LEFT + 15.0, middle, colour(k), 3.6, hollow=True)
                continue
            # the whisker spans its two ends whichever is larger; the marker sits at the score,
            # inside the band or not (a sampled band need not hold the central score)
            low, high = sorted((_quantile(row, "5", row["score"]),
                                _quantile(row, "95", row["score"])))
            if high > low:
                canvas.line(scale(low), middle, scale(high), middle, colour(k), 1.6)
            canvas.marker(shape, scale(float(row["score"])), middle, colour(k), 3.6)
        y = bottom + 4.0
    canvas.text(LEFT + 15.0, y + 6.0 + FONT * 0.6, "n/a", anchor="middle")
    y = x_axis(canvas, scale, y, ticks, title="score (rank: the order along each row)")
    tops = "; ".join(f"{visible(s['title'])}: {titles.get(s['options'][0]['id'], '')} "
                     f"({_fmt(s['options'][0]['score'])})" for s in scenarios)
    description = (
        f"One row per scenario ({len(scenarios)}), one marker per option at its score, with "
        f"whiskers from the 5th to the 95th percentile where the scenario is sampled; options "
        f"unavailable in a scenario are hollow markers in a separate n/a column. First-ranked "
        f"option per scenario: {tops}."
    )
    return _chart(canvas, y, title, description)


def _option_in(scenario: ScenarioSection, option_id: str) -> OptionRow:
    for row in scenario["options"]:
        if row["id"] == option_id:
            return row
    raise KeyError(option_id)


def _quantile(row: OptionRow, key: str, default: float) -> float:
    quantiles = row.get("score_quantiles")
    return float(quantiles[key]) if quantiles else float(default)


def contribution_chart(scenario: ScenarioSection, criteria: Sequence[str]) -> Chart:
    """Stacked horizontal bars: each option's weighted value per criterion, in rank order
    (a colour and a hatch per criterion), the score written at the bar's end."""
    name = f"contributions-{scenario['id']}"
    title = f"Contributions per criterion: {scenario['title']}"
    canvas = Canvas(name)
    rows = list(scenario["options"])
    y = heading(canvas, title)
    y = legend(canvas, [(f"bar:{colour(c + 1)}:{PATTERNS[c % len(PATTERNS)]}", _words(cr))
                        for c, cr in enumerate(criteria)], y, columns=2)
    totals = [sum(float(r["contributions"][c]) for c in criteria) for r in rows]
    ticks = nice_ticks(0.0, max([*totals, 0.1]), 4)
    scale = Scale(ticks[0], ticks[-1], LEFT, RIGHT)
    for r, total in zip(rows, totals, strict=True):
        label = f"{r['rank']}. {visible(r['title'])}" + ("" if r["available"] else
                                                          " (unavailable)")
        y = _label(canvas, label, y + 2.0)
        _grid(canvas, scale, ticks, y, y + BAR + 4.0)
        left = 0.0
        faded = None if r["available"] else 0.35
        for c, criterion in enumerate(criteria):
            width = float(r["contributions"][criterion])
            if width > 0:
                canvas.bar(scale(left), y + 2.0, scale(left + width) - scale(left), BAR,
                           colour(c + 1), PATTERNS[c % len(PATTERNS)], faded)
            left += width
        text = _fmt(r["score"]) if r["available"] else "unavailable"
        canvas.text(scale(total) + 4.0, y + 2.0 + BAR / 2, text)
        y += BAR + 4.0
    y = x_axis(canvas, scale, y, ticks,
               title="weighted value per criterion (bars sum to the weighted-sum score)")
    top = rows[0]
    biggest = sorted(top["contributions"].items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    description = (
        f"Stacked bars for {len(rows)} options in rank order, one segment per criterion "
        f"({', '.join(_words(c) for c in criteria)}); faded bars are unavailable options. "
        f"The first-ranked option, {visible(top['title'])}, scores {_fmt(top['score'])}, "
        "most from " + " and ".join(f"{_words(c)} ({_fmt(v)})" for c, v in biggest) + "."
    )
    return _chart(canvas, y, title, description)


def waterfall_chart(scenario: ScenarioSection, baseline_id: str,
                    baseline_title: str | None = None) -> Chart | None:
    """For each option whose rank moved against the baseline: its score from the baseline's to
    the scenario's, step by step (availability, each criterion, any non-additive remainder).

    One panel per option, each on its own score axis zoomed to the scores it passes through
    (one shared axis would flatten every step beside an option that becomes available); the
    chart says so under the panels and in its description."""
    movement = scenario["movement"]
    shown = [] if movement is None else movement["options"]
    moved = [o for o in shown if _moves(o)]
    if not moved:
        return None
    name = f"waterfall-{scenario['id']}"
    title = f"Why the ranking moved: {scenario['title']} against {baseline_title or baseline_id}"
    canvas = Canvas(name)
    titles = {r["id"]: visible(r["title"]) for r in scenario["options"]}
    y = heading(canvas, title)
    y = legend(canvas, [(f"marker:diamond:{TOTAL}", "score in the baseline, then in the scenario"),
                        (f"bar:{POSITIVE}:solid", "gain"),
                        (f"bar:{NEGATIVE}:diagonal", "loss")], y, columns=1)
    labels = [_step_label(s) for o in moved for s in o["steps"] if _shown(s)]
    column = min(max(text_width(label) for label in labels) + 8.0, WIDTH * 0.4)
    for option in moved:
        y = _label(canvas, f"{titles.get(option['id'], option['id'])}: rank "
                           f"{option['rank_from']} to {option['rank_to']}", y + 4.0, bold=True)
        levels = _levels(option)
        low, high = padded(min(levels), max(levels), 0.08, 0.005)
        ticks = nice_ticks(max(low, 0.0) if min(levels) >= 0 else low, high, 4)
        scale = Scale(ticks[0], ticks[-1], LEFT + column, RIGHT)
        for step, level in zip(option["steps"], levels, strict=True):
            if not _shown(step):
                continue
            lines = wrap(_step_label(step), column - 8.0)
            height = max(LINE * len(lines), BAR + 4.0)
            _grid(canvas, scale, ticks, y, y + height)
            canvas.lines(LEFT, y + (height - LINE * len(lines)) / 2, lines)
            middle = y + height / 2
            if step["kind"] in ("start", "end"):
                canvas.marker("diamond", scale(level), middle, TOTAL, 5.5)
                canvas.text(scale(level) + 8.0, middle, _fmt(level))
            else:
                delta = float(step.get("delta", 0.0))
                before = level - delta
                canvas.bar(scale(before), middle - BAR / 2, scale(level) - scale(before), BAR,
                           POSITIVE if delta >= 0 else NEGATIVE,
                           "solid" if delta >= 0 else "diagonal")
                canvas.text(max(scale(before), scale(level)) + 4.0, middle, f"{delta:+.3f}")
            y += height
        y = x_axis(canvas, scale, y + 2.0, ticks)
    y = canvas.lines(MARGIN, y, wrap("score: each panel has its own axis, zoomed to the "
                                     "scores its option passes through", WIDTH - 2 * MARGIN,
                                     max_lines=3)) + 4.0
    parts = []
    for option in moved:
        deltas = [x for x in option["steps"]
                  if x["kind"] not in ("start", "end") and abs(x.get("delta", 0.0)) >= 5e-4]
        main = max(deltas, key=lambda x: abs(x.get("delta", 0.0))) if deltas else None
        driver = (f", mainly {_step_label(main)} ({main.get('delta', 0.0):+.3f})"
                  if main else "")
        parts.append(
            f"{titles.get(option['id'], option['id'])} rank {option['rank_from']} to "
            f"{option['rank_to']}, score {_fmt(option['score_from'])} to "
            f"{_fmt(option['score_to'])}{driver}"
        )
    still = [titles.get(o["id"], o["id"]) for o in shown if not _moves(o)]
    description = (
        "Horizontal waterfall per option whose rank changed, each panel on its own score axis "
        "zoomed to that option's scores: "
        "the baseline score (diamond), a step per criterion (green solid to the right for a "
        "gain, vermillion hatched to the left for a loss; steps under 0.0005 left out) and "
        "the scenario score (diamond). "
        + "; ".join(parts) + "."
        + (f" Not drawn, as their own scores do not change: {', '.join(still)}."
           if still else "")
    )
    return _chart(canvas, y, title, description)


def _moves(option: MovedOption) -> bool:
    """Whether an option's own score or availability changed (else its waterfall is flat)."""
    return bool(
        option["available_from"] != option["available_to"]
        or any(abs(s.get("delta", 0.0)) >= 5e-4 for s in option["steps"])
    )


def _shown(step: Step) -> bool:
    """Whether a waterfall draws a step: its ends, and every step that moves the score."""
    return step["kind"] in ("start", "end") or abs(step.get("delta", 0.0)) >= 5e-4


def _levels(option: MovedOption) -> list[float]:
    """The score after each step of an option's waterfall."""
    level = 0.0
    levels = []
    for step in option["steps"]:
        if step["kind"] in ("start", "end"):
            level = float(step.get("value", level))
        else:
            level += float(step.get("delta", 0.0))
        levels.append(level)
    return levels


def _step_label(step: Step) -> str:
    if step["kind"] == "start":
        return "score in the baseline"
    if step["kind"] == "end":
        return "score in the scenario"
    return _words(str(step["label"]))


def acceptability_heatmap(scenario: ScenarioSection) -> Chart | None:
    """Rank acceptability (share of samples in which each option takes each rank): a row of
    cells per option, each cell's share written in it and shaded (darker: smaller)."""
    rows = [(r, acceptability) for r in scenario["options"]
            if (acceptability := r["rank_acceptability"])]
    if not rows:
        return None
    name = f"acceptability-{scenario['id']}"
    title = f"Rank acceptability: {scenario['title']}"
    canvas = Canvas(name)
    n_ranks = len(rows[0][1])
    y = heading(canvas, title)
    cell = (WIDTH - MARGIN - LEFT) / n_ranks
    canvas.text(LEFT, y + LINE / 2, "rank (1 = best):")
    y += LINE
    for k in range(n_ranks):
        canvas.text(LEFT + cell * (k + 0.5), y + LINE / 2, str(k + 1), anchor="middle")
    y += LINE
    for row, acceptability in rows:
        y = _label(canvas, visible(row["title"]), y + 2.0)
        for k, share in enumerate(acceptability):
            band = min(int(float(share) * 10), 9)
            canvas.rect(LEFT + cell * k, y, cell, 22.0, CIVIDIS[band], stroke="#ffffff")
            text = "0" if share <= 0 else "<1%" if share < 0.005 else f"{share:.0%}"
            canvas.text(LEFT + cell * (k + 0.5), y + 11.0, text, anchor="middle",
                        fill="#000000" if band >= 5 else "#ffffff")
        y += 24.0
    y += 6.0
    canvas.text(LEFT, y + LINE / 2, "shade: share of samples, 0 to 100 %")
    y += LINE
    for k, shade in enumerate(CIVIDIS):
        canvas.rect(LEFT + k * 22.0, y, 22.0, 10.0, shade)
    y += 14.0
    first, share = max(((visible(r["title"]), a[0]) for r, a in rows), key=lambda r: r[1])
    description = (
        f"Heat map over {scenario['samples']:,} samples: rows are options, columns ranks, "
        f"each cell the share of samples in which the option takes that rank. "
        f"{first} ranks first most often ({share:.1%})."
    )
    return _chart(canvas, y, title, description)


def weight_stability_chart(scenario: ScenarioSection, weights: WeightSensitivity) -> Chart:
    """Per criterion: the weight range keeping the top option, the range keeping the whole
    ranking, the current weight and every crossover along the weight path."""
    name = f"weights-{scenario['id']}"
    title = f"Weight stability: {scenario['title']}"
    canvas = Canvas(name)
    items = list(weights["criteria"])
    y = heading(canvas, title)
    y = legend(canvas, [
        ("band:#56B4E9:12", "top option unchanged (tall band)"),
        (f"band:{TOTAL}:5", "whole ranking unchanged (thin band)"),
        ("marker:diamond:#000000", "current weight"),
        (f"line:{MUTED}:", "crossover"),
        (f"marker:cross:{NEGATIVE}", "crossover with the top option"),
    ], y, columns=2)
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    scale = Scale(0.0, 1.0, LEFT + 6.0, RIGHT + 30.0)
    for item in items:
        y = _label(canvas, _words(item["criterion"]), y + 2.0)
        _grid(canvas, scale, ticks, y, y + BAR + 6.0)
        middle = y + 3.0 + BAR / 2
        canvas.rect(scale(0.0), middle - BAR / 2, scale(1.0) - scale(0.0), BAR, TRACK)
        lo, hi = item["top_interval"]
        canvas.rect(scale(lo), middle - 6.0, scale(hi) - scale(lo), 12.0, "#56B4E9",
                    stroke="#1b1b1b")
        lo, hi = item["ranking_interval"]
        canvas.rect(scale(lo), middle - 2.5, scale(hi) - scale(lo), 5.0, TOTAL)
        involved = [c["t"] for c in item["crossovers"]
                    if item["top"] in (c["overtaken"], c["overtaking"])]
        canvas.strokes([(scale(c["t"]), middle - 8.0, scale(c["t"]), middle + 8.0)
                        for c in item["crossovers"] if c["t"] not in involved], MUTED, 2.0)
        for t in involved:
            canvas.marker("cross", scale(t), middle, NEGATIVE, 5.0)
        canvas.marker("diamond", scale(item["weight"]), middle, "#000000", 5.0)
        y += BAR + 6.0
    y = x_axis(canvas, scale, y, ticks, title="normalised weight of the criterion (the others "
               "keep their proportions)")
    parts = [
        f"{_words(i['criterion'])} {i['weight']:.2f} (top kept within "
        f"{i['top_interval'][0]:.2f}-{i['top_interval'][1]:.2f})"
        for i in items
    ]
    description = (
        "One row per criterion along its weight from 0 to 1: tall light band where the top "
        "option stays first, thin dark band where the whole ranking stays, diamond at the "
        "current weight, marks at crossovers (a cross where the top option is involved). "
        + "; ".join(parts) + "."
    )
    return _chart(canvas, y, title, description)


def tornado_chart(scenario: ScenarioSection, option: OptionTornado) -> Chart | None:
    """The inputs that move one option's score most, each from its low to its high end (two
    bars from the scenario's score). An end at which the option is unavailable is a cross on
    the scenario's score, not a bar to a score of 0 that would dwarf every other bar; the
    description says which."""
    bars = [b for b in option["bars"] if b["swing"] > 0][:TORNADO_BARS]
    if not bars:
        return None
    titles = {r["id"]: visible(r["title"]) for r in scenario.get("options", [])}
    who = titles.get(option["option"], visible(option["option"]))
    name = f"tornado-{scenario['id']}"
    title = f"Tornado for {who}: {scenario['title']}"
    canvas = Canvas(name)
    base = float(option["score"])
    closed = any(not (b["available_low"] and b["available_high"]) for b in bars)
    y = heading(canvas, title)
    entries: list[LegendEntry] = [(f"bar:{LOW_END}:diagonal", "input at the low end of its range"),
                                  (f"bar:{HIGH_END}:solid", "input at the high end of its range")]
    if closed:
        entries.append((f"marker:cross:{NEGATIVE}", "unavailable at that end"))
    y = legend(canvas, entries, y)
    ends = [base] + [v for b in bars for v, ok in ((b["score_low"], b["available_low"]),
                                                   (b["score_high"], b["available_high"])) if ok]
    ticks = nice_ticks(*padded(min(ends), max(ends), 0.05, 0.005), 4)
    scale = Scale(ticks[0], ticks[-1], LEFT, RIGHT + 30.0)
    half = BAR * 0.7
    for bar in bars:
        y = _label(canvas, _input_label(bar, option["option"], titles), y + 2.0)
        top, bottom = y, y + 2 * half + 4.0
        _grid(canvas, scale, ticks, top, bottom)
        for k, (colour_, pattern, value, available) in enumerate((
            (LOW_END, "diagonal", bar["score_low"], bar["available_low"]),
            (HIGH_END, "solid", bar["score_high"], bar["available_high"]),
        )):
            lane = top + 2.0 + half * k
            if available:
                canvas.bar(scale(base), lane, scale(float(value)) - scale(base), half - 1.0,
                           colour_, pattern)
            else:
                canvas.marker("cross", scale(base), lane + half / 2, NEGATIVE, 5.5)
        canvas.line(scale(base), top, scale(base), bottom, "#000000", 1.2)
        y = bottom
    y = x_axis(canvas, scale, y, ticks,
               title=f"score of {who} (line: scenario score {_fmt(base)})")

    def end_text(score: float, available: bool) -> str:
        return _fmt(score) if available else "unavailable"

    parts = [
        f"{_input_label(b, option['option'], titles)} "
        f"{end_text(b['score_low'], b['available_low'])} to "
        f"{end_text(b['score_high'], b['available_high'])}"
        for b in bars[:3]
    ]
    description = (
        f"Horizontal bars around {who}'s score {_fmt(base)}: each input moved alone to the "
        "low end (upper, hatched bar) and the high end (lower, solid bar) of its range, "
        "largest swing first"
        + ("; a cross where the option is unavailable at that end" if closed else "")
        + ". Largest: " + "; ".join(parts) + "."
    )
    return _chart(canvas, y, title, description)


def _input_label(bar: Bar, option_id: str, titles: Mapping[str, str]) -> str:
    """An input of the tornado in words: an indicator, or whose judgement or likelihood."""
    owner, _, rest = bar["input"].partition(":")
    if bar["kind"] == "likelihood" or (rest == "likelihood" and bar["kind"] != "indicator"):
        return ("success likelihood" if owner == option_id else
                f"success likelihood of {titles.get(owner, visible(owner))}")
    if rest and bar["kind"] == "judgement":
        if owner == option_id:
            return f"judgement on {_words(rest)}"
        return f"judgement of {titles.get(owner, visible(owner))} on {_words(rest)}"
    return _words(bar["input"])


def frontier_chart(bundle: Portfolio, titles: Mapping[str, str] | None = None,
                   scenario_title: str | None = None) -> Chart | None:
    """Value against resource use of the bundles on each resource's efficient frontier, one
    panel per resource, the budget as a dashed line. ``titles``: option titles by id (ids are
    shown without them)."""
    frontiers = {r: p for r, p in sorted((bundle.get("frontiers") or {}).items()) if p}
    if not frontiers:
        return None
    names = dict(titles or {})
    scenario = str(bundle.get("scenario", "study"))
    name = f"frontier-{scenario}"
    title = f"Efficient bundles of options: {scenario_title or scenario}"
    budgets = bundle.get("budgets") or {}
    canvas = Canvas(name)
    y = heading(canvas, title)
    y = legend(canvas, [(f"marker:circle:{TOTAL}", "a bundle on the frontier"),
                        (f"marker:diamond:{NEGATIVE}", "the most valuable"),
                        (f"line:{MUTED}:5 3", "budget")], y, columns=3)
    for resource, points in frontiers.items():
        y = _label(canvas, _words(resource), y + 6.0, bold=True) + 2.0
        xs = [float(p["cost"]) for p in points]
        ys = [float(p["value"]) for p in points]
        budget = budgets.get(resource)
        x_ticks = nice_ticks(*padded(min(xs), max([*xs, *([] if budget is None else
                                                              [float(budget)])]), 0.04), 5)
        y_ticks = nice_ticks(*padded(min(ys), max(ys), 0.08), 4)
        left = LEFT + max(text_width(f"{t:g}") for t in y_ticks) + 8.0
        x_scale = Scale(x_ticks[0], x_ticks[-1], left, WIDTH - MARGIN - 8.0)
        y_scale = Scale(y_ticks[0], y_ticks[-1], y + 170.0, y + 12.0)
        y_axis(canvas, y_scale, left, y_ticks, WIDTH - MARGIN - 8.0)
        steps = [(xs[0], ys[0])]
        for k in range(1, len(xs)):
            steps += [(xs[k], ys[k - 1]), (xs[k], ys[k])]
        canvas.polyline([(x_scale(a), y_scale(b)) for a, b in steps], TOTAL, 1.5)
        for a, b in zip(xs, ys, strict=True):
            canvas.marker("circle", x_scale(a), y_scale(b), TOTAL, 3.0)
        best = max(range(len(points)), key=lambda k: (ys[k], -xs[k]))
        canvas.marker("diamond", x_scale(xs[best]), y_scale(ys[best]), NEGATIVE, 6.0)
        if budget is not None:
            canvas.line(x_scale(float(budget)), y + 12.0, x_scale(float(budget)), y + 170.0,
                        MUTED, 1.2, "5 3")
        y = x_axis(canvas, x_scale, y + 170.0, x_ticks,
                   title=f"use of {_words(resource)}; up: bundle value")
    parts = []
    for resource, points in frontiers.items():
        top = max(points, key=lambda p: (float(p["value"]), -float(p["cost"])))
        members = " + ".join(names.get(str(m), visible(str(m))) for m in top["members"])
        parts.append(
            f"{_words(resource)}: {len(points)} bundles, the most valuable "
            f"{members or 'none'} (value {float(top['value']):.3f} for "
            f"{float(top['cost']):.3g})"
        )
    description = (
        "Step chart per resource of the bundles no other bundle beats on both value and "
        "use of that resource; diamond: the most valuable; dashed: the budget. "
        + "; ".join(parts) + "."
    )
    return _chart(canvas, y, title, description)


def pathway_chart(plan: ScenarioPlanData,
                  titles: Mapping[str, str] | None = None,
                  scenario_title: str | None = None) -> Chart | None:
    """An adaptation pathways map of one timeline: time across, one line per option, drawn
    where the option is in the best package; each switch marked by a numbered dashed line
    whose causes (the triggers) the description gives. Black and greys with markers, so it
    reads in greyscale. ``titles``: option titles by id (ids are shown without them)."""
    steps = plan["pathway"]
    if len(steps) < 2:
        return None
    names = dict(titles or {})
    name = f"pathway-{plan['scenario']}"
    shown = scenario_title or plan["scenario"]
    title = f"Adaptation pathway: {shown}"
    canvas = Canvas(name)
    held = [[m["option"] for m in step["members"]] for step in steps]
    options = [o for o in plan["options"] if any(o in members for members in held)]
    periods = [step["period"] for step in steps]
    switches = {sw["period"]: k + 1 for k, sw in enumerate(plan["switches"])}
    y = heading(canvas, title)
    y = legend(canvas, [("marker:circle:#1b1b1b", "enters the package"),
                        ("band:#1b1b1b:4", "in the package"),
                        ("line:#777777:4 3", "numbered switch")], y, columns=3)
    column = (WIDTH - MARGIN - LEFT - 10.0) / (len(periods) - 0.4)
    scale = Scale(0.0, 1.0, LEFT + 10.0, LEFT + 10.0 + column)
    end = len(steps) - 0.4
    top = y + 4.0
    y = top + 22.0
    rows = []
    for option in options:
        y = _label(canvas, names.get(option, visible(option)), y)
        rows.append(y + 7.0)
        y += 16.0
    for k, period in enumerate(periods):
        number = switches.get(period)
        if number is None:
            continue
        x = scale(k)
        canvas.line(x, top + 20.0, x, y, "#777777", 1.0, "4 3")
        canvas.add("circle", {"cx": x, "cy": top + 10.0, "r": 9.0, "fill": "#ffffff",
                              "stroke": "#777777", "stroke-width": 1.0})
        canvas.text(x, top + 10.0, str(number), anchor="middle", bold=True)
    for option, middle in zip(options, rows, strict=True):
        canvas.line(scale(0.0) - 6.0, middle, scale(end), middle, "#dddddd", 0.8)
        for k, members in enumerate(held):
            if option not in members:
                continue
            stop = k + 1 if k + 1 < len(steps) else end
            canvas.line(scale(k), middle, scale(stop), middle, "#1b1b1b", 5.0)
            if k == 0 or option not in held[k - 1]:
                canvas.marker("circle", scale(k), middle, "#1b1b1b", 5.0)
            if k + 1 < len(steps) and option not in held[k + 1]:
                canvas.line(scale(k + 1), middle - 8.0, scale(k + 1), middle + 8.0, "#1b1b1b",
                            2.5)
    ticks = [float(k) for k in range(len(periods))]
    fits = all(text_width(p) <= column - 4.0 for p in periods)
    y = x_axis(canvas, scale, y, ticks, periods if fits else [str(k + 1) for k in
                                                                range(len(periods))],
               title="period" + ("" if fits else ": " + ", ".join(
                   f"{k + 1} {p}" for k, p in enumerate(periods))) +
               " (dot: enters the package; bar: leaves; numbered dashes: switches)")
    causes = [f"({switches[sw['period']]}) {sw['period']}: " + "; ".join(sw["causes"])
              for sw in plan["switches"]]
    description = (
        f"Pathways map of {shown} over {len(steps)} periods "
        f"({', '.join(periods)}): each line is an option, drawn while it is in the best "
        f"package within the budgets. Switches: " + (" ".join(causes) or "none") + "."
    )
    return _chart(canvas, y, title, description)


def _outcome_label(f: DiscoveryFinding, titles: Mapping[str, str]) -> str:
    option = f["option"]
    kind = _words(f["kind"])
    return kind if option is None else f"{kind}: {titles.get(option, visible(option))}"


def coverage_density_chart(doc: DiscoveryDocument, titles: dict[str, str],
                           scenario_title: str | None = None) -> Chart | None:
    """The PRIM peeling trajectory of every outcome of interest: coverage across, density
    up, one line per outcome (its own colour, marker and dash), the chosen box circled and
    its number of restricted inputs written beside it."""
    found = [f for f in doc["findings"] if f["trajectory"] and f["limits"] is not None]
    if not found:
        return None
    name = "coverage-density"
    title = ("Scenario discovery: coverage and density of the boxes "
             f"({scenario_title or doc['scenario']})")
    canvas = Canvas(name)
    y = heading(canvas, title)
    y = legend(canvas, [(f"marker:{MARKERS[k % len(MARKERS)]}:{colour(k + 1)}",
                         _outcome_label(f, titles)) for k, f in enumerate(found)]
               + [("hollow:circle:#1b1b1b", "the chosen box, with its number of inputs")], y)
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    left = LEFT + text_width("0.75") + 8.0
    y += LINE
    x_scale = Scale(0.0, 1.02, left, WIDTH - MARGIN - 8.0)
    y_scale = Scale(0.0, 1.02, y + 240.0, y)
    y_axis(canvas, y_scale, left, ticks, WIDTH - MARGIN - 8.0,
           title="density (share of the box where it happens)")
    for k, f in enumerate(found):
        points = [(x_scale(t["coverage"]), y_scale(t["density"])) for t in f["trajectory"]]
        canvas.polyline(points, colour(k + 1), 1.6, DASHES[k % len(DASHES)] or None)
        for px, py in points:
            canvas.marker(MARKERS[k % len(MARKERS)], px, py, colour(k + 1), 3.2)
        cx, cy = x_scale(f["coverage"] or 0.0), y_scale(f["density"] or 0.0)
        canvas.add("circle", {"cx": cx, "cy": cy, "r": 9.0, "fill": "none",
                              "stroke": colour(k + 1), "stroke-width": 2.0})
        text = f"{len(f['limits'] or [])} input(s)"
        right = cx + 12.0 + text_width(text) > WIDTH - MARGIN
        canvas.text(cx - 12.0 if right else cx + 12.0, cy - 10.0, text,
                    anchor="end" if right else "start")
    y = x_axis(canvas, x_scale, y + 240.0, ticks,
               title="coverage (share of the outcome's cases inside the box)")
    description = (
        f"PRIM peeling trajectories over {doc['discovery_rows']} samples of "
        f"{doc['scenario']}: as the box shrinks, coverage falls and density rises. "
        + " ".join(
            f"{_outcome_label(f, titles)}: chosen box covers {f['coverage'] or 0:.0%} with "
            f"{f['density'] or 0:.0%} density on {len(f['limits'] or [])} input(s) "
            f"(the whole space: {f['trajectory'][0]['density']:.0%} density)."
            for f in found
        )
    )
    return _chart(canvas, y, title, description)


def discovery_box_chart(doc: DiscoveryDocument, titles: dict[str, str],
                        scenario_title: str | None = None) -> Chart | None:
    """The chosen box of every outcome of interest: one row per restricted input, its range
    in the samples as a grey line and the box's part of it as a bar (colour and hatch per
    outcome, rows under the outcome's name), its limits written at the ends; a yes/no input
    is two halves, false then true, the box's half filled."""
    rows = [(k, f, lim) for k, f in enumerate(doc["findings"]) for lim in f["limits"] or []]
    if not rows:
        return None
    name = "discovery-box"
    title = f"Scenario discovery: the boxes ({scenario_title or doc['scenario']})"
    canvas = Canvas(name)
    y = heading(canvas, title)
    outcomes = {k: f for k, f, _ in rows}
    y = legend(canvas, [(f"bar:{colour(k + 1)}:{PATTERNS[(k + 1) % len(PATTERNS)]}",
                         _outcome_label(f, titles)) for k, f in outcomes.items()], y)
    scale = Scale(0.0, 1.0, LEFT + 48.0, WIDTH - MARGIN - 48.0)
    current = -1
    for k, f, lim in rows:
        if k != current:  # each outcome's rows under its name, so colour is not the key
            y = _label(canvas, _outcome_label(f, titles), y + 6.0, bold=True)
            current = k
        y = _label(canvas, f"{_words(lim['name'])} ({lim['kind']})", y + 2.0)
        middle = y + 2.0 + BAR / 2
        lo, hi = lim["min"], lim["max"]
        span = (hi - lo) or 1.0
        a = 0.0 if lim["low"] is None else (lim["low"] - lo) / span
        b = 1.0 if lim["high"] is None else (lim["high"] - lo) / span
        if lim["boolean"]:  # two halves, false and true: the box holds one of them
            a, b = (0.5, 1.0) if lim["low"] is not None else (0.0, 0.5)
        canvas.line(scale(0.0), middle, scale(1.0), middle, "#bbbbbb", 1.5)
        canvas.bar(scale(a), middle - BAR / 2, scale(b) - scale(a), BAR, colour(k + 1),
                   PATTERNS[(k + 1) % len(PATTERNS)])
        if lim["boolean"]:
            canvas.text(scale(b) + 4.0, middle, "true" if lim["low"] is not None else "false")
        else:
            if lim["low"] is not None:
                canvas.text(scale(a) - 4.0, middle, f"{lim['low']:.3g}", anchor="end")
            if lim["high"] is not None:
                canvas.text(scale(b) + 4.0, middle, f"{lim['high']:.3g}")
        y += BAR + 6.0
    y = x_axis(canvas, scale, y, [0.0, 0.5, 1.0], ["min", "mid", "max"],
               title="position in the input's sampled range (bar: inside the box; a yes/no "
               "input: false half, then true half)")
    description = " ".join(
        f"{_outcome_label(f, titles)}: box on "
        + ", ".join(
            f"{_words(lim['name'])} "
            + ("true" if lim["boolean"] and lim["low"] is not None else
               "false" if lim["boolean"] else
               f"from {lim['low'] if lim['low'] is not None else lim['min']:.3g} to "
               f"{lim['high'] if lim['high'] is not None else lim['max']:.3g}")
            for lim in f["limits"] or []
        ) + f" (coverage {f['coverage'] or 0:.0%}, density {f['density'] or 0:.0%})."
        for f in doc["findings"] if f["limits"]
    )
    return _chart(canvas, y, title, description)
