"""A notebook-style tour of the Python API.

Plain Python in ``# %%`` cells: Jupyter (with jupytext), VS Code and Spyder run the cells one
by one, and ``python examples/notebook.py`` runs them all. It needs the ``frames`` extra
(pandas) for the tables: ``pip install 'policy-decision-brief[frames]'``.

It reads the shipped models and scenarios and writes nothing anywhere but a temporary folder of
its own, removed at the end (the tests run it and check that).
"""

# %% Setup: the shipped Belarus model and its scenarios
import tempfile
from pathlib import Path

import decision

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"

# %% One scenario: a ScenarioResult (in a notebook, the last line of a cell shows as a table)
result = decision.evaluate(BASELINE)
print(result)
print(result.to_frame()[["rank", "available", "score"]].round(3))
# Options that are not available have no score: NaN in every frame, not 0.
print("unavailable:", list(result.to_frame().query("not available").index))

# %% Several scenarios, ranked under two methods: a Study
study = decision.compare(
    [BASELINE, SCENARIOS / "western-tilt.yaml", SCENARIOS / "human-rights-improvement.yaml"],
    methods=["wsm", "topsis"],
)
print(study)
print(study.to_frame().round(3))  # scores, options by scenarios
print(study.to_frame("ranks"))

# %% Which option holds up across the scenarios
report = decision.robustness(study, threshold=0.55)
print(report.to_frame()[["expected", "maximin", "max_regret", "satisficing"]].round(3))
print("picks:", report.result.named_picks)

# %% What would change the recommendation in the baseline
analyses = decision.sensitivity(BASELINE)
print(analyses.parts["weights"].to_frame()[["weight", "top", "top_low", "top_high"]].round(3))
tornado = analyses.parts["tornado"].to_frame()
print(tornado.sort_values("swing", ascending=False).head(5)[["option", "input", "swing"]])

# %% Tipping points, and what would open the gated options
tipping = decision.tipping(BASELINE)
for opening in tipping.parts["openings"]:
    print(opening.sentence())

# %% The recommendations as a portfolio within budgets
bundles = decision.portfolio(BASELINE, budgets={"diplomatic-capital": 5})
print("best bundle:", bundles.best_members)

# %% Why an option scores what it does
explanation = decision.explain(BASELINE, "r5-work-with-allies")
for line in explanation.criteria[:3]:
    print(f"{line.criterion}: weight {line.weight:.3f}, contribution {line.contribution:.3f}")

# %% A plain matrix, no model needed, as pymcdm would rank it: here the baseline's performance
ranking = decision.rank(
    result.to_frame("performance"),  # any DataFrame: options as rows, criteria as columns
    weights=result.to_frame("weights")["weight"].tolist(),
    types=["benefit"] * len(result.weights),
    method="topsis",
)
print(ranking.to_frame().head(3))

# %% XMCDA 4 for other MCDA tools: export the baseline, read it back, rank it
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "baseline.xml"
    decision.export_xmcda(BASELINE, path)
    table = decision.read_xmcda(path)
    print(f"{path.name}: {len(table.alternatives)} alternatives, {len(table.criteria)} criteria")
    # the file's weights and directions; the scenario's own method and parameters give back
    # its scores for the available options
    again = decision.rank(path, method="wsm", params={"normalisation": "none"})
    print(again.to_frame().round(3))
