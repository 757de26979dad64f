"""Load model and scenario files: YAML -> pydantic spec -> cross-checked, resolved objects.

Every problem becomes one :class:`DecisionError` naming file, line, column and key path.
"""

from __future__ import annotations

import itertools
import os
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from decision.errors import (
    KIND_EXAMPLES,
    TYPE_ERRORS,
    DecisionError,
    abbreviate,
    describe_value,
    did_you_mean,
    list_allowed,
)
from decision.files.yamlio import Document, load_yaml, parse_yaml, read_text
from decision.load.stakeholders import (
    looks_like_stakeholder,
    stakeholder_path,
    stakeholder_problems,
    with_stakeholders,
)
from decision.load.validation import check_model, model_problems, scenario_problems
from decision.specs import DistributionSpec, ModelSpec, ScenarioSpec
from decision.specs.common import ID_RULES
from decision.specs.resolved import LoadedModel, LoadedStakeholder, Scenario
from decision.specs.scalars import why_text
from decision.specs.stakeholder import StakeholderSpec

SpecT = TypeVar("SpecT", bound=BaseModel)


# ---------------------------------------------------------------------------- spec validation


def validate_document(document: Document, spec_type: type[SpecT]) -> SpecT:
    """Validate a document against a spec; the first error (in file order) is raised."""
    spec, problems = _validated(document, spec_type)
    if spec is None:
        raise problems[0]
    return spec


def _validated(
    document: Document, spec_type: type[SpecT]
) -> tuple[SpecT | None, list[DecisionError]]:
    """The spec of a document, or None and every problem of its shape (in file order)."""
    if not isinstance(document.data, dict):
        return None, [
            document.error(
                f"the file holds a {type(document.data).__name__}, not a mapping",
                (),
                allowed=f"a mapping with keys {list_allowed(spec_type.model_fields)}",
            )
        ]
    try:
        return spec_type.model_validate(document.data), []
    except ValidationError as exc:
        return None, _translations(document, spec_type, exc)


def _dist_of(model: type[BaseModel]) -> Any:
    args = typing.get_args(model.model_fields["dist"].annotation)
    return args[0] if args else None


#: Tags pydantic puts in an error's location for union members: type names, validator kinds
#: and the ``dist`` values of the distribution specs (read off the specs, not listed by hand).
_DIST_TAGS = {
    _dist_of(member) for member in typing.get_args(typing.get_args(DistributionSpec)[0])
}
_UNION_TAGS = {"bool", "float", "int", "str", "function-after", "lax-or-strict", "union"} | (
    _DIST_TAGS
)


@dataclass(frozen=True)
class _Problem:
    """One pydantic error, placed in the data: the key path it concerns and its details."""

    path: tuple[str | int, ...]
    error: dict[str, Any]
    #: Union members the location passed through (pydantic's tags), in order.
    tags: tuple[str, ...]
    #: Where in ``path`` the first union tag was met (the value the union validated).
    site: int | None
    #: Whether the error concerns a mapping key rather than its value.
    on_key: bool


def _translate(
    document: Document, spec_type: type[BaseModel], exc: ValidationError
) -> DecisionError:
    """Turn pydantic's errors into one located line (the earliest in the file)."""
    return _translations(document, spec_type, exc)[0]


def _translations(
    document: Document, spec_type: type[BaseModel], exc: ValidationError
) -> list[DecisionError]:
    """Turn pydantic's errors into located lines, one per key path, in file order.

    Of a union's alternatives, only those the data meant are considered: a mapping with
    ``dist`` is a distribution, so its own problem is reported, not that it is no number. A
    required key reported missing beside an unknown key of the same mapping is left out: it
    is most often the same mistake (a misspelling), reported once as the unknown key.
    """
    problems = _meant(
        document.data, [_place(document.data, dict(e)) for e in exc.errors(include_url=False)]
    )
    groups: dict[tuple[str | int, ...], list[_Problem]] = {}
    for problem in problems:
        groups.setdefault(_target(problem), []).append(problem)

    def only_missing(path: tuple[str | int, ...]) -> bool:
        return all(p.error["type"] == "missing" for p in groups[path])

    def order(path: tuple[str | int, ...]) -> tuple[bool, tuple[int, int]]:
        # a misspelt key also makes a required one missing: report the misspelling first
        return only_missing(path), document.locate(path) or (0, 0)

    ordered = sorted(groups, key=order)
    misspelt = {
        path[:-1]
        for path in ordered
        if any(p.error["type"] == "extra_forbidden" for p in groups[path])
    }
    kept = [ordered[0]] + [
        path for path in ordered[1:] if not (only_missing(path) and path[:-1] in misspelt)
    ]
    return [_group_error(document, spec_type, path, groups[path]) for path in kept]


