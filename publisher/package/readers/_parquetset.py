"""A GeoParquet resource kept in many files: a directory of Parquet files
(hive-style `key=value/` partitions too) inside the package, or an S3 prefix.

The set is listed once, when the package is loaded (`open_set`): its files in
path order (names starting with "." or "_" are left out, as Spark's `_SUCCESS`
and pyarrow do), each file's footer read (not its records) for its schema and
the records of each row group. Every file must be Parquet with the same schema
and the same `geo` metadata; a hive partition key is a column of every record.
The records are those of one file holding the files' records one after the
other, in that order: the whole table (`read_table`), or one row group at a time
(`read_piece`), which is what the single-process stream and a cluster's workers
read. A ParquetSet holds paths and footers only, never records, so it can be
sent to the workers, which open the files themselves.

S3 is reached with pyarrow's S3 filesystem and the S3 settings of the S3
target (PUBLISHER_S3_ENDPOINT, _ACCESS_KEY, _SECRET_KEY, _REGION). A prefix is
read only when remote input is allowed and its bucket is on the allowlist of
remote hosts: a package must not make the publisher read a bucket it was not
meant to read.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from publisher.errors import InputError, UnsafePathError
from publisher.package.files import check_regular

if TYPE_CHECKING:
    from collections.abc import Collection

_HIDDEN = (".", "_")
_ERRORS = (pa.ArrowException, OSError, ValueError)


@dataclass(frozen=True)
class S3Access:
    """Where and as whom the S3 server is reached (the S3 target's settings)."""

    endpoint: str | None
    region: str | None
    access_key: str | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls) -> S3Access:
        from publisher.settings import load_settings

        s = load_settings()
        return cls(s.s3_endpoint, s.s3_region,
                   s.s3_access_key.get_secret_value() if s.s3_access_key else None,
                   s.s3_secret_key.get_secret_value() if s.s3_secret_key else None)

    def filesystem(self) -> pafs.FileSystem:
        options: dict[str, Any] = {"region": self.region or "us-east-1",
                                   "connect_timeout": 10, "request_timeout": 60,
                                   "access_key": self.access_key, "secret_key": self.secret_key}
        if self.endpoint:
            parts = urlparse(self.endpoint)
            options["endpoint_override"] = parts.netloc or parts.path
            options["scheme"] = parts.scheme or "https"
        return pafs.S3FileSystem(**options)


@dataclass(frozen=True)
class ParquetSet:
    """The files of one resource and what their footers say."""

    where: str  # for messages: the resource path as the descriptor gives it
    base: str  # the set's root on its filesystem (a local directory, or bucket/prefix)
    files: tuple[str, ...]  # on the filesystem, in path order
    groups: tuple[tuple[int, ...], ...]  # per file, the records of each row group
    schema: pa.Schema  # the records' (the first file's, with the partition keys)
    s3: S3Access | None = None

    @property
    def rows(self) -> int:
        return sum(sum(g) for g in self.groups)

    def filesystem(self) -> pafs.FileSystem:
        return self.s3.filesystem() if self.s3 is not None else pafs.LocalFileSystem()

    def name_of(self, file: str) -> str:
        """A file's name inside the set, for messages."""
        return posixpath.relpath(file, self.base) if self.s3 else \
            Path(file).relative_to(self.base).as_posix()

    def only(self, file: int) -> ParquetSet:
        """The set narrowed to one of its files (what a task on a worker needs)."""
        return ParquetSet(self.where, self.base, (self.files[file],), (self.groups[file],),
                          self.schema, self.s3)

    def dataset(self, files: tuple[str, ...] | None = None) -> ds.Dataset:
        return ds.dataset(list(self.files if files is None else files), schema=self.schema,
                          format="parquet", filesystem=self.filesystem(),
                          partitioning=ds.HivePartitioning.discover(infer_dictionary=False),
                          partition_base_dir=self.base)


def is_s3(path: str) -> bool:
    return urlparse(path).scheme.lower() == "s3"


def check_s3(uri: str, *, resource: str, allow_remote: bool, hosts: Collection[str]) -> str:
    """bucket/prefix of an s3:// URI that may be read; UnsafePathError otherwise."""
    from publisher.package.paths import host_allowed

    parts = urlparse(uri)
    bucket = parts.netloc
    if not allow_remote:
        raise UnsafePathError(f"resource '{resource}': path {uri!r} is an S3 prefix and remote "
                              "resources are not allowed",
                              hint="allow remote resources (--allow-remote / "
                                   "PUBLISHER_ALLOW_REMOTE=1) and name the bucket in "
                                   "`remote_hosts`")
    if not bucket or "@" in bucket or not host_allowed(bucket, hosts):
        raise UnsafePathError(f"resource '{resource}': bucket '{bucket}' is not on the "
                              "allowlist of remote hosts",
                              hint="add the bucket to `remote_hosts` in the pipeline, or to "
                                   "PUBLISHER_REMOTE_HOSTS (a JSON list)")
    return f"{bucket}/{parts.path.strip('/')}".rstrip("/")


