"""The interactive explorer: one offline HTML page that recomputes the point evaluation live.

``explorer.html`` lets a reader move criterion weights, stakeholder weight sets, indicators,
scenarios and budgets, and see at once the ranking with scores, which options are available
(with the failing condition), the contributions chart, the best package within the budgets
and the signposts (each precondition threshold's distance from the indicator's value).

The page carries the compiled model as JSON (:func:`explorer_model`: judgements, linear effects
and piecewise value functions as the engine's sparse columns, success likelihoods, the
preconditions as a small expression tree, costs, budgets, interactions, exclusions and
dependencies) and re-implements the deterministic point evaluation in JavaScript
(``explorer/explorer.js``), operation for operation where the order matters (numpy's pairwise
sums, effects added indicator by indicator, ``np.interp``), so that every score agrees with
:func:`decision.evaluate` to 1e-9 (a browser test checks 200 settings). It computes the
weighted sum with ``normalisation: none`` only; a scenario ranked by another method gets a
note on the page (no scores) and from :func:`explorer_notes`, never a number of the wrong
method. No network, no external script or font: CSS, JS and data are inlined, and the output
is byte-identical on rerun.
"""

from __future__ import annotations

import json
import math
import re
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any

from decision.reports.html import CSS as REPORT_CSS
from decision.reports.visible import visible

if TYPE_CHECKING:
    from decision.core.compile import CompiledModel, ScenarioInputs
    from decision.core.expressions import Expression
    from decision.study.study import Study

_PLACEHOLDER = re.compile(r"\{\{(title|css|model|js)\}\}")

#: The methods the page computes, with the parameters it computes them for.
SUPPORTED = "the weighted sum (wsm) with normalisation 'none'"


def _text(value: str | None) -> str:
    return "" if value is None else visible(value)


def _number(value: float) -> float | None:
    """A float for JSON (None for NaN, which JSON cannot carry)."""
    number = float(value)
    return None if math.isnan(number) else number


def computes(inputs: ScenarioInputs) -> bool:
    """Whether the page computes the scenario's method exactly (see :data:`SUPPORTED`)."""
    from decision.core.methods import WeightedSumParams

    params = inputs.method_params
    return isinstance(params, WeightedSumParams) and params.normalisation == "none"


def method_label(inputs: ScenarioInputs) -> str:
    """The scenario's method as written: its name and any parameters."""
    params = inputs.method.params()
    extra = ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
    return f"{inputs.method.name} ({extra})" if extra else inputs.method.name


def explorer_notes(study: Study) -> list[str]:
    """One line per scenario whose method the page does not compute (none when it computes
    every one): the command line prints these beside the path of ``explorer.html``."""
    return [
        f"explorer.html: scenario '{run.inputs.id}' ranks with {method_label(run.inputs)}, "
        f"which the explorer does not compute (it computes {SUPPORTED}); the page shows its "
        "availability, signposts and best package but no scores"
        for run in study.runs
        if not computes(run.inputs)
    ]


# ------------------------------------------------------------------------ expression tree


def expression_tree(expression: Expression) -> list[Any]:
    """A precondition as the nested lists the page evaluates (see
    :meth:`~decision.core.expressions.Expression.to_tree`)."""
    return expression.to_tree()


def needed_booleans(tree: list[Any]) -> list[list[Any]]:
    """``[id, needed]`` for each yes/no indicator the precondition needs at a set value:
    the whole condition, or one of the parts of a top-level ``and``, is ``b`` or ``not b``."""
    parts = tree[1] if tree[0] == "and" else [tree]
    out: list[list[Any]] = []
    for part in parts:
        if part[0] == "name" and part[2] == "boolean":
            out.append([part[1], True])
        elif part[0] == "not" and part[1][0] == "name" and part[1][2] == "boolean":
            out.append([part[1][1], False])
    return out


# ------------------------------------------------------------------------------ the model


def _columns(columns: Any) -> list[list[Any]]:
    """The engine's sparse effect columns: ``[indicator, [[column, coefficient], ...]]``."""
    return [
        [int(k), [[int(r), float(c)] for r, c in zip(rows.tolist(), coef.tolist(), strict=True)]]
        for k, rows, coef in columns
    ]


def _scenario(model: CompiledModel, inputs: ScenarioInputs) -> dict[str, Any]:
    resources_ = list(model.spec.resources)
    return {
        "id": inputs.id,
        "title": _text(inputs.title),
        "values": [float(v) for v in inputs.values],
        "weights": [float(w) for w in inputs.weights],
        "perspective": inputs.perspective,
        "budgets": [
            None if r not in inputs.budgets else float(inputs.budgets[r]) for r in resources_
        ],
        "method": _text(method_label(inputs)),
        "computed": computes(inputs),
        "uncertain": [model.indicators[k] for k in sorted(inputs.settings)],
    }