def _group_error(
    document: Document,
    spec_type: type[BaseModel],
    path: tuple[str | int, ...],
    found: list[_Problem],
) -> DecisionError:
    """One located line for the pydantic errors at one key path."""
    first = found[0].error
    kind = first["type"]
    if kind == "extra_forbidden":
        name = str(path[-1])
        allowed_keys = _allowed_keys(spec_type, document.data, path[:-1])
        return document.error(
            f"unknown key '{name}'{did_you_mean(name, allowed_keys)}",
            path,
            allowed=list_allowed(allowed_keys) if allowed_keys else None,
        )
    if kind == "missing":
        missing = str(path[-1])
        return document.error(f"missing required key '{missing}'", path[:-1], allowed=None)
    if kind == "at_key":
        context = first.get("ctx") or {}
        return document.error(
            str(context.get("message", first["msg"])), path, allowed=context.get("allowed") or None
        )
    value = path[-1] if found[0].on_key else _value_at(document.data, path)
    if len(found) > 1 or kind in TYPE_ERRORS:
        return _wrong_type(document, path, value, [p.error for p in found])
    if kind == "union_tag_invalid":
        tag = str((first.get("ctx") or {}).get("tag", value))
        return document.error(
            f"unknown distribution '{tag}'{did_you_mean(tag, _DISTRIBUTIONS)}",
            path,
            allowed="dist: " + ", ".join(_DISTRIBUTIONS),
        )
    if kind == "union_tag_not_found":
        return document.error(
            "a mapping here is a distribution and needs a 'dist' key",
            path,
            allowed=_SETTING_KINDS,
        )
    if kind == "string_pattern_mismatch":
        rule = ID_RULES.get(str((first.get("ctx") or {}).get("pattern")))
        if rule is not None:
            id_kind, words = rule
            return document.error(
                f"{_quote(value)} is not a valid {id_kind}", path, allowed=words
            )
    bound = _BOUNDS.get(kind)
    if bound is not None and _is_scalar(value):
        key, said, allowed_as = bound
        limit = (first.get("ctx") or {}).get(key)
        return document.error(f"{_quote(value)} {said} {_number(limit)}", path,
                              allowed=f"a number {allowed_as} {_number(limit)}")
    if kind in ("too_short", "too_long") and isinstance(value, list | dict):
        context = first.get("ctx") or {}
        low, high = context.get("min_length"), context.get("max_length")
        count = len(value)
        limit, side = (low, "least") if kind == "too_short" else (high, "most")
        return document.error(f"has {count:,} item{'s' if count != 1 else ''}", path,
                              allowed=f"at {side} {limit:,} item{'s' if limit != 1 else ''}")
    if kind in ("string_too_short", "string_too_long"):
        context = first.get("ctx") or {}
        low, high = context.get("min_length"), context.get("max_length")
        if kind == "string_too_short":
            said = "is empty" if not value else f"has {len(str(value))} characters"
            return document.error(said, path, allowed=f"text of at least {low} character"
                                  + ("s" if low != 1 else ""))
        return document.error(f"has {len(str(value)):,} characters", path,
                              allowed=f"text of at most {high:,} characters")
    if kind == "finite_number":  # as FiniteFloat's own check words it
        return document.error(
            f"must be a finite number (not NaN or infinity) (got {_quote(value)})", path,
            allowed="a finite number",
        )
    message, _, allowed = _clean(first["msg"]).partition("; allowed: ")
    shown = _quote(value)
    got = f" (got {shown})" if _is_scalar(value) and shown not in message else ""
    return document.error(f"{message}{got}", path, allowed=allowed or None)


