"""The loader's static list of method names is the registry's, and each name stands alone.

Validation checks a bare method choice (``method: {name: wsm}``) against this list without
importing the registry; the list must therefore hold exactly the registry's names and aliases,
and each must be a complete choice without parameters.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from decision.core.methods import ALIASES, METHODS, get_method, parse_method
from decision.load.validation import BARE_METHOD_NAMES
from tests.conftest import BELARUS, needs_belarus


def test_the_static_list_is_the_registry() -> None:
    assert set(BARE_METHOD_NAMES) == {*METHODS, *ALIASES}


@pytest.mark.parametrize("name", sorted(BARE_METHOD_NAMES))
def test_every_name_is_a_choice_without_parameters(name: str) -> None:
    info, params = parse_method({"name": name})
    assert info is get_method(name)
    # the loader's own, strict check of a choice
    info.params.model_validate({"name": name}, strict=True)
    assert params.name in (info.name, *info.aliases)


@needs_belarus
def test_validate_imports_no_numeric_module() -> None:
    """``decision validate`` of the shipped model loads neither the methods registry nor the
    engine, numpy, SciPy or matplotlib."""
    code = (
        "import sys\n"
        "from decision.cli.main import main\n"
        "try:\n"
        f"    main(['validate', {str(BELARUS)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "heavy = ('numpy', 'scipy', 'matplotlib', 'decision.core.methods',\n"
        "         'decision.core.engine')\n"
        "loaded = [m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in heavy)]\n"
        "print(sorted(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
