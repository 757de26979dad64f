"""What results show in a notebook: pandas frames, one-line reprs and small HTML tables.

The result classes' ``to_frame``, ``__repr__`` and ``_repr_html_`` call in here, so pandas (the
optional ``frames`` extra) is imported only when a frame is asked for, never by ``import
decision`` or the command line. In every frame an option that is not available has the score
NaN, not the 0.0 the plain data (``to_dict``, ``--json``) carries with ``available: false``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from decision.errors import DecisionError, list_allowed

if TYPE_CHECKING:
    import pandas as pd

    from decision.results import ScenarioResult
    from decision.study.study import Study

#: Rows an HTML table shows before saying how many more there are.
HTML_ROWS = 20
#: Options a one-line repr names.
REPR_OPTIONS = 3
NAN = math.nan


def require_pandas() -> Any:
    """The pandas module, or a :class:`DecisionError` saying how to install it."""
    try:
        import pandas
    except ImportError:
        raise DecisionError(
            "to_frame() needs pandas, which is not installed",
            allowed="pip install 'policy-decision-brief[frames]' (pandas >= 2), or the plain "
            "data of to_dict() / decision.results.to_data()",
        ) from None
    return pandas


def frame(
    columns: Mapping[str, Sequence[Any]],
    index: Sequence[Any],
    index_name: str,
    columns_name: str | None = None,
) -> pd.DataFrame:
    """A DataFrame from columns (in order) over a named index."""
    pandas = require_pandas()
    table = pandas.DataFrame(dict(columns), index=pandas.Index(list(index), name=index_name))
    if columns_name is not None:
        table.columns.name = columns_name
    return table


def choose(table: str, allowed: Sequence[str], key_path: str = "table") -> str:
    """``table`` if it is one of ``allowed``, else a :class:`DecisionError` naming it."""
    if table not in allowed:
        from decision.errors import did_you_mean

        raise DecisionError(
            f"unknown table '{table}'{did_you_mean(str(table), allowed)}",
            key_path=key_path,
            allowed=list_allowed(allowed),
        )
    return table


def score_or_nan(score: float, available: bool) -> float:
    """An option's score as frames show it: NaN when the option is not available."""
    return float(score) if available else NAN


# ------------------------------------------------------------------------ ScenarioResult

RESULT_TABLES = ("options", "performance", "contributions", "weights", "rank_acceptability")


def result_frame(result: ScenarioResult, table: str = "options") -> pd.DataFrame:
    """See :meth:`decision.results.ScenarioResult.to_frame`."""
    choose(table, RESULT_TABLES)
    options = result.options
    ids = [o.id for o in options]
    if table == "weights":
        return frame({"weight": list(result.weights.values())}, list(result.weights),
                     "criterion")
    if table in ("performance", "contributions"):
        criteria = list(result.weights)
        values = [getattr(o, table) for o in options]
        return frame({c: [v[c] for v in values] for c in criteria}, ids, "option", "criterion")
    if table == "rank_acceptability":
        if result.smaa is None:
            raise DecisionError(
                f"scenario '{result.scenario}' was evaluated with one sample: it has no rank "
                "acceptability",
                key_path="table",
                allowed="a result of samples > 1 (evaluate(..., samples=2000)), or another "
                "table: " + ", ".join(t for t in RESULT_TABLES if t != table),
            )
        width = max(len(o.uncertainty.rank_acceptability) for o in options if o.uncertainty)
        ranks = {
            str(r + 1): [
                o.uncertainty.rank_acceptability[r]
                if o.uncertainty and r < len(o.uncertainty.rank_acceptability) else NAN
                for o in options
            ]
            for r in range(width)
        }
        return frame(ranks, ids, "option", "rank")
    columns: dict[str, list[Any]] = {
        "rank": [o.rank for o in options],
        "title": [o.title for o in options],
        "recommendation": [o.recommendation for o in options],
        "reference": [o.reference for o in options],
        "available": [o.available for o in options],
        "score": [score_or_nan(o.score, o.available) for o in options],
    }
    if result.smaa is not None:
        sampled = [o.uncertainty for o in options]

        def column(name: str) -> list[float]:
            out = []
            for u in sampled:
                value = NAN if u is None else float(getattr(u, name))
                if u is not None and name.startswith("score") and u.availability == 0:
                    value = NAN  # conditional on availability: never available, no score
                out.append(value)
            return out

        columns["availability"] = column("availability")
        columns["score_mean"] = column("score_mean")
        columns["score_sd"] = column("score_sd")
        columns["p_first"] = [NAN if u is None else u.p_first for u in sampled]
        columns["holistic_acceptability"] = column("holistic_acceptability")
    return frame(columns, ids, "option")


