"""Run in a subprocess by the large-file test: publish a staged directory to the
stack's CKAN through S3 and print the result with this process's peak RSS."""

from __future__ import annotations

import hashlib
import json
import resource
import sys
from pathlib import Path

from publisher.package.staged import StagedFile
from publisher.settings import Settings
from publisher.targets import make_target
from publisher.targets.base import PublishRequest


def _staged(root: Path) -> list[StagedFile]:
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
        out.append(StagedFile(path.relative_to(root).as_posix(), digest.hexdigest(),
                              path.stat().st_size))
    return out


def _peak_rss_kb() -> int:
    """This process's own high-water mark (VmHWM). getrusage's ru_maxrss would carry
    the parent's peak over the fork and exec, so it would measure pytest."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    staged, org, settings_json, metadata_json = sys.argv[1:5]
    root = Path(staged)
    metadata = json.loads(metadata_json)
    settings = Settings(**json.loads(settings_json))
    target = make_target({"type": "ckan", "organisation": org, "create_organisation": True,
                          "storage": "s3"}, settings)
    request = PublishRequest(dataset=metadata["name"], metadata=metadata, staged_dir=root,
                             files=_staged(root), reports={}, content_hash="")
    result = target.publish(request)
    peak_kb = _peak_rss_kb()
    traffic = target.client.traffic  # type: ignore[attr-defined]
    print(json.dumps({"changed": result.changed, "files": result.files,
                      "file_bytes_sent": traffic.file_bytes_sent,
                      "peak_rss_mb": peak_kb / 1024}))


if __name__ == "__main__":
    main()
