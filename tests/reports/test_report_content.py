"""The report's numbers against the engine's, in report.md, results.json and report.html."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from decision.reports.data import checked
from decision.reports.schema import results_schema
from decision.results import OptionResult, ScenarioResult, rounded
from decision.study.study import Study

CODE = re.compile(r"`([^`]*)`")


# ------------------------------------------------------------------------------ helpers


def md_table(text: str, caption: str) -> list[list[str]]:
    """Body rows of the Markdown table whose caption line starts with ``caption``."""
    lines = text.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith(f"*Table: {caption}"))
    rows = []
    for line in lines[start + 4 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
    return rows


def md_section(text: str, heading: str) -> str:
    """The Markdown from a level-2 heading to the next one."""
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def codes(cell: str) -> list[str]:
    return CODE.findall(cell)


def p_first(option: OptionResult) -> float | None:
    return None if option.uncertainty is None else option.uncertainty.rank_acceptability[0]


def share(value: float | None) -> str:
    return "not sampled" if value is None else f"{value:.1%}"


class Page(HTMLParser):
    """Tables (caption, header cells, rows), SVG attributes and other facts of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self.svgs: list[dict[str, str | None]] = []
        self.svg_children: list[set[str]] = []
        self.tags: dict[str, int] = {}
        self.ids: list[str] = []
        self.urls: list[str] = []
        self.headings: list[str] = []
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._in_svg = 0
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if a.get("id"):
            self.ids.append(str(a["id"]))
        for key in ("src", "href", "xlink:href"):
            value = a.get(key)
            if value and not value.startswith("#"):
                self.urls.append(value)
        if tag == "svg":
            self.svgs.append(a)
            self.svg_children.append(set())
            self._in_svg += 1
        elif self._in_svg and tag in ("title", "desc"):
            self.svg_children[-1].add(tag)
        if tag == "table":
            self.tables.append({"caption": "", "header": [], "rows": []})
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th", "caption"):
            self._text = []
        elif tag in ("h2", "h3"):
            self._heading = True
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg -= 1
        elif tag in ("td", "th") and self._text is not None and self._row is not None:
            self._row.append("".join(self._text).strip())
            self._text = None
        elif tag == "caption" and self._text is not None:
            self.tables[-1]["caption"] = "".join(self._text).strip()
            self._text = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            (table["rows"] if table["header"] else table["header"]).extend(
                [self._row] if table["header"] else self._row
            )
            self._row = None
        elif tag in ("h2", "h3") and self._text is not None:
            self.headings.append("".join(self._text).strip())
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def table(self, caption: str) -> dict[str, Any]:
        return next(t for t in self.tables if t["caption"].startswith(caption))


