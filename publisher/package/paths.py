"""Safe resolution of resource paths: everything stays inside the package root.

A resource path (or a schema given as a path) is either a relative POSIX path
inside the package root or, when the caller allows it, an http(s) URL. Every
other form is refused: `..` segments, absolute POSIX / Windows / UNC paths,
backslashes, NUL bytes, other URL schemes, and symlinks that lead out of the
root (checked on the resolved path, so a link anywhere along the way counts).
A URL must also name a host on the allowlist (remote.py checks its addresses).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from urllib.parse import urlparse

from publisher.errors import InputError, UnsafePathError
from publisher.package.files import check_regular

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_REMOTE_SCHEMES = ("http", "https")


def url_scheme(path: str) -> str | None:
    """The URL scheme of `path` (lower case), or None for a plain path.

    A single letter before the colon is a Windows drive (`C:\\data.csv`), not a scheme.
    """
    match = _SCHEME.match(path)
    if match is None or len(match.group(1)) == 1:
        return None
    return match.group(1).lower()


def is_remote(path: str) -> bool:
    return url_scheme(path) in _REMOTE_SCHEMES


def host_allowed(host: str, hosts: Collection[str]) -> bool:
    """Whether `host` is on the allowlist: an exact name (any letter case) or a
    `*.example.org` entry, which allows the subdomains of example.org."""
    host = host.lower().rstrip(".")
    for entry in (h.lower().rstrip(".") for h in hosts):
        if entry.startswith("*."):
            if host.endswith(entry[1:]):
                return True
        elif host == entry:
            return True
    return False


def check_host(url: str, hosts: Collection[str], *, resource: str) -> str:
    """The URL itself when it is http(s) to an allowlisted host; UnsafePathError otherwise."""
    parts = urlparse(url)
    if parts.scheme not in _REMOTE_SCHEMES:
        raise UnsafePathError(
            f"resource '{resource}': URL {url!r} uses the scheme '{parts.scheme}', "
            "which is never allowed"
        )
    try:
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError as exc:
        raise UnsafePathError(f"resource '{resource}': URL {url!r} is malformed") from exc
    if parts.username is not None or parts.password is not None:
        raise UnsafePathError(
            f"resource '{resource}': URL {url!r} carries credentials; they are never sent"
        )
    if not host or not host_allowed(host, hosts):
        raise UnsafePathError(
            f"resource '{resource}': host '{host}' is not on the allowlist of remote hosts",
            hint="add the host to `remote_hosts` in the pipeline, or to "
            "PUBLISHER_REMOTE_HOSTS (a JSON list)",
        )
    return url


def check_url(
    url: str, *, resource: str, allow_remote: bool, hosts: Collection[str] = ()
) -> str:
    """The URL itself when it may be fetched; UnsafePathError otherwise."""
    scheme = url_scheme(url)
    if scheme not in _REMOTE_SCHEMES:
        raise UnsafePathError(
            f"resource '{resource}': path {url!r} uses the URL scheme '{scheme}', "
            "which is never allowed",
            hint="use a relative path inside the package, or an http(s) URL",
        )
    if not allow_remote:
        raise UnsafePathError(
            f"resource '{resource}': path {url!r} is a remote URL and remote "
            "resources are not allowed",
            hint="download the file into the package, or allow remote resources "
            "(--allow-remote / PUBLISHER_ALLOW_REMOTE=1)",
        )
    return check_host(url, hosts, resource=resource)


def is_safe_name(name: str) -> bool:
    """Whether a resource name can serve as a file name (`data/<name>.csv`)."""
    return (
        bool(name.strip())
        and name not in (".", "..")
        and not any(c in name for c in "/\\\0")
        and name.isprintable()
    )


def _refuse(resource: str, path: str, why: str) -> UnsafePathError:
    return UnsafePathError(
        f"resource '{resource}': path {path!r} {why}",
        hint="resource paths must be relative POSIX paths inside the package root",
    )


def check_relative(path: str, *, resource: str) -> None:
    """Refuse every path form that could name a file outside the root, before
    touching the file system."""
    if "\0" in path:
        raise _refuse(resource, path, "contains a NUL byte")
    if "\\" in path:
        raise _refuse(resource, path, "contains a backslash; use '/' as separator")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        raise _refuse(resource, path, "is absolute; it leaves the package root")
    if ".." in path.split("/"):
        raise _refuse(resource, path, "leaves the package root")


def resolve_local_path(root: Path, path: str, *, resource: str, folder: bool = False) -> Path:
    """The resolved file `path` names inside `root` (or folder, when `folder`: a
    partitioned resource); UnsafePathError when it would leave the root,
    InputError when the file does not exist."""
    if not isinstance(path, str) or not path.strip():
        raise InputError(f"resource '{resource}': path must be a non-empty string")
    check_relative(path, resource=resource)
    real_root = root.resolve()
    try:
        target = (real_root / path).resolve()
    except (OSError, RuntimeError) as exc:  # symlink loop
        raise _refuse(resource, path, "cannot be resolved (symbolic link loop?)") from exc
    if not target.is_relative_to(real_root):
        raise _refuse(resource, path, "leaves the package root (through a symbolic link)")
    try:
        exists, is_file = target.exists(), target.is_file()
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise InputError(
            f"resource '{resource}': path {path[:200]!r} cannot be used ({exc.strerror})"
        ) from None
    if not exists:
        raise InputError(f"resource '{resource}': file {path!r} not found in the package")
    if not is_file and target.is_dir():
        if folder:
            return target
        raise InputError(f"resource '{resource}': path {path!r} is not a file")
    check_regular(target, f"resource '{resource}': {path!r}", limit="max_file_mb")
    return target


def resolve_resource_path(
    root: Path, path: str, *, resource: str, allow_remote: bool, hosts: Collection[str] = ()
) -> Path | str:
    """A local path resolved inside `root`, or an allowed http(s) URL as given."""
    if isinstance(path, str) and url_scheme(path) is not None:
        return check_url(path, resource=resource, allow_remote=allow_remote, hosts=hosts)
    return resolve_local_path(root, path, resource=resource)
