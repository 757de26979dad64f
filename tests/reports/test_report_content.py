"""The report's numbers against the engine's, in report.md, results.json and report.html."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from decision.reports.data import CHECK_ENV, checked
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


def title_of(study: Study) -> dict[str, str]:
    """Option id -> title, from the model."""
    return {o: spec.title for o, spec in study.runs[0].model.spec.options.items()}


# ------------------------------------------------------------------ brief and plan (§1, §2)


def test_the_report_opens_with_the_brief(markdown: str, report_dir: Path) -> None:
    brief = (report_dir / "brief.md").read_text(encoding="utf-8")
    section = md_section(markdown, "1. Brief")
    # every paragraph of the brief after its opening line is in the report, headings a level down
    for line in brief.split("\n## ", 1)[1].splitlines()[1:]:
        if line.strip():
            assert line.replace("## ", "### ", 1) in section, line


def test_plan_states_the_engines_plan(markdown: str, study: Study) -> None:
    """The plan's do-now package, signposts and tipping points are the engine's, in words."""
    assert study.plan is not None
    titles = title_of(study)
    base = next(p for p in study.plan.plans if p.scenario == study.plan.base)
    section = md_section(markdown, "2. The plan and pathways")
    do_now = next(line for line in section.splitlines() if line.startswith("- **Do now**"))
    listed = re.findall(r"\*([^*]+)\*", do_now.split(": ", 1)[1])
    assert listed == [titles[m.option] for m in base.do_now.members]
    assert f"(value {base.do_now.value:.3f}" in do_now
    watch = [line for line in section.splitlines() if line.startswith("- **Watch**")]
    assert len(watch) == min(5, len(base.signposts))
    for line, sp in zip(watch, base.signposts, strict=False):
        assert f"({sp.share_of_range:.0%} of its range away)" in line
        assert f"threshold {sp.threshold:.3g}" in line or sp.boolean
    stops = [line for line in section.splitlines() if line.startswith("- **Stops being")]
    for line, tp in zip(stops, base.tipping, strict=False):
        assert f"{tp.threshold:.3g}" in line
    assert f"above {base.satisficing:.3g}" in section


def test_summary_table_in_markdown_matches_the_engine(markdown: str, study: Study) -> None:
    """The shipped model's options are components: its headline is each scenario's best
    package, in full for the baseline and as a change from it elsewhere."""
    rows = md_table(markdown, "Best package per scenario")
    titles = title_of(study)
    assert "Top recommendation per scenario" not in markdown
    assert len(rows) == len(study.results)
    base = study.portfolios[0].best.members
    for row, result, bundle in zip(rows, study.results, study.portfolios, strict=True):
        assert row[0] == result.title.replace("|", "\\|")
        members = bundle.best.members
        if result is study.baseline:
            assert row[1] == "; ".join(titles[m] for m in members)
        elif members == base:
            assert row[1] == "same as the baseline"
        else:
            for added in set(members) - set(base):
                assert f"adds {titles[added]}" in row[1]
            for dropped in set(base) - set(members):
                assert f"drops {titles[dropped]}" in row[1]
        assert row[2] == f"{bundle.best.value:.3f}"
        assert row[3] == share(bundle.best.probability if bundle.samples > 1 else None)


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
    assert table["header"] == ["scenario", "best package within budgets", "value", "P(best)"]
    for row, result, bundle in zip(table["rows"], study.results, study.portfolios, strict=True):
        assert row[0] == result.title
        assert row[2] == f"{bundle.best.value:.3f}"


# ----------------------------------------------------------------------- ranking (§3)


def _cell(option: OptionResult) -> str:
    if not option.available:
        return "\u2013"
    return f"{option.rank} ({option.score:.3f})"


def test_ranking_table_matches_the_engine(markdown: str, page: Page, study: Study) -> None:
    caption = "Rank (score) of each option per scenario"
    rows = md_table(markdown, caption)
    table = page.table(caption)
    titles = title_of(study)
    assert table["header"] == ["option", *(r.title for r in study.results)]
    option_ids = study.results[0].option_ids
    assert [r[0] for r in table["rows"]] == [titles[o] for o in option_ids]
    for row, html_row, option_id in zip(rows, table["rows"], option_ids, strict=True):
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


def test_robustness_measures_and_what_each_favours(markdown: str, study: Study) -> None:
    """The table holds the engine's measures (the signal-to-noise ratio left to the JSON), and
    each measure's favourite is the engine's best value, ties named as ties."""
    from decision.reports.outline import MEASURES

    assert study.robustness is not None
    titles = title_of(study)
    measures = study.robustness.result.measures()
    shown = [n for n in MEASURES if n in measures]
    rows = md_table(markdown, "Robustness measures per option")
    assert "snr" not in shown and "signal-to-noise" not in md_section(markdown, "3. Ranking")
    expected = {
        titles[o]: [f"{rounded(measures[n][k]):.3f}" for n in shown]
        for k, o in enumerate(study.robustness.options)
    }
    assert {r[0]: r[1:] for r in rows} == expected
    section = md_section(markdown, "3. Ranking across scenarios")
    for name in shown:
        label, lower = MEASURES[name]
        values = [round(rounded(v), 3) for v in measures[name]]
        best = min(values) if lower else max(values)
        winners = [titles[o] for o, v in zip(study.robustness.options, values, strict=True)
                   if v == best]
        line = next(x for x in section.splitlines()
                    if x.startswith(f"- **{label[:1].upper()}{label[1:]}** favours"))
        assert ("a tie between" in line) == (len(winners) > 1)
        assert all(f"*{w}*" in line for w in winners)


# ------------------------------------------------------------------- scenarios (§7)


def test_each_scenario_ranks_under_every_method(markdown: str, study: Study) -> None:
    assert study.method_comparisons, "the fixture compares methods"
    titles = {v: k for k, v in title_of(study).items()}
    for comparison, result in zip(study.method_comparisons, study.results, strict=True):
        rows = md_table(markdown, f"Ranking in {result.title}: rank (score) under each method")
        assert len(rows) == len(result.options)
        for row in rows:
            option_id = titles[row[0]]
            ranks = [int(cell.split(" ")[0].rstrip("*")) for cell in row[1:]]
            assert ranks == [comparison.ranks[m][option_id] for m in comparison.methods]
            if not result.option(option_id).available:
                assert all(cell.endswith("(unavailable)") for cell in row[1:])
            else:
                assert row[1] == f"{result.option(option_id).rank} " \
                                 f"({result.option(option_id).score:.3f})"


def test_availability_is_stated_once_with_the_scenarios_where_it_fails(
    markdown: str, study: Study
) -> None:
    """Each precondition and its reason appear once (the appendix), listing the scenarios
    where it fails with the failing values in words (booleans as true/false)."""
    spec = study.runs[0].model.spec
    section = md_section(markdown, "8. Evidence and assumptions")
    for option_id, option in spec.options.items():
        for pre in option.preconditions:
            failing = [r for r in study.results
                       if any(f.when == pre.when for f in r.option(option_id).failed)]
            assert markdown.count(f"`{pre.when}`") == 1, pre.when
            line = next(x for x in section.splitlines() if f"`{pre.when}`" in x)
            if not failing:
                assert "holds in every scenario" in line
                continue
            first = " ".join(pre.reason.split())[:40]
            assert markdown.count(first) == 1, first
            for result in failing:
                if len(failing) * 2 <= len(study.results):
                    assert f"*{result.title}*" in line
            for result in study.results:
                if result not in failing and len(failing) * 2 > len(study.results):
                    assert f"*{result.title}*" in line  # every scenario but these
            for failed in failing[0].option(option_id).failed:
                for condition in failed.conditions:
                    for name, value in condition.values.items():
                        indicator = spec.indicators[name]
                        if indicator.type == "boolean":
                            assert f" is {'true' if value >= 0.5 else 'false'}" in line
                        else:
                            assert f"{value:.3g}" in line


def _prose(markdown: str) -> str:
    """The report's own text: without the charts' titles and descriptions (the chart module
    words those; its tests check them)."""
    return "\n".join(x for x in markdown.splitlines()
                     if not x.startswith(("![", "*Figure: ")))


def test_booleans_read_true_and_false(markdown: str, study: Study) -> None:
    """In the prose, the tables and the charts' titles and descriptions alike."""
    spec = study.runs[0].model.spec
    for name, indicator in spec.indicators.items():
        if indicator.type == "boolean":
            assert not re.search(rf"\b{name}\b`? (=|is) [01]\b", markdown), name
            assert not re.search(rf"\b{name}\b [01] (->|to) [01]\b", markdown), name


