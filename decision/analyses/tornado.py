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
Every bar end is one sample row through :func:`~decision.core.engine.evaluate_arrays`, in
batches of :data:`BATCH_BYTES` per array (there are two rows per judgement, so one batch of
all of them would grow with options squared), keeping only the leading options' scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from numpy.typing import NDArray

from decision.core.compile import CompiledModel, ScenarioInputs

if TYPE_CHECKING:
    import pandas as pd
from decision.core.engine import evaluate_arrays

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]

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


#: Bytes of one ``(rows, options, criteria)`` array of a batch of bar ends: the rows grow with
#: options x criteria (one pair per judgement), so one batch of all of them would make memory
#: grow with options squared (a 1,000-option model asked for 6,003 x 1,000 x 3 arrays).
BATCH_BYTES = 32 * 2**20


def tornado(model: CompiledModel, inputs: ScenarioInputs, *, top: int = 3) -> Tornado:
    """Swings of the top ``top`` options' scores over every indicator and judgement range."""
    n_ind = len(model.indicators)
    j_opt, j_crit = np.nonzero(model.judgement_high > model.judgement_low)
    n_j = j_opt.size
    chances = model.likelihoods
    l_pos = np.empty(0, dtype=np.intp) if chances is None else np.flatnonzero(
        chances.low < chances.high
    )
    n_l = l_pos.size
    # rows: 0 = scenario; then (low, high) per indicator, per judgement, per likelihood;
    # evaluated in batches, keeping the scores of the leading options only (found in row 0)
    n_rows = 1 + 2 * (n_ind + n_j + n_l)
    cell = 8 * max(len(model.options) * len(model.criteria), 1)
    batch = max(BATCH_BYTES // cell, 1)
    leading = ranks = np.empty(0, dtype=np.intp)
    scores = np.empty((n_rows, 0))
    avail = np.empty((n_rows, 0), dtype=bool)
    for start in range(0, n_rows, batch):
        values, judgement, likelihood = _bar_rows(
            model, inputs, np.arange(start, min(start + batch, n_rows)), (j_opt, j_crit), l_pos
        )
        ev = evaluate_arrays(model, values, inputs.weights, inputs.method.name,
                             inputs.method_params, judgement, likelihood)
        if start == 0:
            ranks = ev.ranks[0]
            leading = np.argsort(ranks)[: max(top, 0)]
            scores = np.empty((n_rows, leading.size))
            avail = np.empty((n_rows, leading.size), dtype=bool)
        scores[start : start + batch] = ev.scores[:, leading]
        avail[start : start + batch] = ev.available[:, leading]
    l_opt = np.empty(0, dtype=np.intp) if chances is None else chances.options[l_pos]
    l_low = np.empty(0) if chances is None else chances.low[l_pos]
    l_high = np.empty(0) if chances is None else chances.high[l_pos]
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
    for column, o in enumerate(leading):
        lo_rows, hi_rows = np.arange(1, n_rows, 2), np.arange(2, n_rows, 2)
        s_lo, s_hi = scores[lo_rows, column], scores[hi_rows, column]
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
                bool(avail[lo_rows[b], column]),
                bool(avail[hi_rows[b], column]),
            )
            for b in order
        )
        result.append(
            OptionTornado(
                model.options[o], int(ranks[o]), float(scores[0, column]),
                bool(avail[0, column]), bars,
            )
        )
    return Tornado(inputs.id, inputs.method.name, tuple(result))


def _bar_rows(
    model: CompiledModel,
    inputs: ScenarioInputs,
    rows: IntArray,
    judged: tuple[IntArray, IntArray],
    l_pos: IntArray,
) -> tuple[FloatArray, FloatArray, FloatArray | None]:
    """Indicator values, judgements and likelihoods of the bar ends ``rows`` (row 0: the
    scenario; then low and high end per indicator, per judgement ``judged`` (option and
    criterion indices), per likelihood ``l_pos``), every other input at its scenario value."""
    j_opt, j_crit = judged
    n_ind, n_j = len(model.indicators), j_opt.size
    count = rows.size
    high = (rows - 1) % 2 == 1
    values = np.repeat(np.asarray(inputs.values, dtype=np.float64)[None, :], count, axis=0)
    k = (rows - 1) // 2  # the input a row moves, counted over all kinds
    at = np.flatnonzero((rows >= 1) & (k < n_ind))
    i = k[at]
    values[at, i] = np.where(high[at], model.high[i], model.low[i])
    judgement = np.repeat(model.judgement[None, :, :], count, axis=0)
    at = np.flatnonzero((k >= n_ind) & (k < n_ind + n_j))
    j = k[at] - n_ind
    judgement[at, j_opt[j], j_crit[j]] = np.where(
        high[at], model.judgement_high[j_opt[j], j_crit[j]],
        model.judgement_low[j_opt[j], j_crit[j]],
    )
    chances = model.likelihoods
    likelihood = None
    if chances is not None:
        likelihood = np.repeat(chances.value[None, :], count, axis=0)
        at = np.flatnonzero(k >= n_ind + n_j)
        m = l_pos[k[at] - n_ind - n_j]
        likelihood[at, m] = np.where(high[at], chances.high[m], chances.low[m])
    return values, judgement, likelihood
