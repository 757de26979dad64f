"""The method registry: names, aliases, parameter models and their errors."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from decision.core.methods import (
    ALIASES,
    METHODS,
    MethodSpec,
    PrometheeParams,
    TopsisParams,
    get_method,
    parse_method,
    promethee_ii,
    score,
    weighted_sum,
)
from decision.errors import DecisionError

X = np.array([[0.2, 0.9, 0.4], [0.6, 0.3, 0.8], [0.9, 0.5, 0.1]])
W = np.array([0.2, 0.5, 0.3])
B = np.array([True, False, True])


def test_names_and_aliases() -> None:
    assert set(METHODS) == {"wsm", "wpm", "topsis", "vikor", "promethee", "promethee_i",
                            "waspas", "copras", "edas", "mabac", "spotis", "electre_iii"}
    assert [name for name, info in METHODS.items() if info.partial] == ["promethee_i",
                                                                          "electre_iii"]
    assert ALIASES == {"weighted_sum": "wsm", "weighted_product": "wpm",
                       "promethee_ii": "promethee"}
    assert get_method("weighted_sum") is METHODS["wsm"]


@pytest.mark.parametrize("name", [*METHODS, *ALIASES])
def test_every_method_scores_with_default_parameters(name: str) -> None:
    scores = score(name, X, W, B)
    assert scores.shape == (3,) and np.all(np.isfinite(scores))


def test_absolute_methods() -> None:
    assert METHODS["wsm"].is_absolute() and METHODS["wpm"].is_absolute()
    assert not METHODS["wsm"].is_absolute({"normalisation": "minmax"})
    assert not any(METHODS[name].is_absolute() for name in ("topsis", "vikor", "promethee"))
    assert METHODS["spotis"].is_absolute() and METHODS["spotis"].is_absolute({"bounds": [0, 2]})
    assert not METHODS["spotis"].is_absolute({"bounds": "observed"})
    assert not METHODS["waspas"].is_absolute()
    assert METHODS["waspas"].is_absolute({"normalisation": "none"})
    assert not any(METHODS[n].is_absolute() for n in ("copras", "edas", "mabac", "promethee_i"))


def test_parse_method_from_a_file_mapping() -> None:
    info, params = parse_method({"name": "topsis", "normalisation": "minmax"})
    assert info.name == "topsis" and params == TopsisParams(normalisation="minmax")
    info, params = parse_method("vikor")
    assert info.name == "vikor" and params.kwargs() == {"v": 0.5}
    _, params = parse_method({"name": "promethee", "preference": [
        {"function": "linear", "q": 0.1, "p": 0.3}, {"function": "usual"}, {}]})
    assert isinstance(params, PrometheeParams)
    np.testing.assert_allclose(
        score("promethee", X, W, B, None, params),
        promethee_ii(X, W, B, preference=params.kwargs()["preference"]),
    )
    np.testing.assert_allclose(
        score("wsm", X, W, B, None, {"normalisation": "vector"}),
        weighted_sum(X, W, B, normalisation="vector"),
    )


def test_method_spec_embeds_in_other_models() -> None:
    class Scenario(BaseModel):
        method: MethodSpec

    spec = Scenario.model_validate({"method": {"name": "weighted_product",
                                               "normalisation": "sum"}})
    assert spec.method.absolute is False
    assert parse_method(spec.method)[0].name == "wpm"
    with pytest.raises(ValidationError):
        TypeAdapter(MethodSpec).validate_python({"name": "topsis", "v": 0.5})


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("topsys", "unknown method 'topsys' \\(did you mean 'topsis'\\?\\); allowed: copras, "
                   "edas, .*, wpm, wsm$"),
        ({"name": "topsis", "normalization": "vector"},
         "method: unknown parameter 'normalization' for method topsis "
         "\\(did you mean 'normalisation'\\?\\); allowed: normalisation"),
        ({"name": "topsis", "normalisation": "sum"},
         "method.normalisation: Input should be 'vector' or 'minmax'"),
        ({"name": "vikor", "v": 1.5}, "method.v: .*less than or equal to 1.*allowed: v:"),
        ({"name": "vikor", "v": "nan"}, "method.v: .*finite"),
        ({"name": "promethee", "preference": {"function": "linear", "q": 0.2}},
         "method.preference: preference function 'linear' needs p; allowed: linear with q, p"),
        ({"name": "promethee", "preference": [{"function": "usual"},
                                              {"function": "level", "q": 0.3, "p": 0.1}]},
         "method.preference\\[1\\]: level needs q <= p"),
        ({"name": "promethee", "preference": {"function": "usual", "x": 1}},
         "unknown parameter 'x'.*allowed: function, q, p, s"),
        ({"normalisation": "minmax"}, "a method needs a name"),
    ],
)
def test_bad_method_choices_name_the_problem(spec: object, message: str) -> None:
    with pytest.raises(DecisionError, match=message):
        parse_method(spec)  # type: ignore[arg-type]


def test_score_validates_its_parameters() -> None:
    with pytest.raises(DecisionError, match="unknown parameter 'v' for method wsm"):
        score("wsm", X, W, B, None, {"v": 0.5})
    with pytest.raises(DecisionError, match="parameters for 'topsis' given to method 'wsm'"):
        score("wsm", X, W, B, None, TopsisParams())
    with pytest.raises(DecisionError, match="unknown method 'electre'"):
        score("electre", X, W, B)
    with pytest.raises(DecisionError, match="2 preference functions for 3 criteria"):
        score("promethee", X, W, B, None, {"preference": [{}, {}]})
