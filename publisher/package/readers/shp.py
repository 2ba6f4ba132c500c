"""ESRI Shapefile: a .shp with its .shx and .dbf beside it (.prj for the CRS,
.cpg for the text encoding), or a zip archive holding them.

A zip is read where it lies (GDAL's /vsizip/), after its directory passed the
archive checks (publisher.package.archive): nothing is unpacked to disk. A
zip with several Shapefiles names the one to read in `layer` (its file name
without .shp). The text encoding comes from the .cpg file (GDAL reads it); a
resource `encoding` overrides it. A Shapefile without .prj takes its CRS from
the descriptor's `geometry.crs`. Shapefiles are published as GeoPackage: the
dBASE table cuts names to 10 characters and cannot hold empty numbers or times.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from publisher.errors import InputError
from publisher.package.archive import check_archive
from publisher.package.geometry import native_geometry, stated_native_crs
from publisher.package.model import GeometrySpec, Resource
from publisher.package.readers._ogr import read_vector
from publisher.package.readers.base import InputFormat, input_formats

SHP_MAGIC = b"\x00\x00\x27\x0a"  # file code 9994, big-endian
NEEDED = (".shx", ".dbf")


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def _zip_members(path: Path, resource: str) -> list[str]:
    """The .shp entries of a zip, after its directory passed the archive checks."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"resource '{resource}': {path.name} is not a readable zip "
                         "archive") from exc
    check_archive(infos, where=f"resource '{resource}': {path.name}")
    names = [i.filename for i in infos if not i.is_dir()]
    return [n for n in names if n.lower().endswith(".shp") and not n.startswith("__MACOSX/")]


def _member(path: Path, descriptor: dict[str, Any], resource: str) -> str:
    """The .shp entry a zipped resource reads: the only one, or the one `layer` names."""
    members = _zip_members(path, resource)
    wanted = descriptor.get("layer")
    stems = {PurePosixPath(m).stem: m for m in members}
    if wanted is not None:
        if wanted not in stems:
            raise InputError(f"resource '{resource}': layer {wanted!r} is not a Shapefile "
                             f"in {path.name} (Shapefiles: {', '.join(stems) or 'none'})")
        return stems[str(wanted)]
    if len(members) != 1:
        raise InputError(
            f"resource '{resource}': {path.name} holds "
            f"{'no Shapefile' if not members else f'{len(members)} Shapefiles'}",
            hint="name the one to read in the resource's `layer` (its name without .shp)"
            if members else "a zipped Shapefile holds a .shp with its .shx and .dbf")
    return members[0]


def _check_zipped(path: Path, member: str, resource: str) -> None:
    with zipfile.ZipFile(path) as zf:
        listed = {n.lower() for n in zf.namelist()}
        stem = member[:-4].lower()
        missing = [ext for ext in NEEDED if stem + ext not in listed]
        with zf.open(member) as fh:
            head = fh.read(4)
    _check_parts(head, missing, member, resource)


def _check_beside(path: Path, resource: str) -> None:
    siblings = {p.name.lower(): p for p in path.parent.iterdir()
                if p.stem.lower() == path.stem.lower()}
    for sibling in siblings.values():
        if sibling.is_symlink():
            raise InputError(f"resource '{resource}': {sibling.name} is a symbolic link; "
                             "the parts of a Shapefile must be plain files")
    missing = [ext for ext in NEEDED if path.stem.lower() + ext not in siblings]
    with open(path, "rb") as fh:
        head = fh.read(4)
    _check_parts(head, missing, path.name, resource)


def _check_parts(head: bytes, missing: list[str], name: str, resource: str) -> None:
    if head != SHP_MAGIC:
        raise InputError(f"resource '{resource}': {name} is not a Shapefile (it lacks the "
                         ".shp file header)")
    if missing:
        raise InputError(f"resource '{resource}': the Shapefile {name} has no "
                         f"{' and no '.join(missing)} file beside it",
                         hint="a Shapefile needs its .shp, .shx and .dbf files "
                              "(and .prj for the CRS, .cpg for the text encoding)")


def source(resource: Resource) -> str:
    """What GDAL opens: the .shp, or the .shp inside the zip."""
    assert resource.path is not None
    if _is_zip(resource.path):
        member = _member(resource.path, resource.descriptor, resource.name)
        return f"/vsizip/{resource.path}/{member}"
    return str(resource.path)


@input_formats.register
class Shapefile(InputFormat):
    type = "shp"
    title = "Shapefile"
    extensions = ("shp",)
    aliases = ("shapefile", "esri shapefile")
    published_as = "gpkg"
    native_geometry = True
    record = "feature"

    def settle(self, resource: Resource) -> GeometrySpec | None:
        assert resource.path is not None
        if _is_zip(resource.path):
            member = _member(resource.path, resource.descriptor, resource.name)
            _check_zipped(resource.path, member, resource.name)
        else:
            _check_beside(resource.path, resource.name)
        stated = resource.descriptor.get("geometry")
        crs = stated.get("crs") if isinstance(stated, dict) else None
        spec = native_geometry(source(resource), "shp", None, resource.name,
                               stated=str(crs) if crs is not None else None)
        return stated_native_crs(spec, resource.descriptor, "shp", None,
                                 resource.path.name, resource.name)

    def read(self, resource: Resource) -> pd.DataFrame:
        encoding = resource.descriptor.get("encoding")
        options = {"encoding": str(encoding)} if encoding else {}
        return read_vector(resource, source(resource), "shapefile", **options)

    def parts(self, file: Path) -> list[str]:
        if not _is_zip(file):
            return []
        return [PurePosixPath(m).stem for m in _zip_members(file, file.name)]

    def part_descriptor(self, file: Path, part: str) -> dict[str, Any]:
        return {"layer": part}