def _place(data: Any, error: dict[str, Any]) -> _Problem:
    """Follow an error's location through the data, setting union tags aside."""
    path: list[str | int] = []
    tags: list[str] = []
    site: int | None = None
    node = data
    tagged = False  # whether this node's own ``dist`` tag was met (a key may share its name)
    for part in error["loc"]:
        in_dict = isinstance(node, dict) and isinstance(part, str)
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict and not tagged and part in _DIST_TAGS and node.get("dist") == part:
            tags.append(str(part))  # {dist: experts, experts: [...]}: the first is the tag
            tagged = True
            if site is None:
                site = len(path)
        elif (in_dict and part in node) or in_list:
            node = node[part]
            path.append(part)
            tagged = False
        elif in_dict and (tagged or not _is_union_tag(str(part))):
            # a missing or unknown key ends the path
            path.append(part)
            break
        else:  # a union tag such as 'float' or 'uniform', or '[key]'
            tags.append(str(part))
            if site is None and part != "[key]":
                site = len(path)
    return _Problem(tuple(path), error, tuple(tags), site, "[key]" in tags)


def _target(problem: _Problem) -> tuple[str | int, ...]:
    """The key path a problem is reported at (a cross-key check names its key)."""
    if problem.error["type"] == "at_key":
        key = (problem.error.get("ctx") or {}).get("key") or ()
        return (*problem.path, *key)
    if problem.error["type"] == "union_tag_invalid":
        return (*problem.path, "dist")
    return problem.path


def _meant(data: Any, problems: list[_Problem]) -> list[_Problem]:
    """Drop a union's scalar alternatives where the data is a mapping that meant another.

    For ``{dist: uniform, low: 0.8, high: 0.3}`` pydantic reports that it is no boolean, no
    number and a uniform with low above high; only the last is what the user needs to hear.
    """
    meant: set[tuple[str | int, ...]] = set()
    for problem in problems:
        if problem.site is None:
            continue
        site = problem.path[: problem.site]
        # at a mapping, any error but "not a <kind>" comes from the member that takes mappings
        inside = len(problem.path) > problem.site or problem.error["type"] not in TYPE_ERRORS
        if inside and isinstance(_value_at(data, site), dict):
            meant.add(site)
    return [
        p
        for p in problems
        if not (
            p.site is not None
            and p.path[: p.site] in meant
            and len(p.path) == p.site
            and p.error["type"] in TYPE_ERRORS
        )
    ]


_DISTRIBUTIONS = [
    _dist_of(member) for member in typing.get_args(typing.get_args(DistributionSpec)[0])
]
_SETTING_KINDS = (
    "a number, true/false, or a distribution {dist: " + "|".join(_DISTRIBUTIONS) + ", ...}"
)


def _wrong_type(
    document: Document, path: tuple[str | int, ...], value: Any, errors: list[dict[str, Any]]
) -> DecisionError:
    """A value of the wrong kind: what it is, what was expected, and why (YAML 1.1 forms)."""
    if any(e["type"] == "literal_error" for e in errors):
        choices = [_clean(e["msg"]).removeprefix("input should be ") for e in errors]
        return document.error(
            f"{describe_value(value)} is not allowed here", path, allowed=" or ".join(choices)
        )
    distribution = any(_is_distribution_tag(t) for e in errors for t in map(str, e["loc"]))
    kinds = {TYPE_ERRORS.get(e["type"], "") for e in errors} - {""}
    if distribution:
        kinds = (kinds - {"a mapping"}) | {"a distribution"}
    kinds_in_order = [k for k in _KIND_ORDER if k in kinds] + sorted(kinds - set(_KIND_ORDER))
    if not kinds_in_order:  # not a type error after all: list the alternatives' own messages
        return document.error(
            f"invalid value {_quote(value)}",
            path,
            allowed=" or ".join(sorted({_clean(e["msg"]) for e in errors})),
        )
    head, last = kinds_in_order[:-1], kinds_in_order[-1]
    expected = f"{', '.join(head)} or {last}" if head else last
    hint = ""
    if isinstance(value, str) and kinds & {"a number", "a whole number", "true/false"}:
        hint = why_text(value)
    elif "text" in kinds and _is_scalar(value) and value is not None:
        hint = " (put it in quotes to make it text)"
    examples = " or ".join(KIND_EXAMPLES.get(k, k) for k in kinds_in_order)
    allowed = _SETTING_KINDS if distribution else examples
    return document.error(
        f"{describe_value(value)} is not {expected}{hint}", path, allowed=allowed
    )