def explorer_model(study: Study) -> dict[str, Any]:
    """The compiled model and the study's scenarios as the page's JSON (plain lists and
    numbers; every float as Python writes it, which JavaScript reads back exactly)."""
    run = study.runs[0]
    model = run.model
    spec = model.spec
    criteria, options, indicators = model.criteria, model.options, model.indicators
    resources_ = list(spec.resources)
    index = model.index("options")
    criterion_index = model.index("criteria")
    likelihoods = model.likelihoods
    from decision.analyses.portfolio.problem import too_many_for_bundles

    return {
        "id": spec.id,
        "title": _text(spec.title),
        "indicators": [
            {
                "id": name,
                "description": _text(spec.indicators[name].description),
                "unit": _text(spec.indicators[name].unit),
                "boolean": bool(model.is_boolean[k]),
                "low": float(model.low[k]),
                "high": float(model.high[k]),
                "baseline": float(model.baseline[k]),
            }
            for k, name in enumerate(indicators)
        ],
        "criteria": [
            {
                "id": name,
                "description": _text(spec.criteria[name].description),
                "benefit": bool(model.benefit[c]),
            }
            for c, name in enumerate(criteria)
        ],
        "options": [
            {
                "id": name,
                "title": _text(spec.options[name].title),
                "recommendation": _text(spec.options[name].recommendation),
            }
            for name in options
        ],
        "weights": [float(w) for w in model.weights],
        "perspectives": [
            {"id": name, "weights": [float(w) for w in weights]}
            for name, weights in model.perspectives.items()
        ],
        "judgement": [[float(v) for v in row] for row in model.judgement],
        "baseline": [float(v) for v in model.baseline],
        "effects": _columns(model.effect_columns),
        "valueFunctions": [
            {
                "indicator": f.indicator,
                "column": f.column,
                "x": [float(v) for v in f.x],
                "dv": [float(v) for v in f.dv],
                "atBaseline": float(f.at_baseline),
            }
            for f in model.value_functions
        ],
        "reference": model.reference,
        "likelihoods": None
        if likelihoods is None
        else {
            "options": [int(o) for o in likelihoods.options],
            "value": [float(v) for v in likelihoods.value],
            "failure": [[_number(v) for v in row] for row in likelihoods.failure],
            "effects": _columns(likelihoods.effect_columns),
        },
        "preconditions": [
            {
                "option": pre.option,
                "text": _text(pre.expression.to_text()),
                "reason": _text(pre.reason),
                "tree": expression_tree(pre.expression),
                "comparisons": [
                    {
                        "indicator": c.indicator,
                        "op": c.op,
                        "threshold": c.threshold,
                        "text": _text(c.text),
                    }
                    for c in pre.expression.comparisons()
                ],
                "booleans": needed_booleans(expression_tree(pre.expression)),
            }
            for pre in model.preconditions
        ],
        "resources": [
            {"id": r, "unit": _text(spec.resources[r].unit)} for r in resources_
        ],
        "costs": [
            [
                float(cost.value) if (cost := spec.options[name].costs.get(r)) is not None
                else 0.0
                for r in resources_
            ]
            for name in options
        ],
        "interactions": [
            {
                "options": [index[o] for o in it.options],
                "effects": [
                    [criterion_index[c], float(v)] for c, v in it.effects.items()
                ],
            }
            for it in spec.interactions
        ],
        "exclusions": [[index[a] for a in ex.options] for ex in spec.exclusions],
        "dependencies": [[index[d.option], index[d.requires]] for d in spec.dependencies],
        "bundles": too_many_for_bundles(model) is None,
        "scenarios": [_scenario(model, r.inputs) for r in study.runs],
        "supported": SUPPORTED,
    }


# ------------------------------------------------------------------------------- the page


def _asset(name: str) -> str:
    return (resources.files("decision.reports") / "explorer" / name).read_text("utf-8")


def _script_json(data: object) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>``, no HTML comment opener)."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def explorer_html(study: Study) -> str:
    """``explorer.html`` of a study: the page with its CSS, JS and model inlined
    (deterministic: the same study gives the same text)."""
    data = explorer_model(study)
    title = f"Explorer: {data['title']}"
    parts = {
        "title": escape(title),
        "css": REPORT_CSS.strip() + "\n" + _asset("explorer.css"),
        "model": _script_json(data),
        "js": _asset("explorer.js"),
    }
    # one pass, so text inserted for one placeholder is never read as another
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("explorer.html"))
