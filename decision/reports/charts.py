"""Charts of a comparative report as accessible, reproducible SVG (matplotlib, Agg canvas).

matplotlib is imported inside the functions, so importing this module (and the CLI) stays
cheap. Every chart is drawn on a fixed-size figure with the bundled DejaVu Sans font, text kept
as text (``svg.fonttype: none``), a fixed hash salt and no date, so the same data give the same
bytes. The SVG carries ``role="img"``, an ``aria-label``, a ``<title>`` and a ``<desc>``; its
element ids are prefixed with the chart's name so that many charts can be inlined in one HTML
page. Colours are the Okabe-Ito palette (safe for colour-blind readers), with distinct markers
and hatches so nothing is told by colour alone.

The functions take the plain sections of the report data (see
:mod:`decision.reports.data`), never the engine's objects.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from decision.reports.document import (
        DiscoveryDocument,
        DiscoveryFinding,
        MovedOption,
        OptionInfo,
        OptionRow,
        OptionTornado,
        Portfolio,
        ScenarioPlanData,
        ScenarioSection,
        WeightSensitivity,
    )

#: Okabe-Ito, yellow last (weak on white).
PALETTE = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
HATCHES = ("", "//", "..", "\\\\", "xx", "--", "++", "oo")
POSITIVE, NEGATIVE, TOTAL = "#009E73", "#D55E00", "#0072B2"
LOW_END, HIGH_END = "#0072B2", "#E69F00"
WIDTH = 9.0  # inches; every chart has this width
TORNADO_BARS = 10

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "path.simplify": True,
    "figure.dpi": 72.0,
    "savefig.dpi": 72.0,
    "figure.facecolor": "white",
}


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


@contextmanager
def _style(name: str) -> Iterator[None]:
    import matplotlib

    params: Any = {**_STYLE, "svg.hashsalt": f"decision-{name}"}
    with matplotlib.rc_context(params):
        yield


def _figure(
    height: float,
    *,
    left: float = 0.8,
    right: float = 0.25,
    top: float = 0.45,
    bottom: float = 0.6,
    hspace: float | None = None,
    wspace: float | None = None,
    **subplots: Any,
) -> tuple[Figure, Any]:
    """A figure of the fixed width on an Agg canvas, with margins given in inches.

    Margins are set by hand rather than by a layout engine: as deterministic and about twice
    as fast.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    height = round(height, 2)
    fig = Figure(figsize=(WIDTH, height))
    FigureCanvasAgg(fig)
    axes = fig.subplots(**subplots) if subplots else fig.add_subplot()
    fig.subplots_adjust(
        left=left / WIDTH,
        right=1 - right / WIDTH,
        top=1 - top / height,
        bottom=bottom / height,
        hspace=hspace,
        wspace=wspace,
    )
    return fig, axes


def label_width(labels: Sequence[str], size: float = 9.0) -> float:
    """Inches that the longest label needs at ``size`` points, plus room for ticks."""
    longest = max((len(label) for label in labels), default=0)
    return longest * size * 0.0078 + 0.3