#: The order in which expected kinds are named in a message.
_KIND_ORDER = [
    "a number", "a whole number", "true/false", "text", "a list", "a mapping", "a distribution"
]


def _is_distribution_tag(tag: str) -> bool:
    return tag.startswith("tagged-union[")


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _quote(value: Any) -> str:
    """A scalar as quoted in a message, shortened (its middle elided) when long."""
    if isinstance(value, str):
        return repr(abbreviate(value))
    return abbreviate(repr(value))


def _is_union_tag(part: str) -> bool:
    return part in _UNION_TAGS or "[" in part


def _value_at(data: Any, path: Sequence[str | int]) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


#: pydantic's bound errors: the context key of the bound, what the value is beside it, and
#: how the allowed part reads ("-1 is below 0; allowed: a number >= 0").
_BOUNDS: dict[str, tuple[str, str, str]] = {
    "greater_than_equal": ("ge", "is below", ">="),
    "less_than_equal": ("le", "is above", "<="),
    "greater_than": ("gt", "is not above", ">"),
    "less_than": ("lt", "is not below", "<"),
}


def _number(value: object) -> str:
    """A bound as a person writes it: 0 not 0.0, 1e-06 as such."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _clean(message: str) -> str:
    text = message.replace("Value error, ", "")
    return text[0].lower() + text[1:] if text else text


def _allowed_keys(root: type[BaseModel], data: Any, path: Sequence[str | int]) -> list[str]:
    """Field names of the spec class that sits at ``path`` in the data."""
    candidates: list[Any] = [root]
    node = data
    for part in path:
        node = _value_at(node, [part])
        nxt: list[Any] = []
        for annotation in candidates:
            for member in _members(annotation):
                if (
                    isinstance(member, type)
                    and issubclass(member, BaseModel)
                    and isinstance(part, str)
                ):
                    if part in member.model_fields:
                        nxt.append(member.model_fields[part].annotation)
                else:
                    origin = typing.get_origin(member)
                    args = typing.get_args(member)
                    if origin is dict and args:
                        nxt.append(args[-1])
                    elif origin is list and args:
                        nxt.append(args[0])
        candidates = nxt
    models = [
        m
        for a in candidates
        for m in _members(a)
        if isinstance(m, type) and issubclass(m, BaseModel)
    ]
    if isinstance(node, dict) and "dist" in node:
        models = [
            m for m in models if "dist" in m.model_fields and _dist_of(m) == node["dist"]
        ] or models
    return sorted({name for m in models for name in m.model_fields})


def _members(annotation: Any) -> Iterator[Any]:
    """Unwrap Annotated/Optional/Union into their member types."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _members(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _members(arg)
    else:
        yield annotation


# ---------------------------------------------------------------------------- public loaders

#: File names a scenario's ``model`` and ``extends`` may point at (without --allow-any-path).
YAML_SUFFIXES = (".yaml", ".yml")
#: Top-level keys that make a mapping a decision model: the file a scenario's ``model`` names
#: must have them before any of its content is quoted in a message.
MODEL_KEYS = ("indicators", "criteria", "options")


#: Keys only one of the two file kinds has (the rest, such as id and indicators, both have).
MODEL_ONLY_KEYS = tuple(k for k in ModelSpec.model_fields if k not in ScenarioSpec.model_fields)
SCENARIO_ONLY_KEYS = tuple(
    k for k in ScenarioSpec.model_fields if k not in ModelSpec.model_fields
)
#: Most problems ``validate`` lists for one file; past it, one more line says how many more.
MAX_PROBLEMS = 20


def file_caps() -> dict[str, int]:
    """The YAML reader's caps by name, for the field reference."""
    from decision.files import yamlio

    names = ("MAX_FILE_BYTES", "MAX_NODES", "MAX_EXPANDED_CHARS", "MAX_DEPTH", "MAX_INT_DIGITS")
    return {name: int(getattr(yamlio, name)) for name in names}


