"""One read of a resource's text columns for every rule of a check.

A rule that makes a pass over the text batches of a resource
(publisher.package.batches.iter_batches, all text columns) writes that pass as
a `BatchPass`: `add` takes each batch in record order, `result` gives what the
pass found. It names the passes it will need in `Rule.batch_passes`, and
check_package has them fed by the identifier scan's own read of the resource
(publisher.rules._identifiers.scan_resource, whose `also` sees every batch it
scans, while the scan's worker processes work): the file is read and parsed
once, not once per rule. `result_of` gives a pass's result: the one fed this
way, or, where nothing fed it (the scan was cached or made on a cluster, the
rule runs alone), the pass made on its own over the same batches. Either way
the batches are those of iter_batches, so the result is the same.

Results are kept per resource object and data, like the identifier scans, but
held weakly: they go with their resource. The API runs pipelines in threads, so
every look and change happens under the lock.
"""

from __future__ import annotations

import threading
import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from publisher.package.batches import Batch, iter_batches
from publisher.package.model import Resource

T = TypeVar("T")


class Pass(ABC, Generic[T]):
    """A pass over a resource's records; one object makes one pass."""

    @property
    @abstractmethod
    def key(self) -> Hashable:
        """What the pass depends on besides the data: equal keys, equal results."""

    @abstractmethod
    def result(self) -> T:
        """What the pass found over the batches added."""

    @abstractmethod
    def run(self, resource: Resource) -> T:
        """The pass made on its own over the resource's batches."""


class BatchPass(Pass[T]):
    """A pass over a resource's text batches (iter_batches, all text columns)."""

    @abstractmethod
    def add(self, batch: Batch) -> None:
        """Take the next batch (in record order)."""

    def run(self, resource: Resource) -> T:
        for batch in iter_batches(resource):
            self.add(batch)
        return self.result()


@dataclass
class _Kept:
    """The results kept for one resource object, while its data stay the same."""

    resource: weakref.ref[Resource]
    data: weakref.ref[Any] | None  # None: no records in memory
    results: dict[Hashable, object] = field(default_factory=dict)

    def holds(self, resource: Resource) -> bool:
        if self.resource() is not resource:
            return False
        if self.data is None:
            return resource.data is None
        return resource.data is not None and self.data() is resource.data


# by id(resource); an entry refers to its resource and data weakly, and goes with
# the resource, so it keeps no table alive and holds every resource of a check
_DONE: dict[int, _Kept] = {}
_LOCK = threading.RLock()  # a resource may go (_forget) while the lock is held


def result_of(resource: Resource, batch_pass: Pass[T]) -> T:
    """The pass's result over the resource as it is now: kept from the shared read
    or an earlier call, else made here (BatchPass.run)."""
    with _LOCK:
        kept = _DONE.get(id(resource))
        if kept is not None and kept.holds(resource) and batch_pass.key in kept.results:
            return kept.results[batch_pass.key]  # type: ignore[return-value]
    found = batch_pass.run(resource)
    keep(resource, batch_pass.key, found)
    return found


def shared_read(resource: Resource, passes: Sequence[BatchPass[Any]]
                ) -> tuple[Callable[[Batch], None], Callable[[], None]]:
    """A feed for a read of the resource's batches, and what to call once that read
    went through every batch: it keeps the passes' results for result_of. The
    results of a read that fed nothing (its scan was kept from before) are not kept."""
    unique: dict[Hashable, BatchPass[Any]] = {}
    for batch_pass in passes:
        unique.setdefault(batch_pass.key, batch_pass)
    fed = [False]
    data = resource.data

    def feed(batch: Batch) -> None:
        fed[0] = True
        for batch_pass in unique.values():
            batch_pass.add(batch)

    def done() -> None:
        if fed[0] and resource.data is data:
            for key, batch_pass in unique.items():
                keep(resource, key, batch_pass.result())

    return feed, done


def keep(resource: Resource, key: Hashable, found: object) -> None:
    """Keep a pass's result over the resource as it is now, for result_of."""
    with _LOCK:
        kept = _DONE.get(id(resource))
        if kept is None or not kept.holds(resource):
            data = None if resource.data is None else weakref.ref(resource.data)
            kept = _DONE[id(resource)] = _Kept(weakref.ref(resource, _forget), data)
        kept.results[key] = found


def _forget(gone: weakref.ref[Resource]) -> None:
    """Drop the entry of a resource that no longer exists (called as it goes)."""
    with _LOCK:
        for key, kept in list(_DONE.items()):
            if kept.resource is gone:
                del _DONE[key]