def test_ids_appear_only_in_code_spans(markdown: str, study: Study) -> None:
    """Options, scenarios and indicators are named by their titles: an id is only ever in a
    code span (a key path, a precondition, a file), never in the prose or a table cell."""
    spec = study.runs[0].model.spec
    outside = re.sub(r"`[^`]*`", "", _prose(markdown))
    outside = re.sub(r"\]\([^)]*\)", "]", outside)  # chart paths
    ids = [*spec.options, *spec.indicators, *(r.scenario for r in study.results)]
    for name in ids:
        if "-" in name or "_" in name:  # a one-word id is also an ordinary word
            assert not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", outside), name


# ------------------------------------------------------------------- movements (§7)


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
        caption = f"Rank acceptability in {result.title}"
        if result.samples <= 1:
            assert caption not in markdown
            continue
        rows = md_table(markdown, caption)
        titles = title_of(study)
        for row, option in zip(rows, result.options, strict=True):
            assert row[0] == titles[option.id]
            assert option.uncertainty is not None
            expected = [f"{v:.1%}" for v in option.uncertainty.rank_acceptability]
            assert row[1 : 1 + len(expected)] == expected
            q = option.uncertainty.score_quantiles
            band = f"{q['5']:.3f}\u2013{q['95']:.3f}" if option.available else "\u2013"
            assert row[1 + len(expected)] in (band, "\u2013")
        assert f"charts/acceptability-{result.scenario}.svg" in markdown


