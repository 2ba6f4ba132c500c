"""Download of remote resources (only when the caller allows remote input)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

import requests

from publisher.errors import InputError, TransientError

MAX_DOWNLOAD_BYTES = 1024**3
TIMEOUT = (10.0, 60.0)  # connect, read
_CHUNK = 1024 * 256


def _file_name(url: str) -> str:
    name = PurePosixPath(urlparse(url).path).name
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")
    return safe or "download"


def download(
    url: str,
    dest_dir: Path,
    *,
    resource: str,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> Path:
    """Stream `url` into a new file in `dest_dir`; the file keeps the URL's
    extension so the format can still be told from it."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / _file_name(url)
    where = f"resource '{resource}'"
    try:
        with requests.get(url, stream=True, timeout=TIMEOUT) as response:
            if response.status_code >= 500 or response.status_code == 429:
                raise TransientError(
                    f"download failed with HTTP {response.status_code}", where=where
                )
            if response.status_code >= 400:
                raise InputError(f"download failed with HTTP {response.status_code}", where=where)
            written = 0
            with open(target, "wb") as out:
                for chunk in response.iter_content(_CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise InputError(
                            f"download is larger than the limit of {max_bytes} bytes",
                            where=where,
                        )
                    out.write(chunk)
    except requests.Timeout as exc:
        raise TransientError("download timed out", where=where) from exc
    except requests.ConnectionError as exc:
        raise TransientError("cannot connect to the server", where=where) from exc
    except requests.RequestException as exc:
        raise InputError(f"download failed ({type(exc).__name__})", where=where) from exc
    return target
