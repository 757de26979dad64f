"""Bad input through the CLI: one line naming file, line, key path and what is allowed; exit 2.

Each case edits one file of the small test model (or writes a new one), runs a command and
checks the exact shape of the single error line.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CliResult


@dataclass(frozen=True)
class Case:
    id: str
    file: str  # file to edit or write, relative to the mini folder
    replace: tuple[str, str] | None = None  # (old, new) text edit
    content: str | bytes | None = None  # or the whole new content
    command: tuple[str, ...] = ("validate", "{file}")
    line_of: str | None = None  # a text whose line in the edited file is the expected line
    key_path: str | None = None
    says: tuple[str, ...] = ()
    allowed: bool = True
    regex: bool = False  # replace every match of a regular expression
    prepare: Callable[[Path, pytest.MonkeyPatch], None] | None = None  # more set-up, if any
    never: tuple[str, ...] = ()  # fragments the line must not hold (e.g. a file's content)
    column_of: str | None = None  # a text whose first character's column is the expected one


M, S = "model.yaml", "open.yaml"
RUN_OPEN = ("run", "{dir}/open.yaml")
MINI = Path(__file__).resolve().parent.parent / "data" / "mini"
SECRET = "hunter2-secret"  # content of a file that is not a model or scenario: never quoted


def _amplified_model() -> str:
    """Issue 25: one 3,990-character figure repeated 150,001 times through an alias."""
    figures = '[&f "' + "x" * 3990 + '"' + ", *f" * 150_001 + "]"
    return (MINI / M).read_text().replace('figures: ["12"]', f"figures: {figures}")


def _fifo(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def prepare(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        os.mkfifo(folder / name)

    return prepare


def _symlink_loop(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "loop.yaml").symlink_to("loop.yaml")


def _deny(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    """Reading ``name`` in the mini folder fails with EACCES (as for a non-root user without
    read permission)."""

    def prepare(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        real_open, target = os.open, str(folder / name)

        def fake_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
            if os.fsdecode(path) == target:  # type: ignore[arg-type]
                raise PermissionError(errno.EACCES, "Permission denied", target)
            return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", fake_open)

    return prepare


def _sparse_source(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open(folder / "brief.txt", "wb") as handle:
        handle.truncate(20_000_001)


def _base_model(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def prepare(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        base = folder / "base.yaml"
        base.write_text(base.read_text().replace("model: model.yaml", f"model: {name}"))

    return prepare


def _second_open(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "other.yaml").write_text(f"{SECRET}: 1\n")


def _id_and_foreign_keys(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file with an ``id`` (as many configuration files have) and keys no scenario has."""
    (folder / "other.yaml").write_text(f"id: deploy\n{SECRET}: {SECRET}\n")


