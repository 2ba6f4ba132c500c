"""Only regular files are read, and only up to their limit.

A device (/dev/zero never ends, /dev/random neither), a FIFO (opening it
waits for a writer), a socket, and the files of /proc and /sys (they say
they are empty and then are not) are refused whatever name they go by,
a symbolic link to one included: as a descriptor, a zip archive, a
resource file, a pipeline's `source`, a pipeline or policy file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from publisher import limits
from publisher.errors import InputError

# their "regular" files say they are empty and then are not, or never end
_PSEUDO = (Path("/proc"), Path("/sys"))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def check_regular(path: Path, what: str, *, limit: str, where: str | None = None) -> int:
    """The size of `path` when it is a regular file no larger than the limit
    `limit` (a Limits field in MiB); InputError otherwise. Symbolic links are
    followed: what they lead to counts."""
    try:
        info = os.stat(path)
        real = path.resolve()
    except (OSError, RuntimeError) as exc:
        reason = getattr(exc, "strerror", None) or "a symbolic link loop"
        raise InputError(f"{what} cannot be opened ({reason})", where=where) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{what} is {_kind(info.st_mode)}, not a regular file; "
                         "only regular files are read", where=where)
    if any(real == p or real.is_relative_to(p) for p in _PSEUDO):
        raise InputError(f"{what} lies in /{real.parts[1]}, "
                         "a system directory whose files are not data; only regular files "
                         "are read", where=where)
    mib = limits.current().of(limit)
    if info.st_size > mib * limits.MIB:
        raise limits.exceeded(limit, f"{what} is {info.st_size / limits.MIB:,.1f} MiB",
                              where=where, unit=" MiB")
    return info.st_size
