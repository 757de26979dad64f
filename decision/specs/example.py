"""A small, annotated example project: what ``decision init`` writes, and where the field
reference (:mod:`decision.specs.reference`) takes its examples from.

The model has ``options`` options (the last is the no-action reference) and ``criteria``
criteria; every key carries a comment saying what it is. Two scenarios run at once: a baseline
and a scenario that extends it with a distribution, a perspective and a budget. Values are
made up but fixed (a function of the option and criterion numbers), so the same call always
writes the same bytes.
"""

from __future__ import annotations

#: Bounds of ``decision init --options`` and ``--criteria``.
MIN_OPTIONS, MAX_OPTIONS = 2, 30
MIN_CRITERIA, MAX_CRITERIA = 1, 15
#: Where the files go inside the project folder (the scenarios name the model relatively).
MODEL_FILE = "models/model.yaml"
SCENARIO_FILES = ("scenarios/baseline.yaml", "scenarios/reform.yaml")

_HEAD = """\
# A decision model written by `decision init`: replace the made-up content with your own.
# Check it with `decision validate models/model.yaml scenarios/*.yaml`, rank the options with
# `decision run scenarios/baseline.yaml`; every key is described in docs/reference.md of the
# tool (or `decision schema --reference`).
id: my-model                      # the model's id: lower-case letters, digits, '-' and '_'
title: A new decision model       # one line, shown in reports
description: >-                   # optional free text (a folded block keeps long lines short)
  What is being decided, for whom, and from which source.
source:                           # the document the model encodes
  title: The brief or paper the options come from
  author: Its author              # who wrote it (one line)
  publisher: Its publisher        # who published it (one line)
  year: 2024                      # a whole number, 1000-3000
method: {name: wsm}               # aggregation: wsm (default), wpm, topsis, vikor, promethee
judgement_distribution: triangular  # how judgements are sampled within low..high
evidence:                         # facts from the source, cited by id below
  key-fact:
    locator: "section 2, paragraph 3"  # where in the source
    figures: ["40"]               # figures as the source prints them (quoted: they are text)
    claim: In our own words, what the source says about funding.  # a paraphrase
indicators:                       # the state of the world, in natural units
  funding_level:                  # ids of indicators are names in preconditions: a-z, 0-9, _
    description: Share of the programme that is funded.
    unit: percent                 # optional, for reports
    min: 0                        # the range: effects are measured per whole range
    max: 100                      # (max - min must be positive and finite)
    baseline: 40                  # the value in the world the source describes
    evidence: [key-fact]          # evidence ids backing the baseline
  law_passed:                     # a boolean indicator: true or false
    description: Whether the enabling law has passed.
    type: boolean                 # numeric (the default, with min and max) or boolean
    baseline: false
criteria:                         # what the options are judged on
"""

_CRITERION = """\
  criterion-{j}:
    description: {what}
    weight: {weight}                     # relative importance, >= 0 (normalised when scored)
    direction: {direction}              # benefit: higher performance is better (or cost)
    rationale: Why this criterion matters, and why this weight.  # free text
"""

_OPTION = """\
  option-{i}:
    title: Option {i}                  # one line, shown in tables
    recommendation: R{i}                # which of the source's recommendations it encodes
{preconditions}    performance:                 # one entry per criterion, on a 0-1 value scale
{performance}    costs:                       # use of limited resources (see resources below)
      budget: {{value: {cost}, low: {cost_low}, high: {cost_high}}}  # amount, with a range
"""

_PRECONDITION = """\
    preconditions:               # when the option is available at all
      - when: law_passed or funding_level >= 50   # names, numbers, comparisons, and/or/not
        reason: It needs the law, or enough money to act without it.  # shown when it fails
        evidence: [key-fact]
"""

_PERFORMANCE = """\
      criterion-{j}:
        value: {value}                 # the judgement: 0 worst, 1 best (higher is better)
        low: {low}                     # optional uncertainty range, sampled by Monte Carlo
        high: {high}                   # (low <= value <= high)
{effects}        rationale: Why this option scores {value} here.  # the reasoning, with evidence
"""

_EFFECTS = """\
        effects: {funding_level: 0.3}  # value change when funding moves over its whole range
"""

