"""The engine's one exception: this resource is left to frictionless."""

from __future__ import annotations


class Unsupported(Exception):
    """Raised with a short reason; validate_package then uses frictionless."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