CASES = [
    # --- YAML syntax and file-level problems
    Case(
        "yaml-syntax",
        M,
        ("title: A small test model", "title: [unclosed"),
        line_of="source:",
        says=("YAML syntax error",),
    ),
    Case(
        "yaml-tab",
        M,
        ("  author: Test Author", "\tauthor: Test Author"),
        line_of="author: Test Author",
        says=("tabs cannot indent YAML",),
    ),
    Case(
        "duplicate-key",
        M,
        ("title: A small test model", "title: A\ntitle: B"),
        line_of="title: B",
        key_path="title",
        says=("duplicate key 'title'", "first at line 2"),
    ),
    Case("empty-file", M, content="", says=("file is empty",)),
    Case("not-a-mapping", M, content="- a\n- b\n", says=("holds a list, not a mapping",)),
    Case("bom", M, content=b"\xef\xbb\xbfid: mini\n", says=("byte-order mark",)),
    Case("invalid-utf8", M, content=b"id: mini\ntitle: \xff\xfe\n", says=("invalid UTF-8",)),
    Case(
        "alias-bomb",
        M,
        content="a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
            for i in range(7)
        ),
        says=("too many values",),
    ),
    Case(
        "merge-key",
        M,
        ("title: A small test model", "base: &b {x: 1}\nmore:\n  <<: *b"),
        line_of="<<: *b",
        key_path="more.<<",
        says=("merge keys",),
    ),
    Case(
        "yaml-deep-block",
        M,
        content="".join("  " * k + f"k{k}:\n" for k in range(80)) + "  " * 80 + "x: 1\n",
        says=("nesting deeper than 64 levels",),
    ),
    Case(
        "yaml-deep-flow",
        M,
        content="a: " + "[" * 5000 + "]" * 5000 + "\n",
        says=("nested deeper than 64 levels",),
    ),
    Case("yaml-too-big", M, content="a: " + "x" * 2_100_000 + "\n", says=("bytes", "files up to")),
    # --- schema
    Case(
        "unknown-top-key",
        M,
        ("title: A small test model", "titel: A small test model"),
        line_of="titel:",
        key_path="titel",
        says=("unknown key 'titel'", "did you mean 'title'"),
    ),
    Case(
        "unknown-option-key",
        M,
        ("    recommendation: R1", "    recommendaton: R1"),
        line_of="recommendaton",
        key_path="options.act.recommendaton",
        says=("unknown key 'recommendaton'", "did you mean 'recommendation'"),
    ),
    Case(
        "missing-key",
        M,
        ("    rationale: Matters too.\n", ""),
        line_of="  rights:\n    description: Rights.",
        key_path="criteria.rights",
        says=("missing required key 'rationale'",),
        allowed=False,
    ),
    Case(
        "weight-not-number",
        M,
        ("weight: 2", "weight: heavy"),
        line_of="weight: heavy",
        key_path="criteria.security.weight",
        says=("the text 'heavy' is not a number",),
    ),
    Case(
        "weight-negative",
        M,
        ("weight: 2", "weight: -1"),
        line_of="weight: -1",
        key_path="criteria.security.weight",
        says=("-1 is below 0", "allowed: a number >= 0"),
    ),
    Case(
        "weight-nan",
        M,
        ("weight: 2", "weight: .nan"),
        line_of="weight: .nan",
        key_path="criteria.security.weight",
        says=("finite",),
    ),
    Case(
        "weights-all-zero",
        M,
        (r"weight: \d+", "weight: 0"),
        regex=True,
        line_of="criteria:",
        key_path="criteria",
        says=("weights are all zero",),
    ),
    Case(
        "indicator-min-max",
        M,
        ("    min: 1\n    max: 100", "    min: 100\n    max: 1"),
        line_of="max: 1\n    baseline: 60",
        key_path="indicators.rank.max",
        says=("min (100) is not below max (1)",),
        never=("got {",),
    ),
    Case(
        "boolean-with-min",
        M,
        ("    type: boolean\n", "    type: boolean\n    min: 0\n"),
        line_of="min: 0\n    baseline: false",
        key_path="indicators.released.min",
        says=("a boolean indicator has no range",),
        never=("got {",),
    ),
    Case(
        "baseline-outside",
        M,
        ("    baseline: 0.2", "    baseline: 1.5"),
        line_of="baseline: 1.5",
        key_path="indicators.access.baseline",
        says=("baseline 1.5 is outside the range", "[0, 1]"),
    ),
    Case(
        "value-above-1",
        M,
        ("{value: 0.7, low: 0.6", "{value: 1.2, low: 0.6"),
        line_of="value: 1.2",
        key_path="options.act.performance.security.value",
        says=("1.2 is above 1", "allowed: a number <= 1"),
    ),
    Case(
        "low-above-high",
        M,
        ("{value: 0.3, low: 0.2, high: 0.4", "{value: 0.3, low: 0.5, high: 0.4"),
        line_of="low: 0.5",
        column_of="high: 0.4",
        key_path="options.act.performance.rights.high",
        says=("low (0.5) is above high (0.4)",),
        never=("got {", "'value'"),
    ),
    # --- cross-references
    Case(
        "unknown-criterion",
        M,
        ("      security: {value: 0.7", "      securty: {value: 0.7"),
        line_of="securty:",
        key_path="options.act.performance.securty",
        says=("unknown criterion 'securty'", "did you mean 'security'"),
    ),
    Case(
        "missing-criterion",
        M,
        ("      rights: {value: 0.2, rationale: Weak.}\n", ""),
        line_of="    performance:\n      security: {value: 0.5",
        key_path="options.wait.performance",
        says=("no performance given for criteria rights",),
    ),
    Case(
        "unknown-effect-indicator",
        M,
        ("effects: {access: -0.2}", "effects: {acess: -0.2}"),
        line_of="acess",
        key_path="options.act.performance.security.effects.acess",
        says=("unknown indicator 'acess'", "did you mean 'access'"),
    ),
    Case(
        "unknown-evidence",
        M,
        ("    evidence: [fact-a]\n  rank:", "    evidence: [fact-b]\n  rank:"),
        line_of="[fact-b]",
        key_path="indicators.access.evidence[0]",
        says=("unknown evidence 'fact-b'", "did you mean 'fact-a'"),
    ),
    Case(
        "perspective-unknown-criterion",
        M,
        ("weights: {security: 1, rights: 3}", "weights: {security: 1, rigths: 3}"),
        line_of="rigths",
        key_path="perspectives.rights-first.weights.rigths",
        says=("unknown criterion 'rigths'",),
    ),
    Case(
        "perspective-weights-and-objective",
        M,
        ("weights: {security: 1, rights: 3}",
         "weights: {security: 1, rights: 3}\n    objective: entropy"),
        line_of="rights-first:",
        key_path="perspectives.rights-first",
        says=("needs 'weights' or 'objective'", "both 'weights' and 'objective' given"),
    ),
    Case(
        "perspective-unknown-objective",
        M,
        ("weights: {security: 1, rights: 3}", "objective: topsis"),
        line_of="objective: topsis",
        key_path="perspectives.rights-first.objective",
        says=("'entropy' or 'critic'",),
    ),
    Case(
        "elicitation-ahp-not-reciprocal",
        M,
        ("perspectives:\n", "weight_elicitation:\n  method: ahp\n  by: me\n  rationale: R.\n"
         "  pairwise:\n    security: {rights: 3}\n    rights: {security: 2}\nperspectives:\n"),
        line_of="security: {rights: 3}",
        key_path="weight_elicitation.pairwise.security.rights",
        says=("not reciprocal", "security over rights is 3 but rights over security is 2"),
    ),
    Case(
        "elicitation-ahp-off-the-scale",
        M,
        ("perspectives:\n", "weight_elicitation:\n  method: ahp\n  by: me\n  rationale: R.\n"
         "  pairwise:\n    security: {rights: 12}\nperspectives:\n"),
        line_of="security: {rights: 12}",
        key_path="weight_elicitation.pairwise.security.rights",
        says=("12 is outside Saaty's scale", "from 1/9 to 9"),
    ),
    Case(
        "elicitation-ranking-omits",
        M,
        ("perspectives:\n", "weight_elicitation:\n  method: roc\n  by: me\n  rationale: R.\n"
         "  ranking: [security]\nperspectives:\n"),
        line_of="ranking: [security]",
        key_path="weight_elicitation.ranking",
        says=("the ranking omits rights",),
    ),
    Case(
        "elicitation-ranking-repeats",
        M,
        ("perspectives:\n", "weight_elicitation:\n  method: swing\n  by: me\n  rationale: R.\n"
         "  ranking: [security, security]\n  points: {security: 100, rights: 50}\n"
         "perspectives:\n"),
        line_of="ranking: [security, security]",
        key_path="weight_elicitation.ranking[1]",
        says=("'security' is ranked twice",),
    ),
    Case(
        "elicitation-disagrees-with-weight",
        M,
        ("perspectives:\n", "weight_elicitation:\n  method: roc\n  by: me\n  rationale: R.\n"
         "  ranking: [security, rights]\nperspectives:\n"),
        line_of="weight: 2",
        key_path="criteria.security.weight",
        says=("weight 2 differs from the elicited 0.75",),
    ),
    Case(
        "criterion-without-weight",
        M,
        ("    weight: 2\n", ""),
        line_of="  security:\n    description: Security.",
        key_path="criteria.security",
        says=("missing required key 'weight'",),
    ),
    Case(
        "perspective-elicitation-unknown-criterion",
        M,
        ("weights: {security: 1, rights: 3}",
         "elicitation: {method: roc, by: me, rationale: R., ranking: [security, rigths]}"),
        line_of="ranking: [security, rigths]",
        key_path="perspectives.rights-first.elicitation.ranking[1]",
        says=("unknown criterion 'rigths'", "did you mean 'rights'"),
    ),
    Case(
        "two-references",
        M,
        ("    recommendation: R1\n", "    recommendation: R1\n    reference: true\n"),
        line_of="reference: true\n    performance:\n      security: {value: 0.5",
        key_path="options.wait.reference",
        says=("2 options are marked reference",),
    ),
    # --- expressions
    Case(
        "expr-unknown-name",
        M,
        ("access >= 0.5 and released", "acces >= 0.5 and released"),
        line_of="when:",
        column_of="acces >=",
        key_path="options.engage.preconditions[0].when",
        says=("acces", "did you mean 'access'"),
    ),
    Case(
        "expr-call",
        M,
        ("access >= 0.5 and released", "__import__('os')"),
        line_of="when:",
        key_path="options.engage.preconditions[0].when",
        allowed=False,
    ),
    Case(
        "expr-attribute",
        M,
        ("access >= 0.5 and released", "access.__class__ >= 1"),
        line_of="when:",
        key_path="options.engage.preconditions[0].when",
        allowed=False,
    ),
    Case(
        "expr-power",
        M,
        ("access >= 0.5 and released", "9**9**9 > access"),
        line_of="when:",
        key_path="options.engage.preconditions[0].when",
        allowed=False,
    ),
    Case(
        "expr-numeric-as-bool",
        M,
        ("access >= 0.5 and released", "access and released"),
        line_of="when:",
        key_path="options.engage.preconditions[0].when",
        says=("numeric",),
        allowed=False,
    ),
    # --- scenarios
    Case(
        "scenario-unknown-indicator",
        S,
        ("  access: 0.7", "  acess: 0.7"),
        command=RUN_OPEN,
        line_of="acess",
        key_path="indicators.acess",
        says=("unknown indicator 'acess'",),
    ),
    Case(
        "scenario-out-of-range",
        S,
        ("  access: 0.7", "  access: 2"),
        command=RUN_OPEN,
        line_of="access: 2",
        key_path="indicators.access",
        says=("outside the indicator's range",),
    ),
    Case(
        "scenario-bool-as-number",
        S,
        ("  released: true", "  released: 0.5"),
        command=RUN_OPEN,
        line_of="released: 0.5",
        key_path="indicators.released",
        says=("boolean indicator set to 0.5",),
    ),
    Case(
        "scenario-bad-distribution",
        S,
        ("  access: 0.7", "  access: {dist: uniform, low: 0.8, high: 0.3}"),
        command=RUN_OPEN,
        line_of="access:",
        column_of="high: 0.3",
        key_path="indicators.access.high",
        says=("low (0.8) is above high (0.3)",),
        never=("boolean", "true", "got {"),
    ),
    Case(
        "scenario-unknown-distribution",
        S,
        ("  access: 0.7", "  access: {dist: lognormal, mu: 1}"),
        command=RUN_OPEN,
        line_of="access:",
        column_of="dist: lognormal",
        key_path="indicators.access.dist",
        says=("unknown distribution 'lognormal'", "did you mean 'normal'"),
    ),
    Case(
        "scenario-unknown-perspective",
        S,
        ("extends: base", "extends: base\nperspective: right-first"),
        command=RUN_OPEN,
        line_of="perspective:",
        key_path="perspective",
        says=("unknown perspective 'right-first'", "did you mean 'rights-first'"),
    ),
    Case(
        "scenario-weights-zero",
        S,
        ("extends: base", "extends: base\nweights: {security: 0, rights: 0}"),
        command=RUN_OPEN,
        line_of="weights:",
        key_path="weights",
        says=("every criterion weighs 0",),
    ),
    Case(
        "scenario-extends-missing",
        S,
        ("extends: base", "extends: basis"),
        command=RUN_OPEN,
        line_of="extends:",
        key_path="extends",
        says=("extended scenario 'basis' not found",),
    ),
    Case(
        "scenario-extends-cycle",
        "base.yaml",
        ("model: model.yaml", "model: model.yaml\nextends: open"),
        command=RUN_OPEN,
        line_of="extends:",
        key_path="extends",
        says=("makes a cycle",),
    ),
    Case(
        "scenario-model-missing",
        "base.yaml",
        ("model: model.yaml", "model: nothere.yaml"),
        command=RUN_OPEN,
        line_of="model:",
        key_path="model",
        says=("not found",),
    ),
    Case(
        "scenario-samples-zero",
        S,
        ("extends: base", "extends: base\nsamples: 0"),
        command=RUN_OPEN,
        line_of="samples:",
        key_path="samples",
        says=("0 is below 1", "allowed: a number >= 1"),
    ),
    Case(
        "scenario-negative-budget",
        S,
        ("extends: base", "extends: base\nbudgets: {money: -5}"),
        command=RUN_OPEN,
        line_of="budgets:",
        key_path="budgets.money",
        says=("budget -5 is negative",),
    ),
    Case(
        "scenario-unknown-resource",
        S,
        ("extends: base", "extends: base\nbudgets: {mony: 5}"),
        command=RUN_OPEN,
        line_of="budgets:",
        key_path="budgets.mony",
        says=("unknown resource 'mony'", "did you mean 'money'"),
    ),
    # --- what the source recommends must name options of the model
    Case(
        "recommends-unknown-option",
        M,
        ("  year: 2020\n", "  year: 2020\n  recommends:\n    now: [act, engag]\n"),
        line_of="now: [act, engag]",
        key_path="source.recommends.now[1]",
        says=("unknown option 'engag'", "did you mean 'engage'", "option ids defined in the model"),
    ),
    Case(
        "recommends-when-unknown-option",
        M,
        ("  year: 2020\n", "  year: 2020\n  recommends:\n    when:\n"
         "      - {options: [later], condition: once it is time}\n"),
        line_of="options: [later]",
        key_path="source.recommends.when[0].options[0]",
        says=("unknown option 'later'",),
    ),
    Case(
        "options-are-unknown",
        M,
        ("year: 2020\n", "year: 2020\noptions_are: bundle\n"),
        line_of="options_are: bundle",
        key_path="options_are",
        says=("alternatives", "components"),
    ),
    # --- provenance: a number declared from the source must be among its evidence's figures
    Case(
        "provenance-source-without-figure",
        M,
        ("    baseline: 0.2\n", "    baseline: 0.2\n    provenance: {source: [baseline]}\n"),
        line_of="baseline: 0.2",
        column_of="baseline: 0.2",
        key_path="indicators.access.baseline",
        says=("0.2 is declared from the source", "not among the figures", "fact-a: 12"),
    ),
    Case(
        "provenance-source-no-evidence",
        M,
        ("    baseline: 60\n", "    baseline: 60\n    provenance: {source: [baseline]}\n"),
        line_of="baseline: 60",
        key_path="indicators.rank.baseline",
        says=("60 is declared from the source", "no evidence cited"),
    ),
    Case(
        "provenance-threshold-without-figure",
        M,
        ("        evidence: [fact-a]\n", "        evidence: [fact-a]\n"
         "        provenance: {source: [when]}\n"),
        line_of="when: access >= 0.5",
        column_of="0.5 and released",
        key_path="options.engage.preconditions[0].when",
        says=("0.5 is declared from the source", "fact-a: 12"),
    ),
    Case(
        "provenance-derived-wrong-result",
        M,
        ("    baseline: 60\n",
         "    baseline: 60\n    provenance: {evidence: [fact-a], derived: {baseline: '12 * 6'}}\n"),
        line_of="derived:",
        key_path="indicators.rank.provenance.derived.baseline",
        says=("derivation '12 * 6' gives 72, not 60",),
    ),
    Case(
        "provenance-derived-not-arithmetic",
        M,
        ("    baseline: 60\n",
         "    baseline: 60\n    provenance: {evidence: [fact-a], derived: {baseline: '12 ** 5'}}"
         "\n"),
        line_of="derived:",
        key_path="indicators.rank.provenance.derived.baseline",
        says=("derivation '12 ** 5'", "a number is missing"),
    ),
    Case(
        "provenance-derived-no-figure",
        M,
        ("    baseline: 60\n",
         "    baseline: 60\n    provenance: {derived: {baseline: '60 * 1'}}\n"),
        line_of="derived:",
        key_path="indicators.rank.provenance.derived.baseline",
        says=("uses no figure of the cited evidence",),
    ),
    Case(
        "provenance-unknown-number",
        M,
        ("    baseline: 0.2\n", "    baseline: 0.2\n    provenance: {source: [baselin]}\n"),
        line_of="source: [baselin]",
        column_of="baselin]",
        key_path="indicators.access.provenance.source[0]",
        says=("'baselin' is not a number of this indicator", "did you mean 'baseline'"),
    ),
    Case(
        "provenance-declared-twice",
        M,
        ("    baseline: 60\n",
         "    baseline: 60\n    provenance: {source: [baseline], judgement: [baseline]}\n"),
        line_of="judgement: [baseline]",
        key_path="indicators.rank.provenance.judgement[0]",
        says=("already declared in 'source'",),
    ),
    Case(
        "provenance-unknown-evidence",
        M,
        ("    baseline: 60\n", "    baseline: 60\n    provenance: {evidence: [fact-b]}\n"),
        line_of="evidence: [fact-b]",
        key_path="indicators.rank.provenance.evidence[0]",
        says=("unknown evidence 'fact-b'", "did you mean 'fact-a'"),
    ),
    Case(
        "provenance-scenario-budget-without-figure",
        S,
        ("extends: base",
         "extends: base\nbudgets: {money: 5}\n"
         "provenance: {evidence: [fact-a], source: [budgets.money]}"),
        command=RUN_OPEN,
        line_of="budgets:",
        key_path="budgets.money",
        says=("5 is declared from the source", "fact-a: 12"),
    ),
    Case(
        "cli-unknown-budget-resource",
        S,
        command=("portfolio", "{dir}/open.yaml", "--budget", "mony=3"),
        key_path="--budget",
        says=("names no resource", "did you mean 'money'"),
    ),
    # --- command-line arguments
    Case("cli-missing-file", S, command=("run", "{dir}/nothere.yaml"), says=("file not found",)),
    Case("cli-directory", S, command=("run", "{dir}"), says=("is a directory",)),
    Case(
        "cli-unknown-method",
        S,
        command=("run", "{dir}/open.yaml", "--method", "topsys"),
        key_path="--method",
        says=("unknown method 'topsys'", "did you mean 'topsis'"),
    ),
    Case(
        "cli-unknown-perspective",
        S,
        command=("run", "{dir}/open.yaml", "--perspective", "nope"),
        key_path="--perspective",
        says=("unknown perspective 'nope'",),
    ),
    Case(
        "cli-out-into-models",
        S,
        command=("compare", "{dir}/open.yaml", "--out", "{dir}"),
        key_path="--out",
        says=("refusing to write", "the folder of"),
    ),
    Case(
        "cli-out-above-the-inputs",
        S,
        command=("compare", "{dir}/open.yaml", "--out", "{dir}/.."),
        key_path="--out",
        says=("refusing to write",),
    ),
    Case(
        "cli-out-name-too-long",
        S,
        command=("compare", "{dir}/open.yaml", "--out", "{dir}/" + "x" * 300),
        key_path="--out",
        says=("300 bytes long",),
    ),
    Case(
        "cli-out-current-directory",
        S,
        command=("compare", "{dir}/open.yaml", "--out", "."),
        key_path="--out",
        says=("refusing to write into '.'", "holds the current directory"),
    ),
    Case(
        "cli-perspective-makes-weights-zero",
        M,
        ("weights: {security: 1, rights: 3}", "weights: {security: 1, rights: 0}"),
        command=("run", "{dir}/open.yaml", "--perspective", "rights-first"),
        prepare=lambda mini, _: (mini / "open.yaml").write_text(
            (mini / "open.yaml").read_text() + "weights: {security: 0}\n"
        ),
        key_path="--perspective",
        says=("weights are all zero",),
    ),
    Case(
        "cli-out-is-file",
        S,
        command=("compare", "{dir}/open.yaml", "--out", "{dir}/model.yaml"),
        key_path="--out",
        says=("is a file",),
    ),
    Case(
        "cli-unknown-option",
        S,
        command=("explain", "{dir}/open.yaml", "enagage"),
        key_path="OPTION",
        says=("unknown option 'enagage'", "did you mean 'engage'"),
    ),
    Case(
        "cli-bad-samples",
        S,
        command=("run", "{dir}/open.yaml", "--samples", "zero"),
        says=("'zero' is not a valid integer",),
        allowed=False,
    ),
    # --- YAML tags, dates and numbers (issue 22, issue 23)
    Case(
        "yaml-unknown-tag",
        M,
        ("title: A small test model", "title: !foo A small test model"),
        line_of="title: !foo",
        key_path="title",
        says=("tag '!foo' is not supported",),
    ),
    Case(
        "yaml-python-tag",
        M,
        ("title: A small test model", 'title: !!python/object/apply:os.system ["echo hi"]'),
        line_of="title: !!python",
        key_path="title",
        says=("tag '!!python/object/apply:os.system' is not supported",),
    ),
    Case(
        "yaml-bad-float",
        M,
        ("weight: 2", "weight: !!float abc"),
        line_of="weight: !!float",
        key_path="criteria.security.weight",
        says=("'abc' is not a valid !!float",),
    ),
    Case(
        "yaml-bad-int",
        M,
        ("year: 2020", "year: !!int x"),
        line_of="year: !!int",
        key_path="source.year",
        says=("'x' is not a valid !!int",),
    ),
    Case(
        "yaml-bad-bool",
        M,
        ("    type: boolean\n    baseline: false", "    type: boolean\n    baseline: !!bool maybe"),
        line_of="baseline: !!bool",
        key_path="indicators.released.baseline",
        says=("'maybe' is not a valid !!bool",),
    ),
    *(
        Case(
            f"yaml-{tag}-tag",
            M,
            ("title: A small test model", f"title: !!{tag} {value}"),
            line_of=f"title: !!{tag}",
            key_path="title",
            says=(f"tag '!!{tag}' is not supported",),
        )
        for tag, value in [
            ("binary", "aGVsbG8="),
            ("timestamp", "2020-01-01"),
            ("set", "{a, b}"),
            ("omap", "[a: 1]"),
            ("pairs", "[a: 1]"),
        ]
    ),
    Case(
        "yaml-raw-control-character",
        M,
        ("title: A small test model", "title: A small \x1b[2J test model"),
        line_of="title: A small",
        says=("character U+001B is not allowed in a YAML file",),
        never=("\x1b",),
    ),
    Case(
        "yaml-date-not-a-date",
        M,
        ("weight: 2", "weight: 2020-02-30"),
        line_of="weight: 2020-02-30",
        key_path="criteria.security.weight",
        says=("the text '2020-02-30' is not a number",),
    ),
    Case(
        "yaml-recursive-alias",
        M,
        ("title: A small test model", "title: &t [*t]"),
        line_of="title: &t",
        key_path="title[0]",
        says=("refers to a collection that holds it",),
    ),
    Case(
        "yaml-huge-int",
        M,
        ("year: 2020", "year: " + "7" * 5000),
        line_of="year: 777",
        key_path="source.year",
        says=("has 5,000 digits", "integers of at most 1,000 digits"),
        never=("7" * 100,),
    ),
    Case(
        "yaml-alias-amplification",
        M,
        content=_amplified_model(),
        line_of="figures:",
        key_path="evidence.fact-a.figures[1002]",
        says=("text expands to over 4,000,000 characters",),
    ),
    Case(
        "yaml-million-item-list",
        M,
        content="[" + "1," * 999_998 + "1]",
        says=("too many values (over 200,000",),
    ),
    # --- files that are not regular, or cannot be read (issue 22)
    Case("cli-dev-zero", M, command=("validate", "/dev/zero"), says=("a character device",)),
    Case(
        "cli-fifo",
        M,
        command=("validate", "{dir}/fifo.yaml"),
        prepare=_fifo("fifo.yaml"),
        says=("is a FIFO", "not a regular file"),
    ),
    Case(
        "cli-fifo-scenario-by-run",
        S,
        command=("run", "{dir}/fifo.yaml"),
        prepare=_fifo("fifo.yaml"),
        says=("fifo.yaml: is a FIFO", "not a regular file"),
    ),
    Case(
        "cli-symlink-loop",
        M,
        command=("validate", "{dir}/loop.yaml"),
        prepare=_symlink_loop,
        says=("symbolic links",),
    ),
    Case(
        "cli-name-too-long",
        M,
        command=("validate", "{dir}/" + "n" * 300 + ".yaml"),
        says=("a name in the path is too long", "255 bytes"),
    ),
    Case(
        "cli-permission-denied",
        M,
        prepare=_deny(M),
        says=("permission denied",),
    ),
    *(
        Case(
            f"cli-permission-denied-{name.removesuffix('.yaml')}-by-run",
            S,
            command=RUN_OPEN,
            prepare=_deny(name),
            says=("permission denied", f"/{name}: "),
        )
        for name in (S, "base.yaml", M)  # the scenario, the one it extends, its model
    ),
    Case(
        "source-fifo",
        M,
        command=("validate", "{file}", "--source", "{dir}/brief.txt"),
        prepare=_fifo("brief.txt"),
        key_path="--source",
        says=("is a FIFO",),
    ),
    Case(
        "source-too-big",
        M,
        command=("validate", "{file}", "--source", "{dir}/brief.txt"),
        prepare=_sparse_source,
        key_path="--source",
        says=("more than 20,000,000 bytes",),
    ),
    Case(
        "scenario-model-is-fifo",
        "base.yaml",
        command=RUN_OPEN,
        prepare=_fifo("pipe.yaml"),
        replace=("model: model.yaml", "model: pipe.yaml"),
        says=("is a FIFO",),
    ),
    Case(
        "scenario-extends-empty",
        S,
        ("extends: base", 'extends: ""'),
        command=RUN_OPEN,
        line_of="extends:",
        key_path="extends",
        says=("is empty", "allowed: text of at least 1 character"),
    ),
    Case(
        "scenario-extends-folder",
        S,
        ("extends: base", 'extends: "."'),
        command=RUN_OPEN,
        line_of="extends:",
        key_path="extends",
        says=("names a folder",),
    ),
    # --- untrusted paths in scenarios (issue 23)
    Case(
        "scenario-model-absolute",
        "base.yaml",
        ("model: model.yaml", "model: /etc/passwd"),
        command=RUN_OPEN,
        line_of="model:",
        key_path="model",
        says=("'/etc/passwd' is an absolute path", "--allow-any-path"),
    ),
    Case(
        "scenario-model-outside-project",
        "base.yaml",
        ("model: model.yaml", "model: ../../elsewhere/model.yaml"),
        command=RUN_OPEN,
        line_of="model:",
        key_path="model",
        says=("leads outside the project",),
    ),
    Case(
        "scenario-model-not-yaml",
        "base.yaml",
        ("model: model.yaml", "model: notes.txt"),
        command=RUN_OPEN,
        line_of="model:",
        key_path="model",
        says=("is not a .yaml or .yml file",),
    ),
    Case(
        "scenario-model-not-a-model",
        "notes.yaml",
        content=f"{SECRET}: {SECRET}\nlist: [1, 2]\n",
        command=RUN_OPEN,
        prepare=_base_model("notes.yaml"),
        key_path="model",
        says=("is not a decision model",),
        never=(SECRET, "list"),
    ),
    Case(
        "scenario-model-yaml-error-not-quoted",
        "notes.yaml",
        content=f"{SECRET}: 1\n{SECRET}: 2\n",
        command=RUN_OPEN,
        prepare=_base_model("notes.yaml"),
        line_of=f"{SECRET}: 2",
        says=("cannot be read as a decision model", "decision validate"),
        never=(SECRET,),
    ),
    Case(
        "scenario-extends-outside-project",
        S,
        ("extends: base", "extends: ../../base"),
        command=RUN_OPEN,
        line_of="extends:",
        key_path="extends",
        says=("leads outside the project",),
    ),
    Case(
        "scenario-extends-absolute",
        S,
        ("extends: base", "extends: /etc/passwd"),
        command=RUN_OPEN,
        line_of="extends:",
        key_path="extends",
        says=("'/etc/passwd' is an absolute path", "--allow-any-path"),
    ),
    Case(
        "scenario-extends-not-a-scenario",
        S,
        ("extends: base", "extends: other"),
        command=RUN_OPEN,
        prepare=_second_open,
        line_of="extends:",
        key_path="extends",
        says=("is not a scenario",),
        never=(SECRET,),
    ),
    Case(
        "scenario-extends-id-and-foreign-keys",
        S,
        ("extends: base", "extends: other"),
        command=RUN_OPEN,
        prepare=_id_and_foreign_keys,
        line_of="extends:",
        key_path="extends",
        says=("is not a scenario", "decision validate"),
        never=(SECRET, "deploy"),
    ),
    Case(
        "scenario-model-with-foreign-keys",
        "notes.yaml",
        content=(MINI / M).read_text() + f"{SECRET}: {SECRET}\n",
        command=RUN_OPEN,
        prepare=_base_model("notes.yaml"),
        key_path="model",
        says=("is not a decision model", "decision validate"),
        never=(SECRET,),
    ),
    Case(
        "compare-duplicate-scenario-ids",
        "open2.yaml",
        content="id: open\ntitle: Another opening\nextends: base\n",
        command=("compare", "{dir}/open.yaml", "{file}", "--out", "{dir}/../out"),
        line_of="id: open",
        key_path="id",
        says=("scenario id 'open' is also the id of", "open.yaml"),
    ),
    Case(
        "robustness-duplicate-scenario-ids",
        "open2.yaml",
        content="id: open\ntitle: Another opening\nextends: base\n",
        command=("robustness", "{dir}/open.yaml", "{file}"),
        line_of="id: open",
        key_path="id",
        says=("scenario id 'open' is also the id of", "open.yaml"),
    ),
    Case(
        "plan-duplicate-scenario-ids",
        "open2.yaml",
        content="id: open\ntitle: Another opening\nextends: base\n",
        command=("plan", "{dir}/open.yaml", "{file}"),
        line_of="id: open",
        key_path="id",
        says=("scenario id 'open' is also the id of", "open.yaml"),
    ),
    # --- control characters in text (issue 23)
    Case(
        "text-escape-in-title",
        M,
        ("title: A small test model", 'title: "A \\e]0;pwned\\a small model"'),
        line_of='title: "A',
        key_path="title",
        says=("control character U+001B (ESC)", "printable text on one line"),
        never=("\x1b",),
    ),
    Case(
        "text-newline-in-option-title",
        M,
        ("    title: Act", '    title: "Act\\nnow"'),
        line_of='title: "Act',
        key_path="options.act.title",
        says=("control character U+000A (newline)",),
    ),
    Case(
        "text-c1-in-claim",
        M,
        ("claim: A test fact.", 'claim: "A test \\x9b31m fact."'),
        line_of="claim:",
        key_path="evidence.fact-a.claim",
        says=("control character U+009B (CSI)",),
        never=("\x9b",),
    ),
    Case(
        "text-bell-in-scenario-title",
        S,
        ("title: Opening", 'title: "Opening\\a"'),
        command=RUN_OPEN,
        line_of="title:",
        key_path="title",
        says=("control character U+0007 (BEL)",),
    ),
    # --- caps on evidence (issue 25)
    Case(
        "evidence-too-many-figures",
        M,
        ('figures: ["12"]', "figures: [" + ", ".join(["12"] * 51) + "]"),
        line_of="figures:",
        key_path="evidence.fact-a.figures",
        says=("has 51 items", "allowed: at most 50 items"),
    ),
    Case(
        "evidence-figure-too-long",
        M,
        ('figures: ["12"]', 'figures: ["' + "1" * 201 + '"]'),
        line_of="figures:",
        key_path="evidence.fact-a.figures[0]",
        says=("has 201 characters", "allowed: text of at most 200 characters"),
    ),
    # --- numeric extremes (issue 23)
    Case(
        "indicator-range-overflows",
        M,
        ("    min: 1\n    max: 100", "    min: -1.0e+308\n    max: 1.0e+308"),
        line_of="max: 1.0e+308",
        key_path="indicators.rank.max",
        says=("overflows to infinity",),
    ),
    Case(
        "indicator-range-subnormal",
        M,
        (
            "    min: 1\n    max: 100\n    baseline: 60",
            "    min: 0\n    max: 5.0e-324\n    baseline: 0",
        ),
        line_of="max: 5.0e-324",
        key_path="indicators.rank.max",
        says=("is too narrow",),
    ),
    Case(
        "effect-too-large",
        M,
        ("effects: {access: -0.2}", "effects: {access: -1.0e+300}"),
        line_of="effects: {access: -1.0e+300}",
        key_path="options.act.performance.security.effects.access",
        says=("-1e+300 is below -1000000", "allowed: a number >= -1000000"),
    ),
    # --- piecewise-linear value functions (issue 14)
    *(
        Case(
            f"value-function-{name}",
            M,
            ("effects: {access: -0.2}", f"effects: {{{indicator}: {{points: {points}}}}}"),
            line_of=f"points: {points}",
            key_path=f"options.act.performance.security.effects.{indicator}.points{at}",
            says=says,
        )
        for name, indicator, points, at, says in [
            ("unsorted", "access", "[[0.5, 0.1], [0.2, 0]]", "[1][0]", ("are not sorted",)),
            ("duplicate", "access", "[[0.2, 0.1], [0.2, 0]]", "[1][0]", ("repeats the x",)),
            ("outside-range", "access", "[[0, 0.1], [1.5, 0]]", "[1][0]", ("outside the range",)),
            ("boolean-x", "released", "[[0, 0], [0.5, 0.2]]", "[1][0]", ("no value of boolean",)),
            ("dv-too-large", "access", "[[0, 0], [1, 2.0e+6]]", "[1][1]", ("too large",)),
        ]
    ),
    Case(
        "cli-seed-huge",
        S,
        command=("run", "{dir}/open.yaml", "--seed", "9" * 5000),
        says=("--seed", "(5,000 characters) is not an integer"),
        never=("9" * 100,),
        allowed=False,
    ),
    Case(
        "cli-samples-huge",
        S,
        command=("run", "{dir}/open.yaml", "--samples", "9" * 5000),
        says=("--samples", "(5,000 characters) is not an integer"),
        never=("9" * 100,),
        allowed=False,
    ),
    Case(
        "scenario-huge-int",
        S,
        ("extends: base", "extends: base\nsamples: -" + "7" * 5000),
        command=RUN_OPEN,
        line_of="samples:",
        key_path="samples",
        says=("has 5,000 digits", "integers of at most 1,000 digits"),
        never=("7" * 100,),
    ),
    Case(
        "scenario-huge-int-key",
        S,
        ("  released: true", "  ? " + "7" * 5000 + "\n  : true"),
        command=RUN_OPEN,
        line_of="? 777",
        says=("indicators.7777777777777777777…7777777777777777777: ",),
        never=("7" * 100,),
        allowed=False,
    ),
    Case(
        "cli-budget-huge",
        S,
        command=("portfolio", "{dir}/open.yaml", "--budget", "money=" + "9" * 5000),
        key_path="--budget",
        says=("is not a number >= 0",),
        never=("9" * 100,),
    ),
    Case(
        "scenario-seed-over-64-bits",
        S,
        ("extends: base", "extends: base\nseed: 18446744073709551616"),
        command=RUN_OPEN,
        line_of="seed:",
        key_path="seed",
        says=("18446744073709551616 is above 18446744073709551615",),
    ),

    # --- strict values: numbers are numbers, booleans are true/false (issue 24)
    *(
        Case(
            f"strict-{name}",
            file,
            (old, new),
            command=("validate", "{file}") if file == M else RUN_OPEN,
            line_of=line_of,
            column_of=column_of,
            key_path=key_path,
            says=says,
        )
        for name, file, old, new, line_of, column_of, key_path, says in [
            (
                "weight-yes", M, "weight: 2", "weight: yes", "weight: yes", "weight: yes",
                "criteria.security.weight",
                ("the text 'yes' is not a number", "take it as a boolean"),
            ),
            (
                "weight-true", M, "weight: 2", "weight: true", "weight: true", "weight",
                "criteria.security.weight", ("true is not a number",),
            ),
            (
                "value-on", M, "{value: 0.7, low", "{value: on, low", "value: on", "value: on",
                "options.act.performance.security.value", ("the text 'on' is not a number",),
            ),
            (
                "min-off", M, "    min: 0\n    max: 1", "    min: off\n    max: 1", "min: off",
                "min: off", "indicators.access.min", ("the text 'off' is not a number",),
            ),
            (
                "effect-yes", M, "effects: {access: -0.2}", "effects: {access: yes}",
                "effects: {access: yes}", "access: yes",
                "options.act.performance.security.effects.access",
                ("the text 'yes' is not a number",),
            ),
            (
                "effect-false", M, "effects: {access: -0.2}", "effects: {access: false}",
                "effects: {access: false}", "access: false",
                "options.act.performance.security.effects.access", ("false is not a number",),
            ),
            (
                "seed-true", S, "extends: base", "extends: base\nseed: true", "seed:", "seed:",
                "seed", ("true is not a whole number",),
            ),
            (
                "samples-true", S, "extends: base", "extends: base\nsamples: true", "samples:",
                "samples:", "samples", ("true is not a whole number",),
            ),
            (
                "samples-float", S, "extends: base", "extends: base\nsamples: 100.0",
                "samples:", "samples:", "samples", ("the number 100 is not a whole number",),
            ),
            (
                "year-quoted", M, "year: 2020", "year: '2020'", "year:", "year:", "source.year",
                ("the text '2020' is not a whole number", "remove the quotes"),
            ),
            (
                "reference-yes", M, "    reference: true", "    reference: yes", "reference: yes",
                "reference: yes", "options.wait.reference",
                ("the text 'yes' is not true/false",),
            ),
            (
                "reference-one", M, "    reference: true", "    reference: 1", "reference: 1",
                "reference: 1", "options.wait.reference", ("the number 1 is not true/false",),
            ),
            (
                "probability-true", S, "extends: base", "extends: base\nprobability: true",
                "probability:", "probability:", "probability", ("true is not a number",),
            ),
            (
                "setting-yes", S, "  access: 0.7", "  access: yes", "access: yes", "access: yes",
                "indicators.access",
                ("the text 'yes' is not a number, true/false or a distribution",),
            ),
            (
                "budget-text", S, "extends: base", "extends: base\nbudgets: {money: '5'}",
                "budgets:", "money:", "budgets.money", ("the text '5' is not a number",),
            ),
            (
                "interval-bound-true", S, "extends: base",
                "extends: base\nweight_uncertainty: {kind: intervals, intervals: "
                "{security: [0, true]}}",
                "weight_uncertainty:", "true", "weight_uncertainty.intervals.security[1]",
                ("true is not a number",),
            ),
            (
                "title-number", M, "title: A small test model", "title: 2019", "title: 2019",
                "title: 2019", "title", ("the number 2019 is not text", "in quotes"),
            ),
        ]
    ),
    # --- YAML 1.1 forms: text, so refused where a number or an id is needed (issue 24)
    *(
        Case(f"yaml11-{name}", M, (old, new), line_of=line_of, key_path=key_path, says=says)
        for name, old, new, line_of, key_path, says in [
            (
                "sexagesimal-year", "year: 2020", "year: 33:40", "year: 33:40", "source.year",
                ("the text '33:40' is not a whole number", "a sexagesimal (base 60) number"),
            ),
            (
                "hex-weight", "weight: 2", "weight: 0x1F", "weight: 0x1F",
                "criteria.security.weight",
                ("the text '0x1F' is not a number", "a hexadecimal number"),
            ),
            (
                "octal-weight", "weight: 2", "weight: 017", "weight: 017",
                "criteria.security.weight", ("the text '017' is not a number", "an octal number"),
            ),
            (
                "binary-weight", "weight: 2", "weight: 0b10", "weight: 0b10",
                "criteria.security.weight", ("the text '0b10' is not a number", "a binary number"),
            ),
            (
                "underscore-weight", "weight: 2", "weight: 1_000", "weight: 1_000",
                "criteria.security.weight",
                ("the text '1_000' is not a number", "'_' separators"),
            ),
            (
                "hex-criterion-key", "  security:\n    description: Security.",
                "  0x1F:\n    description: Security.", "0x1F:", "criteria.0x1F",
                ("'0x1F' is not a valid id", "lower-case letters"),
            ),
            (
                "hex-model-id", "id: mini", "id: 0x1f", "id: 0x1f", "id",
                ("'0x1f' is a hexadecimal number to other YAML readers", "cannot be an id"),
            ),
            (
                "boolean-criterion-key", "  rights:\n    description: Rights.",
                "  off:\n    description: Rights.", "off:", "criteria.off",
                ("'off' is a boolean to other YAML readers",),
            ),
            (
                "boolean-evidence-id", "    evidence: [fact-a]\n  rank:",
                "    evidence: ['yes']\n  rank:", "evidence: ['yes']",
                "indicators.access.evidence[0]", ("'yes' is a boolean to other YAML readers",),
            ),
            (
                "explicit-int-hex", "year: 2020", "year: !!int 0x7E4", "year: !!int",
                "source.year", ("'0x7E4' is not a valid !!int", "a decimal integer"),
            ),
            (
                "explicit-bool-yes", "    type: boolean\n    baseline: false",
                "    type: boolean\n    baseline: !!bool yes", "baseline: !!bool",
                "indicators.released.baseline", ("'yes' is not a valid !!bool",),
            ),
            (
                "float-underflow", "weight: 2", "weight: 1e-400", "weight: 1e-400",
                "criteria.security.weight",
                ("'1e-400' is too small: it would be read as 0",),
            ),
        ]
    ),
    # --- the same rules in scenarios: no tags but the core ones, decimal numbers (issue 24)
    *(
        Case(f"scenario-{name}", S, (old, new), command=RUN_OPEN, line_of=line_of,
             column_of=column_of, key_path=key_path, says=says)
        for name, old, new, line_of, column_of, key_path, says in [
            (
                "binary-title", "title: Opening", "title: !!binary aGVsbG8=", "title: !!",
                "!!binary", "title", ("tag '!!binary' is not supported",),
            ),
            (
                "python-tag-setting", "  access: 0.7", "  access: !!python/name:os.system 1",
                "access: !!", "!!python", "indicators.access",
                ("tag '!!python/name:os.system' is not supported",),
            ),
            (
                "hex-seed", "extends: base", "extends: base\nseed: 0x1F", "seed:", "seed:",
                "seed", ("the text '0x1F' is not a whole number", "a hexadecimal number"),
            ),
            (
                "underscore-samples", "extends: base", "extends: base\nsamples: 1_000",
                "samples:", "samples:", "samples",
                ("the text '1_000' is not a whole number", "'_' separators"),
            ),
        ]
    ),
    # --- cross-key checks at the offending key, without the mapping's repr (issue 24)
    Case(
        "low-above-high-block",
        M,
        (
            "      rights: {value: 0.3, low: 0.2, high: 0.4, rationale: Little for rights.}",
            "      rights:\n        value: 0.3\n        low: 0.5\n        high: 0.4\n"
            "        rationale: Little for rights.",
        ),
        line_of="high: 0.4\n        rationale: Little",
        key_path="options.act.performance.rights.high",
        says=("low (0.5) is above high (0.4)",),
        never=("got {", "'value'", "'rationale'"),
    ),
    Case(
        "value-below-low-block",
        M,
        (
            "      rights: {value: 0.3, low: 0.2, high: 0.4, rationale: Little for rights.}",
            "      rights:\n        low: 0.2\n        high: 0.4\n        value: 0.1\n"
            "        rationale: Little for rights.",
        ),
        line_of="value: 0.1",
        key_path="options.act.performance.rights.value",
        says=("value (0.1) is below low (0.2)",),
        never=("got {",),
    ),
    Case(
        "cost-value-above-high",
        M,
        ("    recommendation: R1\n", "    recommendation: R1\n    costs:\n"
         "      money: {value: 3, high: 2}\n"),
        line_of="money: {value: 3",
        column_of="high: 2}",
        key_path="options.act.costs.money.high",
        says=("value (3) is above high (2)",),
        never=("got {",),
    ),
    Case(
        "numeric-indicator-without-max",
        M,
        ("    min: 1\n    max: 100\n", "    min: 1\n"),
        line_of="  rank:",
        key_path="indicators.rank",
        says=("a numeric indicator needs 'max'",),
        never=("got {",),
    ),
    Case(
        "boolean-baseline-number",
        M,
        ("    type: boolean\n    baseline: false", "    type: boolean\n    baseline: 0"),
        line_of="baseline: 0\n",
        key_path="indicators.released.baseline",
        says=("baseline 0 is a number, but the indicator is boolean",),
        never=("got {",),
    ),
    Case(
        "numeric-baseline-boolean",
        M,
        ("    baseline: 0.2", "    baseline: true"),
        line_of="baseline: true",
        key_path="indicators.access.baseline",
        says=("baseline is true/false, but the indicator is numeric",),
    ),
    Case(
        "scenario-mode-above-high",
        S,
        ("  access: 0.7", "  access:\n    dist: triangular\n    low: 0.2\n    mode: 0.9\n"
         "    high: 0.5"),
        command=RUN_OPEN,
        line_of="high: 0.5",
        key_path="indicators.access.high",
        says=("mode (0.9) is above high (0.5)",),
        never=("boolean", "got {"),
    ),
    Case(
        "scenario-choice-probabilities-count",
        S,
        ("  access: 0.7", "  access:\n    dist: choice\n    values: [0.1, 0.2]\n"
         "    probabilities: [1]"),
        command=RUN_OPEN,
        line_of="probabilities:",
        key_path="indicators.access.probabilities",
        says=("1 probabilities for 2 values",),
        never=("boolean", "got {"),
    ),
    Case(
        "scenario-choice-negative-probability",
        S,
        ("  access: 0.7", "  access: {dist: choice, values: [0.1, 0.2], "
         "probabilities: [1.5, -0.5]}"),
        command=RUN_OPEN,
        line_of="access:",
        column_of="-0.5",
        key_path="indicators.access.probabilities[1]",
        says=("probability -0.5 is negative",),
    ),
    Case(
        "scenario-distribution-without-dist",
        S,
        ("  access: 0.7", "  access: {low: 0.1, high: 0.5}"),
        command=RUN_OPEN,
        line_of="access:",
        key_path="indicators.access",
        says=("needs a 'dist' key",),
    ),
    Case(
        "scenario-normal-mean-outside",
        S,
        ("  access: 0.7", "  access:\n    dist: normal\n    mean: 2\n    sd: 0.1"),
        command=RUN_OPEN,
        line_of="mean: 2",
        key_path="indicators.access.mean",
        says=("mean 2 is outside the indicator's range",),
    ),
    Case(
        "scenario-experts-none",
        S,
        ("  access: 0.7", "  access:\n    dist: experts\n    experts: []"),
        command=RUN_OPEN,
        line_of="experts: []",
        key_path="indicators.access.experts",
        says=("has 0 items", "allowed: at least 1 item"),
    ),
    Case(
        "scenario-experts-missing",
        S,
        ("  access: 0.7", "  access:\n    dist: experts\n    shape: pert"),
        command=RUN_OPEN,
        line_of="access:",
        key_path="indicators.access",
        says=("missing required key 'experts'",),
        allowed=False,
    ),
    Case(
        "scenario-experts-mode-below-low",
        S,
        ("  access: 0.7", "  access:\n    dist: experts\n    experts:\n"
         "      - {by: Ana, low: 0.2, mode: 0.6, high: 0.9}\n"
         "      - {by: Ben, low: 0.5, mode: 0.4, high: 0.9}"),
        command=RUN_OPEN,
        line_of="by: Ben",
        column_of="mode: 0.4",
        key_path="indicators.access.experts[1].mode",
        says=("mode (0.4) is below low (0.5)",),
        never=("got {",),
    ),
    Case(
        "scenario-experts-outside-range",
        S,
        ("  access: 0.7", "  access:\n    dist: experts\n    experts:\n"
         "      - {by: Ana, low: 0.2, mode: 0.6, high: 0.9}\n"
         "      - {by: Ben, low: 0.5, mode: 0.8, high: 1.4}"),
        command=RUN_OPEN,
        line_of="by: Ben",
        column_of="high: 1.4",
        key_path="indicators.access.experts[1].high",
        says=("high 1.4 is outside the indicator's range", "[0, 1]"),
    ),
    Case(
        "scenario-experts-same-name",
        S,
        ("  access: 0.7", "  access:\n    dist: experts\n    experts:\n"
         "      - {by: Ana, low: 0.2, mode: 0.6, high: 0.9}\n"
         "      - {by: Ana, low: 0.5, mode: 0.8, high: 0.9}"),
        command=RUN_OPEN,
        line_of="by: Ana, low: 0.5",
        key_path="indicators.access.experts[1].by",
        says=("expert 'Ana' is listed twice",),
    ),
    Case(
        "scenario-experts-unknown-shape",
        S,
        ("  access: 0.7", "  access:\n    dist: experts\n    shape: normal\n    experts:\n"
         "      - {by: Ana, low: 0.2, mode: 0.6, high: 0.9}"),
        command=RUN_OPEN,
        line_of="shape: normal",
        key_path="indicators.access.shape",
        says=("'normal' is not allowed here", "'triangular', 'pert' or 'uniform'"),
    ),
    Case(
        "scenario-experts-boolean-indicator",
        S,
        ("  released: true", "  released:\n    dist: experts\n    experts:\n"
         "      - {by: Ana, low: 0, mode: 1, high: 1}"),
        command=RUN_OPEN,
        line_of="released:",
        key_path="indicators.released",
        says=("boolean indicator set to a pool of experts",),
    ),
    Case(
        "scenario-interval-above-1",
        S,
        ("extends: base", "extends: base\nweight_uncertainty:\n  kind: intervals\n"
         "  intervals:\n    security: [0.2, 1.5]"),
        command=RUN_OPEN,
        line_of="security: [0.2",
        column_of="1.5]",
        key_path="weight_uncertainty.intervals.security[1]",
        says=("high 1.5 is above 1",),
        never=("got {",),
    ),
    Case(
        "scenario-ordinal-without-ranking",
        S,
        ("extends: base", "extends: base\nweight_uncertainty:\n  kind: ordinal"),
        command=RUN_OPEN,
        line_of="kind: ordinal",
        key_path="weight_uncertainty.kind",
        says=("needs a ranking of at least two criteria",),
    ),
    Case(
        "scenario-correlations-not-psd",
        S,
        content="id: open\ntitle: Opening\nextends: base\nindicators:\n"
        "  access: {dist: uniform, low: 0.1, high: 0.9}\n"
        "  rank: {dist: triangular, low: 1, mode: 50, high: 100}\n"
        "  released: {dist: bernoulli, p: 0.4}\n"
        "correlations:\n  - {between: [access, rank], rank: 0.9}\n"
        "  - {between: [rank, released], rank: 0.9}\n"
        "  - between: [access, released]\n    rank: -0.9\n",
        command=RUN_OPEN,
        line_of="rank: -0.9",
        key_path="correlations[2].rank",
        says=(
            "access~rank 0.9, access~released -0.9, rank~released 0.9 cannot hold together",
            "not positive semi-definite",
        ),
    ),
    Case(
        "scenario-correlation-exact-indicator",
        S,
        ("extends: base", "extends: base\ncorrelations:\n"
         "  - between: [access, released]\n    rank: 0.5"),
        command=RUN_OPEN,
        line_of="between: [access",
        column_of="access, released]",
        key_path="correlations[0].between[0]",
        says=("indicator 'access' is set to 0.7: only uncertain indicators can be correlated",),
    ),
    Case(
        "scenario-correlation-pair-twice",
        S,
        ("extends: base", "extends: base\ncorrelations:\n"
         "  - {between: [access, rank], rank: 0.5}\n  - {between: [rank, access], rank: 0.2}"),
        command=RUN_OPEN,
        line_of="[rank, access]",
        key_path="correlations[1].between",
        says=("'access' and 'rank' are also correlated by correlation 1",),
    ),
    Case(
        "judgement-distribution-unknown",
        M,
        ("title: A small test model", "title: A small test model\njudgement_distribution: normal"),
        line_of="judgement_distribution:",
        key_path="judgement_distribution",
        says=("the text 'normal' is not allowed here", "'triangular'"),
    ),
    # --- ids in the user's terms (issue 24)
    Case(
        "id-with-capitals",
        M,
        ("id: mini", "id: Mini Model"),
        line_of="id: Mini",
        key_path="id",
        says=("'Mini Model' is not a valid id", "lower-case letters"),
        never=("pattern", "^[a-z"),
    ),
    Case(
        "indicator-id-with-dash",
        M,
        ("  rank:\n", "  press-rank:\n"),
        line_of="press-rank:",
        key_path="indicators.press-rank",
        says=("'press-rank' is not a valid indicator id", "starting with a letter"),
        never=("pattern", "^[a-z"),
    ),
    # --- method parameters in files: strict and located (issue 24)
    Case(
        "method-param-true",
        M,
        ("title: A small test model", "title: A small test model\nmethod: {name: vikor, v: true}"),
        line_of="method:",
        column_of="v: true",
        key_path="method.v",
        says=("true is not a number",),
    ),
    Case(
        "scenario-method-param-quoted",
        S,
        ("extends: base", "extends: base\nmethod: {name: vikor, v: '0.5'}"),
        command=RUN_OPEN,
        line_of="method:",
        column_of="v: '0.5'",
        key_path="method.v",
        says=("the text '0.5' is not a number", "remove the quotes"),
    ),
    Case(
        "method-preference-list-length",
        M,
        (
            "title: A small test model",
            "title: A small test model\nmethod:\n  name: promethee\n"
            "  preference: [{function: usual}]",
        ),
        line_of="preference:",
        key_path="method.preference",
        says=("1 preference functions for 2 criteria",),
    ),
    Case(
        "scenario-method-preference-list-length",
        S,
        (
            "extends: base",
            "extends: base\nmethod:\n  name: promethee\n"
            "  preference: [{function: usual}, {function: usual}, {function: usual}]",
        ),
        command=RUN_OPEN,
        line_of="preference:",
        key_path="method.preference",
        says=("3 preference functions for 2 criteria",),
    ),
    # --- expressions: underflow refused, errors at the character's column (issue 24)
    Case(
        "expr-underflow",
        M,
        ("access >= 0.5 and released", "access > 1e-400 and released"),
        line_of="when:",
        column_of="1e-400",
        key_path="options.engage.preconditions[0].when",
        says=("number '1e-400'", "too small"),
    ),
    # --- a model where a scenario is expected, and the converse (issue 19)
    Case(
        "run-a-model",
        M,
        command=("run", "{file}"),
        says=("this is a decision model, not a scenario", "model: <path", "decision validate"),
        never=("unknown key",),
    ),
    Case(
        "scenario-model-is-a-scenario",
        "base.yaml",
        ("model: model.yaml", "model: open.yaml"),
        command=RUN_OPEN,
        line_of="model:",
        key_path="model",
        says=("is a scenario, not a decision model", "extends:"),
    ),
    Case(
        "scenario-extends-a-model",
        S,
        ("extends: base", "extends: model"),
        command=RUN_OPEN,
        line_of="extends:",
        key_path="extends",
        says=("is a decision model, not a scenario", "model:"),
    ),
    Case(
        "validate-scenario-keys-in-a-model",
        M,
        ("title: A small test model", "title: A small test model\nseed: 3"),
        line_of="seed: 3",
        key_path="seed",
        says=("unknown key 'seed'",),
    ),
    # --- decision init
    Case(
        "init-would-overwrite",
        "scenarios/baseline.yaml",
        content="id: mine\n",
        command=("init", "{dir}"),
        says=("baseline.yaml' already exists; nothing was written",),
    ),
    Case(
        "init-into-a-file",
        "notes.txt",
        content="notes\n",
        command=("init", "{file}"),
        says=("is not a folder",),
    ),
    Case(
        "init-too-many-options",
        M,
        command=("init", "{dir}/new", "--options", "31"),
        says=("--options", "31"),
        allowed=False,
    ),
    # --- success likelihood of an option
    Case(
        "likelihood-above-1",
        M,
        (
            "    recommendation: R1\n",
            "    recommendation: R1\n    likelihood: {value: 1.4, rationale: Unsure.}\n",
        ),
        line_of="likelihood: {value: 1.4",
        column_of="value: 1.4",
        key_path="options.act.likelihood.value",
        says=("1.4 is above 1", "allowed: a number <= 1"),
    ),
    Case(
        "likelihood-failure-above-1",
        M,
        (
            "    recommendation: R1\n",
            "    recommendation: R1\n    likelihood:\n      value: 0.5\n"
            "      if_failure: {rights: 1.5}\n      rationale: Unsure.\n",
        ),
        line_of="if_failure: {rights: 1.5}",
        key_path="options.act.likelihood.if_failure.rights",
        says=("1.5 is above 1", "allowed: a number <= 1"),
    ),
    Case(
        "likelihood-low-above-high",
        M,
        (
            "    recommendation: R1\n",
            "    recommendation: R1\n    likelihood: {value: 0.5, low: 0.6, high: 0.4, "
            "rationale: Unsure.}\n",
        ),
        line_of="likelihood: {value: 0.5",
        column_of="high: 0.4",
        key_path="options.act.likelihood.high",
        says=("low (0.6) is above high (0.4)",),
    ),
    Case(
        "likelihood-unknown-failure-criterion",
        M,
        (
            "    recommendation: R1\n",
            "    recommendation: R1\n    likelihood:\n      value: 0.5\n"
            "      if_failure: {rigths: 0.1}\n      rationale: Unsure.\n",
        ),
        line_of="rigths: 0.1",
        key_path="options.act.likelihood.if_failure.rigths",
        says=("unknown criterion 'rigths'", "did you mean 'rights'"),
    ),
    Case(
        "likelihood-effect-of-unknown-indicator",
        M,
        (
            "    recommendation: R1\n",
            "    recommendation: R1\n    likelihood:\n      value: 0.5\n"
            "      effects: {acess: 0.2}\n      rationale: Unsure.\n",
        ),
        line_of="acess: 0.2",
        key_path="options.act.likelihood.effects.acess",
        says=("unknown indicator 'acess'", "did you mean 'access'"),
    ),
    Case(
        "likelihood-without-failure-case",
        M,
        content=(MINI / M)
        .read_text()
        .replace("    reference: true\n", "")
        .replace(
            "    recommendation: R1\n",
            "    recommendation: R1\n    likelihood: {value: 0.5, rationale: Unsure.}\n",
            1,
        ),
        line_of="likelihood: {value: 0.5",
        key_path="options.act.likelihood",
        says=("no reference option", "if_failure lacks security, rights"),
    ),
    Case(
        "likelihood-of-reference-without-failure",
        M,
        (
            "    reference: true\n",
            "    reference: true\n    likelihood: {value: 0.5, rationale: Unsure.}\n",
        ),
        line_of="likelihood: {value: 0.5",
        key_path="options.wait.likelihood",
        says=("the reference option's likelihood gives no failure performance",),
    ),
    Case(
        "likelihood-provenance-unknown-number",
        M,
        (
            "    recommendation: R1\n",
            "    recommendation: R1\n    likelihood:\n      value: 0.5\n"
            "      rationale: Unsure.\n      provenance: {judgement: [low]}\n",
        ),
        line_of="judgement: [low]",
        key_path="options.act.likelihood.provenance.judgement[0]",
        says=("'low' is not a number of this likelihood",),
    ),
    # --- validate lists every problem; a file with one still gives one line
    Case(
        "weight-infinite",
        M,
        ("weight: 2", "weight: .inf"),
        line_of="weight: .inf",
        key_path="criteria.security.weight",
        says=("must be a finite number (not NaN or infinity)",),
    ),
    # --- expert judgements pooled (issue 14)
    *(
        Case(
            f"experts-{name}",
            M,
            (
                "      rights: {value: 0.3, low: 0.2, high: 0.4, rationale: Little for rights.}",
                "      rights:\n        rationale: Little for rights.\n" + body,
            ),
            line_of=line_of,
            key_path=f"options.act.performance.rights.{key}",
            says=says,
            allowed=name not in ("empty", "weight-zero"),  # pydantic's own checks
        )
        for name, body, line_of, key, says in [
            ("empty", "        experts: []\n", "experts: []", "experts", ("at least 1",)),
            (
                "low-above-mode",
                "        experts:\n          - {by: A, low: 0.5, mode: 0.4, high: 0.6}\n",
                "- {by: A",
                "experts[0].mode",
                ("mode (0.4) is below low (0.5)",),
            ),
            (
                "weight-zero",
                "        experts:\n"
                "          - {by: A, low: 0.1, mode: 0.2, high: 0.3, weight: 0}\n",
                "weight: 0}",
                "experts[0].weight",
                ("0 is not above 0", "allowed: a number > 0"),
            ),
            (
                "mismatch-high",
                "        high: 0.9\n        experts:\n          - {by: A, low: 0.1, mode: 0.2, "
                "high: 0.3}\n",
                "high: 0.9",
                "high",
                ("high (0.9) differs from the experts' highest high (0.3)",),
            ),
            (
                "twice",
                "        experts:\n          - {by: A, low: 0.1, mode: 0.2, high: 0.3}\n"
                "          - {by: A, low: 0.4, mode: 0.5, high: 0.6}\n",
                "- {by: A, low: 0.4",
                "experts[1].by",
                ("expert 'A' is listed twice",),
            ),
        ]
    ),
]