def open_set(location: Path | str, where: str, resource: str) -> ParquetSet:
    """The set at a local directory (resolved inside the package root) or at
    bucket/prefix on S3 (a str, checked by check_s3); InputError naming the
    resource and the file when it is empty, cannot be reached, holds a file that
    is not Parquet, or files with different schemas."""
    if isinstance(location, Path):
        base, s3 = str(location), None
        files = _local_files(location, where, resource)
    else:
        base, s3 = location, S3Access.from_settings()
        files = _s3_files(s3.filesystem(), location, where, resource)
    if not files:
        raise InputError(f"resource '{resource}': {where!r} holds no Parquet file",
                         hint="put the GeoParquet files (or hive-style key=value/ folders "
                              "of them) there")
    fs = s3.filesystem() if s3 else pafs.LocalFileSystem()

    def name(file: str) -> str:
        return posixpath.relpath(file, base) if s3 else Path(file).relative_to(base).as_posix()

    first: pa.Schema | None = None
    groups = []
    for file in files:
        meta = _footer(fs, file, where, name(file), resource)
        schema = meta.schema.to_arrow_schema()
        if first is None:
            first = schema
        else:
            _same_schema(first, schema, where, name(files[0]), name(file), resource)
        groups.append(tuple(meta.row_group(i).num_rows for i in range(meta.num_row_groups)))
    assert first is not None
    partitions = ds.HivePartitioning.discover(infer_dictionary=False)
    try:
        found = ds.dataset(files, format="parquet", filesystem=fs, partitioning=partitions,
                           partition_base_dir=base).schema
    except _ERRORS as exc:
        raise InputError(f"resource '{resource}': the partitions of {where!r} cannot be "
                         f"read ({type(exc).__name__})") from None
    schema = first
    for extra in found:
        if extra.name not in first.names:  # a partition key (typed as pyarrow infers it)
            schema = schema.append(extra)
    return ParquetSet(where, base, tuple(files), tuple(groups), schema, s3)


def _local_files(directory: Path, where: str, resource: str) -> list[str]:
    root = directory.resolve()
    files: list[str] = []
    for top, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(_HIDDEN))
        for d in dirs:
            if (Path(top) / d).is_symlink():
                raise UnsafePathError(f"resource '{resource}': {where!r} holds a symbolic link "
                                      f"to a folder ({(Path(top) / d).relative_to(root)}); "
                                      "links are not followed")
        for file in sorted(n for n in names if not n.startswith(_HIDDEN)):
            path = Path(top) / file
            if not path.resolve().is_relative_to(root):
                raise UnsafePathError(f"resource '{resource}': {path.relative_to(root)} in "
                                      f"{where!r} leads out of the folder (a symbolic link)")
            check_regular(path, f"resource '{resource}': {path.relative_to(root)} in {where!r}",
                          limit="max_file_mb")
            files.append(str(path))
    return sorted(files, key=lambda f: Path(f).relative_to(root).parts)


def _s3_files(fs: pafs.FileSystem, base: str, where: str, resource: str) -> list[str]:
    try:
        infos = fs.get_file_info(pafs.FileSelector(base, recursive=True, allow_not_found=True))
    except _ERRORS as exc:
        raise InputError(f"resource '{resource}': the S3 prefix {where!r} cannot be listed "
                         f"({_reason(exc)})",
                         hint="check the bucket, the prefix and the PUBLISHER_S3_* settings"
                         ) from None
    files = [i.path for i in infos if i.type == pafs.FileType.File
             and not any(p.startswith(_HIDDEN) for p in posixpath.relpath(i.path, base)
                         .split("/"))]
    return sorted(files, key=lambda f: posixpath.relpath(f, base).split("/"))


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def _footer(fs: pafs.FileSystem, file: str, where: str, name: str,
            resource: str) -> pq.FileMetaData:
    try:
        with fs.open_input_file(file) as handle:
            return pq.read_metadata(handle)
    except pa.ArrowInvalid:
        raise InputError(f"resource '{resource}': {name!r} in {where!r} is not a Parquet file",
                         hint="keep only the Parquet files of the resource in the folder "
                              "(names starting with '.' or '_' are left out)") from None
    except _ERRORS as exc:
        raise InputError(f"resource '{resource}': {name!r} in {where!r} cannot be read "
                         f"({_reason(exc)})") from None