def file_kind(data: Any) -> str | None:
    """'model', 'scenario' or 'stakeholder' when the keys of ``data`` say which file it is,
    else None (keys of both kinds, or of neither)."""
    if not isinstance(data, dict):
        return None
    if "represents" in data and "elicitation" in data and "options" not in data:
        return "stakeholder"
    model = any(key in data for key in MODEL_ONLY_KEYS)
    scenario = any(key in data for key in SCENARIO_ONLY_KEYS)
    if model != scenario:
        return "model" if model else "scenario"
    return None


def _refuse_other_kind(document: Document, expected: str) -> None:
    """A model named where a scenario is expected (or the converse) is said to be one, rather
    than reported as a scenario with unknown keys such as 'source'."""
    kind = file_kind(document.data)
    if kind == expected or kind is None:
        return
    if kind == "stakeholder":
        raise document.error(
            "this is a stakeholder file, checked with the model that lists it",
            (),
            allowed="'decision validate MODEL' for the model whose 'stakeholders' names this "
            "file",
        )
    if kind == "model":
        raise document.error(
            "this is a decision model, not a scenario",
            (),
            allowed="a scenario file that names this model with 'model: <path relative to "
            "the scenario>' ('decision init DIR' writes an example), or 'decision validate "
            f"{document.path}' to check the model",
        )
    raise document.error(
        "this is a scenario, not a decision model",
        (),
        allowed="a model file (keys id, title, source, indicators, criteria, options); a "
        f"scenario is run with 'decision run {document.path}' or checked with "
        "'decision validate'",
    )


def load_model(path: str | Path) -> LoadedModel:
    """Load, validate and cross-check a model file."""
    file = Path(path)
    document = load_yaml(file)
    _refuse_other_kind(document, "model")
    return _checked_model(file, document)


def model_file_problems(
    path: str | Path, limit: int = MAX_PROBLEMS, *, document: Document | None = None
) -> tuple[LoadedModel | None, list[DecisionError]]:
    """A model file and its problems: every independent one, up to ``limit`` + 1 (so a caller
    can say there are more). The model is None when there is any problem. A file that cannot
    be read or parsed as YAML raises its one error, as :func:`load_model` does. ``document``
    is the file as :func:`load_yaml` read it, when the caller has it (it is not read again)."""
    file = Path(path)
    if document is None:
        document = load_yaml(file)
    _refuse_other_kind(document, "model")
    spec, problems = _validated(document, ModelSpec)
    stakeholders: tuple[LoadedStakeholder, ...] = ()
    if spec is not None:
        problems = list(itertools.islice(model_problems(spec, document), limit + 1))
        if not problems:
            stakeholders = _load_stakeholders(file, spec, document, problems)
    if spec is None or problems:
        return None, problems[: limit + 1]
    return _loaded(file, spec, document, stakeholders), []


def scenario_file_problems(
    path: str | Path,
    *,
    allow_any_path: bool = False,
    limit: int = MAX_PROBLEMS,
    document: Document | None = None,
) -> tuple[Scenario | None, list[DecisionError]]:
    """A scenario file and its problems, as :func:`model_file_problems` for models: every
    independent problem of the file's own keys and settings is listed; a problem in a file
    it names (its model, the scenarios it extends) is raised as one error, as
    :func:`load_scenario` does. ``document`` as for :func:`model_file_problems`."""
    file = Path(path)
    if document is None:
        document = load_yaml(file)
    _refuse_other_kind(document, "scenario")
    _, problems = _validated(document, ScenarioSpec)
    if problems:
        return None, problems[: limit + 1]
    found: list[DecisionError] = []
    scenario, _ = _load_scenario(file, None, allow_any_path=allow_any_path, problems=found)
    if found:
        return None, found[: limit + 1]
    return scenario, []


def _checked_model(file: Path, document: Document) -> LoadedModel:
    spec = validate_document(document, ModelSpec)
    check_model(spec, document)
    return _loaded(file, spec, document, _load_stakeholders(file, spec, document, None))


def _loaded(
    file: Path, spec: ModelSpec, document: Document, stakeholders: tuple[LoadedStakeholder, ...]
) -> LoadedModel:
    """The loaded model, its stakeholder files joined to its perspectives."""
    return LoadedModel(
        path=file,
        spec=with_stakeholders(spec, stakeholders),
        document=document,
        stakeholders=stakeholders,
    )


