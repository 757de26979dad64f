"""explorer.html agrees with the engine: the page, driven in headless Chromium through its own
controls and through ``window.explorer.set``, gives the scores (to 1e-9), ranks, availability,
failing conditions, best package and signposts that ``decision.evaluate`` and the portfolio
analysis give on the same inputs; it makes no network request and has no serious or critical
accessibility violation (axe-core).

One browser per module; each page is loaded once and every setting is applied in the loaded
page. Without Chromium the browser tests skip, unless the environment variable ``CI`` is set,
when they fail.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import decision
from decision.core.compile import CompiledModel
from decision.load.loading import load_scenario
from decision.reports.explorer import (
    _script_json,
    explorer_html,
    explorer_model,
    explorer_notes,
    expression_tree,
    needed_booleans,
)
from decision.specs.resolved import Scenario
from decision.study.api import portfolio, run_scenario
from decision.study.study import Study

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = [
    ROOT / "scenarios" / "baseline.yaml",
    *sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if p.name != "baseline.yaml"),
]
MINI = ROOT / "tests" / "data" / "mini"
TOLERANCE = 1e-9
SEED = 16
#: Random settings of the shipped model set through window.explorer.set (the scenarios,
#: perspectives, thresholds, ties and the UI cases come on top).
RANDOM_CASES = max(170, int(os.environ.get("FUZZ_EXAMPLES", "0")))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

#: What the tests read from the page after each setting: the DOM (ranking rows, the best
#: package, availability notes, signposts) and the inputs the page used.
READ = """() => {
  const rows = [...document.querySelectorAll('#ranking tbody tr')].map(tr => ({
    option: tr.dataset.option, rank: tr.dataset.rank, score: tr.dataset.score,
    available: tr.dataset.available}));
  const best = document.getElementById('best-package');
  const failed = {};
  document.querySelectorAll('#availability li[data-option]').forEach(li => {
    failed[li.dataset.option] = [...li.querySelectorAll('code')].map(c => c.textContent);
  });
  const signposts = [...document.querySelectorAll('#signposts tbody tr')].map(tr => ({
    indicator: tr.dataset.indicator, distance: tr.dataset.distance}));
  const r = window.explorer.results();
  return {rows, failed, signposts,
          best: best && {mask: Number(best.dataset.mask), value: Number(best.dataset.value),
                         members: best.dataset.members},
          state: {scenario: r.scenario, values: r.values, weights: r.rawWeights,
                  budgets: r.budgets},
          note: document.getElementById('method-note').hidden ? null
                : document.getElementById('method-note').textContent,
          ms: r.ms.total};
}"""
APPLY = (
    "cases => { const read = " + READ
    + "; return cases.map(c => { window.explorer.set(c); return read(); }); }"
)


# ------------------------------------------------------------------------------- fixtures


def write_mini(folder: Path) -> Path:
    """The small test model (tests/data/mini) with what the shipped model lacks: piecewise
    value functions, a failure performance of its own, likelihood effects, costs, an
    exclusion, an interaction with a negative part, a precondition with arithmetic, a chain,
    ``or`` and ``not``, and a title that tries to close the page's script element."""
    text = (MINI / "model.yaml").read_text()
    edits = [
        ("title: A small test model",
         'title: "A </script><script>alert(1)</script> {{js}} model"'),
        ("    recommendation: R1\n",
         "    recommendation: R1\n    costs: {money: {value: 3}}\n    likelihood:\n"
         "      value: 0.6\n      if_failure: {rights: 0.1}\n"
         "      effects: {access: 0.5, released: -0.2}\n      rationale: Hard to pull off.\n"),
        ("      - when: access >= 0.5 and released\n",
         "      - when: access >= 0.5 and released or 20 <= rank * 2 - 10 < 90 and "
         "not (access == 0.3)\n"),
        ("    recommendation: R2\n",
         "    recommendation: R2\n    costs: {money: {value: 4}}\n    likelihood:\n"
         "      value: 0.5\n      effects: {rank: -0.4}\n      rationale: Unsure.\n"),
        ("effects: {access: 0.3}}",
         "effects: {access: {points: [[0, -0.2], [0.4, 0.1], [0.8, 0.3]]}, "
         "rank: {points: [[1, 0.2], [100, -0.1]]}}}"),
        ("  wait:\n",
         "  watch:\n    title: Watch\n    recommendation: R3\n"
         "    costs: {money: {value: 2}}\n    performance:\n"
         "      security: {value: 0.6, rationale: Some., effects: "
         "{released: 0.1, rank: {points: [[10, 0.0], [50, 0.2]]}}}\n"
         "      rights: {value: 0.4, rationale: Some.}\n  wait:\n"),
    ]
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    text += (
        "interactions:\n  - options: [act, engage]\n"
        "    effects: {rights: 0.05, security: -0.02}\n    rationale: Together.\n"
        "exclusions:\n  - options: [watch, engage]\n    reason: One or the other.\n"
    )
    (folder / "model.yaml").write_text(text)
    (folder / "base.yaml").write_text(
        "id: base\ntitle: Base\nmodel: model.yaml\nbudgets: {money: 6}\n")
    return folder / "base.yaml"