_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def accessible_svg(raw: str, name: str, title: str, description: str) -> str:
    """matplotlib's SVG made embeddable: no prolog or metadata, ids prefixed with the chart's
    name, ``role="img"`` with an ``aria-label``, and a ``<title>`` and ``<desc>``."""
    svg = raw[raw.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    prefix = f"chart-{name}-"
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    head_end = svg.index(">")
    head = svg[:head_end].replace("<svg ", "<svg ", 1)
    attributes = (
        f' id="chart-{name}" class="chart" role="img" aria-label="{escape(title)}"'
        f' aria-describedby="chart-{name}-desc"'
    )
    children = (
        f"\n <title>{escape(title)}</title>"
        f'\n <desc id="chart-{name}-desc">{escape(description)}</desc>'
    )
    return head + attributes + ">" + children + svg[head_end + 1 :].rstrip() + "\n"


def _finish(fig: Figure, name: str, title: str, description: str) -> Chart:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = accessible_svg(buffer.getvalue(), name, title, description)
    return Chart(name, title, description, svg)


def _title(fig: Figure, title: str) -> None:
    """The chart's title, at the top left of the figure."""
    fig.suptitle(title, x=0.01, y=0.99, ha="left", va="top", fontweight="bold", fontsize=10)


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def _scenario_ticks(axes: Axes, labels: Sequence[str]) -> None:
    axes.set_xticks(range(len(labels)), list(labels), rotation=25, ha="right")


# ----------------------------------------------------------------------------- the charts


def ranking_chart(
    scenarios: Sequence[ScenarioSection], options: Sequence[OptionInfo]
) -> Chart:
    """Rank (top panel) and score with its 5-95 % band (bottom) of every option per scenario.

    ``scenarios``: the report's scenario sections (``id``, ``options`` with ``id``, ``rank``,
    ``score``, ``available``, ``score_quantiles``); ``options``: ``id`` and ``title`` in model
    order.
    """
    name = "ranking"
    title = "Rank and score of each option in each scenario"
    ids = [s["id"] for s in scenarios]
    n_opt = len(options)
    legend = label_width([o["id"] for o in options], 8.0) + 0.5
    bottom_margin = label_width(ids) * 0.5 + 0.55
    with _style(name):
        fig, (top, bottom) = _figure(
            7.0, nrows=2, sharex=True, right=legend, bottom=bottom_margin, hspace=0.25
        )
        offsets = [(k - (n_opt - 1) / 2) * 0.07 for k in range(n_opt)]
        for k, option in enumerate(options):
            rows = [_option_in(s, option["id"]) for s in scenarios]
            xs = list(range(len(rows)))
            marker = MARKERS[k % len(MARKERS)]
            top.plot(xs, [r["rank"] for r in rows], linewidth=1.4, markersize=6,
                     color=colour(k), marker=marker, label=option["id"])
            hollow = [(x, r["rank"]) for x, r in zip(xs, rows, strict=True) if not r["available"]]
            if hollow:
                top.plot([h[0] for h in hollow], [h[1] for h in hollow], linestyle="none",
                         markersize=6, markerfacecolor="white", markeredgecolor=colour(k),
                         marker=marker)
            points = [(x + offsets[k], r) for x, r in zip(xs, rows, strict=True) if r["available"]]
            if not points:
                continue
            xs_k = [p[0] for p in points]
            scores = [float(p[1]["score"]) for p in points]
            # the band is drawn from its own ends: the point score may lie outside it
            low = [_quantile(p[1], "5", s) for s, p in zip(scores, points, strict=True)]
            high = [_quantile(p[1], "95", s) for s, p in zip(scores, points, strict=True)]
            bottom.vlines(xs_k, low, high, colors=colour(k), linewidth=1.0)
            bottom.plot(xs_k, scores, linestyle="none", markersize=5, color=colour(k),
                        marker=marker)
        top.set_ylim(n_opt + 0.5, 0.5)
        top.set_yticks(range(1, n_opt + 1))
        top.set_ylabel("rank (1 = best)")
        top.set_title("Rank per scenario (hollow marker: unavailable)")
        top.grid(axis="y", color="#dddddd", linewidth=0.6)
        bottom.set_ylabel("score")
        bottom.set_xlabel("scenario")
        bottom.set_title("Score per scenario (whiskers: 5-95 % of samples, where sampled)")
        bottom.grid(axis="y", color="#dddddd", linewidth=0.6)
        _scenario_ticks(bottom, ids)
        top.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), title="option", fontsize=8,
                   frameon=False)
        tops = "; ".join(f"{s['id']}: {s['options'][0]['id']} ({_fmt(s['options'][0]['score'])})"
                         for s in scenarios)
        description = (
            f"Two panels over {len(ids)} scenarios. Top: each option's rank per scenario, one "
            f"line per option, hollow markers where it is unavailable. Bottom: each available "
            f"option's score with whiskers from the 5th to the 95th percentile where the "
            f"scenario is sampled. First-ranked option per scenario: {tops}."
        )
        return _finish(fig, name, title, description)


def _option_in(scenario: ScenarioSection, option_id: str) -> OptionRow:
    for row in scenario["options"]:
        if row["id"] == option_id:
            return row
    raise KeyError(option_id)


def _quantile(row: OptionRow, key: str, default: float) -> float:
    quantiles = row.get("score_quantiles")
    return float(quantiles[key]) if quantiles else default


def _bottom_legend(fig: Figure, axes: Axes, ncols: int) -> None:
    handles, labels = axes.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=ncols,
               fontsize=8, frameon=False)


def _legend_rows(n: int, ncols: int) -> float:
    """Inches a bottom legend of n entries takes."""
    return math.ceil(n / ncols) * 0.2 + 0.1


