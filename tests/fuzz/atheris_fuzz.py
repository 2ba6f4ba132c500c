"""Coverage-guided fuzzing of the loader and readers with atheris (libFuzzer).
Not part of the test suite; run it by hand for as long as you like:

    .venv/bin/pip install atheris
    .venv/bin/python tests/fuzz/atheris_fuzz.py csv -max_total_time=600
    .venv/bin/python tests/fuzz/atheris_fuzz.py geojson -max_total_time=600 corpus-geojson/
    (targets: descriptor, yaml, csv, geojson, gpkg; further arguments go to libFuzzer)

Without a corpus directory, a fresh one is seeded from the repository's files
of the target's kind (descriptors, CSV and GeoJSON files under tests/cases and
pipelines/samples; a generated GeoPackage). A crash is any exception other than
a PublisherError: libFuzzer stops and writes the input as crash-<hash> in the
current directory; replay it with
`.venv/bin/python tests/fuzz/atheris_fuzz.py <target> crash-<hash>`.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports():
    from tests.fuzz import harness

TARGETS: dict[str, Callable[[bytes], object]] = {
    "descriptor": harness.descriptor_target,
    "yaml": lambda data: harness.descriptor_target(data, "datapackage.yaml"),
    "csv": harness.csv_target,
    "geojson": harness.geojson_target,
    "gpkg": harness.gpkg_target,
}


SEEDS = {"descriptor": "datapackage.json", "yaml": "datapackage.y*ml", "csv": "*.csv",
         "geojson": "*.geojson"}


def _seed_corpus(name: str) -> str:
    corpus = Path(tempfile.mkdtemp(prefix=f"publisher-fuzz-{name}-"))
    if name == "gpkg":
        (corpus / "seed.gpkg").write_bytes(harness.seed_gpkg())
    else:
        files = [*(ROOT / "tests" / "cases").rglob(SEEDS[name]),
                 *(ROOT / "pipelines" / "samples").rglob(SEEDS[name])]
        for i, path in enumerate(f for f in files if f.stat().st_size < 1024**2):
            (corpus / f"seed-{i}").write_bytes(path.read_bytes())
    return str(corpus)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options]")
    name, options = sys.argv[1], sys.argv[2:]
    if not any(not o.startswith("-") for o in options):
        options.append(_seed_corpus(name))
    atheris.Setup([sys.argv[0], *options], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
