"""A success likelihood's numbers are classified like every other number of a model."""

from __future__ import annotations

from pathlib import Path

from decision.load.loading import load_model
from decision.load.provenance import classify, model_entries

MINI = Path(__file__).resolve().parent.parent / "data" / "mini" / "model.yaml"


def test_likelihood_numbers_are_classified(tmp_path: Path) -> None:
    """The value matches a cited figure (40% is 0.4): from the source; the range and the
    failure performance are the modeller's judgements, with the declared reason."""
    text = MINI.read_text().replace('figures: ["12"]', 'figures: ["12", "40%"]')
    text = text.replace(
        "    recommendation: R1\n",
        "    recommendation: R1\n"
        "    likelihood:\n"
        "      value: 0.4\n"
        "      low: 0.2\n"
        "      high: 0.6\n"
        "      if_failure: {rights: 0.1}\n"
        "      rationale: Hard to pull off.\n"
        "      evidence: [fact-a]\n"
        "      provenance: {source: [value], confidence: low, reason: Few precedents.}\n",
        1,
    )
    path = tmp_path / "model.yaml"
    path.write_text(text)
    model = load_model(path)
    numbers = {
        n.key_path: n
        for n in classify(model_entries(model.spec), model.spec, model.document)
        if n.entry.startswith("options.act.likelihood")
    }
    assert set(numbers) == {
        f"options.act.likelihood.{key}" for key in ("value", "low", "high", "if_failure.rights")
    }
    value = numbers["options.act.likelihood.value"]
    assert value.kind == "source" and value.declared and value.evidence == ["fact-a"]
    for key in ("low", "high", "if_failure.rights"):
        judgement = numbers[f"options.act.likelihood.{key}"]
        assert judgement.kind == "judgement"
        assert judgement.confidence == "low" and judgement.reason == "Few precedents."
    assert value.line == text[: text.index("value: 0.4")].count("\n") + 1