def contribution_chart(scenario: ScenarioSection, criteria: Sequence[str]) -> Chart:
    """Stacked horizontal bars: each option's weighted value per criterion, in rank order."""
    name = f"contributions-{scenario['id']}"
    title = f"Contributions per criterion: {scenario['title']}"
    rows = list(scenario["options"])
    labels = [
        f"{r['rank']}. {r['id']}" + ("" if r["available"] else " (unavailable)") for r in rows
    ]
    ncols = min(len(criteria), 3)
    legend = _legend_rows(len(criteria), ncols)
    with _style(name):
        fig, axes = _figure(
            0.34 * len(rows) + 1.3 + legend, left=label_width(labels), bottom=0.55 + legend
        )
        ys = list(range(len(rows)))
        left = [0.0] * len(rows)
        for c, criterion in enumerate(criteria):
            widths = [float(r["contributions"][criterion]) for r in rows]
            bars = axes.barh(ys, widths, left=left, height=0.7, color=colour(c + 1),
                             edgecolor="white", linewidth=0.8, label=criterion)
            for bar, r in zip(bars, rows, strict=True):
                if not r["available"]:
                    bar.set_alpha(0.3)
            left = [a + b for a, b in zip(left, widths, strict=True)]
        for y, r, total in zip(ys, rows, left, strict=True):
            text = _fmt(r["score"]) if r["available"] else "unavailable"
            axes.text(total + 0.005, y, text, va="center", fontsize=8)
        axes.set_yticks(ys, labels)
        axes.invert_yaxis()
        axes.set_xlim(0, max([*left, 0.1]) * 1.18)
        axes.set_xlabel("weighted value per criterion (bars sum to the weighted-sum score)")
        _title(fig, title)
        _bottom_legend(fig, axes, ncols)
        top = rows[0]
        biggest = sorted(top["contributions"].items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        description = (
            f"Stacked bars for {len(rows)} options in rank order, one segment per criterion "
            f"({', '.join(criteria)}); faded bars are unavailable options. The first-ranked "
            f"option, {top['id']}, scores {_fmt(top['score'])}, most from "
            + " and ".join(f"{c} ({_fmt(v)})" for c, v in biggest)
            + "."
        )
        return _finish(fig, name, title, description)


def waterfall_chart(scenario: ScenarioSection, baseline_id: str) -> Chart | None:
    """For each option whose rank moved against the baseline: its score from the baseline's to
    the scenario's, step by step (availability, each criterion, any non-additive remainder).

    One small panel per option, two per row, each zoomed to the scores it passes through.
    """
    movement = scenario["movement"]
    shown = [] if movement is None else movement["options"]
    moved = [o for o in shown if _moves(o)]
    if not moved:
        return None
    name = f"waterfall-{scenario['id']}"
    title = f"Why the ranking moved: {scenario['title']} against {baseline_id}"
    ncols = 2 if len(moved) > 1 else 1
    nrows = math.ceil(len(moved) / ncols)
    steps = max(len(o["steps"]) for o in moved)
    labels = [str(x["label"]) for o in moved for x in o["steps"]]
    left = label_width(labels, 7.5)
    panel = 0.16 * steps + 0.75
    with _style(name):
        fig, grid = _figure(panel * nrows + 0.45, nrows=nrows, ncols=ncols, squeeze=False,
                            left=left, top=0.7, bottom=0.4,
                            wspace=(left + 0.3) / ((WIDTH - left - 0.25 - (left + 0.3)) / 2),
                            hspace=0.7 / (panel - 0.7))
        flat = [a for row in grid for a in row]
        for axes, option in zip(flat, moved, strict=False):
            _waterfall(axes, option)
        for axes in flat[len(moved) :]:
            axes.set_visible(False)
        _title(fig, title)
        parts = []
        for option in moved:
            deltas = [x for x in option["steps"]
                      if x["kind"] not in ("start", "end") and abs(x["delta"]) >= 5e-4]
            main = max(deltas, key=lambda x: abs(x["delta"])) if deltas else None
            driver = f", mainly {main['label']} ({main['delta']:+.3f})" if main else ""
            parts.append(
                f"{option['id']} rank {option['rank_from']} to {option['rank_to']}, score "
                f"{_fmt(option['score_from'])} to {_fmt(option['score_to'])}{driver}"
            )
        still = [o["id"] for o in shown if not _moves(o)]
        description = (
            "Horizontal waterfall per option whose rank changed, each panel zoomed to its "
            "scores: the baseline score, a step per criterion (green to the right for a gain, "
            "vermillion hatched to the left for a loss) and the scenario score. "
            + "; ".join(parts)
            + "."
            + (f" Not drawn, as their own scores do not change: {', '.join(still)}."
               if still else "")
        )
        return _finish(fig, name, title, description)


def _moves(option: MovedOption) -> bool:
    """Whether an option's own score or availability changed (else its waterfall is flat)."""
    return bool(
        option["available_from"] != option["available_to"]
        or any(abs(s.get("delta", 0.0)) >= 5e-4 for s in option["steps"])
    )


def _waterfall(axes: Axes, option: MovedOption) -> None:
    """One option's waterfall: totals, gains and losses each drawn in one call (fast)."""
    level = 0.0
    labels: list[str] = []
    levels: list[float] = []
    bars: dict[str, tuple[list[int], list[float], list[float]]] = {
        "total": ([], [], []), "up": ([], [], []), "down": ([], [], [])
    }
    for y, step in enumerate(option["steps"]):
        labels.append(str(step["label"]))
        if step["kind"] in ("start", "end"):
            level = float(step["value"])
            kind, left, width = "total", 0.0, level
        else:
            delta = float(step["delta"])
            kind, left, width = ("up" if delta >= 0 else "down"), level, delta
            level += delta
        levels.append(level)
        ys, lefts, widths = bars[kind]
        ys.append(y)
        lefts.append(left)
        widths.append(width)
    styles: dict[str, dict[str, Any]] = {"total": {"color": TOTAL}, "up": {"color": POSITIVE},
              "down": {"color": NEGATIVE, "hatch": "\\\\"}}
    for kind, (ys, lefts, widths) in bars.items():
        if ys:
            axes.barh(ys, widths, left=lefts, height=0.7, edgecolor="white", linewidth=0.5,
                      **styles[kind])
    low, high = min(levels), max(levels)
    pad = max((high - low) * 0.25, 0.01)
    axes.set_xlim(max(low - pad, 0.0) if low > 0.05 else 0.0, high + pad)
    for y, step in enumerate(option["steps"]):
        if step["kind"] in ("start", "end"):
            axes.text(float(step["value"]), y, f" {_fmt(float(step['value']))}", va="center",
                      fontsize=7, clip_on=False)
    axes.set_yticks(range(len(labels)), labels, fontsize=7.5)
    axes.invert_yaxis()
    axes.tick_params(axis="x", labelsize=7.5)
    axes.locator_params(axis="x", nbins=4)
    axes.set_xlabel("score", fontsize=8)
    axes.set_title(f"{option['id']}: rank {option['rank_from']} to {option['rank_to']}",
                   fontsize=9, loc="left", fontweight="bold")


def acceptability_heatmap(scenario: ScenarioSection) -> Chart | None:
    """Rank acceptability (share of samples in which each option takes each rank)."""
    rows = [
        (r["id"], acceptability)
        for r in scenario["options"]
        if (acceptability := r["rank_acceptability"])
    ]
    if not rows:
        return None
    name = f"acceptability-{scenario['id']}"
    title = f"Rank acceptability: {scenario['title']}"
    n_ranks = len(rows[0][1])
    labels = [option for option, _ in rows]
    with _style(name):
        fig, axes = _figure(0.36 * len(rows) + 1.3, left=label_width(labels), right=1.3)
        matrix = [[float(v) for v in acceptability] for _, acceptability in rows]
        from matplotlib import colormaps
        from matplotlib.colors import BoundaryNorm

        levels = [k / 10 for k in range(11)]  # ten bands: a vector colour bar, no raster
        image = axes.pcolormesh(matrix, cmap=colormaps["cividis"].resampled(10),
                                norm=BoundaryNorm(levels, 10), edgecolors="white",
                                linewidth=0.5)
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                if value <= 0.0:
                    continue
                text = "<1%" if value < 0.005 else f"{value:.0%}"
                axes.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=8,
                          color="black" if value > 0.55 else "white")
        axes.set_xticks([k + 0.5 for k in range(n_ranks)], [str(k + 1) for k in range(n_ranks)])
        axes.set_yticks([k + 0.5 for k in range(len(rows))], labels)
        axes.invert_yaxis()
        axes.set_xlabel("rank (1 = best)")
        _title(fig, title)
        axes.spines[:].set_visible(False)
        bar_axes = fig.add_axes((1 - 1.0 / WIDTH, axes.get_position().y0, 0.15 / WIDTH,
                                 axes.get_position().height))
        fig.colorbar(image, cax=bar_axes, label="share of samples", ticks=levels[::2])
        first, share = max(((option, a[0]) for option, a in rows), key=lambda r: r[1])
        description = (
            f"Heat map over {scenario['samples']:,} samples: rows are options, columns ranks, "
            f"each cell the share of samples in which the option takes that rank. "
            f"{first} ranks first most often ({share:.1%})."
        )
        return _finish(fig, name, title, description)