def _score_text(score: float, available: bool) -> str:
    return f"{score:.3f}" if available else "unavailable"


def result_repr(result: ScenarioResult) -> str:
    """``<ScenarioResult 'baseline' of model 'belarus' (wsm): 1. a 0.620, 2. b ... >``."""
    shown = ", ".join(
        f"{o.rank}. {o.id} {_score_text(o.score, o.available)}"
        for o in result.options[:REPR_OPTIONS]
    )
    more = len(result.options) - REPR_OPTIONS
    unavailable = sum(not o.available for o in result.options)
    tail = [f"{more} more" if more > 0 else "", f"{unavailable} unavailable" if unavailable else ""]
    extra = "; ".join(t for t in tail if t)
    samples = f", {result.samples} samples" if result.samples > 1 else ""
    return (
        f"<ScenarioResult {result.scenario!r} of model {result.model!r} "
        f"({result.method.get('name')}{samples}): {shown}{f' ({extra})' if extra else ''}>"
    )


def _html_table(
    caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]
) -> str:
    """A small, escaped HTML table (cells are text already); long tables are cut."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows[:HTML_ROWS]:
        cells = "".join(
            f'<td style="text-align:right">{escape(c)}</td>' if k in numeric
            else f"<td>{escape(c)}</td>"
            for k, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    if len(rows) > HTML_ROWS:
        body.append(
            f'<tr><td colspan="{len(headers)}">… {len(rows) - HTML_ROWS} more rows '
            "(to_frame() has them all)</td></tr>"
        )
    return (
        f'<table><caption style="text-align:left">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def result_html(result: ScenarioResult) -> str:
    """The ranking as a small HTML table, for notebooks."""
    sampled = result.smaa is not None
    headers = ["rank", "option", "title", "score", *(["P(1st)"] if sampled else [])]
    rows = []
    for o in result.options:
        row = [str(o.rank), o.id, o.title, _score_text(o.score, o.available)]
        if sampled:
            row.append("" if o.uncertainty is None else f"{o.uncertainty.p_first:.2f}")
        rows.append(row)
    samples = f", {result.samples} samples" if result.samples > 1 else ""
    caption = (
        f"Scenario {result.scenario} ({result.title}) of model {result.model}: method "
        f"{result.method.get('name')}{samples}"
    )
    return _html_table(caption, headers, rows, {0, 3, 4})


# ------------------------------------------------------------------------------- Study

STUDY_TABLES = ("scores", "ranks", "available")


def scenarios_frame(results: Sequence[ScenarioResult], table: str = "scores") -> pd.DataFrame:
    """Options (model order) by scenarios: scores (NaN where not available), ranks or
    availability."""
    choose(table, STUDY_TABLES)
    options = results[0].option_ids
    columns: dict[str, list[Any]] = {}
    for result in results:
        by_id = {o.id: o for o in result.options}
        if table == "scores":
            columns[result.scenario] = [
                score_or_nan(by_id[o].score, by_id[o].available) for o in options
            ]
        elif table == "ranks":
            columns[result.scenario] = [by_id[o].rank for o in options]
        else:
            columns[result.scenario] = [by_id[o].available for o in options]
    return frame(columns, options, "option", "scenario")


def study_repr(study: Study) -> str:
    """``<Study of 3 scenarios of model 'mini': base (act first), open (engage first)>``."""
    results = study.results
    parts = [f"{r.scenario} ({r.top.id} first)" for r in results[:REPR_OPTIONS + 1]]
    more = len(results) - len(parts)
    shown = ", ".join(parts) + (f", … {more} more" if more > 0 else "")
    plural = "s" if len(results) != 1 else ""
    return f"<Study of {len(results)} scenario{plural} of model {results[0].model!r}: {shown}>"


def study_html(study: Study) -> str:
    """Options by scenarios, each cell the rank and score, for notebooks."""
    results = study.results
    options = results[0].option_ids
    rows = []
    for option in options:
        row = [option]
        for result in results:
            o = result.option(option)
            row.append(f"{o.rank}: {_score_text(o.score, o.available)}")
        rows.append(row)
    caption = (
        f"Model {results[0].model}: rank and score of each option in {len(results)} "
        f"scenario{'s' if len(results) != 1 else ''}"
    )
    headers = ["option", *(r.scenario for r in results)]
    return _html_table(caption, headers, rows, set(range(1, len(headers))))
