"""Download of remote resources: only from allowlisted hosts, never from private
or loopback addresses.

Every hop is checked: the URL's host must be on the allowlist, and each address
it resolves to must be public (not private, loopback, link-local, multicast,
reserved or unspecified). Redirects are followed by hand, each one checked the
same way. The address actually connected to is checked again on the socket, so
a name that resolves differently the second time (DNS rebinding) cannot slip
through. Proxies and .netrc from the environment are ignored.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from publisher.errors import InputError, TransientError, UnsafePathError
from publisher.package.paths import check_host

MAX_DOWNLOAD_BYTES = 1024**3
MAX_REDIRECTS = 5
TIMEOUT = (10.0, 60.0)  # connect, read
_CHUNK = 1024 * 256

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressCheck = Callable[[IPAddress], bool]


def is_public_address(ip: IPAddress) -> bool:
    """Whether a download may connect to `ip`: a global unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


class _BlockedAddress(Exception):
    """Raised on the socket: not an OSError, so urllib3 does not retry or wrap it."""

    def __init__(self, address: str):
        super().__init__(address)
        self.address = address


def _checked_connection(base: type[HTTPConnection], ok: AddressCheck) -> type[HTTPConnection]:
    class Checked(base):  # type: ignore[valid-type,misc]
        def _new_conn(self) -> socket.socket:
            sock: socket.socket = super()._new_conn()
            peer = ipaddress.ip_address(sock.getpeername()[0])
            if not ok(peer):
                sock.close()
                raise _BlockedAddress(str(peer))
            return sock

    return Checked


class _CheckedAdapter(HTTPAdapter):
    """Connections whose peer address is checked once the socket is open."""

    def __init__(self, ok: AddressCheck):
        self._pools = {
            "http": type("Pool", (HTTPConnectionPool,),
                         {"ConnectionCls": _checked_connection(HTTPConnection, ok)}),
            "https": type("Pool", (HTTPSConnectionPool,),
                          {"ConnectionCls": _checked_connection(HTTPSConnection, ok)}),
        }
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools


def _file_name(url: str) -> str:
    name = PurePosixPath(urlparse(url).path).name
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")
    return safe or "download"


def check_addresses(url: str, where: str, ok: AddressCheck) -> None:
    """Resolve the URL's host; UnsafePathError if any address is not allowed."""
    parts = urlparse(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TransientError(f"cannot resolve the host '{host}'", where=where) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not ok(address):
            raise _refused(host, str(address), where)


def _refused(host: str, address: str, where: str) -> UnsafePathError:
    return UnsafePathError(
        f"host '{host}' resolves to {address}, a private, loopback, link-local or "
        "multicast address; downloads only go to public addresses",
        where=where,
    )


def download(
    url: str,
    dest_dir: Path,
    *,
    resource: str,
    hosts: tuple[str, ...] | list[str] = (),
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    address_ok: AddressCheck | None = None,
) -> Path:
    """Stream `url` into a new file in `dest_dir` (the name keeps the URL's
    extension, so the format can still be told from it).

    `hosts` is the allowlist (see paths.check_host); `address_ok` decides which
    IP addresses may be reached (default: public ones only; tests pass their own
    to reach a server on 127.0.0.1)."""
    ok = address_ok or is_public_address
    where = f"resource '{resource}'"
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / _file_name(url)
    with requests.Session() as session:
        session.trust_env = False  # no proxies or .netrc from the environment
        adapter = _CheckedAdapter(ok)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        current = url
        for _ in range(max_redirects + 1):
            check_host(current, hosts, resource=resource)
            check_addresses(current, where, ok)
            location = _fetch(session, current, target, where, max_bytes)
            if location is None:
                return target
            current = urljoin(current, location)
    raise InputError(f"download redirected more than {max_redirects} times", where=where)


def _fetch(session: requests.Session, url: str, target: Path, where: str,
           max_bytes: int) -> str | None:
    """Write the body of `url` to `target`, or return where it redirects to."""
    host = urlparse(url).hostname or ""
    try:
        with session.get(url, stream=True, timeout=TIMEOUT, allow_redirects=False) as response:
            if response.is_redirect:
                location = response.headers.get("location")
                if not location:
                    raise InputError("download redirected without a location", where=where)
                return location
            if response.status_code >= 500 or response.status_code == 429:
                raise TransientError(
                    f"download failed with HTTP {response.status_code}", where=where
                )
            if response.status_code >= 400:
                raise InputError(f"download failed with HTTP {response.status_code}", where=where)
            _write(response, target, where, max_bytes)
    except _BlockedAddress as exc:
        raise _refused(host, exc.address, where) from None
    except requests.Timeout as exc:
        raise TransientError("download timed out", where=where) from exc
    except requests.ConnectionError as exc:
        raise TransientError("cannot connect to the server", where=where) from exc
    except requests.RequestException as exc:
        raise InputError(f"download failed ({type(exc).__name__})", where=where) from exc
    return None


def _write(response: requests.Response, target: Path, where: str, max_bytes: int) -> None:
    written = 0
    with open(target, "wb") as out:
        for chunk in response.iter_content(_CHUNK):
            written += len(chunk)
            if written > max_bytes:
                raise InputError(
                    f"download is larger than the limit of {max_bytes} bytes", where=where
                )
            out.write(chunk)