def weight_stability_chart(scenario: ScenarioSection, weights: WeightSensitivity) -> Chart:
    """Per criterion: the weight range keeping the top option, the range keeping the whole
    ranking, the current weight and every crossover along the weight path."""
    name = f"weights-{scenario['id']}"
    title = f"Weight stability: {scenario['title']}"
    items = list(weights["criteria"])
    labels = [i["criterion"] for i in items]
    legend = _legend_rows(5, 5)
    with _style(name):
        fig, axes = _figure(0.4 * len(items) + 1.2 + legend, left=label_width(labels),
                            bottom=0.55 + legend)
        for y, item in enumerate(items):
            axes.barh(y, 1.0, color="#eeeeee", height=0.6)
            lo, hi = item["top_interval"]
            axes.barh(y, hi - lo, left=lo, color="#56B4E9", height=0.6,
                      label=_once(y == 0, "top option unchanged"))
            lo, hi = item["ranking_interval"]
            axes.barh(y, hi - lo, left=lo, color=TOTAL, height=0.25,
                      label=_once(y == 0, "whole ranking unchanged"))
            involved = [c["t"] for c in item["crossovers"]
                        if item["top"] in (c["overtaken"], c["overtaking"])]
            others = [c["t"] for c in item["crossovers"]
                      if item["top"] not in (c["overtaken"], c["overtaking"])]
            if others:
                axes.plot(others, [y] * len(others), linestyle="none", marker="|",
                          color="#444444", markersize=10, label="crossover")
            if involved:
                axes.plot(involved, [y] * len(involved), linestyle="none", marker="X",
                          color=NEGATIVE, markersize=7, label="crossover with the top option")
            axes.plot([item["weight"]], [y], linestyle="none", marker="D", color="black",
                      markersize=5, label=_once(y == 0, "current weight"))
        axes.set_yticks(range(len(items)), labels)
        axes.invert_yaxis()
        axes.set_xlim(0, 1)
        axes.set_xlabel("normalised weight of the criterion (the others keep their proportions)")
        _title(fig, title)
        handles, names = axes.get_legend_handles_labels()
        unique = dict(zip(names, handles, strict=True))
        fig.legend(list(unique.values()), list(unique), loc="lower center",
                   bbox_to_anchor=(0.5, 0.0), ncols=len(unique), fontsize=8, frameon=False)
        parts = [
            f"{i['criterion']} {i['weight']:.2f} (top kept within "
            f"{i['top_interval'][0]:.2f}-{i['top_interval'][1]:.2f})"
            for i in items
        ]
        description = (
            "One row per criterion along its weight from 0 to 1: light band where the top "
            "option stays first, dark band where the whole ranking stays, diamond at the "
            "current weight, marks at crossovers (X where the top option is involved). "
            + "; ".join(parts)
            + "."
        )
        return _finish(fig, name, title, description)


