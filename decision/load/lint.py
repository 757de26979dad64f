"""Model lint: what a careful reviewer of a decision model would query, as located warnings.

A valid model can still be weak: judgements that cite nothing, ranges that are a default
rather than a doubt, criteria that do not separate the options or that count the same thing
twice, weights with no anchored value scale, indicators nothing reads. Each check here reads
the spec alone (its baseline judgements, in plain Python: the model's tables are small), so
``decision validate`` can print the warnings without importing the numeric engine; ``decision
lint`` adds the checks that need scenarios (:func:`availability_warnings`, in
:mod:`decision.study.lint`). A warning never changes the exit status.

The thresholds are stated here and in each message: a criterion "barely separates" the options
when its baseline values across the non-reference options span less than
:data:`MIN_SPREAD`; two criteria "move together" when their baseline values across at least
:data:`MIN_OPTIONS_FOR_CORRELATION` options correlate above :data:`MAX_CORRELATION`; ranges are
"a default" when one width is shared by at least :data:`DEFAULT_SHARE` of them (and at least
:data:`MIN_RANGES` ranges are given) and some of them give no reason in their provenance.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from decision.errors import DecisionError
from decision.files.yamlio import Document
from decision.specs import ModelSpec
from decision.specs.elicitation import MAX_CONSISTENCY_RATIO, worst_triads
from decision.specs.model import ElicitationSpec
from decision.specs.resolved import LoadedStakeholder, indicator_kinds

#: Spread of baseline values below which a criterion barely separates the options.
MIN_SPREAD = 0.05
#: Correlation above which two criteria's baseline values move together.
MAX_CORRELATION = 0.9
#: Fewest options for which a correlation between criteria is worth reporting.
MIN_OPTIONS_FOR_CORRELATION = 4
#: Share of the ranges with one width above which that width looks like a default.
DEFAULT_SHARE = 0.5
#: Fewest ranges for the default-width check.
MIN_RANGES = 6


@dataclass(frozen=True)
class LintWarning:
    """One warning: a short code, and the location and message as a one-line error has them."""

    code: str
    where: DecisionError

    def one_line(self) -> str:
        """``file:line:col: key.path: message [code]``."""
        return f"{self.where.one_line()} [{self.code}]"

    @property
    def key_path(self) -> str:
        return self.where.key_path or ""


def lint_model(
    spec: ModelSpec, document: Document, stakeholders: Sequence[LoadedStakeholder] = ()
) -> list[LintWarning]:
    """Every warning of one model file, in the order of the checks below; the elicitations
    of ``stakeholders`` (its stakeholder files) are checked in their own files (without
    them, only the inline perspectives' are)."""
    return [*_warnings(spec, document), *stakeholder_warnings(spec, stakeholders)]


def stakeholder_warnings(
    spec: ModelSpec, stakeholders: Sequence[LoadedStakeholder]
) -> list[LintWarning]:
    """The elicitation warnings of each stakeholder file, located in it."""
    return [
        warning
        for loaded in stakeholders
        for warning in _elicitation_warnings(
            list(spec.criteria), [(("elicitation",), loaded.spec.elicitation)], loaded.document
        )
    ]


def _warnings(spec: ModelSpec, document: Document) -> Iterator[LintWarning]:
    def warn(code: str, what: str, *path: str | int) -> LintWarning:
        return LintWarning(code, document.error(what, path))

    # judgements that cite no evidence (a rationale is required by the spec itself)
    for name, option in spec.options.items():
        if option.reference:
            continue
        for criterion_id, perf in option.performance.items():
            if not perf.evidence:
                yield warn(
                    "no-evidence",
                    "performance judgement cites no evidence: add the evidence its rationale "
                    "rests on, or say in the rationale that none exists",
                    "options", name, "performance", criterion_id,
                )
        if option.likelihood is not None and not option.likelihood.evidence:
            yield warn(
                "no-evidence", "success likelihood cites no evidence",
                "options", name, "likelihood",
            )
    # ranges that share one width: a default, not a judgement
    widths: Counter[float] = Counter()
    unexplained: Counter[float] = Counter()  # ranges whose provenance gives no reason
    for option in spec.options.values():
        for perf in option.performance.values():
            if perf.low is not None and perf.high is not None:
                width = round(perf.high - perf.low, 9)
                widths[width] += 1
                unexplained[width] += perf.provenance is None or not perf.provenance.reason
    total = sum(widths.values())
    if total >= MIN_RANGES:
        width, count = widths.most_common(1)[0]
        if count >= DEFAULT_SHARE * total and unexplained[width]:
            yield warn(
                "default-ranges",
                f"{count} of the {total} performance ranges are {width:g} wide: a default width "
                "says nothing about the doubt in each judgement; give each range a reason, or "
                "disclose the default in the model's description",
                "options",
            )
    # criteria: anchors, separation, double counting
    options = [name for name, o in spec.options.items() if not o.reference]
    values = {
        c: [spec.options[o].performance[c].value for o in options] for c in spec.criteria
    }
    for name, criterion in spec.criteria.items():
        if criterion.scale is None:
            yield warn(
                "no-anchors",
                "criterion has no anchored value scale (scale: {worst: ..., best: ...}): "
                "without it its weight is an importance rating, not a swing weight",
                "criteria", name,
            )
        column = values[name]
        if len(column) >= 2 and max(column) - min(column) < MIN_SPREAD:
            yield warn(
                "no-separation",
                f"criterion barely separates the options: their baseline values span "
                f"{max(column) - min(column):.3g} (< {MIN_SPREAD:g}), so its weight moves "
                "little",
                "criteria", name,
            )
    names = list(spec.criteria)
    if len(options) >= MIN_OPTIONS_FOR_CORRELATION:
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                r = _correlation(values[a], values[b])
                if r is not None and r > MAX_CORRELATION:
                    yield warn(
                        "double-counting",
                        f"criteria {a} and {b} move together across the options (baseline "
                        f"correlation {r:.2f} > {MAX_CORRELATION:g}): they may count the same "
                        "thing twice",
                        "criteria", b,
                    )
    # indicators that nothing reads
    read: set[str] = set()
    kinds = indicator_kinds(spec)
    from decision.core.expressions import parse_expression  # parsing only: no numpy

    for option in spec.options.values():
        for perf in option.performance.values():
            read.update(perf.effects)
        if option.likelihood is not None:
            read.update(option.likelihood.effects)
        for pre in option.preconditions:
            read.update(parse_expression(pre.when, kinds).names)
    for name in spec.indicators:
        if name not in read:
            yield warn(
                "unused-indicator",
                "indicator is read by no effect, likelihood or precondition: scenarios that "
                "move it change nothing",
                "indicators", name,
            )
    # pairwise comparisons too inconsistent to trust (AHP consistency ratio above 0.1)
    yield from elicitation_warnings(spec, document)


def _correlation(x: list[float], y: list[float]) -> float | None:
    """Pearson's r of two equally long lists; None when either is constant."""
    n = len(x)
    mx, my = math.fsum(x) / n, math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def warning_at(document: Document, code: str, what: str, key_path: str) -> LintWarning:
    """A warning located at a dotted key path (for checks made outside this module)."""
    from decision.errors import parse_key_path

    path = parse_key_path(key_path)
    return LintWarning(code, document.error(what, path))


def elicitation_warnings(spec: ModelSpec, document: Document) -> list[LintWarning]:
    """A located warning for each AHP elicitation whose consistency ratio is above Saaty's
    0.1, naming its most inconsistent triads (pure Python: ``decision validate`` prints
    them without numpy)."""
    inline = document.data.get("perspectives") if isinstance(document.data, dict) else None
    sets: list[tuple[tuple[str | int, ...], ElicitationSpec | None]] = [
        (("weight_elicitation",), spec.weight_elicitation),
        *((("perspectives", name, "elicitation"), p.elicitation)
          for name, p in spec.perspectives.items()
          if isinstance(inline, dict) and name in inline),  # not a stakeholder file's
    ]
    return _elicitation_warnings(list(spec.criteria), sets, document)


def _elicitation_warnings(
    criteria: list[str],
    sets: Sequence[tuple[tuple[str | int, ...], ElicitationSpec | None]],
    document: Document,
) -> list[LintWarning]:
    found: list[LintWarning] = []
    for path, elicitation in sets:
        result = elicitation.consistency(criteria) if elicitation is not None else None
        if result is None or result.consistency_ratio <= MAX_CONSISTENCY_RATIO:
            continue
        assert elicitation is not None
        matrix = elicitation.matrix(criteria)
        triads = "; ".join(
            f"{criteria[i]} > {criteria[j]} > {criteria[k]}: {matrix[i][j]:.3g} x "
            f"{matrix[j][k]:.3g} = {matrix[i][j] * matrix[j][k]:.3g} but "
            f"{criteria[i]} over {criteria[k]} is {matrix[i][k]:.3g}"
            for _, (i, j, k) in worst_triads(matrix)
        )
        what = (
            f"AHP consistency ratio {result.consistency_ratio:.3f} is above "
            f"{MAX_CONSISTENCY_RATIO:g}: the comparisons contradict each other; most "
            f"inconsistent triads: {triads}"
        )
        found.append(LintWarning("ahp-inconsistent", document.error(what, (*path, "pairwise"))))
    return found
