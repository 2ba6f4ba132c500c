"""Safe extraction of zipped data packages.

Refused before anything is written: entry names that leave the target
directory (zip slip), symbolic links, encrypted entries, too many entries, a
total uncompressed size above the limit, and entries that compress suspiciously
well (zip bombs). Sizes are counted again while extracting, so an archive that
lies about its sizes cannot write more than the limit either.
"""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path

from publisher.errors import InputError
from publisher.package.files import check_regular

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_RATIO = 200.0
RATIO_MIN_BYTES = 1024**2  # small files may compress well without being a bomb
_CHUNK = 1024**2


def _check_name(name: str, where: str) -> None:
    bad = (
        "\0" in name
        or "\\" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in name.split("/")
    )
    if bad:
        raise InputError(
            f"archive entry {name!r} would be written outside the extraction directory",
            where=where,
            hint="entry names must be relative paths without '..'",
        )


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def check_archive(
    infos: list[zipfile.ZipInfo],
    *,
    where: str,
    max_entries: int = MAX_ENTRIES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
) -> None:
    """Refuse an archive by its directory alone, before extracting anything."""
    if len(infos) > max_entries:
        raise InputError(
            f"archive has {len(infos)} entries, more than the limit of {max_entries}",
            where=where,
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        _check_name(info.filename, where)
        if _is_symlink(info):
            raise InputError(
                f"archive entry {info.filename!r} is a symbolic link; links are not allowed",
                where=where,
            )
        if info.flag_bits & 0x1:
            raise InputError(f"archive entry {info.filename!r} is encrypted", where=where)
        key = info.filename.rstrip("/")
        if key in seen:
            raise InputError(f"archive entry {info.filename!r} appears twice", where=where)
        seen.add(key)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_MIN_BYTES and ratio > max_ratio:
            raise InputError(
                f"archive entry {info.filename!r} expands {ratio:.0f} times "
                f"(limit {max_ratio:.0f}); this looks like a zip bomb",
                where=where,
            )
    if total > max_total_bytes:
        raise InputError(
            f"archive would expand to {total} bytes, more than the limit of "
            f"{max_total_bytes} bytes",
            where=where,
        )


def extract_zip(
    archive: Path,
    dest: Path,
    *,
    max_entries: int = MAX_ENTRIES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
) -> Path:
    """Extract `archive` into `dest` (created if missing) and return `dest`."""
    where = str(archive)
    check_regular(archive, "the archive", limit="max_file_mb", where=where)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            check_archive(
                infos,
                where=where,
                max_entries=max_entries,
                max_total_bytes=max_total_bytes,
                max_ratio=max_ratio,
            )
            dest.mkdir(parents=True, exist_ok=True)
            _extract_all(zf, infos, dest.resolve(), where, max_total_bytes)
    except zipfile.BadZipFile as exc:
        raise InputError(
            "not a readable zip archive (damaged or not a zip file)", where=where
        ) from exc
    except (OSError, EOFError, NotImplementedError) as exc:  # unsupported compression etc.
        raise InputError(f"cannot extract the archive ({type(exc).__name__})", where=where) from exc
    return dest


def _extract_all(
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    root: Path,
    where: str,
    max_total_bytes: int,
) -> None:
    written = 0
    for info in infos:
        target = (root / info.filename).resolve()
        if not target.is_relative_to(root):  # e.g. through a directory that is a link
            raise InputError(
                f"archive entry {info.filename!r} would be written outside the "
                "extraction directory",
                where=where,
            )
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "wb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > max_total_bytes:
                    raise InputError(
                        f"archive expands to more than {max_total_bytes} bytes",
                        where=where,
                    )
                out.write(chunk)
