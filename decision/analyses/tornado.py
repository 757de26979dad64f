"""Tornado: which single input moves each leading option's score most.

Takes ``(model: CompiledModel, inputs: ScenarioInputs)`` like every analysis (see
:mod:`decision.analyses.weights`). For each of the top ``k`` options of the scenario (by
rank at its point values), one bar per input: each indicator moved to the low and to the high
end of its range (booleans: false and true) with every other input at its scenario value, and
each judgement (option x criterion with ``low < high``) moved to its low and high end with the
other judgements at their baseline values, and each success likelihood with a range
(``option:likelihood``) moved to its low and high end. Swing = ``|score at high end - score
at low end|`` (the classic one-way endpoints; an unavailable option scores 0, so a
precondition crossed at one end shows as a large swing and ``available_low``/
``available_high`` say so). Bars are sorted by swing, largest first. Judgement bars of *other*
options are kept only when their swing is non-zero (relative methods, and the reference
option's judgements where they are another option's failure case); indicator bars and the
option's own judgement bars always are.
Every bar end is one sample row of a single batch through
:func:`~decision.core.engine.evaluate_arrays`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from decision.core.compile import CompiledModel, ScenarioInputs

if TYPE_CHECKING:
    import pandas as pd
from decision.core.engine import evaluate_arrays

#: What a bar moves: an indicator, a judgement or a success likelihood.
BarKind = Literal["indicator", "judgement", "likelihood"]
#: Swings at or below this are treated as zero (floating-point noise).
ZERO_SWING = 1e-12


@dataclass(frozen=True)
class Bar:
    """One input's swing of one option's score.

    ``input`` is the indicator id, ``"option:criterion"`` for a judgement or
    ``"option:likelihood"`` for a success likelihood; ``low``/``high``
    are the input's values at the two ends and ``score_low``/``score_high`` the option's scores.
    """

    kind: BarKind
    input: str
    low: float
    high: float
    score_low: float
    score_high: float
    available_low: bool
    available_high: bool

    __data_extra__: ClassVar[tuple[str, ...]] = ("swing",)

    @property
    def swing(self) -> float:
        """``|score_high - score_low|``."""
        return abs(self.score_high - self.score_low)


@dataclass(frozen=True)
class OptionTornado:
    """The bars of one option, largest swing first, around its scenario ``score``."""

    option: str
    rank: int
    score: float
    available: bool
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Tornado:
    """Tornado bars for the top options of one scenario."""

    scenario: str
    method: str
    options: tuple[OptionTornado, ...]

    def option(self, name: str) -> OptionTornado:
        """The bars of one option by id."""
        for item in self.options:
            if item.option == name:
                return item
        raise KeyError(name)

    def to_frame(self) -> pd.DataFrame:
        """Every bar as one row of a pandas DataFrame (needs the ``frames`` extra): option,
        rank, kind, input, low, high, score_low, score_high (NaN where the option is not
        available at that end), available_low, available_high and swing."""
        from decision.results.frames import frame, score_or_nan

        rows = [(item, bar) for item in self.options for bar in item.bars]
        return frame(
            {
                "option": [item.option for item, _ in rows],
                "rank": [item.rank for item, _ in rows],
                "kind": [bar.kind for _, bar in rows],
                "input": [bar.input for _, bar in rows],
                "low": [bar.low for _, bar in rows],
                "high": [bar.high for _, bar in rows],
                "score_low": [score_or_nan(b.score_low, b.available_low) for _, b in rows],
                "score_high": [score_or_nan(b.score_high, b.available_high) for _, b in rows],
                "available_low": [bar.available_low for _, bar in rows],
                "available_high": [bar.available_high for _, bar in rows],
                "swing": [bar.swing for _, bar in rows],
            },
            range(len(rows)), "bar",
        )


def tornado(model: CompiledModel, inputs: ScenarioInputs, *, top: int = 3) -> Tornado:
    """Swings of the top ``top`` options' scores over every indicator and judgement range."""
    n_ind = len(model.indicators)
    x0 = np.asarray(inputs.values, dtype=np.float64)
    j_opt, j_crit = np.nonzero(model.judgement_high > model.judgement_low)
    n_j = j_opt.size
    chances = model.likelihoods
    l_pos = np.empty(0, dtype=np.intp) if chances is None else np.flatnonzero(
        chances.low < chances.high
    )
    n_l = l_pos.size
    # rows: 0 = scenario; then (low, high) per indicator, per judgement, per likelihood
    n_rows = 1 + 2 * (n_ind + n_j + n_l)
    values = np.repeat(x0[None, :], n_rows, axis=0)
    ind_rows = 1 + 2 * np.arange(n_ind)
    values[ind_rows, np.arange(n_ind)] = model.low
    values[ind_rows + 1, np.arange(n_ind)] = model.high
    judgement = np.repeat(model.judgement[None, :, :], n_rows, axis=0)
    j_rows = 1 + 2 * n_ind + 2 * np.arange(n_j)
    judgement[j_rows, j_opt, j_crit] = model.judgement_low[j_opt, j_crit]
    judgement[j_rows + 1, j_opt, j_crit] = model.judgement_high[j_opt, j_crit]
    likelihood = None
    l_opt = np.empty(0, dtype=np.intp)
    l_low, l_high = np.empty(0), np.empty(0)
    if chances is not None:
        likelihood = np.repeat(chances.value[None, :], n_rows, axis=0)
        l_rows = 1 + 2 * (n_ind + n_j) + 2 * np.arange(n_l)
        l_low, l_high = chances.low[l_pos], chances.high[l_pos]
        likelihood[l_rows, l_pos] = l_low
        likelihood[l_rows + 1, l_pos] = l_high
        l_opt = chances.options[l_pos]
    ev = evaluate_arrays(
        model, values, inputs.weights, inputs.method.name, inputs.method_params, judgement,
        likelihood,
    )
    scores, avail, ranks = ev.scores, ev.available, ev.ranks[0]
    names = [*model.indicators, *(f"{model.options[o]}:{model.criteria[c]}"
                                  for o, c in zip(j_opt, j_crit, strict=True)),
             *(f"{model.options[o]}:likelihood" for o in l_opt)]
    lows = np.concatenate([model.low, model.judgement_low[j_opt, j_crit], l_low])
    highs = np.concatenate([model.high, model.judgement_high[j_opt, j_crit], l_high])
    owner = np.concatenate([np.full(n_ind, -1), j_opt, l_opt])
    per_kind: tuple[tuple[BarKind, int], ...] = (
        ("indicator", n_ind), ("judgement", n_j), ("likelihood", n_l)
    )
    kinds = [kind for kind, n in per_kind for _ in range(n)]
    result = []
    for o in np.argsort(ranks)[: max(top, 0)]:
        lo_rows, hi_rows = np.arange(1, n_rows, 2), np.arange(2, n_rows, 2)
        s_lo, s_hi = scores[lo_rows, o], scores[hi_rows, o]
        swing = np.abs(s_hi - s_lo)
        keep = (owner < 0) | (owner == o) | (swing > ZERO_SWING)
        order = sorted(np.flatnonzero(keep), key=lambda b: (-swing[b], b))
        bars = tuple(
            Bar(
                kinds[b],
                names[b],
                float(lows[b]),
                float(highs[b]),
                float(s_lo[b]),
                float(s_hi[b]),
                bool(avail[lo_rows[b], o]),
                bool(avail[hi_rows[b], o]),
            )
            for b in order
        )
        result.append(
            OptionTornado(
                model.options[o], int(ranks[o]), float(scores[0, o]), bool(avail[0, o]), bars
            )
        )
    return Tornado(inputs.id, inputs.method.name, tuple(result))