def _once(condition: bool, label: str) -> str | None:
    return label if condition else None


def tornado_chart(scenario: ScenarioSection, option: OptionTornado) -> Chart | None:
    """The inputs that move one option's score most, each from its low to its high end. An
    end at which the option is unavailable is a cross on the scenario's score, not a bar to
    a score of 0 that would dwarf every other bar; the description says which."""
    bars = [b for b in option["bars"] if b["swing"] > 0][:TORNADO_BARS]
    if not bars:
        return None
    name = f"tornado-{scenario['id']}"
    title = f"Tornado for {option['option']}: {scenario['title']}"
    base = float(option["score"])
    labels = [
        "success likelihood" if b["kind"] == "likelihood" and b["input"].startswith(
            option["option"] + ":") else _input_label(b["input"], option["option"])
        for b in bars
    ]
    closed = any(not (b["available_low"] and b["available_high"]) for b in bars)
    legend = _legend_rows(3 if closed else 2, 3 if closed else 2)
    with _style(name):
        fig, axes = _figure(0.3 * len(bars) + 1.2 + legend, left=label_width(labels),
                            bottom=0.55 + legend)
        drawn_closed = False
        labelled: set[str] = set()  # each end's legend entry on its first bar
        for y, bar in enumerate(bars):
            for end, col, hatch, value, available in (
                ("low", LOW_END, "//", bar["score_low"], bar["available_low"]),
                ("high", HIGH_END, "", bar["score_high"], bar["available_high"]),
            ):
                if not available:
                    axes.plot([base], [y], linestyle="none", marker="X", color=NEGATIVE,
                              markersize=9,
                              label=_once(not drawn_closed, "unavailable at that end"))
                    drawn_closed = True
                    continue
                axes.barh(y, value - base, left=base, color=col, hatch=hatch, height=0.6,
                          edgecolor="white", linewidth=0.5,
                          label=_once(end not in labelled, f"input at the {end} end of its range"))
                labelled.add(end)
        axes.axvline(base, color="black", linewidth=0.8)
        axes.set_yticks(range(len(bars)), labels)
        axes.invert_yaxis()
        axes.set_xlabel(f"score of {option['option']} (line: scenario score {_fmt(base)})")
        _title(fig, title)
        _bottom_legend(fig, axes, 3 if closed else 2)

        def end_text(score: float, available: bool) -> str:
            return _fmt(score) if available else "unavailable"

        parts = [
            f"{b['input']} {end_text(b['score_low'], b['available_low'])} to "
            f"{end_text(b['score_high'], b['available_high'])}"
            for b in bars[:3]
        ]
        description = (
            f"Horizontal bars around {option['option']}'s score {_fmt(base)}: each input moved "
            f"alone to the low and high end of its range, largest swing first"
            + ("; a cross where the option is unavailable at that end" if closed else "")
            + ". Largest: "
            + "; ".join(parts)
            + "."
        )
        return _finish(fig, name, title, description)


