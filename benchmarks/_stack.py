"""Where the benchmarks find the local stack (deploy/local/up): its env file,
named by PUBLISHER_STACK_ENV, else in PUBLISHER_STACK_DIR (as deploy/local/up
writes it), else in ~/.local/state/publisher-stack."""

from __future__ import annotations

import os
from pathlib import Path


def stack_env_path() -> Path:
    if os.environ.get("PUBLISHER_STACK_ENV"):
        return Path(os.environ["PUBLISHER_STACK_ENV"])
    state = os.environ.get("PUBLISHER_STACK_DIR") or Path.home() / ".local/state/publisher-stack"
    return Path(state) / "stack.env"


def stack_env() -> dict[str, str] | None:
    """The stack's settings (PUBLISHER_CKAN_URL, ...), None when it is not up."""
    path = stack_env_path()
    if not path.is_file():
        return None
    pairs = (line.split("=", 1) for line in path.read_text().splitlines()
             if "=" in line and not line.startswith("#"))
    return {k.strip(): v.strip() for k, v in pairs}
