"""OpenDocument spreadsheets (ods): one sheet per resource, read as text like a
CSV file (publisher.package.readers._sheets). Published as CSV."""

from __future__ import annotations

from publisher.package.readers._sheets import SheetFormat
from publisher.package.readers.base import input_formats


@input_formats.register
class Ods(SheetFormat):
    type = "ods"
    title = "OpenDocument spreadsheet (ods)"
    extensions = ("ods",)
    aliases = ("opendocument",)