def _apply(case: Case, folder: Path) -> Path:
    target = folder / case.file
    if case.content is not None:
        data = case.content.encode() if isinstance(case.content, str) else case.content
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    elif case.replace is not None:
        text = target.read_text()
        old, new = case.replace
        if case.regex:
            text, count = re.subn(old, new, text)
            assert count, f"case {case.id}: no match for {old!r}"
        else:
            assert old in text, f"case {case.id}: {old!r} not in {case.file}"
            text = text.replace(old, new, 1)
        target.write_text(text)
    return target


def _expected_line(case: Case, target: Path) -> int | None:
    if case.line_of is None:
        return None
    text = target.read_text()
    return text[: text.index(case.line_of)].count("\n") + 1


def _expected_column(case: Case, target: Path) -> int | None:
    if case.column_of is None:
        return None
    text = target.read_text()
    at = text.index(case.column_of)
    return at - text.rfind("\n", 0, at)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_clear_line(
    case: Case, mini: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _apply(case, mini)
    if case.prepare is not None:
        case.prepare(mini, monkeypatch)
    monkeypatch.chdir(mini.parent)
    (mini.parent / "models").mkdir(exist_ok=True)
    args = [a.format(file=target, dir=mini) for a in case.command]
    result = run_cli(*args)
    assert result.status == 2, (result.status, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    assert "Traceback" not in result.err
    assert line.startswith("error: "), line
    expected_line = _expected_line(case, target)
    if expected_line is not None:
        assert re.match(rf"error: {re.escape(str(target))}:{expected_line}:\d+: ", line), (
            expected_line,
            line,
        )
    expected_column = _expected_column(case, target)
    if expected_column is not None:
        assert f":{expected_line}:{expected_column}: " in line, (expected_column, line)
    if case.key_path is not None:
        assert f" {case.key_path}: " in line, line
    for fragment in case.says:
        assert fragment in line, (fragment, line)
    for fragment in case.never:
        assert fragment not in line, (fragment, line)
    if case.allowed:
        assert "; allowed: " in line, line


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 230  # a row deleted by mistake shows here


def test_nothing_written_on_bad_input(mini: Path, run_cli: Callable[..., CliResult]) -> None:
    out = mini.parent / "out"
    (mini / "open.yaml").write_text((mini / "open.yaml").read_text().replace("0.7", "7"))
    result = run_cli("compare", str(mini / "base.yaml"), str(mini / "open.yaml"), "--out", str(out))
    assert result.status == 2
    assert not out.exists() or not any(out.iterdir())


PATHOLOGICAL = [
    c
    for c in CASES
    if c.id
    in {
        "alias-bomb",
        "yaml-deep-block",
        "yaml-deep-flow",
        "yaml-too-big",
        "yaml-alias-amplification",
        "yaml-million-item-list",
        "invalid-utf8",
        "bom",
        "yaml-tab",
    }
]


@pytest.mark.parametrize("case", PATHOLOGICAL, ids=[c.id for c in PATHOLOGICAL])
def test_pathological_files_fail_fast(
    case: Case, mini: Path, run_cli: Callable[..., CliResult]
) -> None:
    """A guard against hangs (not a benchmark): each is rejected well within a second."""
    import time

    target = _apply(case, mini)
    start = time.perf_counter()
    result = run_cli("validate", str(target))
    assert time.perf_counter() - start < 1.0
    assert result.status == 2
