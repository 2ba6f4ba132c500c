"""The input format interface: one module per format, registered by format name.

A format says which file name extensions and `format` values it answers to,
checks a file before anything reads it and settles the resource's geometry
spec (`settle`, called by the loader), reads the records (`read`, called by
`Resource.table()`), lists the tables a file holds (`parts`, for
`publisher init`: sheets, layers) and names the format the writer publishes
it as (CSV, GeoJSON or GeoPackage: the formats written byte for byte the same
each time). `publisher init`, `validate`, `check` and `run` all reach the
records through here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar, Literal

import pandas as pd

from publisher.package.model import GeometrySpec, Resource
from publisher.registry import Registry

Published = Literal["csv", "geojson", "gpkg"]


class InputFormat(ABC):
    type: ClassVar[str]  # the resource's `format` in the descriptor
    title: ClassVar[str]  # for messages
    extensions: ClassVar[tuple[str, ...]] = ()  # file name suffixes, lower case, no dot
    aliases: ClassVar[tuple[str, ...]] = ()  # other `format` values meaning the same
    published_as: ClassVar[Published]
    native_geometry: ClassVar[bool] = False  # the file carries geometry (vector formats)
    record: ClassVar[str] = "row"  # how a message names one record: row or feature

    @abstractmethod
    def settle(self, resource: Resource) -> GeometrySpec | None:
        """Check the file before anything reads it (InputError when it is not what
        the format promises); the resource's geometry spec, None for a plain table."""

    @abstractmethod
    def read(self, resource: Resource) -> pd.DataFrame:
        """The records, indexed by the number a message names them by (row or feature)."""

    def parts(self, file: Path) -> list[str]:
        """The tables a file holds (sheets, layers), in file order; [] for one table."""
        return []

    def part_descriptor(self, file: Path, part: str) -> dict[str, Any]:
        """How a resource descriptor names one of `parts` (for `publisher init`)."""
        return {}


input_formats: Registry[type[InputFormat]] = Registry("input format", "publisher.package.readers")


def all_formats() -> list[InputFormat]:
    return [input_formats.get(t)() for t in input_formats.types()]


def input_format(name: str) -> InputFormat | None:
    """The format with this `format` value or alias (any letter case), None if unknown."""
    wanted = name.lower().lstrip(".")
    return next((f for f in all_formats() if wanted == f.type or wanted in f.aliases), None)


def format_for_extension(extension: str) -> InputFormat | None:
    """The format a file name suffix stands for (without a declared `format`)."""
    wanted = extension.lower().lstrip(".")
    return next((f for f in all_formats() if wanted in f.extensions), None)


def supported() -> str:
    """The format names for a hint: 'csv, fgb, geojson, ...'."""
    return ", ".join(input_formats.types())


def format_of(resource: Resource) -> InputFormat:
    found = input_format(resource.format)
    if found is None:
        from publisher.errors import InputError

        raise InputError(f"resource '{resource.name}': unsupported format {resource.format!r}",
                         hint=f"supported formats: {supported()}")
    return found
