"""The catalogue target interface, and the registry of targets.

A target is one module in this package: a class with a `type` id, a pydantic
`Options` model (the keys of the pipeline's `target:` block besides `type`;
the pipeline schema's target part is generated from them), `create` and
`publish`. `plan` (what publishing would change, changing nothing) and
`metadata` (the record the target publishes, when it builds its own) have
defaults here: a target that cannot plan raises NoPlanError.

The pipeline stages the anonymised package in a directory (data files and
datapackage.json) and hands a PublishRequest to the target. A target publishes
a new version, or says nothing changed when the content is already there.
Reports travel beside the data but do not count as content.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from publisher.errors import SpecError
from publisher.package.staged import StagedFile
from publisher.registry import Registry
from publisher.report import Report
from publisher.settings import Settings
from publisher.storage.base import Storage

if TYPE_CHECKING:
    from publisher.metadata import DatasetMetadata


class TargetOptions(BaseModel):
    """The options every target takes: the metadata profiles the run's conformance
    stage checks before anything is published."""

    model_config = ConfigDict(extra="forbid")

    dcat_ap_de: bool = Field(
        default=True,
        description="The conformance stage checks DCAT-AP.de 3.0 before publishing (the "
                    "official SHACL shapes when fetched with `publisher conformance fetch`, "
                    "else the project's own checks); a missing mandatory property blocks, a "
                    "missing recommended one warns. false: for a catalogue that does not "
                    "want DCAT-AP.de.")
    dcat_ap_at: bool = Field(
        default=False,
        description="The conformance stage also checks the DCAT-AP.AT 2.1 mandatory fields "
                    "(for data.gv.at); a missing one blocks.")


@dataclass(frozen=True)
class TargetContext:
    """What a target is made with besides its options."""

    settings: Settings
    base: Path | None = None  # the pipeline's folder: relative paths in options start here
    storage: Storage | None = None  # where the files go, for a target whose options choose one


@dataclass
class PublishRequest:
    dataset: str
    metadata: dict[str, Any]
    staged_dir: Path
    files: list[StagedFile]  # data files and datapackage.json
    reports: dict[str, dict[str, Any]]
    content_hash: str  # of the data and metadata (publisher.pipeline.staging.content_hash)
    # the run's conformance stage (publisher.conformance.stage), when it ran: a target
    # then does not check the metadata profiles again
    conformance: Report | None = None


@dataclass
class PublishResult:
    """What a target reports of a publish. `version` is the version that holds the
    content, for a target that numbers versions (local); None for one that does not
    (CKAN keeps one current state per dataset)."""

    dataset: str
    changed: bool
    location: str
    version: int | None = None
    files: list[str] = field(default_factory=list)
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class TargetPlan(Protocol):
    """What publishing would change, as a target can tell it."""

    def to_dict(self) -> dict[str, Any]:
        """At least `dataset`, `changed` and a one-line `summary`."""


class NoPlanError(SpecError):
    """The target cannot tell what publishing would change."""


Opts = TypeVar("Opts", bound=TargetOptions)


class Target(ABC, Generic[Opts]):
    type: ClassVar[str]
    Options: ClassVar[builtins.type[TargetOptions]] = TargetOptions

    @classmethod
    @abstractmethod
    def create(cls, options: Opts, context: TargetContext) -> Target[Opts]:
        """The target its options and the settings describe."""

    @abstractmethod
    def publish(self, request: PublishRequest) -> PublishResult:
        """Publish a new version, or report that nothing changed."""

    def plan(self, request: PublishRequest) -> TargetPlan:
        """What publish would change; sends nothing that writes."""
        raise NoPlanError(f"a '{self.type}' target cannot tell what publishing would change",
                          where="target.type",
                          hint=f"`plan` needs a target that can: {', '.join(planners())}")

    def metadata(self, request: PublishRequest) -> DatasetMetadata | None:
        """The record this target publishes, when it builds its own (CKAN links the
        files where it stores them); None: the one the local catalogue serves."""
        return None


targets: Registry[builtins.type[Target[Any]]] = Registry("target", "publisher.targets")


def planners() -> list[str]:
    """The registered targets that can plan."""
    return [t for t in targets.types() if targets.get(t).plan is not Target.plan]


def make_target(spec: Mapping[str, Any], settings: Settings, base: Path | None = None
                ) -> Target[Any]:
    """The target a pipeline's `target:` block names, its options checked by its
    Options model (errors name the key path under `target`)."""
    from pydantic import ValidationError

    from publisher.storage import StorageOptions, make_storage

    cls = targets.get(str(spec.get("type", "local")), where="target.type")
    try:
        options = cls.Options.model_validate({k: v for k, v in spec.items() if k != "type"})
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in ("target", *problem["loc"]))
        raise SpecError(problem["msg"], where=where) from None
    storage = make_storage(options, settings, base) if isinstance(options, StorageOptions) \
        else None
    return cls.create(options, TargetContext(settings, base, storage))