def _same_schema(first: pa.Schema, other: pa.Schema, where: str, first_name: str,
                 name: str, resource: str) -> None:
    why = None
    if first.names != other.names:
        why = f"columns {', '.join(first.names)} against {', '.join(other.names)}"
    else:
        for a, b in zip(first, other, strict=True):
            if _family(a.type) != _family(b.type):
                why = f"column '{a.name}' is {a.type} against {b.type}"
                break
        else:
            geo = b"geo"
            ours, theirs = (first.metadata or {}).get(geo), (other.metadata or {}).get(geo)
            if _geo(ours) != _geo(theirs):
                why = "their 'geo' metadata (geometry column or CRS) differ"
    if why is not None:
        raise InputError(f"resource '{resource}': the files in {where!r} have different "
                         f"schemas: {name!r} differs from {first_name!r} ({why})",
                         hint="every file of a partitioned resource must have the same "
                              "columns, types and CRS")


def _family(kind: pa.DataType) -> pa.DataType:
    """Text and bytes whatever their offsets (pyarrow reads one as the other)."""
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return pa.string()
    if pa.types.is_large_binary(kind) or pa.types.is_binary_view(kind):
        return pa.binary()
    return kind


def _geo(raw: bytes | None) -> Any:
    import json

    if raw is None:
        return None
    try:
        geo = json.loads(raw)
    except ValueError:
        return raw
    columns = geo.get("columns") if isinstance(geo, dict) else None
    if not isinstance(columns, dict):
        return geo
    # bbox and geometry types are per file; the column and its CRS must agree
    return (geo.get("primary_column"),
            {k: (v.get("crs"), v.get("encoding")) if isinstance(v, dict) else v
             for k, v in columns.items()})


def read_table(pset: ParquetSet, resource: str, columns: list[str] | None = None) -> pa.Table:
    """Every record of the set, files in path order."""
    try:
        return pset.dataset().to_table(columns=columns)
    except _ERRORS as exc:
        raise InputError(f"resource '{resource}': cannot read the Parquet files of "
                         f"{pset.where!r} ({_reason(exc)})") from None


def pieces(pset: ParquetSet) -> list[tuple[int, int, int]]:
    """(file number, row group number, records) of every row group, in record order."""
    return [(f, g, n) for f, groups in enumerate(pset.groups) for g, n in enumerate(groups)]


def read_piece(pset: ParquetSet, file: int, group: int, columns: list[str] | None,
               resource: str) -> pa.Table:
    """The records of one row group of one file (its partition keys as columns)."""
    try:
        fragment = next(iter(pset.dataset((pset.files[file],)).get_fragments()))
        piece = fragment.subset(row_group_ids=[group])
        return piece.to_table(schema=pset.schema, columns=columns)
    except _ERRORS as exc:
        raise InputError(f"resource '{resource}': cannot read "
                         f"{pset.name_of(pset.files[file])!r} in {pset.where!r} "
                         f"({_reason(exc)})") from None


def text_columns(pset: ParquetSet) -> list[str] | None:
    """The columns of the records but the geometry, in the order the reader gives
    them, without reading a record; None when the files keep a pandas index in a
    column (the reader makes it a column of its own: read the records instead)."""
    import json

    metadata = pset.schema.metadata or {}
    try:
        geo = json.loads(metadata.get(b"geo", b"{}"))
        pandas = json.loads(metadata.get(b"pandas", b"{}"))
    except ValueError:
        return None
    if any(isinstance(c, str) for c in pandas.get("index_columns", [])):
        return None
    return [n for n in pset.schema.names if n != geo.get("primary_column")]


def geometry_column(pset: ParquetSet) -> str:
    """The name of the records' geometry column in the files (`geo` primary_column)."""
    import json

    return str(json.loads((pset.schema.metadata or {})[b"geo"])["primary_column"])


def text_piece(pset: ParquetSet, file: int, group: int, columns: list[str],
               resource: str) -> pa.Table:
    """Some columns of one row group as text, as the single-process scan makes them
    from the read records (publisher.package.batches): the same cells, the same
    texts, wherever it runs."""
    import json

    import geopandas as gpd

    from publisher.package.batches import _text

    frame = read_piece(pset, file, group, columns, resource).to_pandas()
    geo = json.loads((pset.schema.metadata or {}).get(b"geo", b"{}"))
    for name in columns:
        if name in geo.get("columns", {}):  # another geometry: as WKT, as the reader does
            frame[name] = gpd.GeoSeries.from_wkb(frame[name]).to_wkt()
    return pa.table({name: _text(frame[name]) for name in columns},
                    schema=pa.schema([(name, pa.string()) for name in columns]))
