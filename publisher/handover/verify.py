"""Verify a handover bundle: every checksum, missing, extra and altered files,
the manifest's own structure, descriptors against data files, the DCAT files
parse (and, on request, pass DCAT-AP.de 3.0: the official shapes when they were
fetched, else the project's own checks).

A bundle that cannot be read at all (no manifest, a manifest that is not one,
an address that does not answer) raises InputError (exit 2); anything wrong
inside a readable bundle is a Problem (exit 1).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

from publisher.errors import InputError, PublisherError
from publisher.handover.location import BundleStore, open_store, parse_location
from publisher.handover.manifest import CATALOG, MANIFEST, Manifest, parse_manifest, sha256_hex
from publisher.pipeline.journal import RUN_REPORT
from publisher.settings import Settings

RDF_FORMATS = {".ttl": "turtle", ".jsonld": "json-ld"}


@dataclass(frozen=True)
class Problem:
    kind: str  # missing | extra | altered | manifest | incomplete | descriptor | dcat | shacl
    path: str
    message: str


@dataclass
class VerifyResult:
    location: str
    manifest_sha256: str
    files: int = 0
    bytes: int = 0
    datasets: int = 0
    versions: int = 0
    runs: int = 0
    shacl: bool = False
    shapes: str | None = None  # with --shacl: "official shapes" or "own checks"
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, path: str, message: str) -> None:
        self.problems.append(Problem(kind, path, message))

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "location": self.location,
                "manifest_sha256": self.manifest_sha256, "files": self.files,
                "bytes": self.bytes, "datasets": self.datasets, "versions": self.versions,
                "runs": self.runs, "shacl": self.shacl, "shapes": self.shapes,
                "problems": [asdict(p) for p in self.problems]}


def verify_bundle(bundle: str, settings: Settings, *, shacl: bool = False,
                  expect: str | None = None) -> VerifyResult:
    store = open_store(parse_location(bundle), settings)
    listing = store.listing()
    if MANIFEST not in listing:
        raise InputError("no manifest.json: not a handover bundle, or one that was never "
                         "finished", where=store.label,
                         hint="give the directory or address `publisher handover` wrote")
    data = _read(store, MANIFEST)
    manifest = parse_manifest(data, f"{store.label.rstrip('/')}/{MANIFEST}")
    result = VerifyResult(store.label, sha256_hex(data), files=len(manifest.files),
                          bytes=sum(f.bytes for f in manifest.files),
                          datasets=len(manifest.datasets),
                          versions=sum(len(d.versions) for d in manifest.datasets),
                          runs=len(manifest.runs), shacl=shacl)
    if expect is not None and expect.strip().lower() != result.manifest_sha256:
        result.add("manifest", MANIFEST, "the manifest's SHA-256 is not the one expected: "
                   "the manifest was changed or belongs to another bundle")
    intact = _checksums(store, manifest, listing, result)
    _structure(manifest, result)
    _descriptors(store, manifest, intact, result)
    graph = _dcat(store, manifest, intact, result)
    if shacl and graph is not None:
        _conformance(graph, settings, result)
    return result


def _conformance(graph: Graph, settings: Settings, result: VerifyResult) -> None:
    """DCAT-AP.de 3.0 of the catalogue: the official shapes when they were fetched,
    else the project's own checks (result.shapes says which); what blocks a
    publication is a problem here."""
    from publisher.metadata import check_graph

    report = check_graph(graph, directory=settings.conformance_path)
    result.shapes = str(report.stats["dcat_ap_de"]["checked_with"])
    for f in report.blocking:
        where = f" ({f.resource})" if f.resource else ""
        result.add("shacl", CATALOG, f"{f.field}{where}: {f.message}")


def _read(store: BundleStore, path: str) -> bytes:
    try:
        return store.read(path)
    except PublisherError:
        raise
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", where=store.label) from None


def _checksums(store: BundleStore, manifest: Manifest, listing: dict[str, int],
               result: VerifyResult) -> set[str]:
    """Compare every file with the manifest; the paths that match."""
    intact: set[str] = set()
    listed = {f.path for f in manifest.files}
    for entry in manifest.files:
        size = listing.get(entry.path)
        if size is None:
            result.add("missing", entry.path, "listed in the manifest but not in the bundle")
            continue
        if size != entry.bytes:
            result.add("altered", entry.path,
                       f"{size} bytes, the manifest says {entry.bytes}")
            continue
        try:
            digest = store.sha256(entry.path)
        except OSError as exc:
            result.add("altered", entry.path, f"cannot be read ({exc.strerror or exc})")
            continue
        if digest != entry.sha256:
            result.add("altered", entry.path, "SHA-256 differs from the manifest")
            continue
        intact.add(entry.path)
    for path in sorted(set(listing) - listed - {MANIFEST}):
        result.add("extra", path, "in the bundle but not in the manifest")
    return intact


def _structure(manifest: Manifest, result: VerifyResult) -> None:
    """What the manifest promises has its files."""
    listed = {f.path for f in manifest.files}
    need = [(CATALOG, "the catalogue")]
    for d in manifest.datasets:
        need += [(f"{v.path}/datapackage.json", f"version {v.version} of {d.name}")
                 for v in d.versions]
        need += [(path, f"DCAT of {d.name}") for path in d.dcat]
    need += [(f"{r.path}/{RUN_REPORT}", f"run {r.run_id}") for r in manifest.runs]
    for path, what in need:
        if path not in listed:
            result.add("incomplete", path, f"{what}: the manifest names it but lists no file")


def _descriptors(store: BundleStore, manifest: Manifest, intact: set[str],
                 result: VerifyResult) -> None:
    """Each version's datapackage.json agrees with the manifest about its data files."""
    files = {f.path: f for f in manifest.files}
    for d in manifest.datasets:
        for v in d.versions:
            path = f"{v.path}/datapackage.json"
            if path not in intact:
                continue
            try:
                descriptor = json.loads(_read(store, path))
                resources = [r for r in descriptor.get("resources", []) if isinstance(r, dict)]
            except (ValueError, AttributeError):
                result.add("descriptor", path, "not a JSON data package descriptor")
                continue
            for res in resources:
                rel, digest = res.get("path"), str(res.get("hash", ""))
                if not isinstance(rel, str) or not digest.startswith("sha256:"):
                    continue
                entry = files.get(f"{v.path}/{rel}")
                if entry is None:
                    result.add("descriptor", path, f"resource '{res.get('name')}': its file "
                               f"{rel} is not in the bundle")
                elif entry.sha256 != digest.removeprefix("sha256:") or \
                        entry.bytes != res.get("bytes", entry.bytes):
                    result.add("descriptor", path, f"resource '{res.get('name')}': the "
                               f"descriptor's hash or size of {rel} differs from the manifest")


