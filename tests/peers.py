"""Peer libraries the tests cross-check against, loaded the way each needs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


def pydecision_module(name: str) -> ModuleType:
    """pyDecision's ``algorithm/<name>.py`` loaded on its own: the package imports LLM clients
    and a web server at import time, a single algorithm module only numpy (and matplotlib).
    Skips the test when pyDecision (a test-only peer, installed by the Makefile) is absent."""
    spec = importlib.util.find_spec("pyDecision")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("pyDecision is not installed (a test-only peer; see the Makefile)")
    path = Path(next(iter(spec.submodule_search_locations))) / "algorithm" / f"{name}.py"
    module_spec = importlib.util.spec_from_file_location(f"pydecision_{name}", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module