def _input_label(name: str, option_id: str) -> str:
    owner, _, criterion = name.partition(":")
    if criterion and owner == option_id:
        return f"judgement: {criterion}"
    return name


def frontier_chart(bundle: Portfolio) -> Chart | None:
    """Value against resource use of the bundles on each resource's efficient frontier, one
    panel per resource, the budget as a dashed line."""
    frontiers = {r: p for r, p in sorted((bundle.get("frontiers") or {}).items()) if p}
    if not frontiers:
        return None
    scenario = str(bundle.get("scenario", "study"))
    name = f"frontier-{scenario}"
    title = f"Efficient bundles of options: {scenario}"
    budgets = bundle.get("budgets") or {}
    ncols = min(len(frontiers), 2)
    nrows = math.ceil(len(frontiers) / ncols)
    with _style(name):
        fig, grid = _figure(3.2 * nrows + 0.6, nrows=nrows, ncols=ncols, squeeze=False,
                            left=0.7, top=0.6, bottom=0.55, wspace=0.35, hspace=0.5)
        flat = [a for row in grid for a in row]
        for axes, (resource, points) in zip(flat, frontiers.items(), strict=False):
            xs = [float(p["cost"]) for p in points]
            ys = [float(p["value"]) for p in points]
            axes.plot(xs, ys, color=TOTAL, marker="o", markersize=4, drawstyle="steps-post",
                      linewidth=1.2)
            best = max(range(len(points)), key=lambda k: (ys[k], -xs[k]))
            axes.plot([xs[best]], [ys[best]], linestyle="none", marker="D", color=NEGATIVE,
                      markersize=6)
            budget = budgets.get(resource)
            if budget is not None:
                axes.axvline(float(budget), color="#444444", linestyle="--", linewidth=0.8)
            axes.set_xlabel(f"use of {resource} (dashed: budget)", fontsize=8)
            axes.set_ylabel("bundle value", fontsize=8)
            axes.tick_params(labelsize=7.5)
            axes.set_title(resource, fontsize=9, loc="left", fontweight="bold")
        for axes in flat[len(frontiers) :]:
            axes.set_visible(False)
        _title(fig, title)
        parts = []
        for resource, points in frontiers.items():
            top = max(points, key=lambda p: (float(p["value"]), -float(p["cost"])))
            parts.append(
                f"{resource}: {len(points)} bundles, the most valuable "
                f"{' + '.join(map(str, top['members'])) or 'none'} (value "
                f"{float(top['value']):.3f} for {float(top['cost']):.3g})"
            )
        description = (
            "Step chart per resource of the bundles no other bundle beats on both value and "
            "use of that resource; diamond: the most valuable. " + "; ".join(parts) + "."
        )
        return _finish(fig, name, title, description)


