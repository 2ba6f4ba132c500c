"""The real-stack fixtures of tests/stack/conftest.py (stack, s3)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "stack" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_stack_fixtures_storage", _PATH)
assert _spec and _spec.loader
_stack = importlib.util.module_from_spec(_spec)
sys.modules["_stack_fixtures_storage"] = _stack
_spec.loader.exec_module(_stack)

stack = _stack.stack
s3 = _stack.s3