@pytest.fixture(scope="module")
def markdown(report_dir: Path) -> str:
    return (report_dir / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def results(report_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def page(report_dir: Path) -> Page:
    parser = Page()
    parser.feed((report_dir / "report.html").read_text(encoding="utf-8"))
    return parser


# ----------------------------------------------------------------------- summary (§1)


def test_summary_table_in_markdown_matches_the_engine(markdown: str, study: Study) -> None:
    """The shipped model's options are components (the brief recommends all five and ranks
    none): its summary headlines each scenario's best package, not a top option."""
    rows = md_table(markdown, "Best package per scenario")
    assert "Top recommendation per scenario" not in markdown
    assert len(rows) == len(study.results)
    for row, result, bundle in zip(rows, study.results, study.portfolios, strict=True):
        assert codes(row[0]) == [result.scenario]
        assert codes(row[1]) == bundle.best.members
        assert row[2] == f"{bundle.best.value:.3f}"
        assert row[3] == share(bundle.best.probability if bundle.samples > 1 else None)
        marginal = {o.option: o.marginal for o in bundle.per_option}
        assert row[4] == ", ".join(f"`{m}` {marginal[m]:.3f}" for m in bundle.best.members)


def test_summary_in_results_json_matches_the_engine(
    results: dict[str, Any], study: Study
) -> None:
    assert [s["scenario"] for s in results["summary"]] == [r.scenario for r in study.results]
    for entry, result in zip(results["summary"], study.results, strict=True):
        assert entry["top"] == result.top.id
        assert entry["score"] == result.top.score
        assert entry["p_first"] == p_first(result.top)
        assert entry["samples"] == result.samples
        assert (entry["change"] is None) == (result is study.baseline)
        package = entry["package"]  # the shipped model's options are components
        assert entry["sentence"].startswith("The best package within the budgets is ")
        assert all(m["option"] in entry["sentence"] for m in package["members"])


def test_sampled_scenarios_report_their_acceptability(study: Study) -> None:
    sampled = [r for r in study.results if r.samples > 1]
    assert sampled, "the shipped scenarios include sampled ones"
    assert all(p_first(r.top) is not None for r in sampled)


def test_summary_says_what_changed_against_the_baseline(
    results: dict[str, Any], study: Study
) -> None:
    """For the shipped components model, what changed is the best package."""
    base = study.baseline
    bundles = {b.scenario: b for b in study.portfolios}
    before = bundles[base.scenario].best.members
    for entry, result in zip(results["summary"], study.results, strict=True):
        if result is base:
            continue
        assert entry["change"].startswith(f"Against {base.scenario}, ")
        after = bundles[result.scenario].best.members
        if after == before:
            assert "the package is the same" in entry["change"]
        for added in set(after) - set(before):
            assert added in entry["change"].split("adds ", 1)[1]
        for dropped in set(before) - set(after):
            assert dropped in entry["change"].split("drops ", 1)[1]


def test_summary_table_in_html_matches_the_engine(page: Page, study: Study) -> None:
    table = page.table("Best package per scenario")
    assert table["header"][:3] == ["scenario", "best package within budgets", "value"]
    for row, result, bundle in zip(table["rows"], study.results, study.portfolios, strict=True):
        assert f"({result.scenario})" in row[0]
        assert row[1] == " + ".join(bundle.best.members)
        assert row[2] == f"{bundle.best.value:.3f}"


# ----------------------------------------------------------------------- ranking (§2)


def _cell(option: OptionResult) -> str:
    if not option.available:
        return f"{option.rank} (unavailable)"
    text = f"{option.rank} ({option.score:.3f})"
    if option.uncertainty is not None:
        q = option.uncertainty.score_quantiles
        text += f" [{q['5']:.3f}\u2013{q['95']:.3f}]"
    return text


def test_ranking_table_matches_the_engine(markdown: str, page: Page, study: Study) -> None:
    caption = "Rank (score) of each option per scenario"
    rows = md_table(markdown, caption)
    html_rows = page.table(caption)["rows"]
    option_ids = study.results[0].option_ids
    assert [codes(r[0])[0] for r in rows] == option_ids
    for row, html_row, option_id in zip(rows, html_rows, option_ids, strict=True):
        expected = [_cell(r.option(option_id)) for r in study.results]
        assert row[1:] == expected
        assert html_row[1:] == expected


def test_ranking_data_carries_score_bands(results: dict[str, Any], study: Study) -> None:
    for scenario, result in zip(results["scenarios"], study.results, strict=True):
        assert [o["id"] for o in scenario["options"]] == [o.id for o in result.options]
        for row, option in zip(scenario["options"], result.options, strict=True):
            assert row["rank"] == option.rank
            assert row["score"] == option.score
            assert row["available"] == option.available
            if option.uncertainty is None:
                assert row["score_quantiles"] is None
            else:
                assert row["score_quantiles"] == option.uncertainty.score_quantiles
                assert row["rank_acceptability"] == option.uncertainty.rank_acceptability


# ------------------------------------------------------------------- scenarios (§3)


def test_each_scenario_ranking_and_contributions(
    markdown: str, results: dict[str, Any], study: Study
) -> None:
    for scenario, result in zip(results["scenarios"], study.results, strict=True):
        rows = md_table(markdown, f"Ranking in `{result.scenario}`")
        assert [codes(r[0])[-1] for r in rows] == [o.id for o in result.options]
        for row, option in zip(rows, result.options, strict=True):
            assert row[1] == str(option.rank)
            assert row[2] == (f"{option.score:.3f}" if option.available else "\u2013")
        for row, option in zip(scenario["options"], result.options, strict=True):
            assert row["contributions"] == option.contributions
        assert f"charts/contributions-{result.scenario}.svg" in markdown


def test_unavailable_options_show_failed_conditions_and_evidence(
    markdown: str, study: Study
) -> None:
    spec = study.runs[0].model.spec
    section = md_section(markdown, "3. Scenarios")
    for result in study.results:
        start = section.index(f"#### Availability in {result.title}")
        block = section[start : section.index("\n#### ", start + 1)]
        for option in result.options:
            if option.available:
                assert f"**`{option.id}`** is unavailable" not in block
                continue
            for failed in option.failed:
                for condition in failed.conditions:
                    assert f"`{condition.text}` fails" in block
                    for name, value in condition.values.items():
                        assert f"{name} = {value:g}" in block
                for evidence_id in failed.evidence:
                    item = spec.evidence[evidence_id]
                    assert f"`{evidence_id}` ({item.locator})" in block


def test_method_comparison_matches_the_study(markdown: str, study: Study) -> None:
    assert study.method_comparisons, "the fixture compares methods"
    for comparison, result in zip(study.method_comparisons, study.results, strict=True):
        rows = md_table(markdown, f"Rank (score) under each method in `{comparison.scenario}`")
        for row in rows:
            option_id = codes(row[0])[0]
            ranks = [int(cell.split(" ")[0]) for cell in row[1:]]
            assert ranks == [comparison.ranks[m][option_id] for m in comparison.methods]
            if not result.option(option_id).available:
                assert all(cell.endswith("(unavailable)") for cell in row[1:])


# ------------------------------------------------------------------- movements (§4)


def test_waterfalls_cover_exactly_the_options_whose_rank_moved(
    results: dict[str, Any], study: Study
) -> None:
    base = study.baseline
    for scenario, result in zip(results["scenarios"], study.results, strict=True):
        if result is base:
            assert scenario["movement"] is None
            continue
        moved = {o.id for o in result.options if o.rank != base.option(o.id).rank}
        entries = scenario["movement"]["options"]
        assert {o["id"] for o in entries} == moved
        for entry in entries:
            steps = entry["steps"]
            assert steps[0]["value"] == base.option(entry["id"]).score
            assert steps[-1]["value"] == result.option(entry["id"]).score
            total = steps[0]["value"] + sum(s["delta"] for s in steps[1:-1])
            assert total == pytest.approx(steps[-1]["value"], abs=1e-9)


# ------------------------------------------------------------------ uncertainty (§5)


def test_acceptability_tables_match_the_engine(markdown: str, study: Study) -> None:
    for result in study.results:
        caption = f"Rank acceptability in `{result.scenario}`"
        if result.samples <= 1:
            assert caption not in markdown
            continue
        rows = md_table(markdown, caption)
        for row, option in zip(rows, result.options, strict=True):
            assert codes(row[0]) == [option.id]
            assert option.uncertainty is not None
            expected = [f"{v:.1%}" for v in option.uncertainty.rank_acceptability]
            assert row[1 : 1 + len(expected)] == expected
        assert f"charts/acceptability-{result.scenario}.svg" in markdown


# -------------------------------------------------------------------- robustness (§7)


def test_robustness_section_matches_the_study(markdown: str, study: Study) -> None:
    assert study.robustness is not None
    rows = md_table(markdown, "Robustness measures per option")
    measures = study.robustness.result.measures()
    expected = {
        option_id: [
            f"{rounded(values[k]):.3g}" if name == "snr" else f"{rounded(values[k]):.3f}"
            for name, values in measures.items()
        ]
        for k, option_id in enumerate(study.robustness.options)
    }
    assert {codes(r[0])[0]: r[1:] for r in rows} == expected
    regret = md_table(markdown, "Regret per scenario")
    assert [codes(r[0])[0] for r in regret] == study.robustness.scenarios


# ------------------------------------------------------------------- evidence (§8)


def test_evidence_appendix_lists_every_evidence_item(
    markdown: str, results: dict[str, Any], study: Study
) -> None:
    spec = study.runs[0].model.spec
    rows = md_table(markdown, "Evidence items and the judgements citing them")
    assert [codes(r[0])[0] for r in rows] == list(spec.evidence)
    for row, (evidence_id, item) in zip(rows, spec.evidence.items(), strict=True):
        assert row[1] == item.locator, evidence_id
    cited = {e["id"]: e["cited_by"] for e in results["evidence"]}
    for option_id, option in spec.options.items():
        for criterion, perf in option.performance.items():
            for evidence_id in perf.evidence:
                entry = {"kind": "performance", "option": option_id, "criterion": criterion}
                assert entry in cited[evidence_id]
        for pre in option.preconditions:
            for evidence_id in pre.evidence:
                entry = {"kind": "precondition", "option": option_id, "when": pre.when}
                assert entry in cited[evidence_id]


# --------------------------------------------------------------------- html and json


def test_html_is_accessible_and_self_contained(page: Page, report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert page.urls == [u for u in page.urls if u.startswith("#")], page.urls[:5]
    assert len(page.ids) == len(set(page.ids)), "element ids are unique"
    assert page.svgs, "charts are inline"
    for attrs, children in zip(page.svgs, page.svg_children, strict=True):
        assert attrs.get("role") == "img"
        assert attrs.get("aria-label")
        assert children == {"title", "desc"}
    assert page.tags.get("figcaption") == len(page.svgs)
    for table in page.tables:
        assert table["caption"] and table["header"]
    assert page.headings[:3] == [
        "What the brief recommends and what the model finds",
        "1. Summary",
        "2. Ranking across scenarios",
    ]
    assert "8. Evidence appendix" in page.headings


def test_results_json_follows_its_generated_schema(results: dict[str, Any]) -> None:
    schema = results_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(results, schema, cls=jsonschema.Draft202012Validator)
    assert results["schema_version"] == 1
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["OptionRow"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("scenarios", 0, "options", 0, "score"), "0.5", "is not of type .number."),
        (("scenarios", 0, "options", 0, "surprise"), 1.0, "Additional properties"),
        (("summary", 0, "p_first"), True, "not valid under any"),
    ],
)
def test_the_schema_refuses_a_wrong_document(
    results: dict[str, Any], path: tuple[Any, ...], value: Any, message: str
) -> None:
    bad = json.loads(json.dumps(results))
    target = bad
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError, match=message):
        jsonschema.validate(bad, results_schema(), cls=jsonschema.Draft202012Validator)