def pathway_chart(plan: ScenarioPlanData) -> Chart | None:
    """An adaptation pathways map of one timeline: time across, one line per option, drawn
    where the option is in the best package; each switch marked by a numbered vertical line
    whose causes (the triggers) the description and the key below give. Black and grey with
    markers, so it reads in greyscale."""
    steps = plan["pathway"]
    if len(steps) < 2:
        return None
    name = f"pathway-{plan['scenario']}"
    title = f"Adaptation pathway: {plan['scenario']}"
    held = [[m["option"] for m in step["members"]] for step in steps]
    options = [o for o in plan["options"] if any(o in members for members in held)]
    periods = [step["period"] for step in steps]
    switches = {sw["period"]: k + 1 for k, sw in enumerate(plan["switches"])}
    with _style(name):
        fig, axes = _figure(0.42 * len(options) + 1.6, left=label_width(options),
                            bottom=0.9)
        end = len(steps) - 0.4
        for y, option in enumerate(options):
            axes.axhline(y, color="#DDDDDD", linewidth=0.6, zorder=0)
            for k, members in enumerate(held):
                if option not in members:
                    continue
                stop = k + 1 if k + 1 < len(steps) else end
                axes.plot([k, stop], [y, y], color="black", linewidth=3.2,
                          solid_capstyle="butt")
                if k == 0 or option not in held[k - 1]:
                    axes.plot([k], [y], marker="o", color="black", markersize=6)
                if k + 1 < len(steps) and option not in held[k + 1]:
                    axes.plot([k + 1], [y], marker="|", color="black", markersize=14,
                              markeredgewidth=2)
        for k, period in enumerate(periods):
            number = switches.get(period)
            if number is None:
                continue
            axes.axvline(k, color="#777777", linestyle="--", linewidth=0.9, zorder=0)
            axes.annotate(str(number), (k, len(options) - 0.4), ha="center", va="bottom",
                          fontsize=8, fontweight="bold",
                          bbox={"boxstyle": "circle,pad=0.2", "fc": "white", "ec": "#777777"})
        axes.set_yticks(range(len(options)), options)
        axes.set_ylim(-0.6, len(options) + 0.2)
        axes.invert_yaxis()
        axes.set_xticks(range(len(periods)), periods, rotation=25, ha="right")
        axes.set_xlim(-0.3, end)
        axes.set_xlabel("period (dot: option enters the package; bar: it leaves; "
                        "numbered dashes: switches)", fontsize=8)
        _title(fig, title)
        causes = [
            f"({switches[sw['period']]}) {sw['period']}: " + "; ".join(sw["causes"])
            for sw in plan["switches"]
        ]
        description = (
            f"Pathways map of {plan['scenario']} over {len(steps)} periods "
            f"({', '.join(periods)}): each line is an option, drawn while it is in the best "
            f"package within the budgets. Switches: " + (" ".join(causes) or "none") + "."
        )
        return _finish(fig, name, title, description)


def _outcome_label(f: DiscoveryFinding, titles: dict[str, str]) -> str:
    option = f["option"]
    return f["kind"] if option is None else f"{f['kind']}: {titles.get(option, option)}"


