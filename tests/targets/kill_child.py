"""Run in a subprocess by the kill tests: publish a staged directory to a local
catalogue or to the stack's CKAN (+ S3), as the JSON job in argv[1] says. The
test sets PUBLISHER_FAULT_KILL_AT so that this process dies at one stage."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from publisher.pipeline.staging import content_hash
from publisher.targets.base import PublishRequest, Target
from publisher.targets.local import LocalTarget


def request_for(staged: Path, metadata: dict[str, Any]) -> PublishRequest:
    from publish_child import _staged

    files = _staged(staged)
    return PublishRequest(dataset=metadata["name"], metadata=metadata, staged_dir=staged,
                          files=files, reports={"check": {"valid": True}},
                          content_hash=content_hash(files, metadata))


def target_for(job: dict[str, Any]) -> Target:
    if job["kind"] == "local":
        return LocalTarget(Path(job["root"]))
    from publisher.settings import Settings
    from publisher.targets import make_target

    target = make_target({"type": "ckan", "organisation": job["org"],
                          "create_organisation": True, "storage": job["storage"]},
                         Settings(**job["settings"]))
    if job.get("part_size"):
        target.storage.part_size = int(job["part_size"])  # type: ignore[attr-defined]
    return target


def main() -> None:
    job = json.loads(sys.argv[1])
    result = target_for(job).publish(request_for(Path(job["staged"]), job["metadata"]))
    print(json.dumps(result.to_dict()))


if __name__ == "__main__":
    main()
