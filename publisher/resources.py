"""Where the shipped schemas and policies live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def schemas_dir() -> Path:
    installed = _HERE / "_schemas"
    return installed if installed.is_dir() else _HERE.parent / "schemas"


def policy_path(name_or_path: str, base: Path | None = None) -> Path:
    """A policy given by file path (relative to base) or by shipped name."""
    candidate = Path(name_or_path)
    if base is not None and not candidate.is_absolute():
        candidate = base / candidate
    if candidate.suffix in (".yaml", ".yml", ".json") and candidate.exists():
        return candidate
    shipped = schemas_dir() / "policies" / f"{name_or_path}.yaml"
    return shipped if shipped.exists() else candidate