_REFERENCE = """\
  no-action:
    title: Keep the current policy
    recommendation: not in the source
    reference: true                # the no-action reference option (at most one)
    performance:
{performance}"""

_REFERENCE_PERFORMANCE = """\
      criterion-{j}: {{value: {value}, rationale: What doing nothing achieves here.}}
"""

_TAIL = """\
perspectives:                     # named weight sets, one weight per criterion
  even-handed:
    description: Every criterion counts the same.
    weights: {{{weights}}}  # criterion -> weight
resources:                        # limited resources options use; scenarios set budgets
  budget:
    description: Money the options need.
    unit: million
"""

_BASELINE = """\
# A scenario written by `decision init`: the world as the source describes it.
id: baseline                      # the scenario's id (unique among the scenarios compared)
title: Baseline                   # one line, shown in reports
model: ../models/model.yaml       # the model, relative to this file
samples: 500                      # Monte Carlo samples (judgements drawn within low..high)
seed: 1                           # the random seed: same seed, same results
"""

_REFORM = """\
# A scenario written by `decision init`: it overlays the baseline.
id: reform                        # the scenario's id
title: Reform passes              # one line, shown in reports
description: The law passes and funding rises, by an uncertain amount.  # optional free text
extends: baseline                 # another scenario this one overlays ('.yaml' optional)
indicators:                       # indicator values: a number, true/false or a distribution
  law_passed: true                # an exact value
  funding_level: {dist: triangular, low: 45, mode: 60, high: 80}  # sampled; its mode is used
perspective: even-handed          # optional: a weight set of the model
budgets: {budget: 10}             # optional: amounts of each resource, for `decision portfolio`
"""


def _value(i: int, j: int) -> float:
    """A made-up but fixed judgement in [0.2, 0.8] for option ``i`` on criterion ``j``."""
    return round(0.2 + 0.1 * ((3 * i + 5 * j) % 7), 2)


def example_model(options: int = 3, criteria: int = 3) -> str:
    """The annotated model text with ``options`` options (the last the reference) and
    ``criteria`` criteria."""
    if not (MIN_OPTIONS <= options <= MAX_OPTIONS and MIN_CRITERIA <= criteria <= MAX_CRITERIA):
        raise ValueError(f"options or criteria outside {MIN_OPTIONS}-{MAX_OPTIONS}, ...")
    parts = [_HEAD]
    for j in range(1, criteria + 1):
        cost = j == 2
        parts.append(
            _CRITERION.format(
                j=j,
                what="Cost to the public purse." if cost else f"What criterion {j} measures.",
                weight=1 + (j % 3),
                direction="cost" if cost else "benefit",
            )
        )
    parts.append("options:                          # the choices (plus a no-action reference)\n")
    for i in range(1, options):
        performance = "".join(
            _PERFORMANCE.format(
                j=j,
                value=_value(i, j),
                low=round(max(0.0, _value(i, j) - 0.1), 2),
                high=round(min(1.0, _value(i, j) + 0.1), 2),
                effects=_EFFECTS if (i, j) == (1, 1) else "",
            )
            for j in range(1, criteria + 1)
        )
        parts.append(
            _OPTION.format(
                i=i,
                preconditions=_PRECONDITION if i == 2 else "",
                performance=performance,
                cost=i + 1,
                cost_low=i,
                cost_high=i + 3,
            )
        )
    parts.append(
        _REFERENCE.format(
            performance="".join(
                _REFERENCE_PERFORMANCE.format(j=j, value=0.0 if j == 2 else 0.2)
                for j in range(1, criteria + 1)
            )
        )
    )
    weights = ", ".join(f"criterion-{j}: 1" for j in range(1, criteria + 1))
    parts.append(_TAIL.format(weights=weights))
    return "".join(parts)


def example_scenarios() -> dict[str, str]:
    """The two scenarios' texts by their path in the project (baseline first)."""
    return dict(zip(SCENARIO_FILES, (_BASELINE, _REFORM), strict=True))


def example_files(options: int = 3, criteria: int = 3) -> dict[str, str]:
    """Every file of the example project by its path in the project folder."""
    return {MODEL_FILE: example_model(options, criteria), **example_scenarios()}