def _parse(store: BundleStore, path: str, result: VerifyResult) -> Graph | None:
    fmt = next((f for suffix, f in RDF_FORMATS.items() if path.endswith(suffix)), "turtle")
    graph = Graph()
    try:
        graph.parse(data=_read(store, path), format=fmt)
    except PublisherError:
        raise
    except Exception as exc:  # rdflib raises many kinds
        result.add("dcat", path, f"does not parse as {fmt} ({type(exc).__name__})")
        return None
    return graph


def _dcat(store: BundleStore, manifest: Manifest, intact: set[str],
          result: VerifyResult) -> Graph | None:
    """Parse each dataset's DCAT files and the catalogue; the catalogue graph."""
    for d in manifest.datasets:
        for path in d.dcat:
            if path not in intact:
                continue
            graph = _parse(store, path, result)
            if graph is not None and (URIRef(d.uri), RDF.type, DCAT.Dataset) not in graph:
                result.add("dcat", path, f"does not describe {d.uri} as a dcat:Dataset")
    if CATALOG not in intact:
        return None
    graph = _parse(store, CATALOG, result)
    if graph is not None and not any(graph.subjects(RDF.type, DCAT.Catalog)):
        result.add("dcat", CATALOG, "holds no dcat:Catalog")
        return None
    return graph
