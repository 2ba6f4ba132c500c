"""A target written outside the package, as a newcomer adds one: this file is
all it takes (tests/targets/test_target_registry.py registers it and runs a
pipeline with it). It copies the staged files into a folder, one folder per
content hash, and can tell what publishing would change."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field

from publisher.targets.base import (
    PublishRequest,
    PublishResult,
    Target,
    TargetContext,
    TargetOptions,
)


class FolderOptions(TargetOptions):
    folder: str = Field(min_length=1, description="Where the files go (relative to the "
                                                  "pipeline file).")


@dataclass
class FolderPlan:
    dataset: str
    changed: bool

    def to_dict(self) -> dict[str, Any]:
        summary = "copy the files" if self.changed else "unchanged: nothing to copy"
        return {"dataset": self.dataset, "changed": self.changed, "summary": summary,
                "fields": [], "resources": []}


class FolderTarget(Target[FolderOptions]):
    type = "test-folder"
    Options = FolderOptions

    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def create(cls, options: FolderOptions, context: TargetContext) -> FolderTarget:
        return cls((context.base or Path.cwd()) / options.folder)

    def _dir(self, request: PublishRequest) -> Path:
        return self.root / request.dataset / request.content_hash[:16]

    def plan(self, request: PublishRequest) -> FolderPlan:
        return FolderPlan(request.dataset, changed=not self._dir(request).is_dir())

    def publish(self, request: PublishRequest) -> PublishResult:
        where = self._dir(request)
        if where.is_dir():
            return PublishResult(request.dataset, changed=False, location=str(where),
                                 message="unchanged")
        for f in request.files:
            (where / f.path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(request.staged_dir / f.path, where / f.path)
        (where / "reports.json").write_text(json.dumps(sorted(request.reports)))
        return PublishResult(request.dataset, changed=True, location=str(where),
                             files=[str(where / f.path) for f in request.files],
                             message=f"copied {len(request.files)} file(s)")
