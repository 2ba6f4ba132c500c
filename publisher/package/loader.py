"""Load a data package from a directory, a descriptor file or a zip archive.

Resources are described, not read: paths are resolved safely, schemas given
as paths are inlined, formats and geometry specs are settled. Records are read
on first use (`Resource.table()`).
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Collection
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

from publisher import limits
from publisher.errors import InputError, UnsafePathError
from publisher.package.archive import extract_zip
from publisher.package.descriptor import find_descriptor, parse_file, read_descriptor
from publisher.package.files import check_regular
from publisher.package.model import Package, Resource
from publisher.package.paths import (
    is_remote,
    is_safe_name,
    resolve_local_path,
    resolve_resource_path,
    url_scheme,
)
from publisher.package.readers import format_for_extension, input_format, supported
from publisher.package.readers._parquetset import ParquetSet, check_s3, is_s3, open_set
from publisher.package.remote import download

_DESCRIPTOR_SUFFIXES = (".json", ".yaml", ".yml")


class _Workdir:
    """Fresh subdirectories for extracted archives and downloads, made on demand
    under the caller's workdir or a new temporary directory; and what remote
    input may be fetched."""

    def __init__(self, base: Path | None, allow_remote: bool = False,
                 hosts: tuple[str, ...] = ()):
        self.base = base
        self.allow_remote = allow_remote
        self.hosts = hosts

    def fresh(self, prefix: str) -> Path:
        if self.base is None:
            self.base = Path(tempfile.mkdtemp(prefix="publisher-"))
        self.base.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.base))


def load_package(
    source: str | Path,
    *,
    allow_remote: bool = False,
    workdir: Path | None = None,
    remote_hosts: Collection[str] = (),
) -> Package:
    """The package at `source`: a directory holding datapackage.json/.yaml/.yml,
    a descriptor file, a .zip archive, or (when allowed) an http(s) URL of one.

    Remote URLs (the source, resources, schemas) are fetched only when
    `allow_remote` is set and their host is in `remote_hosts` (`example.org`,
    or `*.example.org` for its subdomains), and never from private addresses."""
    text = str(source)
    work = _Workdir(workdir, allow_remote, tuple(remote_hosts))
    local = _fetch_source(source, work) if isinstance(source, str) else source
    descriptor_path = _descriptor_path(local, text, work)
    descriptor = read_descriptor(descriptor_path)
    root = descriptor_path.parent.resolve()
    resources = _resources(descriptor, root, str(descriptor_path), work)
    return Package(root=root, descriptor=descriptor, resources=resources, source=text)


def _fetch_source(source: str, work: _Workdir) -> Path:
    scheme = url_scheme(source)
    if scheme is None:
        return Path(source)
    if not is_remote(source):
        raise UnsafePathError(
            f"package source uses the URL scheme '{scheme}', which is never allowed", where=source
        )
    if not work.allow_remote:
        raise UnsafePathError(
            "package source is a remote URL and remote input is not allowed",
            where=source,
            hint="download it first, or allow remote input",
        )
    return download(source, work.fresh("remote-"), resource="(package)", hosts=work.hosts)


def _descriptor_path(local: Path, where: str, work: _Workdir) -> Path:
    if not local.exists():
        if local.is_symlink():
            raise InputError("the package source is a symbolic link to nothing", where=where)
        raise InputError("package not found", where=where)
    if not local.is_dir():
        suffix = local.suffix.lower()
        check_regular(local, "the package source",
                      limit="max_descriptor_mb" if suffix in _DESCRIPTOR_SUFFIXES
                      else "max_file_mb", where=where)
    if local.is_dir():
        found = find_descriptor(local)
        if found is None:
            raise InputError(
                "no datapackage.json, datapackage.yaml or datapackage.yml in the directory",
                where=where,
            )
        return found
    suffix = local.suffix.lower()
    if suffix == ".zip":
        return _zip_descriptor(extract_zip(local, work.fresh("package-")), where)
    if suffix in _DESCRIPTOR_SUFFIXES:
        return local
    raise InputError(
        "not a data package: expected a directory, a datapackage.json/.yaml "
        "descriptor or a .zip archive",
        where=where,
    )


def _zip_descriptor(root: Path, where: str) -> Path:
    """The descriptor at the top of the archive, or inside its single top folder."""
    found = find_descriptor(root)
    if found is None:
        folders = [p for p in root.iterdir() if p.is_dir() and p.name != "__MACOSX"]
        others = [p for p in root.iterdir() if not p.is_dir()]
        if len(folders) == 1 and not others:
            found = find_descriptor(folders[0])
    if found is None:
        raise InputError(
            "the archive holds no datapackage.json or datapackage.yaml at its top level",
            where=where,
        )
    return found


def _check_name(item: dict[str, Any], number: int, where: str) -> str:
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"resource #{number} has no name", where=where)
    if not is_safe_name(name):
        raise InputError(
            f"resource #{number}: name {name!r} cannot be used as a file name",
            where=where,
            hint="use letters, digits, '-', '_' and '.'",
        )
    return name


def _resources(
    descriptor: dict[str, Any], root: Path, where: str, work: _Workdir
) -> list[Resource]:
    items = descriptor.get("resources")
    if not isinstance(items, list) or not items:
        raise InputError("the descriptor lists no resources", where=where)
    if len(items) > limits.current().max_resources:
        raise limits.exceeded("max_resources", f"the descriptor lists {len(items):,} resources",
                              where=where)
    resources: list[Resource] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"resource #{number} must be an object", where=where)
        name = _check_name(item, number, where)
        if any(r.name == name for r in resources):
            raise InputError(f"resource name '{name}' is used more than once", where=where)
        resources.append(_resource(item, name, root, where, work))
    return resources


def _resource(
    item: dict[str, Any], name: str, root: Path, where: str, work: _Workdir
) -> Resource:
    if "data" in item:
        raise InputError(
            f"resource '{name}': inline data is not supported yet",
            where=where,
            hint="put the records in a file and give its path",
        )
    path = item.get("path")
    if isinstance(path, list):
        raise InputError(
            f"resource '{name}': multipart resources (a list of paths) are not supported",
            where=where,
            hint="join the parts into one file and give its path",
        )
    if not isinstance(path, str) or not path.strip():
        raise InputError(f"resource '{name}' has no path", where=where)
    _refuse_compressed(item, path, name, where)
    fmt = resource_format(item, path, name)
    dataset = _parquet_set(root, path, name, work) if fmt == "geoparquet" else None
    file = dataset[0] if dataset else _locate(root, path, name, work)
    descriptor = copy.deepcopy(item)
    if "schema" in descriptor:
        descriptor["schema"] = _schema(descriptor["schema"], root, name, work)
    resource = Resource(name=name, format=fmt, descriptor=descriptor, path=file,
                        dataset=dataset[1] if dataset else None)
    found = input_format(fmt)
    assert found is not None  # resource_format returned a registered name
    resource.geometry = found.settle(resource)
    return resource


_COMPRESSED_SUFFIXES = ("gz", "bz2", "xz")


def _refuse_compressed(item: dict[str, Any], path: str, name: str, where: str) -> None:
    """Compressed resources are refused, as every stage reads the plain file (a
    zipped Shapefile is a format of its own, not a compressed resource)."""
    file = PurePosixPath(urlparse(path).path if url_scheme(path) else path)
    ext = file.suffix.lower().lstrip(".")
    declared = item.get("compression") or ("zip" if item.get("innerpath") else None)
    if declared is None and ext in _COMPRESSED_SUFFIXES:
        declared = ext
    elif declared is None and ext == "zip":
        inner = format_for_extension(file.with_suffix("").suffix)  # table.csv.zip
        wanted = input_format(str(item.get("format") or ""))
        if inner is not None and inner.type != "shp" and (wanted is None or wanted.type != "shp"):
            declared = ext
    if declared is not None:
        raise InputError(
            f"resource '{name}': compressed resources ({str(declared)[:20]!r}) are not supported",
            where=where,
            hint="decompress the file and give the path of the plain file",
        )


def _suffix(path: str) -> str:
    local = urlparse(path).path if url_scheme(path) else path
    return PurePosixPath(local).suffix.lower().lstrip(".")


def resource_format(item: dict[str, Any], path: str, name: str) -> str:
    """The input format's name (publisher.package.readers), from `format` or
    else the path's extension."""
    ext = _suffix(path)
    declared = item.get("format")
    if declared is not None:
        wanted = str(declared).lower().lstrip(".")
        found = input_format(wanted)
        if found is not None:
            return found.type
        if wanted == "json" and ext == "geojson":
            return "geojson"
        raise InputError(
            f"resource '{name}': unsupported format {wanted!r}",
            hint=f"supported formats: {supported()}",
        )
    by_extension = format_for_extension(ext)
    if by_extension is not None:
        return by_extension.type
    hint = (
        'set "format": "geojson" if this is GeoJSON'
        if ext == "json"
        else 'set "format": "shp" for a zipped Shapefile'
        if ext == "zip"
        else f"supported formats: {supported()}"
    )
    raise InputError(
        f"resource '{name}': unsupported format {ext or '(no extension)'!r}", hint=hint
    )


