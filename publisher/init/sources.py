"""The raw files `publisher init` is given, sorted into sources of one format each.

A path is a file, or a folder whose files are taken (not its subfolders).
The parts of a Shapefile (.shp, .shx, .dbf, .prj, .cpg ...) given one by one
or lying in a folder make one source; a .zip is a zipped Shapefile. Each
source's files are copied into the package's data/ folder: the package holds
what it describes, and its paths stay inside it.
"""

from __future__ import annotations

import codecs
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from publisher.errors import InputError
from publisher.package.readers import InputFormat, format_for_extension, input_format, supported

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".fix",
                   ".qmd", ".shp.xml")
DATA = "data"
# A .cpg names the dBASE text encoding in several ways.
_CPG = {"1252": "cp1252", "ansi 1252": "cp1252", "utf8": "utf-8", "88591": "iso8859-1",
        "885915": "iso8859-15", "65001": "utf-8"}


@dataclass
class Source:
    fmt: InputFormat
    main: Path  # the file the resource path names
    files: list[Path] = field(default_factory=list)  # every file to copy (Shapefile parts)
    notes: list[str] = field(default_factory=list)


def slug(text: str, fallback: str = "data") -> str:
    """A lower-case name of letters, digits and '-' (resource and dataset names)."""
    folded = (text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
              .replace("ß", "ss"))
    out = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return out[:80].strip("-") or fallback


def _part_suffix(path: Path) -> str | None:
    name = path.name.lower()
    return next((s for s in SHAPEFILE_PARTS if name.endswith(s)), None)


def _stem(path: Path, suffix: str) -> Path:
    return path.with_name(path.name[: -len(suffix)])


def _zip_holds_shapefile(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.lower().endswith(".shp") for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _single(path: Path, given: bool) -> Source | None:
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "zip":
        if not _zip_holds_shapefile(path):
            raise InputError(f"{path.name}: init reads a zip archive only when it holds a "
                             "Shapefile", hint="unpack other archives and give their files")
        shp = input_format("shp")
        assert shp is not None
        return Source(fmt=shp, main=path, files=[path])
    if suffix == "json":
        suffix = "geojson"
    fmt = format_for_extension(suffix)
    if fmt is None:
        if given:
            what = f"'.{suffix}' files" if suffix else "files without an extension"
            raise InputError(f"{path.name}: init does not read {what}",
                             hint=f"formats read: {supported()}")
        return None
    return Source(fmt=fmt, main=path, files=[path])


def collect(paths: list[Path]) -> tuple[list[Source], list[str]]:
    """The sources among `paths`, and notes on files in folders that were left out."""
    files: list[tuple[Path, bool]] = []
    notes: list[str] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: not found")
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and not
                            p.name.startswith("."))
            if not inside:
                raise InputError(f"{path}: the folder holds no files")
            files += [(p, False) for p in inside]
        elif _part_suffix(path) is not None:
            stem = _stem(path, str(_part_suffix(path)))
            files += [(p, True) for p in sorted(path.parent.iterdir())
                      if p.is_file() and _part_suffix(p) is not None
                      and _stem(p, str(_part_suffix(p))) == stem]
        else:
            files.append((path, True))
    sources: list[Source] = []
    shapefiles: dict[Path, list[Path]] = {}
    for path, given in files:
        suffix = _part_suffix(path)
        if suffix is not None:
            group = shapefiles.setdefault(_stem(path, suffix), [])
            if path not in group:
                group.append(path)
            continue
        source = _single(path, given)
        if source is None:
            notes.append(f"{path.name}: left out (not a format init reads)")
        else:
            sources.append(source)
    shp = input_format("shp")
    assert shp is not None
    for stem, parts in shapefiles.items():
        main = next((p for p in parts if p.name.lower().endswith(".shp")), None)
        if main is None:
            raise InputError(f"{stem.name}: Shapefile parts without the .shp file "
                             f"({', '.join(sorted(p.name for p in parts))})")
        sources.append(Source(fmt=shp, main=main, files=sorted(parts)))
    if not sources:
        raise InputError("none of the given files is in a format init reads",
                         hint=f"formats read: {supported()}")
    return sources, notes


def _ending(file: Path) -> str:
    """'.shp', '.shp.xml', '.csv' ...: the part of the name after the stem, as written."""
    part = _part_suffix(file)
    return file.name[len(file.name) - len(part):] if part else file.suffix


def copy_in(source: Source, root: Path, taken: set[str]) -> Path:
    """Copy the source's files into root/data/; the copied main file. A name that
    is taken gets a number (the parts of a Shapefile all the same one)."""
    (root / DATA).mkdir(parents=True, exist_ok=True)
    base = source.main.name[: -len(_ending(source.main))] if _ending(source.main) \
        else source.main.name
    number = 1
    while any(f"{base if number == 1 else f'{base}-{number}'}{_ending(f)}".lower() in taken
              for f in source.files):
        number += 1
    stem = base if number == 1 else f"{base}-{number}"
    for file in source.files:
        name = f"{stem}{_ending(file)}"
        shutil.copyfile(file, root / DATA / name)
        taken.add(name.lower())
    return root / DATA / f"{stem}{_ending(source.main)}"


def cpg_encoding(main: Path, member: str | None = None) -> str | None:
    """The text encoding a Shapefile's .cpg names (Python's codec name), if any."""
    text = None
    if member is not None:
        with zipfile.ZipFile(main) as zf:
            stem = str(PurePosixPath(member).with_suffix(""))
            names = {n.lower(): n for n in zf.namelist()}
            found = names.get(f"{stem}.cpg".lower())
            if found is not None:
                text = zf.read(found)[:100].decode("ascii", errors="replace")
    else:
        cpg = next((p for p in main.parent.iterdir()
                    if p.name.lower() == f"{main.stem}.cpg".lower()), None)
        if cpg is not None:
            text = cpg.read_bytes()[:100].decode("ascii", errors="replace")
    if not text or not text.strip():
        return None
    key = text.strip().lower().replace("-", "").replace("_", "")
    name = _CPG.get(key) or _CPG.get(text.strip().lower()) or text.strip()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
