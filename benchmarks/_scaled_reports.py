"""The shipped defect-report sample (pipelines/samples/defect-reports), scaled
to any number of rows for benchmarks/pipeline_run.py.

The rows are drawn as pipelines/samples/generate.py draws its 600 (its
hotspots, categories, texts, names, e-mail and phone forms and weights), but
vectorised with numpy and written with Arrow, a million rows per batch: the
sample's generator takes about 20 µs a row in Python, minutes for 10M. The
same rows are written twice: with lat/lon columns (as shipped) and with one
WKT column in their place. Not byte for byte the sample's rows: the same
kinds of rows, in the same proportions, with a fixed seed.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "pipelines" / "samples" / "defect-reports"
BATCH = 1_000_000
SEED = 20240601


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "sample_generate", ROOT / "pipelines" / "samples" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


G = _generator()
HOURS = np.array([1] * 6 + [4] * 4 + [6] * 8 + [4] * 4 + [2] * 2, dtype=float)
# (age in days below which, weights of neu / in Bearbeitung / erledigt), as _status draws
STATUS = ("neu", "in Bearbeitung", "erledigt")
STATUS_WEIGHTS = ((21, (60, 35, 5)), (90, (15, 45, 40)), (10**6, (3, 17, 80)))


def _strings(values: list[str] | tuple[str, ...], index: np.ndarray) -> pa.Array:
    return pa.array(list(values), pa.string()).take(pa.array(index))


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _text(numbers: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(numbers), pa.string())


def _degrees(values: np.ndarray) -> pa.Array:
    """Six decimals always printed, as the sample's _micro does."""
    micro = np.round(values * 1_000_000).astype(np.int64)
    micro += micro % 10 == 0
    whole, fraction = np.divmod(micro, 1_000_000)
    return _join(_text(whole), ".", pc.utf8_lpad(_text(fraction), 6, "0"))


def _choice(rng: np.random.Generator, weights: Any, n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), n, p=p / p.sum())


