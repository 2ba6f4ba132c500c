"""Helpers shared by the CKAN target tests: a small staged package to publish."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from publisher.package.staged import StagedFile
from publisher.targets.base import PublishRequest

DATASET: dict[str, Any] = {
    "title": "Testdaten", "description": "Ein Testdatensatz des Publishers.",
    "publisher": "Stadt Musterstadt", "contact": {"name": "Open Data", "email":
                                                  "opendata@musterstadt.example"},
    "contributor_id": "freistaatSachsen", "municipality_key": "14713000", "themes": ["GOVE"],
    "keywords": ["Test", "Publisher"], "license": "cc-by/4.0", "frequency": "IRREG",
}


TABLES_SMALL = {"a": b"id\n1\n", "b": b"id\n2\n"}


def stage_files(root: Path, name: str, tables: dict[str, bytes]) -> PublishRequest:
    """A staged package: data/<table>.csv per entry plus datapackage.json."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    for old in (root / "data").iterdir():
        old.unlink()
    files = []
    resources = []
    for table, data in sorted(tables.items()):
        (root / "data" / f"{table}.csv").write_bytes(data)
        files.append(StagedFile(f"data/{table}.csv", hashlib.sha256(data).hexdigest(), len(data)))
        resources.append({"name": table, "title": f"Tabelle {table}",
                          "path": f"data/{table}.csv", "format": "csv",
                          "mediatype": "text/csv"})
    text = json.dumps({"name": name, "resources": resources}, indent=2).encode()
    (root / "datapackage.json").write_bytes(text)
    files.append(StagedFile("datapackage.json", hashlib.sha256(text).hexdigest(), len(text)))
    return PublishRequest(dataset=name, metadata={**DATASET, "name": name}, staged_dir=root,
                          files=files, reports={}, content_hash="")
