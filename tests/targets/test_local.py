from __future__ import annotations

import hashlib
from pathlib import Path

from publisher.catalog.store import CatalogStore
from publisher.package.staged import StagedFile
from publisher.targets.base import PublishRequest
from publisher.targets.local import LocalTarget


def _request(tmp_path: Path, content: str, name: str = "trees") -> PublishRequest:
    staged = tmp_path / f"staged-{hashlib.sha1(content.encode()).hexdigest()[:6]}"
    (staged / "data").mkdir(parents=True, exist_ok=True)
    data = content.encode()
    (staged / "data" / "t.csv").write_bytes(data)
    (staged / "datapackage.json").write_text("{}\n")
    files = [StagedFile("data/t.csv", hashlib.sha256(data).hexdigest(), len(data)),
             StagedFile("datapackage.json", hashlib.sha256(b"{}\n").hexdigest(), 3)]
    return PublishRequest(dataset=name, metadata={"title": "Trees"}, staged_dir=staged,
                          files=files, reports={"recheck": {"valid": True}},
                          content_hash=hashlib.sha256(data).hexdigest())


def test_first_publish_then_unchanged_then_new_version(tmp_path: Path) -> None:
    target = LocalTarget(tmp_path / "catalog")
    first = target.publish(_request(tmp_path, "a\n1\n"))
    assert (first.version, first.changed) == (1, True)
    assert Path(first.location, "data", "t.csv").read_text() == "a\n1\n"
    assert Path(first.location, "reports", "recheck.json").exists()

    again = target.publish(_request(tmp_path, "a\n1\n"))
    assert (again.version, again.changed) == (1, False)
    assert "unchanged" in again.message

    second = target.publish(_request(tmp_path, "a\n2\n"))
    assert (second.version, second.changed) == (2, True)
    assert [v["version"] for v in target.store.versions("trees")] == [1, 2]
    # the first version stays as it was
    assert Path(first.location, "data", "t.csv").read_text() == "a\n1\n"

    [record] = target.store.datasets()
    assert record.version == 2
    assert record.files[0].endswith("v2/data/t.csv")
    assert all(Path(f).exists() for f in record.files + record.reports)


def test_orphan_version_directory_from_a_crash_is_replaced(tmp_path: Path) -> None:
    target = LocalTarget(tmp_path / "catalog")
    orphan = tmp_path / "catalog" / "datasets" / "trees" / "v1"
    (orphan / "data").mkdir(parents=True)
    (orphan / "data" / "stale.csv").write_text("half written")
    result = target.publish(_request(tmp_path, "a\n1\n"))
    assert result.version == 1
    assert not (orphan / "data" / "stale.csv").exists()
    assert (orphan / "data" / "t.csv").exists()


def test_empty_catalogue_lists_nothing(tmp_path: Path) -> None:
    assert CatalogStore(tmp_path / "catalog").datasets() == []
