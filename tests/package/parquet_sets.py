"""GeoParquet packages for the tests of partitioned resources: the same records
as one file, and as a folder of hive-style partitions (year=2023/, year=2024/),
several row groups each, with identifiers in a text column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

TEXTS = ("Schlagloch vor dem Haus", "Bitte rückrufen: Tel. 0171 2345678",
         "Mail an anna.schmidt@example.org", "Laterne defekt", "")


def frame(rows: int, seed: int = 7) -> gpd.GeoDataFrame:
    """The records, the partition key last (as the folder's reader gives it)."""
    rng = np.random.default_rng(seed)
    return gpd.GeoDataFrame({
        "id": [f"R{i:05d}" for i in range(rows)],
        "note": [TEXTS[i % len(TEXTS)] if i % 7 else f"Frau Meier, Tel. 0351 4{i:06d}"
                 for i in range(rows)],
        "category": rng.choice(["Straße", "Licht", "Müll"], rows),
        "status": rng.choice(["neu", "erledigt"], rows),
        # a rare reporter now and then: classes below k
        "reporter_name": [f"Jana Weiß {i}" if i % 499 == 3 else name for i, name in
                          enumerate(rng.choice(["Anna Schmidt", "Max Müller", "Eva Roth",
                                                "Ole Hahn"], rows))],
        "geometry": gpd.points_from_xy(13.70 + rng.random(rows) / 50,
                                       51.03 + rng.random(rows) / 50),
        "year": np.where(np.arange(rows) < rows * 3 // 5, 2023, 2024).astype("int32"),
    }, crs="EPSG:4326")


def _package(root: Path, path: str, name: str = "reports", **extra: Any) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    descriptor = {"name": "parquet-set", "licenses": [{"name": "CC-BY-4.0"}],
                  "resources": [{"name": name, "path": path, "format": "geoparquet", **extra}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def write_partitions(folder: Path, records: gpd.GeoDataFrame, group_rows: int) -> None:
    for year, part in records.groupby("year", sort=True):
        where = folder / f"year={year}"
        where.mkdir(parents=True, exist_ok=True)
        half = len(part) // 2
        for number, piece in enumerate((part.iloc[:half], part.iloc[half:])):
            piece.drop(columns="year").reset_index(drop=True).to_parquet(
                where / f"part-{number}.parquet", row_group_size=group_rows)


def write(root: Path, rows: int = 1_000, group_rows: int = 150) -> tuple[Path, Path]:
    """(package with one file, package with the partitioned folder), same records."""
    records = frame(rows)
    one = _package(root / "one", "data/reports.parquet")
    (one / "data").mkdir()
    ordered = pd.concat([p for _, p in records.groupby("year", sort=True)])
    gpd.GeoDataFrame(ordered.reset_index(drop=True), crs=records.crs).to_parquet(
        one / "data" / "reports.parquet", row_group_size=group_rows)
    folder = _package(root / "folder", "data/reports")
    write_partitions(folder / "data" / "reports", records, group_rows)
    (folder / "data" / "reports" / "_SUCCESS").write_bytes(b"")  # left out, as Spark's
    return one, folder
