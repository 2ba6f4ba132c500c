"""The catalogue target interface: local (embedded) now, CKAN later.

The pipeline stages the anonymised package in a directory (data files and
datapackage.json) and hands a PublishRequest to a target. A target publishes
a new version, or says nothing changed when the content hash matches the
latest version. Reports travel beside the data but do not count as content.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from publisher.package.staged import StagedFile
from publisher.report import Report


@dataclass
class PublishRequest:
    dataset: str
    metadata: dict[str, Any]
    staged_dir: Path
    files: list[StagedFile]  # data files and datapackage.json
    reports: dict[str, dict[str, Any]]
    content_hash: str
    # the run's conformance stage (publisher.conformance.stage), when it ran: a target
    # then does not check the metadata profiles again
    conformance: Report | None = None


@dataclass
class PublishResult:
    dataset: str
    version: int
    changed: bool
    location: str
    files: list[str] = field(default_factory=list)
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Target(ABC):
    type: ClassVar[str]

    @abstractmethod
    def publish(self, request: PublishRequest) -> PublishResult:
        """Publish a new version, or report that nothing changed."""