def test_a_document_is_checked_against_its_types(results: dict[str, Any]) -> None:
    document = json.loads(json.dumps(results))
    assert checked(document) == results
    document["scenarios"][0]["options"][0]["surprise"] = 1.0
    with pytest.raises(ValueError, match="keys its types do not describe"):
        checked(document)
    del document["scenarios"][0]["options"][0]["surprise"]
    document["scenarios"][0]["options"][0]["rank"] = 1.0
    with pytest.raises(ValueError, match="does not match its types"):
        checked(document)


def test_floats_are_rounded_for_stable_json(results: dict[str, Any]) -> None:
    def walk(value: Any) -> None:
        if isinstance(value, float):
            assert value == rounded(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(results)


def test_top_option_has_rank_one(study: Study) -> None:
    result: ScenarioResult
    for result in study.results:
        assert result.top.rank == 1


# ------------------------------------------------------- sensitivity (§6), bundles (§7)


def test_weight_stability_tables_match_the_analysis(markdown: str, study: Study) -> None:
    assert study.sensitivity, "the shipped study runs every analysis"
    for item in study.sensitivity:
        weights = item.parts["weights"]
        rows = md_table(markdown, "Normalised weight ranges that keep the top option and the "
                                  f"whole ranking in `{item.scenario}`")
        assert [codes(r[0])[0] for r in rows] == [c.criterion for c in weights.criteria]
        for row, criterion in zip(rows, weights.criteria, strict=True):
            assert row[1] == f"{criterion.weight:.3f}"
            low, high = criterion.top_interval
            assert row[2] == f"{low:.3f}\u2013{high:.3f}"
        assert f"charts/weights-{item.scenario}.svg" in markdown


def test_tipping_points_and_openings_are_listed(markdown: str, study: Study) -> None:
    assert study.sensitivity, "the shipped study runs every analysis"
    section = md_section(markdown, "6. Sensitivity")
    for item, result in zip(study.sensitivity, study.results, strict=True):
        points = item.parts["tipping"].points
        start = section.index(f"#### Tipping points in {result.title}")
        block = section[start : section.index("\n#### ", start + 1)]
        bullets = [line for line in block.splitlines() if line.startswith("- ")]
        assert len(bullets) == len(points) or (not points and not bullets)
        for point, bullet in zip(points, bullets, strict=False):
            assert f"`{point.indicator}`" in bullet
        for opening in item.parts["openings"]:
            assert f"- `{opening.option}` " in section


def test_dominated_options_are_listed(markdown: str, study: Study) -> None:
    section = md_section(markdown, "6. Sensitivity")
    for item, result in zip(study.sensitivity, study.results, strict=True):
        start = section.index(f"#### Dominated options in {result.title}")
        end = section.find("\n### ", start)
        block = section[start : end if end > 0 else len(section)]
        dominated = item.parts["dominance"].dominated
        bullets = [line for line in block.splitlines() if line.startswith("- ")]
        assert [codes(b)[0] for b in bullets] == [d.option for d in dominated]
        if not dominated:
            assert "No option is beaten or equalled" in block


def test_best_bundles_match_the_portfolio_analysis(markdown: str, study: Study) -> None:
    portfolios = getattr(study, "portfolios", None)
    if not portfolios:
        pytest.skip("the study carries no portfolio analysis")
    rows = md_table(markdown, "Best bundle per scenario")
    assert [codes(r[0])[0] for r in rows] == [p.scenario for p in portfolios]
    for row, report in zip(rows, portfolios, strict=True):
        assert codes(row[1]) == report.best_members
        assert row[2] == f"{report.result.best.value:.3f}"