def _load_stakeholders(
    file: Path, spec: ModelSpec, document: Document, problems: list[DecisionError] | None
) -> tuple[LoadedStakeholder, ...]:
    """The stakeholder files the model lists, read and checked (see
    :mod:`decision.load.stakeholders`). A problem is raised, or added to ``problems`` when a
    list is given (a file whose path or kind is wrong adds one problem and is skipped)."""
    loaded: list[LoadedStakeholder] = []
    taken = list(spec.perspectives)

    def report(error: DecisionError) -> None:
        if problems is None:
            raise error
        problems.append(error)

    for index, value in enumerate(spec.stakeholders):
        try:
            path = stakeholder_path(value, file, document, index)
            own = _read_referenced(path, "stakeholder file")
            if not looks_like_stakeholder(own.data):
                raise document.error(
                    f"'{value}' is not a stakeholder file",
                    ("stakeholders", index),
                    allowed="a stakeholder file: a mapping with the keys id, title, "
                    "represents, status, description and elicitation",
                )
        except DecisionError as exc:
            report(exc)
            continue
        stakeholder, found = _validated(own, StakeholderSpec)
        if stakeholder is not None:
            found = list(stakeholder_problems(stakeholder, spec, own, taken))
        for error in found:
            report(error)
        if stakeholder is not None and not found:
            taken.append(stakeholder.id)
            loaded.append(LoadedStakeholder(path=_as_opened(path), spec=stakeholder,
                                            document=own))
    return tuple(loaded)


def project_root(scenario: str | Path) -> Path:
    """The project of a scenario named on the command line: the folder above its folder.

    ``scenarios/x.yaml`` may so name ``../models/m.yaml``, and a model beside its scenarios
    works too. Symbolic links are resolved, so a link cannot lead out of the project.
    """
    return Path(os.path.realpath(Path(scenario).absolute().parent)).parent


def load_scenario(
    path: str | Path, model: LoadedModel | None = None, *, allow_any_path: bool = False
) -> tuple[Scenario, LoadedModel]:
    """Load a scenario, resolve its ``extends`` chain, and load (or reuse) its model.

    ``model`` and ``extends`` must name ``.yaml``/``.yml`` files inside the scenario's
    project (see :func:`project_root`) by relative paths, unless ``allow_any_path``. Files
    reached that way are untrusted: until a file looks like a model (or a scenario), no
    message quotes its content.
    """
    scenario, loaded = _load_scenario(
        Path(path), model, allow_any_path=allow_any_path, problems=None
    )
    assert scenario is not None  # without a problems list, any problem was raised
    return scenario, loaded


def _load_scenario(
    file: Path,
    model: LoadedModel | None,
    *,
    allow_any_path: bool,
    problems: list[DecisionError] | None,
) -> tuple[Scenario | None, LoadedModel]:
    """:func:`load_scenario`; with a ``problems`` list, the problems of the scenario files'
    settings against the model are all added to it instead of the first being raised."""
    root = None if allow_any_path else project_root(file)
    chain = _load_chain(file, root)
    model_ref: tuple[Path, Document] | None = None
    for spec_path, document, spec in chain:
        if spec.model is not None:
            target = _reference(spec.model, spec_path, document, "model", root)
            model_ref = (_as_opened(target), document)
    if model_ref is None:
        _, document, _ = chain[-1]
        raise document.error(
            "no model named in this scenario or the ones it extends",
            (),
            allowed="a 'model' key with a path relative to the scenario file",
        )
    model_path, model_doc = model_ref
    if model is None or os.path.realpath(model.path) != os.path.realpath(model_path):
        model = _load_referenced_model(model_path, model_doc)
    indicators: dict[str, Any] = {}
    weights: dict[str, float] = {}
    budgets: dict[str, float] = {}
    ranks: dict[tuple[str, str], float] = {}
    perspective = method = samples = seed = uncertainty = None
    for _, document, spec in chain:
        found = scenario_problems(
            spec, document, model.spec, inherited=dict(indicators), inherited_ranks=dict(ranks)
        )
        if problems is None:
            for problem in found:
                raise problem
        else:
            problems.extend(found)
        indicators.update(spec.indicators)
        ranks.update((c.pair, c.rank) for c in spec.correlations)
        weights.update(spec.weights)
        budgets.update(spec.budgets)
        uncertainty = spec.weight_uncertainty or uncertainty
        perspective = spec.perspective or perspective
        method = spec.method or method
        samples = spec.samples or samples
        seed = spec.seed if spec.seed is not None else seed
    if problems:
        return None, model  # the caller reports the problems
    _check_effective_weights(chain, model.spec, perspective, weights)
    own_path, own_document, own_spec = chain[-1]
    scenario = Scenario(
        path=own_path,
        spec=own_spec,
        model_path=model_path,
        chain=tuple(p for p, _, _ in chain),
        indicators=indicators,
        perspective=perspective,
        weights=weights,
        weight_uncertainty=uncertainty,
        budgets=budgets,
        method=method,
        samples=samples,
        seed=seed,
        correlations={pair: rank for pair, rank in ranks.items() if rank},
        document=own_document,
    )
    return scenario, model