def _positions(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Latitudes, longitudes and hotspot index (-1: none), redrawn until inside."""
    spots = G.HOTSPOTS
    lat, lon, spot = np.empty(n), np.empty(n), np.full(n, -1)
    todo = np.arange(n)
    while todo.size:
        k = todo.size
        near = rng.random(k) < 0.85
        pick = _choice(rng, [h.weight for h in spots], k)
        h_lat = np.array([h.lat for h in spots])[pick]
        sigma = np.array([h.sigma_m for h in spots])[pick]
        dx, dy = rng.normal(0, 1, k) * sigma, rng.normal(0, 1, k) * sigma
        lat_h = h_lat + dy / G.M_PER_DEG_LAT
        lon_h = np.array([h.lon for h in spots])[pick] + dx / (
            G.M_PER_DEG_LAT * np.cos(np.radians(h_lat)))
        lat[todo] = np.where(near, lat_h, rng.uniform(G.LAT_MIN, G.LAT_MAX, k))
        lon[todo] = np.where(near, lon_h, rng.uniform(G.LON_MIN, G.LON_MAX, k))
        spot[todo] = np.where(near, pick, -1)
        inside = (lat[todo] > G.LAT_MIN) & (lat[todo] < G.LAT_MAX) & \
                 (lon[todo] > G.LON_MIN) & (lon[todo] < G.LON_MAX)
        todo = todo[~inside]
    return lat, lon, spot


def _descriptions(rng: np.random.Generator, category: np.ndarray, emails: pa.Array,
                  anonymous: np.ndarray) -> pa.Array:
    n = category.size
    texts = [t for c in G.CATEGORIES for t in G.TEXTS[c]]
    counts = np.array([len(G.TEXTS[c]) for c in G.CATEGORIES])
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    body = _strings(texts, first[category] + (rng.random(n) * counts[category]).astype(int))
    street = _strings(G.STREETS, rng.integers(0, len(G.STREETS), n))
    prefix = _join("Höhe ", street, " ", _text(rng.integers(1, 120, n)), ": ")
    prefix = pc.if_else(pa.array(rng.random(n) < 0.2), prefix, "")
    mail_forms = [f.split("{email}") for f in G.CONTACT_MAIL]
    form = rng.integers(0, len(mail_forms), n)
    mail = _join(" ", _strings([b for b, _ in mail_forms], form), emails,
                 _strings([a for _, a in mail_forms], form))
    mail = pc.if_else(pa.array(~anonymous & (rng.random(n) < 0.37)), mail, "")
    phone_forms = [f.replace("{n5}", "\0").replace("{n7}", "\0").replace("{n8}", "\0")
                   .split("\0") for f in G.PHONE_FORMS]
    widths = np.array([5 if "{n5}" in f else 7 if "{n7}" in f else 8 for f in G.PHONE_FORMS])
    which = rng.integers(0, len(G.PHONE_FORMS), n)
    k = widths[which]
    digits = rng.integers(2 * 10 ** (k - 1), 10**k)
    number = _join(_strings([b for b, _ in phone_forms], which), _text(digits),
                   _strings([a for _, a in phone_forms], which))
    contact = [f.split("{phone}") for f in G.CONTACT_PHONE]
    said = rng.integers(0, len(contact), n)
    phone = _join(" ", _strings([b for b, _ in contact], said), number,
                  _strings([a for _, a in contact], said))
    phone = pc.if_else(pa.array(rng.random(n) < 0.08), phone, "")
    return _join(prefix, body, mail, phone)


def batch(rng: np.random.Generator, start: int, n: int) -> dict[str, pa.Array]:
    """Rows start+1 .. start+n, every column of the sample plus `wkt`."""
    lat, lon, spot = _positions(rng, n)
    favoured = np.array([[G.CATEGORIES.index(c) for c in h.favoured] for h in G.HOTSPOTS])
    own = favoured[np.maximum(spot, 0), rng.integers(0, 2, n)]
    category = np.where((spot >= 0) & (rng.random(n) < 0.6), own,
                        _choice(rng, G.CATEGORY_WEIGHTS, n))
    day = rng.integers(0, 366, n)
    seconds = (day * 86400 + _choice(rng, HOURS, n) * 3600 + rng.integers(0, 60, n) * 60
               + rng.integers(0, 60, n))
    stamps = pa.array(np.datetime64("2024-01-01T00:00:00", "s") + seconds.astype("m8[s]"))
    age = 365 - day
    bucket = np.searchsorted([limit for limit, _ in STATUS_WEIGHTS], age, side="right")
    cumulative = np.cumsum([np.array(w) / sum(w) for _, w in STATUS_WEIGHTS], axis=1)
    status = (rng.random(n)[:, None] > cumulative[bucket, :2]).sum(axis=1)
    anonymous = rng.random(n) < 0.1
    fi = rng.integers(0, len(G.FIRST_NAMES), n)
    li = rng.integers(0, len(G.LAST_NAMES), n)
    first, last = _strings(G.FIRST_NAMES, fi), _strings(G.LAST_NAMES, li)
    f_low = _strings([f.translate(G._TRANSLIT).lower() for f in G.FIRST_NAMES], fi)
    l_low = _strings([la.translate(G._TRANSLIT).lower() for la in G.LAST_NAMES], li)
    local = pc.choose(pa.array(rng.integers(0, 3, n).astype(np.int8)),
                      _join(f_low, ".", l_low), _join(pc.utf8_slice_codeunits(f_low, 0, 1),
                                                      ".", l_low),
                      _join(l_low, _text(rng.integers(10, 99, n))))
    email = _join(local, "@", _strings(G.MAIL_DOMAINS, rng.integers(0, len(G.MAIL_DOMAINS), n)))
    lat_text, lon_text = _degrees(lat), _degrees(lon)
    missing = pa.array(anonymous)
    return {
        "id": pa.array(np.arange(start + 1, start + n + 1)),
        "reported_at": pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%SZ"),
        "category": _strings(G.CATEGORIES, category),
        "description": _descriptions(rng, category, email, anonymous),
        "reporter_name": pc.if_else(missing, pa.scalar(None, pa.string()),
                                    _join(first, " ", last)),
        "reporter_email": pc.if_else(missing, pa.scalar(None, pa.string()), email),
        "lat": lat_text,
        "lon": lon_text,
        "wkt": _join("POINT (", lon_text, " ", lat_text, ")"),
        "status": _strings(STATUS, status),
    }


LATLON = ["id", "reported_at", "category", "description", "reporter_name", "reporter_email",
          "lat", "lon", "status"]
WKT = ["id", "reported_at", "category", "description", "reporter_name", "reporter_email",
       "wkt", "status"]


def _csv_lines(columns: list[pa.Array]) -> bytes:
    """Rows as CSV text, quoted only where a cell needs it (as Python's csv
    module writes the sample; Arrow's writer quotes every string)."""
    cells = []
    for column in columns:
        text = pc.cast(column, pa.string()).fill_null("")
        needs = pc.or_(pc.match_substring(text, ","), pc.match_substring(text, '"'))
        if pc.any(needs).as_py():  # no generated cell holds a line break
            text = pc.if_else(needs, _join('"', pc.replace_substring(text, '"', '""'), '"'),
                              text)
        cells.append(text)
    lines = pa.concat_arrays([_join(pc.binary_join_element_wise(*cells, ","), "\n")])
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[:len(lines) + 1]
    return lines.buffers()[2].to_pybytes()[offsets[0]:offsets[-1]]


def write(root: Path, rows: int, seed: int = SEED) -> dict[str, Path]:
    """root/latlon/ and root/wkt/: a data package each, the same rows; returns
    the CSV files by shape."""
    rng = np.random.default_rng(seed)
    shipped = json.loads((SAMPLE / "datapackage.json").read_text(encoding="utf-8"))
    shapes = {"latlon": LATLON, "wkt": WKT}
    files = {shape: root / shape / "reports.csv" for shape in shapes}
    for shape, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((",".join(shapes[shape]) + "\n").encode())
    for start in range(0, rows, BATCH):
        columns = batch(rng, start, min(BATCH, rows - start))
        for shape, names in shapes.items():
            with files[shape].open("ab") as out:
                out.write(_csv_lines([columns[name] for name in names]))
    for shape in files:
        descriptor = _descriptor(shipped, shape)
        (root / shape / "datapackage.json").write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return files


def _descriptor(shipped: dict[str, Any], shape: str) -> dict[str, Any]:
    descriptor = copy.deepcopy(shipped)
    if shape == "latlon":
        return descriptor
    resource = descriptor["resources"][0]
    fields = resource["schema"]["fields"]
    at = next(i for i, f in enumerate(fields) if f["name"] == "lat")
    fields[at:at + 2] = [{
        "name": "wkt", "title": "Lage (WKT, WGS84)",
        "description": "Punktgeometrie als Well-Known Text, Länge und Breite in Grad "
                       "(EPSG:4326). EN: Point geometry as well-known text, longitude and "
                       "latitude in degrees (EPSG:4326).",
        "type": "string", "constraints": {"required": True}}]
    resource["geometry"] = {"kind": "wkt", "column": "wkt", "crs": "EPSG:4326"}
    return descriptor


def size_mb(path: Path) -> float:
    return path.stat().st_size / 1e6

