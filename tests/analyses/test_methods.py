"""Method comparison with the added methods: every registry method is accepted by
``compare --methods``; a partial order's incomparable pairs are stated (data and report), and
complete methods serialise exactly as before."""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

from decision.cli.main import main
from decision.reports.outline import _methods
from tests.conftest import ROOT

BASELINE = str(ROOT / "scenarios" / "baseline.yaml")


def _compare(methods: str) -> dict[str, Any]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(["compare", BASELINE, "--methods", methods, "--json"])
        except SystemExit as exc:
            assert not exc.code
    data = json.loads(out.getvalue())

    def find(value: Any) -> dict[str, Any] | None:
        if isinstance(value, dict):
            if "agreement" in value:
                return value
            values = list(value.values())
        elif isinstance(value, list):
            values = value
        else:
            return None
        for item in values:
            found = find(item)
            if found is not None:
                return found
        return None

    comparison = find(data)
    assert comparison is not None
    return comparison


def test_every_added_method_is_compared_and_partial_orders_are_stated() -> None:
    m = _compare("wsm,promethee_i,waspas,copras,edas,mabac,spotis")
    assert m["methods"] == ["wsm", "promethee_i", "waspas", "copras", "edas", "mabac", "spotis"]
    orders = m["partial_orders"]
    assert set(orders) == {"promethee_i"}
    for pair in orders["promethee_i"]["incomparable"]:
        assert len(pair) == 2 and all(o in m["ranks"]["wsm"] for o in pair)
    # compare reports the rank similarity of every pair beside tau and rho
    assert all({"weighted_spearman", "ws_a_b", "ws_b_a"} <= set(a) for a in m["agreement"])


def test_complete_methods_serialise_as_before() -> None:
    m = _compare("wsm,topsis")
    assert "partial_orders" not in m
    assert list(m["agreement"][0]) == [
        "a", "b", "kendall_tau", "spearman_rho", "same_top", "weighted_spearman", "ws_a_b",
        "ws_b_a",
    ]


def test_the_report_states_incomparable_pairs() -> None:
    section = {
        "id": "s", "title": "S",
        "options": [{"id": o, "available": True} for o in ("a", "b", "c")],
        "methods": {
            "methods": ["wsm", "promethee_i"],
            "ranks": {"wsm": {"a": 1, "b": 2, "c": 3}, "promethee_i": {"a": 1, "b": 2, "c": 3}},
            "scores": {"wsm": {"a": 0.9, "b": 0.5, "c": 0.1},
                       "promethee_i": {"a": 0.5, "b": 0.0, "c": -0.5}},
            "top": {"wsm": "a", "promethee_i": "a"},
            "same_top": True,
            "agreement": [{"a": "wsm", "b": "promethee_i", "kendall_tau": 1.0,
                           "spearman_rho": 1.0, "same_top": True}],
            "partial_orders": {"promethee_i": {"incomparable": [["b", "c"]],
                                               "indifferent": []}},
        },
    }
    text = repr(_methods(section))
    assert "partial order" in text and "incomparable" in text
    assert "2* (0.000)" in text and "3* (-0.500)" in text and "1 (0.500)" in text