def _locate(root: Path, path: str, name: str, work: _Workdir) -> Path:
    """The local file `path` names: inside the root, or downloaded when allowed."""
    located = resolve_resource_path(
        root, path, resource=name, allow_remote=work.allow_remote, hosts=work.hosts
    )
    if isinstance(located, Path):
        return located
    return download(located, work.fresh("remote-"), resource=name, hosts=work.hosts)


def _parquet_set(root: Path, path: str, name: str,
                 work: _Workdir) -> tuple[Path | None, ParquetSet] | None:
    """(folder or None, its files) when a GeoParquet resource's path names a folder
    inside the root or an S3 prefix; None for one file."""
    if is_s3(path):
        base = check_s3(path, resource=name, allow_remote=work.allow_remote, hosts=work.hosts)
        return None, open_set(base, path, name)
    if url_scheme(path) is not None:
        return None
    folder = resolve_local_path(root, path, resource=name, folder=True)
    return (folder, open_set(folder, path, name)) if folder.is_dir() else None


def _schema(schema: object, root: Path, name: str, work: _Workdir) -> dict[str, Any]:
    if isinstance(schema, str):
        schema = parse_file(_locate(root, schema, name, work))
    if not isinstance(schema, dict):
        raise InputError(f"resource '{name}': schema must be an object or a path to one")
    fields = schema.get("fields", [])
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        raise InputError(f"resource '{name}': schema fields must be a list of objects")
    return schema
