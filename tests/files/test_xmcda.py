"""XMCDA 4: what `decision export --xmcda` writes is valid against the official schema and reads
back to the same table; `decision rank FILE.xml` gives back the scenario's scores; bad files are
one line each (the rows of ``BAD`` extend the bad-input catalogue)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import decision
from decision.files.xmcda import (
    MAX_DEPTH,
    NAMESPACE,
    XmcdaTable,
    parse_xmcda,
    read_xmcda,
    to_xml,
)
from tests.conftest import DATA, ROOT, CliResult

etree = pytest.importorskip("lxml.etree")

XSD = DATA / "xmcda" / "XMCDA-4.0.0.xsd"
XSD_SHA256 = "a26ec60542ceb53b65d779d65743c4878d8fdb876a350f9f35982726483b7065"
MINI = DATA / "mini"
BASELINE = ROOT / "scenarios" / "baseline.yaml"
PROMETHEE = {
    "name": "promethee",
    "preference": [
        {"function": "linear", "q": 0.05, "p": 0.3},
        {"function": "gaussian", "s": 0.2},
    ],
}


@pytest.fixture(scope="module")
def schema() -> object:
    assert hashlib.sha256(XSD.read_bytes()).hexdigest() == XSD_SHA256, "the vendored XSD changed"
    return etree.XMLSchema(etree.parse(str(XSD), etree.XMLParser(no_network=True)))


def assert_valid(schema: object, data: bytes) -> None:
    document = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    if not schema.validate(document):  # type: ignore[attr-defined]
        raise AssertionError(str(schema.error_log))  # type: ignore[attr-defined]


# ------------------------------------------------------------------ export: schema and content


@pytest.mark.parametrize(
    ("scenario", "method"),
    [
        (MINI / "base.yaml", None),  # an unavailable option: an inactive alternative
        (MINI / "open.yaml", PROMETHEE),  # thresholds and preference functions
        (BASELINE, None),  # the shipped model: seven options, six criteria
        (BASELINE, "promethee"),  # one function for every criterion, no thresholds
        (ROOT / "cases" / "ersoy-notebooks" / "scenarios" / "published.yaml", None),  # cost
    ],
    ids=["mini", "mini-promethee", "belarus", "belarus-promethee", "ersoy"],
)
def test_exported_files_are_valid_xmcda_4(
    schema: object, scenario: Path, method: object
) -> None:
    assert_valid(schema, decision.export_xmcda(scenario, method=method))


def test_export_holds_the_scenario() -> None:
    run = decision.run_scenario(MINI / "open.yaml", method=PROMETHEE)
    table = parse_xmcda(decision.export_xmcda(run))
    model = run.model
    assert table.alternatives == tuple(model.options)
    assert table.criteria == tuple(model.criteria)
    np.testing.assert_array_equal(table.values, run.evaluation.performance[0])
    assert table.active == tuple(bool(a) for a in run.evaluation.available[0])
    assert table.weights == tuple(float(w) for w in run.evaluation.weights[0])
    assert table.benefit == (True, True)
    assert table.bounds == ((0.0, 1.0), (0.0, 1.0))
    assert table.preference == tuple(PROMETHEE["preference"])  # type: ignore[arg-type]
    assert table.alternative_names == ("Act", "Engage", "Wait")
    assert table.table_id == "open" and table.table_name == "Opening"
    assert table.comment is not None and "point values" in table.comment


def test_unavailable_options_are_inactive_alternatives() -> None:
    table = parse_xmcda(decision.export_xmcda(MINI / "base.yaml"))
    assert dict(zip(table.alternatives, table.active, strict=True)) == {
        "act": True, "engage": False, "wait": True,
    }


def test_cost_criteria_are_min(tmp_path: Path) -> None:
    scenario = ROOT / "cases" / "ersoy-notebooks" / "scenarios" / "published.yaml"
    run = decision.run_scenario(scenario)
    table = parse_xmcda(decision.export_xmcda(run))
    assert table.benefit == tuple(bool(b) for b in run.model.benefit)
    assert not all(table.benefit)


def test_export_is_deterministic() -> None:
    assert decision.export_xmcda(BASELINE) == decision.export_xmcda(BASELINE)


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize(
    ("scenario", "method", "params"),
    [
        (BASELINE, "wsm", {"normalisation": "none"}),
        (BASELINE, "topsis", {}),
        (MINI / "open.yaml", "vikor", {}),
        (MINI / "open.yaml", PROMETHEE, None),
        (ROOT / "cases" / "ersoy-notebooks" / "scenarios" / "published.yaml", None, {}),
    ],
    ids=["wsm", "topsis", "vikor", "promethee-thresholds", "ersoy-topsis"],
)
def test_rank_of_an_export_gives_back_the_scenario(
    tmp_path: Path, scenario: Path, method: object, params: dict[str, object] | None
) -> None:
    """The exported table ranked with the scenario's method (and the file's weights,
    directions and thresholds) scores every available option as the scenario does."""
    result = decision.evaluate(scenario, method=method)
    path = tmp_path / "s.xml"
    decision.export_xmcda(scenario, path, method=method)
    name = result.method["name"]
    ranking = decision.rank(path, method=name, params=params)
    scores = {o["option"]: o["score"] for o in ranking.options}
    expected = {o.id: o.score for o in result.options if o.available}
    assert scores.keys() == expected.keys()
    for option, score in expected.items():
        assert scores[option] == pytest.approx(score, abs=1e-9), option
    assert [o["option"] for o in ranking.options] == [
        o.id for o in result.options if o.available
    ]


def _tables() -> st.SearchStrategy[XmcdaTable]:
    names = st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=8
    ).filter(lambda s: s.strip() == s and s != "")
    finite = st.floats(allow_nan=False, allow_infinity=False, width=64)

    @st.composite
    def build(draw: st.DrawFn) -> XmcdaTable:
        alternatives = draw(st.lists(names, min_size=1, max_size=5, unique=True))
        criteria = draw(st.lists(names, min_size=1, max_size=4, unique=True))
        n, m = len(alternatives), len(criteria)
        values = np.array(
            draw(st.lists(st.lists(finite, min_size=m, max_size=m), min_size=n, max_size=n)),
            dtype=np.float64,
        )
        weights = draw(st.none() | st.lists(
            st.floats(0, 1e6, allow_nan=False), min_size=m, max_size=m).map(tuple))
        benefit = draw(st.none() | st.lists(st.booleans(), min_size=m, max_size=m).map(tuple))
        active = tuple(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        return XmcdaTable(
            alternatives=tuple(alternatives), criteria=tuple(criteria), values=values,
            active=active, alternative_names=tuple(draw(st.none() | names) for _ in range(n)),
            criterion_comments=tuple(draw(st.none() | names) for _ in range(m)),
            weights=weights, benefit=benefit, table_id=draw(st.none() | names),
        )

    return build()


@settings(max_examples=60, deadline=None)
@given(_tables())
def test_write_then_read_is_the_same_table(table: XmcdaTable) -> None:
    again = parse_xmcda(to_xml(table))
    assert again.alternatives == table.alternatives
    assert again.criteria == table.criteria
    np.testing.assert_array_equal(again.values, table.values)  # exact: repr round-trips
    assert again.active == table.active
    assert again.weights == table.weights
    assert again.benefit == table.benefit
    assert again.alternative_names == table.alternative_names
    assert again.criterion_comments == table.criterion_comments
    assert again.table_id == table.table_id


@settings(max_examples=20, deadline=None)
@given(table=_tables())
def test_written_tables_are_valid_xmcda_4(schema: object, table: XmcdaTable) -> None:
    assert_valid(schema, to_xml(table))


def test_a_file_of_another_tool_reads(tmp_path: Path) -> None:
    """A performance table alone (no alternatives, criteria or weights), integers and a
    rational, a foreign element, and comments: read in the table's order."""
    path = tmp_path / "other.xml"
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- from another tool -->\n'
        f'<xmcda xmlns="{NAMESPACE}">\n'
        "  <programParameters><parameter id='x'/></programParameters>\n"
        "  <performanceTable>\n"
        + _row("b", {"g1": "<integer>3</integer>", "g2": "<real>0.5</real>"})
        + _row("a", {"g2": "<rational><numerator>1</numerator><denominator>4</denominator>"
                           "</rational>", "g1": "<integer>-2</integer>"})
        + "  </performanceTable>\n</xmcda>\n",
        encoding="utf-8",
    )
    table = read_xmcda(str(path))
    assert table.alternatives == ("b", "a") and table.criteria == ("g1", "g2")
    np.testing.assert_array_equal(table.values, [[3.0, 0.5], [-2.0, 0.25]])
    assert table.weights is None and table.benefit is None and table.preference is None


