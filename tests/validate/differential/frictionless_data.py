"""frictionless-py's own `data/` fixtures as differential cases.

The folder comes from frictionless's source distribution on PyPI (the version
installed here), fetched with `pip download` into a cache directory outside
the repository and unpacked there once; nothing of it is kept in git.

Cases, one per input frictionless itself recognises in the folder (by
`frictionless.Resource(path)`'s type, the `cassettes/` of recorded HTTP
exchanges left out):

- package:   a package descriptor (`PackageResource`), or a zip holding a
             `datapackage.json`, validated where it lies;
- resource:  a resource descriptor (`ResourceResource`), wrapped in a package
             (its paths rebased on the wrapper's folder);
- table:     a table file (`TableResource`), as a resource with no schema;
- described: the same file with what `frictionless.describe` says of it
             (schema, encoding, dialect, compression).

Wrappers are written beside `data/` (a resource path must stay inside its
package's folder), and both sides validate the same file. frictionless's side
of each case is cached beside the data, keyed by its version and the case's
descriptor: it is the reference, and is the same for the same input.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import frictionless

from publisher.errors import InputError
from publisher.package.loader import load_package
from publisher.validate import validate_package
from publisher.validate.geometry import Extent

VERSION = version("frictionless")
CACHE = Path(os.environ.get("PUBLISHER_TEST_CACHE") or Path.home() / ".cache" / "publisher-tests")
# The plausibility extent is the publisher's own check, not part of the comparison.
WORLD = Extent(min_lon=-180, min_lat=-90, max_lon=180, max_lat=90)

Key = tuple[str | None, int | None, str | None, str]


def fetch_data(cache: Path = CACHE, version: str = VERSION) -> Path:
    """The `frictionless-<version>/` folder holding `data/`, downloaded and
    unpacked on first use; RuntimeError (never a skip) when that fails."""
    root = cache / f"frictionless-{version}"
    done = root / ".unpacked"
    if done.is_file():
        return root
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        command = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:",
                   "--no-deps", "--quiet", "-d", tmp,
                   f"frictionless=={version}"]
        run = subprocess.run(command, capture_output=True, text=True, timeout=900)
        archives = list(Path(tmp).glob(f"frictionless-{version}.tar.gz"))
        if run.returncode != 0 or not archives:
            raise RuntimeError(f"cannot download frictionless {version}'s source distribution "
                               f"from PyPI ({' '.join(command)}):\n{run.stderr[-2000:]}")
        unpacked = Path(tmp) / "unpacked"
        prefix = f"frictionless-{version}/data/"
        with tarfile.open(archives[0]) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith(prefix)
                       and not m.name.startswith(prefix + "cassettes/")]
            if not members:
                raise RuntimeError(f"frictionless {version}'s source distribution holds no data/")
            archive.extractall(unpacked, members=members, filter="data")
        root.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(unpacked / f"frictionless-{version}" / "data", root / "data")
        except OSError:
            if not (root / "data").is_dir():  # else another session unpacked it first
                raise
    done.write_text(version, encoding="utf-8")
    return root


@dataclass(frozen=True)
class Case:
    id: str  # "<kind>:<path under data/>"
    source: Path  # the package the two sides validate


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-.") or "resource"


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            return json.loads(text)
        import yaml

        return yaml.safe_load(text)
    except (ValueError, UnicodeError):
        return None


def _rebase(item: dict[str, Any], folder: str) -> dict[str, Any]:
    """A resource descriptor's relative paths, from `folder` under the wrapper's."""
    def fix(value: Any) -> Any:
        if isinstance(value, str) and "://" not in value and not value.startswith("/"):
            return f"{folder}/{value}"
        return value

    out = dict(item)
    if isinstance(out.get("path"), list):
        out["path"] = [fix(p) for p in out["path"]]
    elif "path" in out:
        out["path"] = fix(out["path"])
    for key in ("schema", "dialect"):
        if isinstance(out.get(key), str):
            out[key] = fix(out[key])
    return out


def _write(root: Path, case_id: str, descriptor: dict[str, Any]) -> Path:
    """The wrapper package for a case, beside data/ (written atomically)."""
    path = root / f"case-{_slug(case_id)}.json"
    text = json.dumps({"name": "case", "resources": [descriptor]}, indent=1, sort_keys=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return path


_DESCRIBED = ("format", "encoding", "dialect", "compression", "innerpath", "schema")


def _described(root: Path, rel: str) -> dict[str, Any] | None:
    """What frictionless.describe says of a table file (cached), or None when it
    cannot describe it."""
    cached = _cached(root, "describe", rel)
    if cached is not None:
        return cached.get("descriptor")
    try:
        described = frictionless.describe(rel, basepath=str(root / "data")).to_descriptor()
        descriptor = {k: described[k] for k in _DESCRIBED if k in described}
    except Exception:  # whatever frictionless cannot describe has no described variant
        descriptor = None
    _store(root, "describe", rel, {"descriptor": descriptor})
    return descriptor


def _kind(path: Path, data: Path) -> str | None:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return "package" if "datapackage.json" in archive.namelist() else _table(path, data)
    return {"PackageResource": "package", "ResourceResource": "resource",
            "TableResource": "table"}.get(_type(path, data))


def _type(path: Path, data: Path) -> str:
    return type(frictionless.Resource(path=path.relative_to(data).as_posix(),
                                      basepath=str(data))).__name__


def _table(path: Path, data: Path) -> str | None:
    return "table" if _type(path, data) == "TableResource" else None


def build_cases(root: Path) -> list[Case]:
    data = root / "data"
    cases: list[Case] = []
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        rel = path.relative_to(data).as_posix()
        kind = _kind(path, data)
        if kind == "package":
            cases.append(Case(f"package:{rel}", path))
        elif kind == "resource":
            item = _read(path)
            if isinstance(item, dict):
                wrapped = _rebase(item, (Path("data") / path.parent.relative_to(data)).as_posix())
                cases.append(Case(f"resource:{rel}", _write(root, f"resource:{rel}", wrapped)))
        elif kind == "table":
            name = _slug(path.name)
            bare = {"name": name, "path": f"data/{rel}"}
            cases.append(Case(f"table:{rel}", _write(root, f"table:{rel}", bare)))
            described = _described(root, rel)
            if described and (described.get("schema") or {}).get("fields"):
                cases.append(Case(f"described:{rel}",
                                  _write(root, f"described:{rel}", {**bare, **described})))
    return cases


# frictionless's side, cached per version and input


def _cache_file(root: Path, what: str, key: str) -> Path:
    digest = hashlib.sha256(f"{VERSION}\n{what}\n{key}".encode()).hexdigest()[:32]
    return root / "reference" / f"{what}-{digest}.json"


def _cached(root: Path, what: str, key: str) -> dict[str, Any] | None:
    path = _cache_file(root, what, key)
    if not path.is_file():
        return None
    value = json.loads(path.read_text(encoding="utf-8"))
    return value if isinstance(value, dict) else None


def _store(root: Path, what: str, key: str, value: dict[str, Any]) -> None:
    path = _cache_file(root, what, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value), encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class Side:
    verdict: str  # "valid", "invalid", or (publisher only) "refused" or "crashed"
    keys: set[Key] = field(default_factory=set)
    message: str = ""
    engine: int = 0  # resources the columnar engine validated (the rest: frictionless)


def theirs(root: Path, case: Case) -> Side:
    """frictionless.validate on the case (cached: key = the case and its descriptor)."""
    key = f"{case.id}\n{hashlib.sha256(case.source.read_bytes()).hexdigest()}"
    cached = _cached(root, "validate", key)
    if cached is None:
        report = frictionless.validate(str(case.source), limit_errors=1_000_000)
        keys = [[t.name, getattr(e, "row_number", None), getattr(e, "field_name", None) or None,
                 str(e.type)] for t in report.tasks for e in t.errors]
        keys += [[None, None, None, str(e.type)] for e in report.errors]
        cached = {"valid": bool(report.valid), "keys": keys}
        _store(root, "validate", key, cached)
    return Side("valid" if cached["valid"] else "invalid",
                {(k[0], k[1], k[2], k[3]) for k in cached["keys"]})


def ours(case: Case) -> Side:
    """load_package + validate_package; an InputError is a refusal (exit 2), any
    other exception a crash (which never agrees)."""
    try:
        report = validate_package(load_package(case.source), extent=WORLD)
    except InputError as exc:
        return Side("refused", message=str(exc))
    except Exception as exc:  # a crash is a finding of this test, not a reason to stop
        return Side("crashed", message=f"{type(exc).__name__}: {exc}")
    engine = sum(bool(stats.get("engine")) for stats in report.stats["resources"].values())
    return Side("valid" if report.valid else "invalid",
                {(f.resource, f.row, f.field, f.type) for f in report.findings}, engine=engine)


def agree(mine: Side, reference: Side) -> bool:
    """The same verdict and the same (resource, row, field, type) set; a refusal
    agrees with a frictionless report whose errors are all about the resource as
    a whole (no row, no field): neither could read it."""
    if mine.verdict == "refused":
        return reference.verdict == "invalid" and all(
            row is None and name is None for _, row, name, _ in reference.keys)
    return mine.verdict == reference.verdict and mine.keys == reference.keys


def explain(mine: Side, reference: Side) -> str:
    if mine.verdict in ("refused", "crashed"):
        return (f"publisher {mine.verdict} ({mine.message[:300]}); "
                f"frictionless: {reference.verdict} {sorted(reference.keys, key=str)[:6]}")
    return (f"publisher {mine.verdict}, frictionless {reference.verdict}; "
            f"only publisher: {sorted(mine.keys - reference.keys, key=str)[:6]}; "
            f"only frictionless: {sorted(reference.keys - mine.keys, key=str)[:6]}")
