"""The report's opening comparison with the source's own recommendation, the headline of a
components model, and the summary's most influential judgements (on the small test model)."""

from __future__ import annotations

from pathlib import Path

from decision.reports.data import report_data
from decision.reports.document import ReportDocument
from decision.reports.markdown import render_markdown
from decision.reports.outline import ASSUMPTIONS_LISTED, outline
from decision.results import rounded
from decision.study.study import Study, run_study

YEAR = "  year: 2020\n"


def study_of(folder: Path) -> Study:
    return run_study([folder / "base.yaml", folder / "open.yaml"])


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "model.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def markdown(data: ReportDocument) -> str:
    return render_markdown(outline(data, {}))


def test_declaring_alternatives_changes_nothing(mini: Path) -> None:
    before = report_data(study_of(mini))
    edit(mini, "year: 2020\n", "year: 2020\noptions_are: alternatives\n")
    after = report_data(study_of(mini))
    assert after == before
    assert markdown(after) == markdown(before)
    assert "recommends" not in after and "options_are" not in after["model"]
    assert "Top recommendation per scenario" in markdown(after)


def test_a_components_model_headlines_the_best_package(mini: Path) -> None:
    edit(mini, "year: 2020\n", "year: 2020\noptions_are: components\n")
    study = study_of(mini)
    data = report_data(study)
    text = markdown(data)
    assert data["model"]["options_are"] == "components"
    assert "Best package per scenario" in text and "Top recommendation per scenario" not in text
    for row, bundle in zip(data["summary"], study.portfolios, strict=True):
        package = row["package"]
        assert [m["option"] for m in package["members"]] == bundle.best.members
        marginal = {o.option: o.marginal for o in bundle.per_option}
        for member in package["members"]:
            assert member["marginal"] == rounded(marginal[member["option"]])
        assert row["sentence"].startswith("The best package within the budgets is")
        left = {o["option"] for o in package["left_out"]}
        assert left == set(bundle.options) - set(bundle.best.members)
    base = data["summary"][0]["package"]
    assert {o["option"]: o["available"] for o in base["left_out"]} == {"engage": False}


def test_the_report_opens_with_the_sources_recommendation(mini: Path) -> None:
    recommends = (
        YEAR + "  recommends:\n    now: [act]\n    when:\n"
        "      - {options: [engage], condition: once access opens, locator: '¶4'}\n"
    )
    edit(mini, YEAR, recommends + "options_are: components\n")
    data = report_data(study_of(mini))
    comparison = data["recommends"]
    assert comparison["now"] == ["act"] and comparison["when"][0]["options"] == ["engage"]
    base, opened = comparison["scenarios"]
    assert base["scenario"] == "base" and base["kind"] == "package"
    # base: engage is gated off, so the model adopts act alone, as the source does now
    assert base["model"] == ["act"] and not base["disagreements"]
    assert {f["option"]: f["source"] for f in base["agreements"]} == {
        "act": "now", "engage": "when"
    }
    # open: engage's gate holds, which is the model's reading of the source's condition
    engage = next(f for f in opened["agreements"] + opened["disagreements"]
                  if f["option"] == "engage")
    assert "engage" in opened["model"] and engage["agrees"]
    text = markdown(data)
    plan = text[text.index("## 2. The plan and pathways") : text.index("## 3.")]
    assert "### What the source recommends and what the model finds" in plan
    assert "*Act now* now" in plan or "recommends *" in plan


def test_a_disagreement_names_the_judgements_behind_it(mini: Path) -> None:
    edit(mini, YEAR, YEAR + "  recommends:\n    now: [act, engage]\n")
    data = report_data(study_of(mini))
    base, opened = data["recommends"]["scenarios"]
    assert opened["kind"] == "top option" and opened["model"] == ["engage"]
    act = next(f for f in opened["disagreements"] if f["option"] == "act")
    assert act["source"] == "now" and act["model"] == "not first" and act["causes"]
    register = next(s for s in data["scenarios"] if s["id"] == "open")["sensitivity"]
    assert register is not None
    rows = {r["key_path"]: r for r in register["assumptions"]["rows"]}
    for cause in act["causes"]:
        row = rows[cause["key_path"]]
        assert cause["resolves"] == any(c["top"] == "act" for c in row["changes"])
    # base: engage is gated off; the disagreement names the failing precondition
    assert base["model"] == ["act"]
    (engage,) = base["disagreements"]
    assert engage["option"] == "engage" and engage["model"] == "not first"
    assert "needs access >= 0.5 and released" in engage["sentence"]
    assert "access is 0.2" in engage["sentence"]


def test_the_appendix_lists_the_most_influential_judgements(mini: Path) -> None:
    """The base scenario's register, most influential first, cut at ASSUMPTIONS_LISTED rows
    (results.json keeps them all); each judgement in words with its key path to edit."""
    data = report_data(study_of(mini))
    register = data["scenarios"][0]["sensitivity"]
    assert register is not None
    rows = register["assumptions"]["rows"]
    assert rows
    text = markdown(data)
    appendix = text[text.index("### Assumptions register") : text.index("### Evidence")]
    listed = [r["key_path"] for r in rows[:ASSUMPTIONS_LISTED]]
    positions = [appendix.index(f"`{path}`") for path in listed]
    assert positions == sorted(positions)
    for row in rows[ASSUMPTIONS_LISTED:]:
        assert f"`{row['key_path']}`" not in appendix