def test_inactive_criteria_and_alternatives_are_left_out(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc(
        "<alternatives><alternative id='a'/><alternative id='b'><active>false</active>"
        "</alternative><alternative id='c'/></alternatives>"
        "<criteria><criterion id='g1'/><criterion id='g2'><active>false</active></criterion>"
        "</criteria><performanceTable>"
        + _row("a", {"g1": "<real>1</real>", "g2": "<real>9</real>"})
        + _row("b", {"g1": "<real>2</real>", "g2": "<real>9</real>"})
        + _row("c", {"g1": "<real>3</real>", "g2": "<real>9</real>"})
        + "</performanceTable>"
        + _weights({"g1": 1})
    ))
    ranking = decision.rank(path, types=["max"], method="wsm")
    assert [o["option"] for o in ranking.options] == ["c", "a"]
    assert ranking.criteria == ["g1"]


# ---------------------------------------------------------------------------- the CLI


def test_cli_export_and_rank_round_trip(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    out = tmp_path / "baseline.xml"
    exported = run_cli("export", str(BASELINE), "--xmcda", str(out))
    assert exported.status == 0, exported.err
    assert exported.out == ""
    assert "wrote" in exported.err and "8 alternatives, 5 criteria" in exported.err
    ranked = run_cli("rank", str(out), "--method", "wsm", "--param", "normalisation=none",
                     "--json")
    assert ranked.status == 0, ranked.err
    scores = {o["option"]: o["score"] for o in json.loads(ranked.out)["options"]}
    result = run_cli("run", str(BASELINE), "--json")
    expected = {o["id"]: o["score"] for o in json.loads(result.out)["options"]
                if o["available"]}
    assert scores == pytest.approx(expected, abs=1e-9)


def test_cli_export_to_standard_output(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("export", str(MINI / "open.yaml"), "--xmcda", "-", "--method", "topsis")
    assert result.status == 0 and result.err == ""
    assert result.out.encode() == decision.export_xmcda(MINI / "open.yaml", method="topsis")


def test_cli_rank_flags_override_the_file(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = tmp_path / "s.xml"
    decision.export_xmcda(MINI / "open.yaml", path)
    both = run_cli("rank", str(path), "--weights", "0,1", "--types", "1,1", "--method", "wsm",
                   "--param", "normalisation=none", "--json")
    assert both.status == 0, both.err
    assert json.loads(both.out)["options"][0]["option"] == "engage"  # rights alone
    assert json.loads(both.out)["weights"] == [0.0, 1.0]


def test_export_replaces_a_file_atomically(tmp_path: Path) -> None:
    out = tmp_path / "s.xml"
    out.write_text("old")
    decision.export_xmcda(MINI / "base.yaml", out)
    assert out.read_bytes() == decision.export_xmcda(MINI / "base.yaml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xml"]  # no temporary left


# ------------------------------------------------------------------------------ bad input


def _doc(body: str) -> str:
    return f'<?xml version="1.0"?>\n<xmcda xmlns="{NAMESPACE}">\n{body}\n</xmcda>\n'


def _row(alternative: str, cells: dict[str, str]) -> str:
    performances = "".join(
        f"<performance><criterionID>{c}</criterionID><values><value>{v}</value></values>"
        "</performance>"
        for c, v in cells.items()
    )
    return (f"<alternativePerformances><alternativeID>{alternative}</alternativeID>"
            f"{performances}</alternativePerformances>\n")


def _weights(weights: dict[str, object], concept: str = ' mcdaConcept="weights"') -> str:
    items = "".join(
        f"<criterionValues><criterionID>{c}</criterionID><values><value><real>{w}</real>"
        "</value></values></criterionValues>"
        for c, w in weights.items()
    )
    return f"<criteriaValues{concept}>{items}</criteriaValues>"


def _scales(directions: dict[str, str]) -> str:
    items = "".join(
        f"<criterionScales><criterionID>{c}</criterionID><scales><scale><quantitative>"
        f"<preferenceDirection>{d}</preferenceDirection></quantitative></scale></scales>"
        "</criterionScales>"
        for c, d in directions.items()
    )
    return f"<criteriaScales>{items}</criteriaScales>"


TABLE = ("<performanceTable>" + _row("a", {"g1": "<real>1</real>", "g2": "<real>2</real>"})
         + _row("b", {"g1": "<real>3</real>", "g2": "<real>1</real>"}) + "</performanceTable>")
GOOD = _doc(TABLE + _scales({"g1": "max", "g2": "min"}) + _weights({"g1": 1, "g2": 1}))
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE xmcda [\n<!ENTITY a "aaaaaaaaaa">\n'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
    f'<xmcda xmlns="{NAMESPACE}"><performanceTable>&c;</performanceTable></xmcda>\n'
)


def _write(folder: Path, text: str | bytes, name: str = "m.xml") -> Path:
    path = folder / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@dataclass(frozen=True)
class Bad:
    id: str
    content: str | bytes
    says: tuple[str, ...]
    line: int | None = None  # the line the error must name
    args: tuple[str, ...] = ()


BAD = [
    Bad("empty", "", ("file is empty", "allowed: XMCDA 4.0.0")),
    Bad("malformed", _doc("<performanceTable>"), ("malformed XML: mismatched tag",), 4),
    Bad("not-xml", b"\xff\xfe\x00garbage", ("malformed XML",)),
    Bad("billion-laughs", LAUGHS, ("a document type declaration (<!DOCTYPE ...>) is not read",),
        2),
    Bad("external-entity",
        '<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "file:///etc/passwd">\n<xmcda/>',
        ("document type declaration",), 2),
    Bad("wrong-root", '<?xml version="1.0"?>\n<table/>', ("the root element is <table>",), 2),
    Bad("xmcda-3", '<XMCDA xmlns="http://www.decision-deck.org/2019/XMCDA-3.1.1"/>',
        ("the root element is <{http://www.decision-deck.org/2019/XMCDA-3.1.1}XMCDA> "
         "(an XMCDA 3 or 2 file?)", "allowed: XMCDA 4.0.0")),
    Bad("no-namespace", "<xmcda/>", ("the root element is <xmcda>",)),
    Bad("too-deep", _doc("<a>" * (MAX_DEPTH + 1) + "</a>" * (MAX_DEPTH + 1)),
        (f"elements nested more than {MAX_DEPTH} deep",)),
    Bad("no-table", _doc(""), ("no performanceTable", "allowed: exactly one")),
    Bad("two-tables", _doc(TABLE + "\n" + TABLE), ("2 performanceTables",), 6),
    Bad("empty-table", _doc("<performanceTable/>"), ("the performanceTable has no rows",), 3),
    Bad("na", _doc("<performanceTable>" + _row("a", {"g1": "<NA/>"}) + "</performanceTable>"),
        ("a.g1: missing value (NA)", "allowed: a finite number"), 3),
    Bad("label", _doc("<performanceTable>" + _row("a", {"g1": "<label>high</label>"})
                      + "</performanceTable>"), ("a.g1: <label> is not a number",), 3),
    Bad("infinite", _doc("<performanceTable>" + _row("a", {"g1": "<real>INF</real>"})
                         + "</performanceTable>"), ("a.g1: 'INF' is not a finite number",)),
    Bad("hex", _doc("<performanceTable>" + _row("a", {"g1": "<real>0x1F</real>"})
                    + "</performanceTable>"), ("a.g1: '0x1F' is not a finite number",)),
    Bad("zero-denominator", _doc(
        "<performanceTable>" + _row("a", {"g1": "<rational><numerator>1</numerator>"
                                                "<denominator>0</denominator></rational>"})
        + "</performanceTable>"), ("a rational with denominator 0",)),
    Bad("two-values", _doc(
        "<performanceTable><alternativePerformances><alternativeID>a</alternativeID>"
        "<performance><criterionID>g1</criterionID><values><value><real>1</real></value>"
        "<value><real>2</real></value></values></performance></alternativePerformances>"
        "</performanceTable>"), ("a.g1: 2 values where one number belongs",)),
    Bad("duplicate-cell", _doc(
        "<performanceTable>" + _row("a", {"g1": "<real>1</real>"}).replace(
            "</alternativePerformances>",
            "<performance><criterionID>g1</criterionID><values><value><real>2</real></value>"
            "</values></performance></alternativePerformances>")
        + "</performanceTable>"), ("a.g1: a second performance on the same criterion",)),
    Bad("duplicate-row", _doc(
        "<performanceTable>" + _row("a", {"g1": "<real>1</real>"}) * 2
        + "</performanceTable>"), ("a second row for alternative 'a'",), 4),
    Bad("missing-cell", _doc(
        "<performanceTable>" + _row("a", {"g1": "<real>1</real>", "g2": "<real>1</real>"})
        + _row("b", {"g1": "<real>1</real>"}) + "</performanceTable>"),
        ("b.g2: no performance on criterion 'g2'",), 4),
    Bad("empty-id", _doc("<performanceTable>" + _row(" ", {"g1": "<real>1</real>"})
                         + "</performanceTable>"), ("empty <alternativeID>",)),
    Bad("undeclared-alternative", _doc(
        "<alternatives><alternative id='a'/></alternatives>"
        + "<performanceTable>" + _row("z", {"g1": "<real>1</real>"}) + "</performanceTable>"),
        ("alternative 'z' is not declared",)),
    Bad("undeclared-criterion", _doc(
        "<criteria><criterion id='g1'/></criteria>"
        + "<performanceTable>" + _row("a", {"g9": "<real>1</real>"}) + "</performanceTable>"),
        ("criterion 'g9' is not declared",)),
    Bad("alternative-without-row", _doc(
        "<alternatives><alternative id='a'/><alternative id='b'/></alternatives>"
        + "<performanceTable>" + _row("a", {"g1": "<real>1</real>"}) + "</performanceTable>"),
        ("no performances for alternative 'b'",)),
    Bad("bad-active", _doc(
        "<alternatives><alternative id='a'><active>maybe</active></alternative></alternatives>"
        + "<performanceTable>" + _row("a", {"g1": "<real>1</real>"}) + "</performanceTable>"),
        ("active is 'maybe'", "allowed: true or false")),
    Bad("all-inactive", _doc(
        "<alternatives><alternative id='a'><active>false</active></alternative></alternatives>"
        + "<performanceTable>" + _row("a", {"g1": "<real>1</real>"}) + "</performanceTable>"),
        ("every alternative is inactive",), None, ("--weights", "1", "--types", "1")),
    Bad("negative-weight", _doc(TABLE + _weights({"g1": 1, "g2": -1})),
        ("weights.g2: weight -1 is negative", "allowed: weights >= 0")),
    Bad("missing-weight", _doc(TABLE + _weights({"g1": 1})),
        ("weights: no weight for criterion 'g2'",), None, ("--types", "1,1")),
    Bad("weight-of-unknown", _doc(TABLE + _weights({"g1": 1, "g2": 1, "g3": 1})),
        ("weight for criterion 'g3', which is not in the performanceTable",)),
    Bad("two-weights", _doc(TABLE + _weights({"g1": 1, "g2": 1}) + _weights({"g1": 1, "g2": 1})),
        ("2 criteriaValues with mcdaConcept 'weights'",)),
    Bad("no-direction", _doc(TABLE + _scales({"g1": "max"}) + _weights({"g1": 1, "g2": 1})),
        ("criteriaScales.g2: no preferenceDirection for criterion 'g2'",)),
    Bad("bad-direction", _doc(TABLE + _scales({"g1": "max", "g2": "up"})),
        ("preferenceDirection 'up' for criterion 'g2'", "allowed: min or max"), None,
        ("--weights", "1,1")),
    Bad("threshold-concept", _doc(
        TABLE + "<criteriaThresholds><criterionThresholds><criterionID>g1</criterionID>"
        "<thresholds><threshold mcdaConcept='veto'><constant><real>1</real></constant>"
        "</threshold></thresholds></criterionThresholds></criteriaThresholds>"),
        ("criteriaThresholds.g1: threshold concept 'veto'",), None,
        ("--weights", "1,1", "--types", "1,1", "--method", "promethee")),
    Bad("affine-threshold", _doc(
        TABLE + "<criteriaThresholds><criterionThresholds><criterionID>g1</criterionID>"
        "<thresholds><threshold mcdaConcept='preference'><affine><slope><real>0.1</real>"
        "</slope><intercept><real>1</real></intercept></affine></threshold></thresholds>"
        "</criterionThresholds></criteriaThresholds>"),
        ("only constant thresholds are read",), None,
        ("--weights", "1,1", "--types", "1,1", "--method", "promethee")),
    Bad("no-weights", _doc(TABLE + _scales({"g1": "max", "g2": "min"})),
        ("--weights: no weights given, and this XMCDA file holds none",)),
    Bad("no-types", _doc(TABLE + _weights({"g1": 1, "g2": 1})),
        ("--types: no criterion types given, and this XMCDA file holds none",)),
]


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_bad_xmcda_is_one_line(
    case: Bad, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = _write(tmp_path, case.content)
    result = run_cli("rank", str(path), *case.args)
    assert result.status == 2, (result.status, result.out, result.err)
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert "Traceback" not in result.err
    for text in case.says:
        assert text in lines[0], (text, lines[0])
    if case.line is not None:
        assert lines[0].startswith(f"error: {path}:{case.line}:"), lines[0]
    else:
        assert str(path) in lines[0] or case.id in ("no-weights", "no-types"), lines[0]
    assert "allowed: " in lines[0]


def test_the_good_file_of_the_catalogue_ranks(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("rank", str(_write(tmp_path, GOOD)), "--method", "wsm", "--json")
    assert result.status == 0, result.err
    data = json.loads(result.out)
    assert data["benefit"] == [True, False] and data["weights"] == [0.5, 0.5]


def test_csv_without_weights_says_which_option(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = _write(tmp_path, "o,a,b\nA,1,2\nB,2,1\n", "m.csv")
    result = run_cli("rank", str(path), "--types", "1,1")
    assert result.status == 2
    assert result.err.strip() == (
        "error: --weights: no weights given, and a CSV or YAML matrix holds none; allowed: "
        "--weights with one value per criterion"
    )


def test_entity_expansion_is_refused_at_once(tmp_path: Path) -> None:
    """A billion-laughs file is refused before any entity is read (not merely bounded)."""
    deep = LAUGHS.replace('"&b;&b;&b;&b;&b;&b;&b;&b;"', '"' + "&b;" * 1000 + '"')
    start = time.perf_counter()
    with pytest.raises(decision.DecisionError, match="document type declaration"):
        parse_xmcda(deep.encode(), "bomb.xml")
    assert time.perf_counter() - start < 0.5


def test_element_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import decision.files.xmcda as module

    monkeypatch.setattr(module, "MAX_ELEMENTS", 10)
    with pytest.raises(decision.DecisionError, match="more than 10 elements"):
        parse_xmcda(GOOD.encode(), "big.xml")


def test_special_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.xml"
    os.mkfifo(path)
    with pytest.raises(decision.DecisionError, match="FIFO"):
        read_xmcda(str(path))


def test_names_xml_cannot_hold_are_refused() -> None:
    table = XmcdaTable(("a\x01",), ("g",), np.zeros((1, 1)))
    with pytest.raises(decision.DecisionError, match="holds a character XML cannot hold"):
        to_xml(table)
    with pytest.raises(decision.DecisionError, match="cannot be written"):
        to_xml(replace(table, alternatives=("a",), values=np.array([[np.inf]])))


EXPORT_BAD = [
    ("over-the-scenario", lambda d: str(d / "open.yaml"),
     ("--xmcda: refusing to write over", "it is an input of the scenario")),
    ("over-the-model", lambda d: str(d / "model.yaml"), ("--xmcda: refusing to write over",)),
    ("a-directory", lambda d: str(d), ("--xmcda:", "is a directory")),
    ("missing-folder", lambda d: str(d / "none" / "s.xml"),
     ("--xmcda: cannot write", "No such file or directory")),
]


@pytest.mark.parametrize(("case", "out", "says"), EXPORT_BAD, ids=[c[0] for c in EXPORT_BAD])
def test_bad_export_is_one_line(
    case: str, out: Callable[[Path], str], says: tuple[str, ...], mini: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    before = {p.name: p.read_bytes() for p in mini.iterdir()}
    result = run_cli("export", str(mini / "open.yaml"), "--xmcda", out(mini))
    assert result.status == 2 and result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    for text in says:
        assert text in lines[0], (text, lines[0])
    assert {p.name: p.read_bytes() for p in mini.iterdir()} == before


def test_export_has_no_samples_option(mini: Path, run_cli: Callable[..., CliResult]) -> None:
    """The export is of the point values: --samples would suggest otherwise."""
    result = run_cli("export", str(mini / "open.yaml"), "--xmcda", "-", "--samples", "10")
    assert result.status == 2 and "No such option '--samples'" in result.err