def _check_effective_weights(
    chain: list[tuple[Path, Document, ScenarioSpec]],
    model: ModelSpec,
    perspective: str | None,
    weights: dict[str, float],
) -> None:
    """The weights a scenario chain ends with (the perspective's or the model's, overridden
    by ``weights``) may not all be zero; located at the last file that set them."""
    if perspective is not None:
        chosen = model.perspectives[perspective].weights
        if chosen is None:
            return  # objective weights sum to 1
        base = dict(chosen)
    else:
        base = {name: criterion.weight for name, criterion in model.criteria.items()}
    if sum({**base, **weights}.values()) > 0:
        return
    for _, document, spec in reversed(chain):
        if spec.weights or spec.perspective:
            key = "weights" if spec.weights else "perspective"
            given = "these weights" if spec.weights else f"perspective '{spec.perspective}'"
            raise document.error(
                f"with {given} every criterion weighs 0",
                (key,),
                allowed="at least one weight > 0 after the perspective and overrides",
            )


def _reference(value: str, referrer: Path, document: Document, key: str, root: Path | None) -> Path:
    """The file a scenario's ``model`` or ``extends`` names, refused if it leaves ``root``."""
    raw = Path(value)
    if raw.name in ("", ".", ".."):
        raise document.error(
            f"'{value}' names a folder, not a file",
            (key,),
            allowed="a path to a YAML file, relative to this file",
        )
    target = referrer.parent / raw
    if key == "extends" and target.suffix not in YAML_SUFFIXES:
        target = target.with_name(target.name + ".yaml")
    if root is None:
        return target
    allowed = (
        f"a relative path to a .yaml or .yml file inside the project {root} "
        "(the folder above the scenario's folder), or the option --allow-any-path"
    )
    if raw.is_absolute():
        raise document.error(f"'{value}' is an absolute path", (key,), allowed=allowed)
    if target.suffix not in YAML_SUFFIXES:
        raise document.error(f"'{value}' is not a .yaml or .yml file", (key,), allowed=allowed)
    if not Path(os.path.realpath(target)).is_relative_to(root):
        raise document.error(f"'{value}' leads outside the project", (key,), allowed=allowed)
    return target


def _as_opened(path: Path) -> Path:
    """``path`` as the operating system resolves it (``..`` after symbolic links, as for
    ``extends``), written without ``..`` when that names the same file.

    ``scenarios/../models/m.yaml`` with ``scenarios`` a symbolic link to ``/x/s`` is
    ``/x/models/m.yaml``, not ``models/m.yaml``: the lexical form is kept only when both
    lead to the same place, so messages and reports stay short in the ordinary case.
    """
    lexical = Path(os.path.normpath(path))
    return lexical if os.path.realpath(lexical) == os.path.realpath(path) else path


