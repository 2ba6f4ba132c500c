"""The local target: publish into the embedded catalogue store
(publisher.catalog), by default the one in the home, or one in `path`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from publisher.catalog.store import CatalogStore, NewVersion
from publisher.targets.base import (
    PublishRequest,
    PublishResult,
    Target,
    TargetContext,
    TargetOptions,
    targets,
)


class LocalOptions(TargetOptions):
    """`target:` of type local."""

    path: str | None = Field(
        default=None, min_length=1,
        description="The catalogue directory (relative to the pipeline file); default: the "
                    "configured home's.")


@targets.register
class LocalTarget(Target[LocalOptions]):
    type = "local"
    Options = LocalOptions

    def __init__(self, root: Path):
        self.store = CatalogStore(root)

    @classmethod
    def create(cls, options: LocalOptions, context: TargetContext) -> LocalTarget:
        if options.path is None:
            return cls(context.settings.catalog_dir)
        root = Path(options.path)
        return cls(root if root.is_absolute() or context.base is None else context.base / root)

    def publish(self, request: PublishRequest) -> PublishResult:
        stored = self.store.add(NewVersion(
            dataset=request.dataset, metadata=request.metadata,
            content_hash=request.content_hash, staged_dir=request.staged_dir,
            files=request.files, reports=request.reports))
        if not stored.changed:
            message = f"unchanged: version {stored.version} already holds this content"
        elif stored.version == 1:
            message = "published: version 1"
        else:
            message = f"published a new version: version {stored.version}"
        return PublishResult(dataset=request.dataset, version=stored.version,
                             changed=stored.changed, location=str(stored.version_dir),
                             files=stored.files, message=message)
