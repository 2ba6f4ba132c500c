"""A CSV file's encoding and dialect, for `publisher init`.

The encoding: UTF-8 when the whole file decodes as UTF-8 (a byte order mark
is allowed; UTF-16 and UTF-32 by theirs), else what charset-normalizer finds,
where Windows-1252 wins over the other Western single-byte code pages it may
name (they spell German letters the same, and Windows-1252 is what German
offices export). The dialect (delimiter, quote character) is frictionless's
guess, read with that encoding.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import frictionless as fl
from charset_normalizer import from_bytes

from publisher.errors import InputError

SAMPLE = 1024**2
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "cp850",
            "cp858", "iso8859_9", "cp1254", "cp437", "iso8859_16", "cp1257", "iso8859_4"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(SAMPLE):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff_encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE)
    bom = next((name for mark, name in _BOMS if head.startswith(mark)), None)
    if bom is not None:
        return bom
    if _decodes(path, "utf-8"):
        return "utf-8"
    best = from_bytes(head).best()
    guess = codecs.lookup(best.encoding).name.replace("-", "_") if best else "cp1252"
    if guess in _WESTERN or guess.startswith(("iso8859", "cp125")):
        guess = "cp1252"
    for candidate in (guess, "cp1252", "latin_1"):
        if _decodes(path, candidate):
            return codecs.lookup(candidate).name
    raise InputError(f"{path.name}: cannot tell the text encoding of the file")


def sniff_dialect(path: Path, encoding: str) -> dict[str, Any]:
    """The dialect to write in the descriptor ({} for plain comma-separated)."""
    try:
        resource = fl.Resource(path=path.name, basepath=str(path.parent), encoding=encoding,
                               format="csv")
        resource.infer()
        found = resource.dialect.to_descriptor()
    except fl.FrictionlessException as exc:
        raise InputError(f"{path.name}: cannot read the file as CSV",
                         hint="check that it is a text table with a header row") from exc
    control = found.get("csv", {}) if isinstance(found, dict) else {}
    dialect = {}
    for key in ("delimiter", "quoteChar", "escapeChar", "doubleQuote", "skipInitialSpace"):
        if key in control:
            dialect[key] = control[key]
    return dialect