# ------------------------------------------------------------------- evidence (§8)


def test_evidence_appendix_lists_every_evidence_item(
    markdown: str, results: dict[str, Any], study: Study
) -> None:
    spec = study.runs[0].model.spec
    section = md_section(markdown, "8. Evidence and assumptions")
    section = section[section.index("### Evidence") :]
    items = [x for x in section.splitlines() if x.startswith("- **")]
    assert len(items) == len(spec.evidence)
    for line, (evidence_id, item) in zip(items, spec.evidence.items(), strict=True):
        assert line.startswith(f"- **{item.locator}**"), evidence_id
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
    # every table scrolls in a region a keyboard reaches, named by the table's caption
    regions = re.findall(r'<div class="table-wrap" role="region" tabindex="0" '
                         r'aria-labelledby="(table-\d+)"><table(?: class="wide")?>'
                         r'<caption id="(table-\d+)">', html)
    assert len(regions) == len(page.tables) and all(a == b for a, b in regions)
    captions = [t["caption"] for t in page.tables]
    assert len(captions) == len(set(captions)), "each region has its own name"
    numbered = [h for h in page.headings if re.match(r"\d\. ", h)]
    assert numbered == [
        "1. Brief", "2. The plan and pathways", "3. Ranking across scenarios",
        "4. What would change it", "5. Uncertainty", "6. Stakeholders",
        "7. Scenarios in detail", "8. Evidence and assumptions",
    ]


def test_results_json_follows_its_generated_schema(results: dict[str, Any]) -> None:
    schema = results_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(results, schema, cls=jsonschema.Draft202012Validator)
    assert results["schema_version"] == 2
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


def test_every_document_the_tests_build_is_checked() -> None:
    assert os.environ.get(CHECK_ENV), "tests/conftest.py must set the variable report_data reads"


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


