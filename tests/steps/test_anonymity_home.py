"""The k-anonymity measures live in publisher.anonymity, which steps and the audit
share; no module outside publisher/steps reaches into a step's private module."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

import publisher
from publisher.anonymity import class_sizes, measure_k, unique_share


def test_the_measures() -> None:
    frame = pd.DataFrame({"age": [30, 30, 40, None], "sex": ["f", "f", "m", None]})
    assert class_sizes(frame, ["age", "sex"]).tolist() == [2, 2, 1, 1]
    assert measure_k(frame, ["age", "sex"]) == 1
    assert unique_share(frame, ["age", "sex"]) == 0.5


def test_no_module_outside_the_steps_imports_a_private_step_module() -> None:
    root = Path(publisher.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.parent == root / "steps":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "publisher.steps._"):
                offenders.append(f"{path.relative_to(root)}: {node.module}")
    assert offenders == []

