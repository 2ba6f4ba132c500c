"""Download the pinned official files into the conformance directory.

Every file is streamed into a private directory beside its destination, its size
and SHA-256 checked against the pin, and only when every file checks out are they
moved into place, one rename each. A file that differs (tampered, truncated, another
version) or a server that does not answer fails the whole fetch: the temporary
directory is removed and the files already in place stay as they were. Files that
are already present and verified are not downloaded again.

`base` stands in for https://raw.githubusercontent.com/ (a mirror laid out like it:
<base>/<owner>/<repository>/<commit>/<path>).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from publisher.conformance.pins import FILES, GITHUB_RAW, PinnedFile
from publisher.conformance.status import State, file_state
from publisher.errors import InputError, PublisherError, TransientError

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_TEMP_PREFIX = ".fetch-"
_CHUNK = 64 * 1024
_STALE_SECONDS = 3600


@dataclass
class FetchResult:
    directory: Path
    base: str
    downloaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"directory": str(self.directory), "base": self.base,
                "downloaded": self.downloaded, "unchanged": self.unchanged}


def fetch_official(directory: Path, *, base: str | None = None,
                   client: httpx.Client | None = None) -> FetchResult:
    """Bring every pinned file into `directory` (made if missing)."""
    base = base or GITHUB_RAW
    result = FetchResult(directory, base)
    wanted = []
    for pin in FILES:
        if file_state(directory, pin) is State.VERIFIED:
            result.unchanged.append(pin.local)
        else:
            wanted.append(pin)
    if not wanted:
        return result
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _remove_stale(directory)
        temp = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=directory))
    except OSError as exc:
        raise InputError(f"cannot write the conformance directory: {exc.strerror or exc}",
                         where=str(directory),
                         hint="set PUBLISHER_CONFORMANCE_DIR (or --dir) to a writable "
                              "directory") from None
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True)
    try:
        for pin in wanted:
            _download(http, pin, base, temp / pin.local)
        for pin in wanted:
            target = directory / pin.local
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp / pin.local, target)
            result.downloaded.append(pin.local)
    except OSError as exc:
        raise InputError(f"cannot write the conformance directory: {exc.strerror or exc}",
                         where=str(directory)) from None
    finally:
        if own:
            http.close()
        shutil.rmtree(temp, ignore_errors=True)
    return result


def _download(http: httpx.Client, pin: PinnedFile, base: str, dest: Path) -> None:
    url = pin.url(base)
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    try:
        with http.stream("GET", url) as response, dest.open("wb") as out:
            if response.status_code != 200:
                raise InputError(f"{url} answered HTTP {response.status_code}",
                                 where=pin.local,
                                 hint="check the address (--mirror / "
                                      "PUBLISHER_CONFORMANCE_MIRROR); nothing was changed")
            for chunk in response.iter_bytes(_CHUNK):
                size += len(chunk)
                if size > pin.bytes:  # never read more than the pinned file holds
                    break
                digest.update(chunk)
                out.write(chunk)
    except PublisherError:
        raise
    except httpx.HTTPError as exc:
        raise TransientError(f"cannot download {url}: {_reason(exc)}", where=pin.local,
                             hint="is the server (or --mirror) reachable? nothing was "
                                  "changed") from None
    if size != pin.bytes or digest.hexdigest() != pin.sha256:
        raise InputError(
            f"{url} is not the pinned file: "
            + (f"{'more than ' if size > pin.bytes else ''}{size} bytes, pinned {pin.bytes}"
               if size != pin.bytes else
               f"SHA-256 {digest.hexdigest()}, pinned {pin.sha256}")
            + "; refused", where=pin.local,
            hint="the server does not serve the published file (tampered, or another "
                 "version); nothing was changed")


def _reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "connection failed"
    return type(exc).__name__


def _remove_stale(directory: Path) -> None:
    """Temporary directories of a fetch that was killed (an hour old: not one running)."""
    for path in directory.glob(_TEMP_PREFIX + "*"):
        if path.is_dir() and time.time() - path.stat().st_mtime > _STALE_SECONDS:
            shutil.rmtree(path, ignore_errors=True)
