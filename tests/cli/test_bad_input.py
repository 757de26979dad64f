"""Bad input through the CLI: one line naming file, line, key path and what is allowed; exit 2.

Each case edits one file of the small test model (or writes a new one), runs a command and
checks the exact shape of the single error line.
"""

from __future__ import annotations

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


M, S = "model.yaml", "open.yaml"
RUN_OPEN = ("run", "{dir}/open.yaml")

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
        says=("valid number", "'heavy'"),
        allowed=False,
    ),
    Case(
        "weight-negative",
        M,
        ("weight: 2", "weight: -1"),
        line_of="weight: -1",
        key_path="criteria.security.weight",
        says=("greater than or equal to 0",),
        allowed=False,
    ),
    Case(
        "weight-nan",
        M,
        ("weight: 2", "weight: .nan"),
        line_of="weight: .nan",
        key_path="criteria.security.weight",
        says=("finite",),
        allowed=False,
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
        line_of="  rank:",
        key_path="indicators.rank",
        says=("must be below max",),
        allowed=False,
    ),
    Case(
        "boolean-with-min",
        M,
        ("    type: boolean\n", "    type: boolean\n    min: 0\n"),
        line_of="  released:",
        key_path="indicators.released",
        says=("no min/max",),
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
        says=("less than or equal to 1",),
        allowed=False,
    ),
    Case(
        "low-above-high",
        M,
        ("{value: 0.3, low: 0.2, high: 0.4", "{value: 0.3, low: 0.5, high: 0.4"),
        line_of="low: 0.5",
        key_path="options.act.performance.rights",
        says=("low (0.5) is above high (0.4)",),
        allowed=False,
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
        key_path="indicators.access",
        says=("low (0.8) is above high (0.3)",),
        allowed=False,
    ),
    Case(
        "scenario-unknown-distribution",
        S,
        ("  access: 0.7", "  access: {dist: lognormal, mu: 1}"),
        command=RUN_OPEN,
        line_of="access:",
        key_path="indicators.access",
        says=("invalid value",),
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
        key_path="weights",
        says=("weights are all zero",),
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
        says=("greater than or equal to 1",),
        allowed=False,
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
]


def _apply(case: Case, folder: Path) -> Path:
    target = folder / case.file
    if case.content is not None:
        data = case.content.encode() if isinstance(case.content, str) else case.content
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


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_clear_line(
    case: Case, mini: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _apply(case, mini)
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
        assert line.startswith(f"error: {target}:{expected_line}:"), (expected_line, line)
    if case.key_path is not None:
        assert f" {case.key_path}: " in line, line
    for fragment in case.says:
        assert fragment in line, (fragment, line)
    if case.allowed:
        assert "; allowed: " in line, line


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 40


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
