"""The connection to a Dask scheduler, with one clear error when it cannot be used."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from publisher.errors import PublisherError

if TYPE_CHECKING:
    from distributed import Client

CONNECT_TIMEOUT = "20s"


class ClusterError(PublisherError):
    """The cluster cannot be reached, or its workers cannot do the work."""


@contextmanager
def connect(address: str) -> Iterator[Client]:
    """A distributed.Client for `address` (closed on exit); ClusterError when the
    scheduler does not answer or dask[distributed] is not installed."""
    try:
        from distributed import Client as _Client
    except ImportError:
        raise ClusterError("the cluster engine needs dask[distributed], which is not installed",
                           hint="pip install 'publisher[cluster]'") from None
    try:
        client = _Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: "
                           f"{type(exc).__name__}",
                           hint="start it (deploy/local/cluster up) or fix PUBLISHER_CLUSTER / "
                                "--cluster") from None
    try:
        yield client
    finally:
        client.close()  # type: ignore[no-untyped-call]


@contextmanager
def worker_failures(resource: str) -> Iterator[None]:
    """A worker's failure to read a resource's files, or the cluster's, as a
    ClusterError (a worker that dies is survived: the scheduler runs its tasks
    elsewhere)."""
    try:
        yield
    except FileNotFoundError as exc:
        raise ClusterError(f"resource '{resource}': a worker cannot read the file "
                           f"({exc.strerror or exc})",
                           hint="the workers read the files themselves: put the package on "
                                "storage every worker mounts at the same path") from None
    except OSError as exc:
        raise ClusterError(f"resource '{resource}': the cluster failed: "
                           f"{type(exc).__name__}", hint="deploy/local/cluster status") from None
