"""The install made by `make` compiles bytecode, so processes start fast even where
PYTHONDONTWRITEBYTECODE is set (common on CI machines)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Modules this project never imports itself: compiled only if the install compiled them.
RARELY_IMPORTED = [
    ("numpy", "f2py/crackfortran.py"),
    ("matplotlib", "backends/backend_pdf.py"),
    ("pydantic", "v1/main.py"),
    ("scipy", "optimize/_shgo.py"),
]


def _made_by_make() -> bool:
    return Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


@pytest.mark.skipif(not _made_by_make(), reason="runs in the .venv that `make` creates")
@pytest.mark.parametrize(("package", "module"), RARELY_IMPORTED)
def test_dependencies_are_compiled_at_install(package: str, module: str) -> None:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).parent / module
    assert source.is_file(), source
    assert Path(importlib.util.cache_from_source(str(source))).is_file(), source


@pytest.mark.skipif(not _made_by_make(), reason="runs in the .venv that `make` creates")
def test_the_package_is_compiled_at_install() -> None:
    """`make` compiles the package too (an editable install leaves that to Python, which skips
    it under PYTHONDONTWRITEBYTECODE); `make unit` compiles again, so modules added since the
    install count as well."""
    sources = sorted((ROOT / "decision").rglob("*.py"))
    assert len(sources) > 100
    missing = [
        str(source.relative_to(ROOT)) for source in sources
        if not Path(importlib.util.cache_from_source(str(source))).is_file()
    ]
    assert not missing, f"no bytecode (`make unit` compiles it): {missing}"