def _missing(path: Path) -> bool:
    """Whether nothing exists at ``path`` (other problems are left to the reader to report)."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except (OSError, ValueError):
        return False
    return False


def _read_referenced(path: Path, kind: str) -> Document:
    """Parse a file a scenario names; a YAML problem is located but not quoted."""
    text = read_text(path)
    try:
        return parse_yaml(text, str(path))
    except DecisionError as exc:
        if not exc.quotes_input:
            raise
        raise DecisionError(
            f"cannot be read as a {kind}: a YAML problem here (details are shown only for "
            "files named on the command line)",
            file=exc.file,
            line=exc.line,
            column=exc.column,
            allowed=f"a {kind} file; 'decision validate {path}' shows the problem",
        ) from None


def _refuse_foreign_keys(
    data: dict[Any, Any], spec: type[BaseModel], path: Path, referrer: Document, key: str,
    kind: str,
) -> None:
    """A named file is a model or scenario only if every top-level key is one of that kind's:
    other keys (and the values under them) may be anyone's content, so they are not quoted;
    ``decision validate`` on the file itself shows them."""
    if all(isinstance(name, str) and name in spec.model_fields for name in data):
        return
    raise referrer.error(
        f"'{path}' is not a {kind}: it has top-level keys a {kind} does not have (not shown "
        "for a file named by another file)",
        (key,),
        allowed=f"a {kind} file; 'decision validate {path}' shows the keys",
    )


def _load_referenced_model(path: Path, referrer: Document) -> LoadedModel:
    """Load the model a scenario names, checking it is one before quoting anything in it."""
    if _missing(path):
        raise referrer.error(
            f"model file '{path}' not found", ("model",), allowed="a path relative to this file"
        )
    document = _read_referenced(path, "decision model")
    data = document.data
    if file_kind(data) == "scenario":  # its keys are the tool's own, so naming its kind is safe
        raise referrer.error(
            f"'{path}' is a scenario, not a decision model",
            ("model",),
            allowed="the model file in 'model:'; a scenario this one builds on goes in "
            "'extends:'",
        )
    if not (isinstance(data, dict) and all(key in data for key in MODEL_KEYS)):
        raise referrer.error(
            f"'{path}' is not a decision model",
            ("model",),
            allowed="a model file: a mapping with the keys id, title, source, "
            + ", ".join(MODEL_KEYS),
        )
    _refuse_foreign_keys(data, ModelSpec, path, referrer, "model", "decision model")
    return _checked_model(path, document)


def _load_chain(file: Path, root: Path | None) -> list[tuple[Path, Document, ScenarioSpec]]:
    """Follow ``extends`` from ``file`` to its root; reject cycles. Root first."""
    chain: list[tuple[Path, Document, ScenarioSpec]] = []
    seen: set[str] = set()
    current: Path | None = file
    referrer: tuple[Document, str] | None = None
    while current is not None:
        key = os.path.realpath(current)
        if referrer is None:
            document = load_yaml(current)  # named on the command line
            _refuse_other_kind(document, "scenario")
        else:
            if key in seen:
                names = " -> ".join(str(p) for p, _, _ in chain)
                raise referrer[0].error(
                    f"'extends' makes a cycle: {names} -> {current}",
                    ("extends",),
                    allowed="a chain of scenarios that ends at one without 'extends'",
                )
            if _missing(current):
                raise referrer[0].error(
                    f"extended scenario '{referrer[1]}' not found (looked for {current})",
                    ("extends",),
                    allowed="a scenario file path relative to this file, '.yaml' optional",
                )
            document = _read_referenced(current, "scenario")
            data = document.data
            if file_kind(data) == "model" and all(key in data for key in MODEL_KEYS):
                raise referrer[0].error(
                    f"'{current}' is a decision model, not a scenario",
                    ("extends",),
                    allowed="a scenario file in 'extends:'; the model goes in 'model:'",
                )
            if not (isinstance(data, dict) and "id" in data and "options" not in data):
                raise referrer[0].error(
                    f"'{current}' is not a scenario",
                    ("extends",),
                    allowed="a scenario file: a mapping with the keys id, title and settings",
                )
            _refuse_foreign_keys(data, ScenarioSpec, current, referrer[0], "extends", "scenario")
        seen.add(key)
        spec = validate_document(document, ScenarioSpec)
        chain.append((current, document, spec))
        if spec.extends is None:
            current = None
        else:
            referrer = (document, spec.extends)
            current = _reference(spec.extends, current, document, "extends", root)
    chain.reverse()
    return chain