@pytest.fixture(scope="module")
def shipped() -> Study:
    return decision.compare([str(p) for p in SCENARIOS], analyses=False, samples=1)


@pytest.fixture(scope="module")
def scenarios() -> dict[str, Scenario]:
    return {s.id: s for s in (load_scenario(p)[0] for p in SCENARIOS)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    binary = shutil.which("chromium") or os.environ.get("CHROMIUM")
    if binary is None:
        message = "no Chromium found (install Debian's 'chromium' or set $CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=binary, args=LAUNCH_ARGS)
        yield launched
        launched.close()


class Opened:
    """A page loaded from a file, with every request it made and every error it raised."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.route("**/*", lambda route: route.continue_() if route.request.url == self.url
                        else route.abort())
        self.page.goto(self.url)

    def apply(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = self.page.evaluate(APPLY, cases)
        return out

    def read(self) -> dict[str, Any]:
        out: dict[str, Any] = self.page.evaluate(READ)
        return out


@pytest.fixture(scope="module")
def shipped_page(browser: Any, shipped: Study, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[Opened]:
    path = tmp_path_factory.mktemp("explorer") / "explorer.html"
    path.write_text(explorer_html(shipped), encoding="utf-8")
    opened = Opened(browser, path)
    yield opened
    opened.page.close()


# ------------------------------------------------------------------------- the engine side


def engine(model: CompiledModel, scenario: Scenario, state: dict[str, Any]) -> dict[str, Any]:
    """What decision.evaluate and the portfolio analysis give for the page's inputs."""
    spec = model.spec
    indicators = {
        name: bool(v) if model.is_boolean[k] else float(v)
        for k, (name, v) in enumerate(zip(model.indicators, state["values"], strict=True))
    }
    budgets = {r: float(b) for r, b in zip(spec.resources, state["budgets"], strict=True)
               if b is not None}
    replaced = dataclasses.replace(
        scenario, indicators=indicators, perspective=None, budgets=budgets,
        weights={c: float(w) for c, w in zip(model.criteria, state["weights"], strict=True)},
    )
    run = run_scenario(replaced, model, samples=1)
    result = run.result
    best = portfolio(run).best
    return {
        "run": run,
        "options": {o.id: o for o in result.options},
        "best": best,
    }


def check(page: dict[str, Any], expected: dict[str, Any], model: CompiledModel) -> None:
    """The page's readings equal the engine's (scores to TOLERANCE)."""
    options = expected["options"]
    rows = {row["option"]: row for row in page["rows"]}
    assert set(rows) == set(options)
    for name, option in options.items():
        row = rows[name]
        assert row["available"] == ("true" if option.available else "false"), name
        assert int(row["rank"]) == option.rank, (name, page["state"])
        assert abs(float(row["score"]) - option.score) <= TOLERANCE, (name, page["state"])
        failed = page["failed"].get(name, [])
        assert failed == [f.when for f in option.failed], name
    best = expected["best"]
    assert page["best"]["mask"] == best.mask, page["state"]
    assert page["best"]["members"] == ",".join(best.members)
    assert abs(page["best"]["value"] - best.value) <= TOLERANCE
    values = page["state"]["values"]
    index = model.index("indicators")
    expected_distances = [
        c.threshold - values[index[c.indicator]]
        for pre in model.preconditions for c in pre.expression.comparisons()
        if c.indicator is not None and c.threshold is not None
    ]
    distances = [float(s["distance"]) for s in page["signposts"] if s["distance"] != ""]
    assert distances == pytest.approx(expected_distances, abs=TOLERANCE)


def agree(model: CompiledModel, scenarios: dict[str, Scenario], pages: list[dict[str, Any]]
          ) -> None:
    for page in pages:
        check(page, engine(model, scenarios[page["state"]["scenario"]], page["state"]), model)


# -------------------------------------------------------------------------- settings to try


def threshold_and_tie_cases(model: CompiledModel) -> list[dict[str, Any]]:
    """Settings exactly at the preconditions' thresholds (and a hair either side), and ties:
    options unavailable together (score 0 each), and an exact tie of two available options
    (weight on one criterion where they perform the same)."""
    cases: list[dict[str, Any]] = []
    for pre in model.preconditions:
        for c in pre.expression.comparisons():
            if c.indicator is None or c.threshold is None:
                continue
            for x in (c.threshold, np.nextafter(c.threshold, -np.inf),
                      np.nextafter(c.threshold, np.inf)):
                for flag in (False, True):
                    cases.append({"scenario": "baseline",
                                  "indicators": {c.indicator: float(x),
                                                 "political_prisoners_released": flag}})
    from decision.core.engine import state

    # corners of the indicator box (some indicators at baseline), where success likelihoods
    # and performances clip to 0 or 1 and two options can perform exactly alike
    rng = np.random.default_rng(SEED)
    shape = (2000, len(model.indicators))
    corners = np.where(rng.random(shape) < 0.5, model.low, model.high)
    corners = np.where(rng.random(shape) < 0.3, model.baseline, corners)
    perf, available = state(model, corners)
    found = 0
    for c, criterion in enumerate(model.criteria):
        column = np.where(available, perf[:, :, c], np.nan)
        for a in range(len(model.options)):
            for b in range(a + 1, len(model.options)):
                same = np.flatnonzero(column[:, a] == column[:, b])
                if same.size and found < 8:
                    found += 1
                    cases.append({
                        "scenario": "baseline",
                        "indicators": dict(zip(model.indicators, corners[same[0]].tolist(),
                                               strict=True)),
                        "weights": {w: float(w == criterion) for w in model.criteria},
                    })
    assert found, "no exact tie of two available options found to test"
    cases.append({"scenario": "baseline", "weights": dict.fromkeys(model.criteria, 1.0)})
    return cases


def random_cases(model: CompiledModel, scenario_ids: list[str], n: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(SEED)
    resources = list(model.spec.resources)
    cases: list[dict[str, Any]] = []
    for _ in range(n):
        case: dict[str, Any] = {"scenario": scenario_ids[int(rng.integers(len(scenario_ids)))]}
        weights = rng.random(len(model.criteria)) * (rng.random(len(model.criteria)) > 0.2)
        if weights.any():
            case["weights"] = dict(zip(model.criteria, weights.tolist(), strict=True))
        indicators: dict[str, Any] = {}
        for k, name in enumerate(model.indicators):
            if rng.random() < 0.4:
                continue
            if model.is_boolean[k]:
                indicators[name] = bool(rng.random() < 0.5)
            else:
                pick = rng.random()
                low, high = float(model.low[k]), float(model.high[k])
                indicators[name] = low if pick < 0.05 else high if pick < 0.1 else float(
                    rng.uniform(low, high))
        case["indicators"] = indicators
        if resources and rng.random() < 0.5:
            case["budgets"] = {
                r: None if rng.random() < 0.15 else float(rng.uniform(0, 12) if k == 0
                                                         else rng.uniform(0, 250))
                for k, r in enumerate(resources)
            }
        cases.append(case)
    return cases


# ------------------------------------------------------------------------------ the tests


def test_page_agrees_with_the_engine(
    shipped_page: Opened, shipped: Study, scenarios: dict[str, Scenario]
) -> None:
    """At least 200 settings of the shipped study: every scenario as it is, every stakeholder
    weight set, thresholds, ties and random settings through window.explorer.set."""
    model = shipped.runs[0].model
    ids = [run.inputs.id for run in shipped.runs]
    cases: list[dict[str, Any]] = [{"scenario": s} for s in ids]
    cases += [{"scenario": s, "perspective": p} for s in ids[:2]
              for p in ("model", *model.perspectives)]
    cases += threshold_and_tie_cases(model)
    cases += random_cases(model, ids, RANDOM_CASES)
    assert len(cases) >= 200
    pages = shipped_page.apply(cases)
    agree(model, scenarios, pages)
    assert any(
        len(scores) > len(set(scores))
        for scores in ([r["score"] for r in p["rows"] if r["available"] == "true"] for p in pages)
    ), "no tie of two available options seen"
    assert {p["state"]["scenario"] for p in pages} == set(ids)
    assert not shipped_page.errors


def test_controls_agree_with_the_engine(
    shipped_page: Opened, shipped: Study, scenarios: dict[str, Scenario]
) -> None:
    """The same agreement when the page is driven by its own controls: pickers, number
    boxes, checkboxes, sliders moved with the keyboard, budgets and reset."""
    page = shipped_page.page
    model = shipped.runs[0].model
    k = model.index("indicators")
    readings = []

    def read() -> None:
        readings.append(shipped_page.read())

    page.select_option("#scenario", label=f"{shipped.runs[1].inputs.title} "
                       f"({shipped.runs[1].inputs.id})")
    read()
    page.select_option("#perspective", "security-first")
    read()
    page.fill(f"#indicator-{k['civil_society_access']}-value", "0.5")
    page.press(f"#indicator-{k['civil_society_access']}-value", "Enter")
    read()
    assert readings[-1]["state"]["values"][k["civil_society_access"]] == 0.5
    page.check(f"#indicator-{k['political_prisoners_released']}")
    page.fill(f"#indicator-{k['press_freedom_rank']}-value", "152")
    page.press(f"#indicator-{k['press_freedom_rank']}-value", "Tab")
    read()
    page.fill(f"#indicator-{k['press_freedom_rank']}-value", "999")  # clamped to the range
    page.press(f"#indicator-{k['press_freedom_rank']}-value", "Tab")
    read()
    assert readings[-1]["state"]["values"][k["press_freedom_rank"]] == model.high[
        k["press_freedom_rank"]]
    page.fill("#weight-1-value", "0.9")
    page.press("#weight-1-value", "Enter")
    read()
    page.focus("#weight-0")
    for key in ("ArrowRight", "ArrowRight", "End"):
        page.keyboard.press(key)
        read()
    page.focus(f"#indicator-{k['minsk_lean_to_moscow']}")
    page.keyboard.press("Home")
    read()
    page.fill("#budget-0", "3")
    page.press("#budget-0", "Enter")
    read()
    page.check("#budget-1-unlimited")
    read()
    page.click("#reset")
    read()
    assert readings[-1]["state"]["weights"] == list(shipped.runs[1].inputs.weights)
    agree(model, scenarios, readings)
    moved = {tuple(r["state"]["weights"]) for r in readings}
    assert len(moved) >= 5  # the sliders and boxes did change the inputs
    assert not shipped_page.errors


def test_value_functions_likelihoods_and_constraints_agree(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A small model with what the shipped one lacks: piecewise value functions, a failure
    performance of its own, likelihood effects, an exclusion and an interaction with a
    negative part, and a precondition with arithmetic, a chain, ``or`` and ``not``; its
    title tries to close the script element."""
    folder = tmp_path_factory.mktemp("mini")
    path = write_mini(folder)
    study = decision.compare([str(path)], analyses=False, samples=1, allow_any_path=True)
    model = study.runs[0].model
    assert model.value_functions and model.likelihoods is not None
    page_path = folder / "explorer.html"
    page_path.write_text(explorer_html(study), encoding="utf-8")
    opened = Opened(browser, page_path)
    try:
        assert "</script><script>alert(1)</script> {{js}}" in opened.page.title()
        rng = np.random.default_rng(SEED)
        cases: list[dict[str, Any]] = [
            {"indicators": {"access": 0.5, "released": True}},
            {"indicators": {"access": 0.3, "rank": 15.0}},  # the chain's ends: 20 and 90
            {"indicators": {"access": 0.4, "rank": 50.0}},
            {"indicators": {"access": 0.8, "rank": 100.0, "released": True}},
            {"indicators": {"access": 0.0, "rank": 1.0}, "budgets": {"money": None}},
        ]
        for _ in range(35):
            cases.append({
                "indicators": {"access": float(rng.choice([rng.random(), 0.3, 0.4, 0.5])),
                               "rank": float(rng.choice([rng.uniform(1, 100), 15, 50, 10])),
                               "released": bool(rng.random() < 0.5)},
                "weights": {"security": float(rng.random()), "rights": float(rng.random())},
                "budgets": {"money": float(rng.choice([2, 5, 6, 7, 9, rng.uniform(0, 10)]))},
            })
        scenarios = {"base": load_scenario(path, allow_any_path=True)[0]}
        agree(model, scenarios, opened.apply(cases))
        assert opened.requests == [opened.url]
        assert not opened.errors
    finally:
        opened.page.close()


def test_unsupported_method_is_said_not_computed(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A scenario ranked by a method the page does not compute: a note on the page and one
    for the command line, and no score on the page."""
    study = decision.compare([str(SCENARIOS[0])], method="topsis", analyses=False, samples=1)
    notes = explorer_notes(study)
    assert len(notes) == 1 and "topsis" in notes[0] and "'baseline'" in notes[0]
    path = tmp_path_factory.mktemp("topsis") / "explorer.html"
    path.write_text(explorer_html(study), encoding="utf-8")
    opened = Opened(browser, path)
    try:
        reading = opened.read()
        assert reading["note"] is not None and "topsis" in reading["note"]
        assert all(row["score"] == "" and row["rank"] == "" for row in reading["rows"])
        assert opened.page.is_visible("#note")
        # availability and the package do not depend on the method: still shown
        assert reading["failed"] and reading["best"] is not None
    finally:
        opened.page.close()


def test_bad_settings_are_refused_or_kept_in_range(shipped_page: Opened) -> None:
    """All-zero weights give a note and no scores (never a number); the entry point refuses
    a value outside its range or an unknown id and leaves the page as it was; the failing
    condition of a yes/no precondition says what it needs."""
    page = shipped_page.page
    shipped_page.apply([{"scenario": "baseline"}])
    before = shipped_page.read()
    assert "political_prisoners_released is false, needs true" in page.inner_text(
        "#availability")
    for bad in ({"indicators": {"civil_society_access": 1.5}},
                {"indicators": {"nonexistent": 0.5}},
                {"weights": {"allied-security": -1}},
                {"budgets": {"budget": float("nan")}},
                {"scenario": "nonexistent"}):
        with pytest.raises(Exception, match=r"outside|unknown"):
            page.evaluate("s => window.explorer.set(s)", bad)
        assert shipped_page.read()["state"] == before["state"]
    zero = shipped_page.apply([{"weights": {
        c["id"]: 0 for c in page.evaluate("window.explorer.model.criteria")}}])[0]
    assert zero["note"] is not None and "zero" in zero["note"]
    assert all(row["score"] == "" for row in zero["rows"])
    assert not shipped_page.errors


def test_no_network_request(shipped_page: Opened) -> None:
    """The page, driven through every kind of control, requests nothing but itself."""
    page = shipped_page.page
    page.select_option("#scenario", index=2)
    page.select_option("#perspective", "realist")
    page.click("#reset")
    assert shipped_page.requests == [shipped_page.url]
    html = Path(shipped_page.url.removeprefix("file://")).read_text(encoding="utf-8")
    assert "default-src 'none'" in html  # and the page's policy would block one anyway


def test_accessibility(shipped_page: Opened) -> None:
    """axe-core finds no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(shipped_page.page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


# --------------------------------------------------------------------- no browser needed


def test_page_is_deterministic_and_self_contained(shipped: Study) -> None:
    first, second = explorer_html(shipped), explorer_html(shipped)
    assert first == second
    assert len(first.encode()) < 300_000
    for remote in ("src=\"http", "href=\"http", "@import", "url(", "<link"):
        assert remote not in first
    data = explorer_model(shipped)
    assert [s["id"] for s in data["scenarios"]] == [run.inputs.id for run in shipped.runs]
    assert all(s["computed"] for s in data["scenarios"])
    assert explorer_notes(shipped) == []


def test_script_json_cannot_close_the_script() -> None:
    text = _script_json({"title": "</script><!-- & >"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"title": "</script><!-- & >"}


def test_needed_booleans() -> None:
    from decision.core.expressions import parse_expression

    kinds = {"x": "numeric", "a": "boolean", "b": "boolean"}

    def needed(text: str) -> list[list[Any]]:
        return needed_booleans(expression_tree(parse_expression(text, kinds)))

    assert needed("a") == [["a", True]]
    assert needed("not a and x > 1 and b") == [["a", False], ["b", True]]
    assert needed("a or b") == []  # neither value is needed on its own


def test_expression_tree_keeps_every_node_kind() -> None:
    from decision.core.expressions import parse_expression

    kinds = {"x": "numeric", "y": "numeric", "b": "boolean"}
    tree = expression_tree(parse_expression("not b or -x / 2 + 1 <= y < 3 and true", kinds))
    assert tree == [
        "or", [
            ["not", ["name", "b", "boolean"]],
            ["and", [
                ["compare", ["<=", "<"], [
                    ["arith", "+", ["arith", "/", ["neg", ["name", "x", "numeric"]],
                                    ["num", 2.0]], ["num", 1.0]],
                    ["name", "y", "numeric"], ["num", 3.0]]],
                ["bool", True],
            ]],
        ],
    ]


def test_compare_writes_the_page_and_says_what_it_cannot_compute(
    tmp_path: Path, run_cli: Any
) -> None:
    """`compare --out` writes explorer.html beside the report, listed in the manifest; with a
    method the page does not compute, the command line says so in one note."""
    out = tmp_path / "out"
    result = run_cli("compare", str(SCENARIOS[0]), "--method", "topsis", "--samples", "1",
                     "--out", str(out))
    assert result.status == 0, result.err
    page = (out / "explorer.html").read_text(encoding="utf-8")
    assert "explorer" in page and "topsis" in page
    notes = [line for line in result.err.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and "topsis" in notes[0]
    manifest = json.loads((out / "manifest.json").read_text())
    assert "explorer.html" in json.dumps(manifest["outputs"])