# --------------------------------------------------------- what would change it (§4)


def test_weight_stability_tables_match_the_analysis(markdown: str, study: Study) -> None:
    from decision.reports.brief import Names
    from decision.reports.data import report_data

    assert study.sensitivity, "the shipped study runs every analysis"
    names = Names(report_data(study))
    base = study.plan.base if study.plan else study.baseline.scenario
    across = {r[0]: r[1:] for r in md_table(markdown, "The other scenarios: the normalised")}
    for item, result in zip(study.sensitivity, study.results, strict=True):
        weights = item.parts["weights"]
        if item.scenario == base:
            rows = md_table(markdown, "Normalised weight ranges that keep the top option and "
                                      f"the whole ranking in {result.title}")
            assert [r[0] for r in rows] == [names.criterion(c.criterion)
                                            for c in weights.criteria]
            for row, criterion in zip(rows, weights.criteria, strict=True):
                assert row[1] == f"{criterion.weight:.3f}"
                low, high = criterion.top_interval
                assert row[2] == f"{low:.3f}\u2013{high:.3f}"
            assert f"charts/weights-{item.scenario}.svg" in markdown
        else:
            cells = across[result.title]
            assert cells == [f"{c.top_interval[0]:.3f}\u2013{c.top_interval[1]:.3f}"
                             for c in weights.criteria]


def test_tipping_points_are_listed_per_scenario(markdown: str, study: Study) -> None:
    from decision.reports.brief import Names
    from decision.reports.data import report_data

    names = Names(report_data(study))
    for item, result in zip(study.sensitivity, study.results, strict=True):
        points = item.parts["tipping"].points
        start = markdown.index(f" Tipping points in {result.title}\n")
        end = markdown.find("\n#", start + 1)
        block = markdown[start : end if end > 0 else len(markdown)]
        for point in points:
            indicator = names.indicator(point.indicator)
            value = names.value(point.indicator, point.value)
            assert f"{indicator} " in block and value in block, (result.scenario, point)
        if not points:
            assert "No single indicator" in block


def test_dominated_options_are_listed(markdown: str, study: Study) -> None:
    titles = title_of(study)
    for item, result in zip(study.sensitivity, study.results, strict=True):
        start = markdown.index("### 7.")
        block = markdown[markdown.index(f" {result.title}\n", start):]
        block = block[: block.find("\n### ") if "\n### " in block else len(block)]
        dominated = item.parts["dominance"].dominated
        for d in dominated:
            assert f"*{titles[d.option]}* by" in block
        assert ("Dominated (" in block) == bool(dominated)


def test_frontier_tables_match_the_portfolio_analysis(markdown: str, study: Study) -> None:
    portfolios = getattr(study, "portfolios", None)
    if not portfolios:
        pytest.skip("the study carries no portfolio analysis")
    assert "Efficient frontier for" in markdown
    assert "charts/frontier-" in markdown


def test_boolean_indicators_are_true_or_false_in_the_json(
    results: dict[str, Any], report_dir: Path, study: Study
) -> None:
    """No boolean indicator's value is written as 0/1 in results.json or comparison.json."""
    booleans = {n for n, i in study.runs[0].model.spec.indicators.items() if i.type == "boolean"}
    assert booleans, "the shipped model has boolean indicators"
    found: list[object] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            named = node.get("indicator") or node.get("id")
            if node.get("kind") == "indicator" and "score_low" in node:
                named = node.get("input")
            if named in booleans:
                found.extend(node[k] for k in ("value", "threshold", "from", "to", "baseline",
                                               "low", "high") if node.get(k) is not None)
            for key in ("values", "indicators"):
                if isinstance(node.get(key), dict):
                    found.extend(v for k, v in node[key].items() if k in booleans)
            for child in node.values():
                walk(child)

    walk(results)
    walk(json.loads((report_dir / "comparison.json").read_text(encoding="utf-8")))
    assert len(found) > 20
    assert all(isinstance(v, bool) for v in found), [v for v in found if not isinstance(v, bool)]