def coverage_density_chart(doc: DiscoveryDocument, titles: dict[str, str]) -> Chart | None:
    """The PRIM peeling trajectory of every outcome of interest: coverage across, density
    up, one line per outcome (its own colour and marker), the chosen box circled and its
    number of restricted inputs written beside it."""
    found = [f for f in doc["findings"] if f["trajectory"] and f["limits"] is not None]
    if not found:
        return None
    name = "coverage-density"
    title = f"Scenario discovery: coverage and density of the boxes ({doc['scenario']})"
    with _style(name):
        fig, axes = _figure(4.6, right=0.4, bottom=1.3)
        for k, f in enumerate(found):
            cov = [t["coverage"] for t in f["trajectory"]]
            den = [t["density"] for t in f["trajectory"]]
            axes.plot(cov, den, color=colour(k), marker=MARKERS[k % len(MARKERS)],
                      markersize=3.5, linewidth=1.2, label=_outcome_label(f, titles))
            axes.plot([f["coverage"]], [f["density"]], marker="o", markersize=13,
                      markerfacecolor="none", markeredgecolor=colour(k), markeredgewidth=1.6)
            axes.annotate(f"{len(f['limits'] or [])} input(s)", (f["coverage"] or 0.0,
                          f["density"] or 0.0), xytext=(8, 6), textcoords="offset points",
                          fontsize=8)
        axes.set_xlim(0.0, 1.02)
        axes.set_ylim(0.0, 1.02)
        axes.set_xlabel("coverage (share of the outcome's cases inside the box)")
        axes.set_ylabel("density (share of the box where it happens)")
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8,
                    frameon=False)
        _title(fig, title)
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
        return _finish(fig, name, title, description)


def discovery_box_chart(doc: DiscoveryDocument, titles: dict[str, str]) -> Chart | None:
    """The chosen box of every outcome of interest: one row per restricted input, its range
    in the samples as a grey line and the box's part of it as a bar (colour and hatch per
    outcome), its limits written at the ends."""
    rows = [(k, f, lim) for k, f in enumerate(doc["findings"]) for lim in f["limits"] or []]
    if not rows:
        return None
    name = "discovery-box"
    title = f"Scenario discovery: the boxes ({doc['scenario']})"
    labels = [f"{lim['name']} ({lim['kind']})" for _, _, lim in rows]
    with _style(name):
        fig, axes = _figure(0.42 * len(rows) + 1.7, left=label_width(labels), right=0.4,
                            bottom=1.1)
        seen: set[int] = set()
        for y, (k, f, lim) in enumerate(rows):
            lo, hi = lim["min"], lim["max"]
            span = (hi - lo) or 1.0
            a = 0.0 if lim["low"] is None else (lim["low"] - lo) / span
            b = 1.0 if lim["high"] is None else (lim["high"] - lo) / span
            axes.plot([0.0, 1.0], [y, y], color="#BBBBBB", linewidth=1.0, zorder=0)
            axes.barh(y, b - a, left=a, height=0.55, color=colour(k),
                      hatch=HATCHES[k % len(HATCHES)], edgecolor="black", linewidth=0.6,
                      label=None if k in seen else _outcome_label(f, titles))
            seen.add(k)
            if lim["boolean"]:
                text = "true" if lim["low"] is not None else "false"
                axes.annotate(text, (b, y), xytext=(4, 0), textcoords="offset points",
                              va="center", fontsize=8)
                continue
            if lim["low"] is not None:
                axes.annotate(f"{lim['low']:.3g}", (a, y), xytext=(-4, 0),
                              textcoords="offset points", va="center", ha="right", fontsize=8)
            if lim["high"] is not None:
                axes.annotate(f"{lim['high']:.3g}", (b, y), xytext=(4, 0),
                              textcoords="offset points", va="center", fontsize=8)
        axes.set_yticks(range(len(rows)), labels)
        axes.set_ylim(-0.6, len(rows) - 0.4)
        axes.invert_yaxis()
        axes.set_xlim(-0.12, 1.12)
        axes.set_xticks([0.0, 0.5, 1.0], ["min", "mid", "max"])
        axes.set_xlabel("position in the input's sampled range (bar: inside the box)")
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=2, fontsize=8,
                    frameon=False)
        _title(fig, title)
        description = " ".join(
            f"{_outcome_label(f, titles)}: box on "
            + ", ".join(
                f"{lim['name']} "
                + ("true" if lim["boolean"] and lim["low"] is not None else
                   "false" if lim["boolean"] else
                   f"from {lim['low'] if lim['low'] is not None else lim['min']:.3g} to "
                   f"{lim['high'] if lim['high'] is not None else lim['max']:.3g}")
                for lim in f["limits"] or []
            ) + f" (coverage {f['coverage'] or 0:.0%}, density {f['density'] or 0:.0%})."
            for f in doc["findings"] if f["limits"]
        )
        return _finish(fig, name, title, description)
