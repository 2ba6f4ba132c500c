"""OpenDocument spreadsheets (ods): one sheet per resource, read as text like a
CSV file (publisher.package.readers._sheets). Published as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from publisher.package.model import GeometrySpec, Resource
from publisher.package.readers._sheets import (
    read_sheet,
    settle_sheet,
    sheet_descriptor,
    sheet_names,
)
from publisher.package.readers.base import InputFormat, input_formats


@input_formats.register
class Ods(InputFormat):
    type = "ods"
    title = "OpenDocument spreadsheet (ods)"
    extensions = ("ods",)
    aliases = ("opendocument",)
    published_as = "csv"

    def settle(self, resource: Resource) -> GeometrySpec | None:
        return settle_sheet(resource, self.title)

    def read(self, resource: Resource) -> pd.DataFrame:
        return read_sheet(resource, self.title)

    def parts(self, file: Path) -> list[str]:
        return sheet_names(file, self.title)

    def part_descriptor(self, file: Path, part: str) -> dict[str, Any]:
        return sheet_descriptor(file, part, self.title)
