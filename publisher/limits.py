"""Limits on what an input may hold: file sizes, nesting, counts, cell and row
sizes, geometry depth and vertices. Input beyond one is refused before the
part that would cost memory or time is read, with exit code 2 and a message
naming the limit and the setting that raises it.

Each limit is a setting (`PUBLISHER_MAX_COLUMNS`, `max_columns` in
publisher.toml ...): `Settings` inherits these fields. The command line and a
pipeline run apply the settings' limits (`applied`) for their duration;
readers ask for them with `current()`. They are one process-wide value, not
per thread, because the validation engine's worker threads read files too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel, Field

from publisher.errors import InputError

MIB = 1024**2


class Limits(BaseModel):
    """The limits, each with its default."""

    max_file_mb: int = Field(
        default=4096, ge=1,
        description="Largest data file (a resource file or a zip archive) in MiB; larger "
                    "files are refused before they are read.")
    max_descriptor_mb: int = Field(
        default=16, ge=1,
        description="Largest descriptor, schema, pipeline or policy file in MiB.")
    max_nesting_depth: int = Field(
        default=64, ge=4,
        description="Deepest nesting of objects and lists in a descriptor, schema, "
                    "pipeline or policy file.")
    max_yaml_nodes: int = Field(
        default=1_000_000, ge=100,
        description="Most values a YAML file (descriptor, pipeline, policy) may expand to, "
                    "every alias counted with what it refers to (stops 'billion laughs').")
    max_yaml_aliases: int = Field(
        default=1_000, ge=0, description="Most aliases (references to an anchor) in one YAML file.")
    max_resources: int = Field(
        default=100, ge=1,
        description="Most resources in one data package (each costs the policy scan about "
                    "a second, however small).")
    max_columns: int = Field(
        default=1_000, ge=1, description="Most columns (fields) in one table.")
    max_cell_bytes: int = Field(
        default=8 * MIB, ge=1024,
        description="Largest single value in bytes: a CSV cell, a GeoJSON or GeoPackage "
                    "attribute (text or binary). validate, check and run share it.")
    max_row_bytes: int = Field(
        default=16 * MIB, ge=1024,
        description="Largest record in bytes as stored: a CSV row with its delimiters "
                    "(quoted line breaks included), all attributes of one feature together.")
    max_geometry_depth: int = Field(
        default=32, ge=2,
        description="Deepest nesting of one geometry (collections within collections, "
                    "rings within polygons), checked before the geometry is parsed.")
    max_geometry_vertices: int = Field(
        default=1_000_000, ge=2, description="Most vertices (coordinates) in one geometry.")

    def of(self, name: str) -> int:
        value: int = getattr(self, name)
        return value


class LimitError(InputError):
    """An input beyond one of the limits."""

    def __init__(self, message: str, *, limit: str, where: str | None = None):
        env = f"PUBLISHER_{limit.upper()}"
        super().__init__(
            message, where=where,
            hint=f"raise {env} (or {limit} in publisher.toml) only for input you trust")
        self.limit = limit


_DEFAULT = Limits()
_active: Limits = _DEFAULT


def current() -> Limits:
    """The limits in force (the defaults unless a caller applied others)."""
    return _active


@contextmanager
def applied(limits: Limits) -> Iterator[Limits]:
    """Make `limits` the ones in force until the block ends."""
    global _active
    previous, _active = _active, limits
    try:
        yield limits
    finally:
        _active = previous


def exceeded(limit: str, what: str, *, where: str | None = None,
             unit: str = "") -> LimitError:
    """The error for `what` going past the limit named `limit`:
    '<what>: the limit is N (setting max_x)'."""
    value = current().of(limit)
    return LimitError(f"{what}: the limit is {value:,}{unit} (setting {limit})",
                      limit=limit, where=where)
