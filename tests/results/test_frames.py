"""Frames for notebooks (decision/results/frames.py and the results' ``to_frame``): the same numbers
as the plain data, NaN (not 0.0) for an option that is not available, and a one-line error
when pandas is missing."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

import decision
from tests.conftest import DATA, ROOT

pandas = pytest.importorskip("pandas")

BASELINE = ROOT / "scenarios" / "baseline.yaml"
WESTERN = ROOT / "scenarios" / "western-tilt.yaml"
MINI = DATA / "mini"


def test_options_frame_is_the_ranking_with_nan_for_unavailable() -> None:
    result = decision.evaluate(BASELINE)
    frame = result.to_frame()
    assert list(frame.index) == [o.id for o in result.options]
    assert frame.index.name == "option"
    assert list(frame.columns) == ["rank", "title", "recommendation", "reference",
                                   "available", "score"]
    for option in result.options:
        row = frame.loc[option.id]
        assert row["rank"] == option.rank and bool(row["available"]) == option.available
        if option.available:
            assert row["score"] == option.score
        else:
            assert option.score == 0.0 and math.isnan(row["score"])
    assert frame["score"].isna().sum() == 2


def test_sampled_frames_add_the_monte_carlo_figures() -> None:
    result = decision.evaluate(WESTERN, samples=400, seed=1)
    frame = result.to_frame()
    for column in ("availability", "score_mean", "score_sd", "p_first",
                   "holistic_acceptability"):
        assert column in frame.columns
    for option in result.options:
        u = option.uncertainty
        assert u is not None
        assert frame.loc[option.id, "p_first"] == u.p_first
        if u.availability == 0:
            assert math.isnan(frame.loc[option.id, "score_mean"])
    acceptability = result.to_frame("rank_acceptability")
    assert acceptability.shape == (len(result.options), len(result.options))
    assert acceptability.sum(axis=0).round(9).eq(1.0).all()  # each rank is someone's


def test_matrix_frames() -> None:
    result = decision.evaluate(MINI / "base.yaml")
    performance = result.to_frame("performance")
    assert performance.loc["engage", "rights"] == 0.9  # defined for unavailable options too
    assert list(performance.columns) == ["security", "rights"]
    contributions = result.to_frame("contributions")
    assert contributions.loc["act"].sum() == pytest.approx(result.option("act").score)
    weights = result.to_frame("weights")
    assert weights["weight"].to_dict() == result.weights


def test_study_frames() -> None:
    study = decision.compare([BASELINE, WESTERN], analyses=False)
    scores = study.to_frame()
    assert list(scores.columns) == ["baseline", "western-tilt"]
    assert list(scores.index) == study.results[0].option_ids
    assert math.isnan(scores.loc["conditional-engagement", "baseline"])
    baseline = study.results[0]
    assert scores.loc["r5-work-with-allies", "baseline"] == baseline.option(
        "r5-work-with-allies"
    ).score
    ranks = study.to_frame("ranks")
    assert ranks.loc["r3-ambassador-when-timely", "western-tilt"] == 1
    assert not study.to_frame("available").loc["conditional-engagement"].any()
    comparison = study.comparison()
    assert comparison.to_frame().equals(scores)
    assert comparison.scores["baseline"]["conditional-engagement"] == 0.0  # plain data: 0.0


def test_robustness_frames() -> None:
    report = decision.robustness([BASELINE, WESTERN], threshold=0.55)
    measures = report.to_frame()
    assert list(measures.index) == report.options
    assert measures["expected"].tolist() == [float(v) for v in report.result.expected]
    assert "satisficing_samples" in measures.columns
    values = report.to_frame("values")
    assert list(values.index) == report.scenarios
    assert values.to_numpy().tolist() == report.values
    assert report.to_frame("regret").shape == (2, len(report.options))


def test_analysis_frames() -> None:
    parts = decision.sensitivity(BASELINE).parts
    tornado = parts["tornado"]
    frame = tornado.to_frame()  # type: ignore[attr-defined]
    bars = [bar for item in tornado.options for bar in item.bars]  # type: ignore[attr-defined]
    assert len(frame) == len(bars)
    assert frame["swing"].tolist() == [bar.swing for bar in bars]
    ends = frame[~frame["available_low"]]
    assert ends["score_low"].isna().all()
    weights = parts["weights"].to_frame()  # type: ignore[attr-defined]
    assert list(weights.index) == [c.criterion for c in parts["weights"].criteria]  # type: ignore[attr-defined]
    assert (weights["top_low"] <= weights["weight"]).all()


def test_matrix_ranking_frame(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("o,a,b\nA,1,2\nB,2,1\nC,3,3\n")
    ranking = decision.rank(path, [1, 1], [1, 1], method="wsm")
    frame = ranking.to_frame()
    assert list(frame.index) == ["C", "A", "B"]  # A and B tie: file order
    assert frame["rank"].tolist() == [1, 2, 3]
    assert frame["score"].tolist() == [o["score"] for o in ranking.options]


def test_missing_pandas_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    result = decision.evaluate(MINI / "base.yaml")
    with pytest.raises(decision.DecisionError) as error:
        result.to_frame()
    assert error.value.one_line() == (
        "to_frame() needs pandas, which is not installed; allowed: pip install "
        "'policy-decision-brief[frames]' (pandas >= 2), or the plain data of to_dict() / "
        "decision.results.to_data()"
    )
    assert repr(result).startswith("<ScenarioResult")  # reprs never need pandas
    assert "<table>" in result._repr_html_()
