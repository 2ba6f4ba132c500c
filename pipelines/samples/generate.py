"""Write the shipped sample data packages, byte for byte the same on every run.

All data are synthetic: the city is "Musterstadt" (placed in Leipzig's extent),
names and e-mail addresses are invented and use example domains only.

    python pipelines/samples/generate.py [--out DIR] [--schemas DIR]

writes DIR/defect-reports/, DIR/tree-cadastre/ and DIR/charging-points/
(DIR defaults to this script's folder). The Table Schemas are copied from
schemas/tables/<package>.json, so regenerate after changing one.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SCHEMAS = HERE.parents[1] / "schemas" / "tables"
SEED = 20240601

# City extent (WGS84) and its centre; every generated position lies inside.
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 51.30, 51.38, 12.30, 12.45
CENTRE = (51.3397, 12.3731)
M_PER_DEG_LAT = 111_320.0

DL_DE_BY: dict[str, str] = {
    "name": "OGL-DE-BY-2.0",
    "path": "https://www.govdata.de/dl-de/by-2-0",
    "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "spdx": "DL-DE-BY-2.0",
}
CC_BY: dict[str, str] = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)",
    "spdx": "CC-BY-4.0",
}

# --------------------------------------------------------------------------- helpers


def _offset(lat: float, lon: float, dx_m: float, dy_m: float) -> tuple[float, float]:
    """A position dx_m east and dy_m north of (lat, lon)."""
    dlat = dy_m / M_PER_DEG_LAT
    dlon = dx_m / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def _micro(value: float) -> float:
    """Round to 6 decimals, nudging a trailing zero so all 6 always print."""
    micro = round(value * 1_000_000)
    if micro % 10 == 0:
        micro += 1
    return micro / 1_000_000


def _inside(lat: float, lon: float) -> bool:
    return LAT_MIN < lat < LAT_MAX and LON_MIN < lon < LON_MAX


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _write_bytes(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def _write_json(path: Path, obj: Any) -> Path:
    return _write_bytes(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return _write_bytes(path, buffer.getvalue())


def _load_schema(schemas: Path, name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((schemas / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


# --------------------------------------------------------------------------- defect reports

CATEGORIES = (
    "Schlagloch",
    "Straßenbeleuchtung",
    "Illegale Müllablagerung",
    "Graffiti",
    "Radweg",
    "Spielplatz",
    "Sonstiges",
)
CATEGORY_WEIGHTS = (22, 14, 24, 14, 12, 6, 8)

TEXTS: dict[str, tuple[str, ...]] = {
    "Schlagloch": (
        "Tiefes Schlagloch in der Fahrbahn, Radfahrer müssen ausweichen.",
        "Mehrere Schlaglöcher nach dem Frost, bei Regen nicht zu sehen.",
        "Asphalt abgesackt, Loch wird jede Woche größer.",
        "Gefährliches Schlagloch direkt an der Haltestelle.",
    ),
    "Straßenbeleuchtung": (
        "Straßenlaterne seit Tagen defekt, abends komplett dunkel.",
        "Laterne flackert ständig an und aus.",
        "Zwei Leuchten hintereinander ausgefallen, Gehweg unbeleuchtet.",
        "Lampe brennt auch tagsüber.",
    ),
    "Illegale Müllablagerung": (
        "Sperrmüll (Matratze, Schrank) am Straßenrand abgestellt.",
        "Mehrere Müllsäcke neben den Containern abgeladen.",
        "Bauschutt im Gebüsch entsorgt.",
        "Altreifen und Elektroschrott am Parkplatz abgelegt.",
        "Überquellende Papierkörbe, Müll weht auf die Wiese.",
    ),
    "Graffiti": (
        "Großflächige Schmiererei an der Unterführung.",
        "Neue Tags an der Fassade der Schule.",
        "Graffiti auf dem Stromkasten und dem Verkehrsschild.",
    ),
    "Radweg": (
        "Radweg durch Wurzeln angehoben, Sturzgefahr.",
        "Radweg regelmäßig zugeparkt.",
        "Markierung des Radwegs kaum noch erkennbar.",
        "Glasscherben auf dem Radweg.",
    ),
    "Spielplatz": (
        "Schaukel auf dem Spielplatz kaputt, Kette gerissen.",
        "Glasscherben im Sandkasten.",
        "Rutsche hat eine scharfe Kante.",
    ),
    "Sonstiges": (
        "Gullydeckel klappert bei jeder Überfahrt.",
        "Verkehrsschild umgefahren.",
        "Bank im Park beschädigt.",
        "Wasserlache nach jedem Regen, Abfluss verstopft.",
    ),
}

# Favoured categories per hotspot give the clusters a little character.
_S, _L, _M, _G, _R, _P, _O = CATEGORIES


@dataclass(frozen=True)
class Hotspot:
    lat: float
    lon: float
    sigma_m: float
    weight: int
    favoured: tuple[str, ...]


HOTSPOTS = (
    Hotspot(51.3455, 12.3820, 60, 10, (_G, _M)),  # station
    Hotspot(51.3385, 12.3810, 50, 8, (_G, _L)),  # central square
    Hotspot(51.3100, 12.3770, 70, 7, (_S, _R)),
    Hotspot(51.3390, 12.3350, 60, 7, (_M, _S)),
    Hotspot(51.3280, 12.3300, 80, 6, (_R, _G)),
    Hotspot(51.3600, 12.3700, 70, 6, (_L, _S)),
    Hotspot(51.3350, 12.4050, 60, 7, (_M, _G)),
    Hotspot(51.3650, 12.3860, 90, 5, (_S, _L)),
    Hotspot(51.3230, 12.3740, 50, 8, (_R, _M)),
    Hotspot(51.3300, 12.3580, 90, 6, (_P, _M)),  # park
    Hotspot(51.3460, 12.4100, 60, 9, (_M, _G)),
    Hotspot(51.3600, 12.4200, 80, 4, (_S, _O)),
    Hotspot(51.3220, 12.4200, 70, 4, (_L, _P)),
    Hotspot(51.3470, 12.3150, 90, 4, (_S, _R)),
    Hotspot(51.3380, 12.4300, 60, 5, (_M, _O)),
)

FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas",
    "Katrin", "Lukas", "Marie", "Niklas", "Olga", "Paul", "Rita", "Sebastian", "Tanja",
    "Uwe", "Vera", "Wolfgang", "Yvonne", "Jürgen", "Sören", "Käthe", "Björn", "Maximilian",
)  # fmt: skip
LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Krause",
    "Lehmann", "Köhler", "Weiß", "Jäger",
)  # fmt: skip
MAIL_DOMAINS = ("example.de", "example.org", "musterstadt.example", "mail.example.de")
STREETS = (
    "Lindenstraße", "Hauptstraße", "Bahnhofstraße", "Parkweg", "Kirchgasse", "Am Mühlgraben",
    "Marktplatz", "Schillerallee", "Goethering", "Uferdamm",
)  # fmt: skip
PHONE_FORMS = ("0341 {n7}", "0341/{n7}", "0176 {n8}", "+49 341 {n7}", "0341 {n5}")
CONTACT_MAIL = (
    "Rückmeldung bitte an {email}.",
    "Kontakt: {email}",
    "Ich bin per Mail erreichbar: {email}",
    "Bitte informieren Sie mich unter {email}, wenn es erledigt ist.",
)
CONTACT_PHONE = ("Telefonisch erreichbar unter {phone}.", "Tel. {phone}", "Rückruf unter {phone}")

_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def _email(rng: random.Random, first: str, last: str) -> str:
    f, lname = first.translate(_TRANSLIT).lower(), last.translate(_TRANSLIT).lower()
    local = rng.choice((f"{f}.{lname}", f"{f[0]}.{lname}", f"{lname}{rng.randrange(10, 99)}"))
    return f"{local}@{rng.choice(MAIL_DOMAINS)}"


def _phone(rng: random.Random) -> str:
    digits = {f"n{k}": str(rng.randrange(2 * 10 ** (k - 1), 10**k)) for k in (5, 7, 8)}
    return rng.choice(PHONE_FORMS).format(**digits)


def _report_position(rng: random.Random) -> tuple[float, float, Hotspot | None]:
    hotspot: Hotspot | None = None
    if rng.random() < 0.85:
        hotspot = rng.choices(HOTSPOTS, weights=[h.weight for h in HOTSPOTS])[0]
    while True:
        if hotspot is None:
            lat, lon = rng.uniform(LAT_MIN, LAT_MAX), rng.uniform(LON_MIN, LON_MAX)
        else:
            dx, dy = rng.gauss(0, hotspot.sigma_m), rng.gauss(0, hotspot.sigma_m)
            lat, lon = _offset(hotspot.lat, hotspot.lon, dx, dy)
        if _inside(lat, lon):
            return lat, lon, hotspot


def _status(rng: random.Random, reported: datetime) -> str:
    age = (datetime(2025, 1, 1, tzinfo=UTC) - reported).days
    weights = (60, 35, 5) if age < 21 else (15, 45, 40) if age < 90 else (3, 17, 80)
    return rng.choices(("neu", "in Bearbeitung", "erledigt"), weights=weights)[0]


def _report(rng: random.Random) -> tuple[datetime, list[str]]:
    lat, lon, hotspot = _report_position(rng)
    if hotspot is not None and rng.random() < 0.6:
        category = rng.choice(hotspot.favoured)
    else:
        category = rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
    hour = rng.choices(range(24), weights=[1] * 6 + [4] * 4 + [6] * 8 + [4] * 4 + [2] * 2)[0]
    reported = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(
        days=rng.randrange(366), hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)
    )
    anonymous = rng.random() < 0.1
    name = email = ""
    if not anonymous:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name, email = f"{first} {last}", _email(rng, first, last)
    parts = [rng.choice(TEXTS[category])]
    if rng.random() < 0.2:
        parts.insert(0, f"Höhe {rng.choice(STREETS)} {rng.randrange(1, 120)}:")
    if not anonymous and rng.random() < 0.37:
        parts.append(rng.choice(CONTACT_MAIL).format(email=email))
    if rng.random() < 0.08:
        parts.append(rng.choice(CONTACT_PHONE).format(phone=_phone(rng)))
    row = [
        reported.strftime("%Y-%m-%dT%H:%M:%SZ"),
        category,
        " ".join(parts),
        name,
        email,
        f"{_micro(lat):.6f}",
        f"{_micro(lon):.6f}",
        _status(rng, reported),
    ]
    return reported, row


def defect_reports(out: Path, schemas: Path, rng: random.Random, count: int = 600) -> list[Path]:
    schema = _load_schema(schemas, "defect-reports")
    drawn = [_report(rng) for _ in range(count)]
    drawn.sort(key=lambda item: item[0])  # stable: ties keep drawing order
    rows = [[str(i), *row] for i, (_, row) in enumerate(drawn, start=1)]
    descriptor = {
        "name": "defect-reports",
        "title": "Mängelmelder Musterstadt",
        "description": (
            "Meldungen aus dem Mängelmelder der Stadt Musterstadt für 2024: Schlaglöcher, "
            "defekte Beleuchtung, Müll, Graffiti und mehr, mit genauer Position, Name und "
            "E-Mail der meldenden Person und Freitext. Synthetische Beispieldaten; enthält "
            "(erfundene) personenbezogene Daten und darf so nicht veröffentlicht werden."
        ),
        "keywords": ["Mängelmelder", "Straßen", "Stadtreinigung", "Bürgerbeteiligung"],
        "licenses": [DL_DE_BY],
        "sources": [
            {
                "title": "Stadt Musterstadt, Mängelmelder (synthetische Beispieldaten)",
                "path": "https://musterstadt.example/maengelmelder",
            }
        ],
        "resources": [
            {
                "name": "reports",
                "title": "Mängelmeldungen 2024",
                "path": "reports.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
                "geometry": {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4326"},
            }
        ],
    }
    folder = out / "defect-reports"
    header = [f["name"] for f in schema["fields"]]
    return [
        _write_json(folder / "datapackage.json", descriptor),
        _write_csv(folder / "reports.csv", header, rows),
    ]


# --------------------------------------------------------------------------- tree cadastre

# (latin, German, typical maximum height in m)
SPECIES = (
    ("Tilia cordata", "Winter-Linde", 30.0),
    ("Tilia platyphyllos", "Sommer-Linde", 35.0),
    ("Acer platanoides", "Spitz-Ahorn", 28.0),
    ("Acer pseudoplatanus", "Berg-Ahorn", 32.0),
    ("Quercus robur", "Stiel-Eiche", 35.0),
    ("Platanus × hispanica", "Ahornblättrige Platane", 40.0),
    ("Aesculus hippocastanum", "Gewöhnliche Rosskastanie", 28.0),
    ("Fraxinus excelsior", "Gemeine Esche", 35.0),
    ("Betula pendula", "Hänge-Birke", 25.0),
    ("Robinia pseudoacacia", "Gewöhnliche Robinie", 25.0),
    ("Carpinus betulus", "Hainbuche", 20.0),
    ("Prunus avium", "Vogel-Kirsche", 18.0),
    ("Sorbus intermedia", "Schwedische Mehlbeere", 12.0),
    ("Ginkgo biloba", "Ginkgo", 30.0),
    ("Fagus sylvatica", "Rotbuche", 35.0),
)
SECTORS = ("Nord", "Nordost", "Ost", "Südost", "Süd", "Südwest", "West", "Nordwest")

# Avenues: start, bearing in degrees, number of trees, spacing m, species, planted.
AVENUES = (
    ((51.3440, 12.3550), 90.0, 32, 14.0, 0, 1962),
    ((51.3250, 12.3700), 10.0, 30, 12.0, 5, 1928),
    ((51.3560, 12.3950), 135.0, 28, 15.0, 2, 1985),
    ((51.3330, 12.4150), 60.0, 30, 12.0, 6, 1905),
    ((51.3620, 12.3600), 100.0, 30, 13.0, 13, 2012),
    ((51.3150, 12.3950), 30.0, 30, 14.0, 1, 1958),
)
# Parks: centre, radius m, number of trees.
PARKS = (
    ((51.3300, 12.3580), 300.0, 50),
    ((51.3480, 12.3250), 220.0, 40),
    ((51.3650, 12.4100), 150.0, 30),
)


def _district(lat: float, lon: float) -> str:
    dy = (lat - CENTRE[0]) * M_PER_DEG_LAT
    dx = (lon - CENTRE[1]) * M_PER_DEG_LAT * math.cos(math.radians(lat))
    if math.hypot(dx, dy) < 1500:
        return "Mitte"
    bearing = math.degrees(math.atan2(dx, dy)) % 360
    return SECTORS[int(((bearing + 22.5) % 360) // 45)]


def _tree_properties(rng: random.Random, species: int, planted: int) -> dict[str, Any]:
    latin, german, max_height = SPECIES[species]
    age = max(2025 - planted, 1)
    height = max_height * (1 - math.exp(-age / 35)) * rng.uniform(0.8, 1.1) + 1.5
    height = min(max(height, 0.5), 45.0)
    crown = min(max(height * rng.uniform(0.45, 0.75), 0.5), 30.0)
    inspected = _random_date(rng, max(date(planted, 6, 1), date(2021, 1, 1)), date(2025, 6, 30))
    return {
        "species_latin": latin,
        "species_german": german,
        "planting_year": planted,
        "height_m": round(height, 1),
        "crown_diameter_m": round(crown, 1),
        "trunk_circumference_cm": int(min(10 + age * rng.uniform(2.2, 3.4), 1500)),
        "last_inspection": inspected.isoformat(),
    }


def _trees(rng: random.Random) -> list[tuple[float, float, dict[str, Any]]]:
    trees: list[tuple[float, float, dict[str, Any]]] = []
    for (lat0, lon0), bearing, count, spacing, species, planted in AVENUES:
        b = math.radians(bearing)
        for i in range(count):
            dist, side = i * spacing + rng.uniform(-1.5, 1.5), rng.uniform(-1.0, 1.0)
            dx = dist * math.sin(b) + side * math.cos(b)
            dy = dist * math.cos(b) - side * math.sin(b)
            lat, lon = _offset(lat0, lon0, dx, dy)
            # Gaps in an avenue are replanted with young trees.
            year = planted if rng.random() < 0.85 else rng.randrange(1995, 2025)
            trees.append((lat, lon, _tree_properties(rng, species, year)))
    for (lat0, lon0), radius, count in PARKS:
        for _ in range(count):
            r, angle = radius * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            lat, lon = _offset(lat0, lon0, r * math.cos(angle), r * math.sin(angle))
            year = rng.randrange(1860, 2024)
            trees.append((lat, lon, _tree_properties(rng, rng.randrange(len(SPECIES)), year)))
    return trees


def tree_cadastre(out: Path, schemas: Path, rng: random.Random) -> list[Path]:
    schema = _load_schema(schemas, "tree-cadastre")
    order = [f["name"] for f in schema["fields"]]
    features = []
    for i, (lat, lon, props) in enumerate(_trees(rng), start=1):
        props = {**props, "tree_id": f"BK-{i:06d}", "district": _district(lat, lon)}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_micro(lon), _micro(lat)]},
                "properties": {name: props[name] for name in order},
            }
        )
    lines = [json.dumps(f, ensure_ascii=False) for f in features]
    geojson = '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + "\n]}\n"
    descriptor = {
        "name": "tree-cadastre",
        "title": "Baumkataster Musterstadt",
        "description": (
            "Straßen- und Parkbäume der Stadt Musterstadt mit Art, Pflanzjahr, Höhe, "
            "Kronendurchmesser, Stammumfang und letzter Kontrolle. Synthetische Beispieldaten; "
            "keine personenbezogenen Daten."
        ),
        "keywords": ["Baumkataster", "Stadtbäume", "Umwelt", "Grünflächen"],
        "licenses": [DL_DE_BY],
        "sources": [
            {
                "title": "Stadt Musterstadt, Amt für Stadtgrün (synthetische Beispieldaten)",
                "path": "https://musterstadt.example/baumkataster",
            }
        ],
        "resources": [
            {
                "name": "trees",
                "title": "Bäume",
                "path": "trees.geojson",
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
                "schema": schema,
                "geometry": {"kind": "native", "crs": "EPSG:4326"},
                # Declared by the data's owner: tree positions are no one's personal
                # data, so the policy does not treat them as personal points.
                "personal": False,
            }
        ],
    }
    folder = out / "tree-cadastre"
    return [
        _write_json(folder / "datapackage.json", descriptor),
        _write_bytes(folder / "trees.geojson", geojson),
    ]


# --------------------------------------------------------------------------- charging points

# EPSG:25833 bounds inside the WGS84 city extent above.
EAST_MIN, EAST_MAX, NORTH_MIN, NORTH_MAX = 312_500.0, 322_000.0, 5_687_000.0, 5_695_000.0
OPERATORS = (
    ("Stadtwerke Musterstadt GmbH", 6),
    ("Ladenetz Mitteldeutschland GmbH", 3),
    ("Schnellladen Beispiel AG", 2),
    ("Autohaus Muster GmbH & Co. KG", 1),
)
# (power kW, connectors, possible numbers of points)
CHARGERS = (
    (11.0, "Typ 2", (1, 2)),
    (22.0, "Typ 2", (2, 2, 4)),
    (50.0, "CCS; CHAdeMO; Typ 2", (1, 2)),
    (150.0, "CCS", (2, 4)),
    (300.0, "CCS", (2, 4, 6)),
)


def charging_points(out: Path, schemas: Path, rng: random.Random, count: int = 80) -> list[Path]:
    schema = _load_schema(schemas, "charging-points")
    drawn = []
    for _ in range(count):
        operator = rng.choices([o for o, _ in OPERATORS], weights=[w for _, w in OPERATORS])[0]
        power, connectors, points = rng.choices(CHARGERS, weights=(3, 8, 2, 2, 1))[0]
        commissioned = _random_date(rng, date(2014, 1, 1), date(2025, 6, 30))
        east, north = rng.uniform(EAST_MIN, EAST_MAX), rng.uniform(NORTH_MIN, NORTH_MAX)
        row = [
            operator,
            f"{power:g}",
            str(rng.choice(points)),
            connectors,
            commissioned.isoformat(),
            f"POINT ({east:.2f} {north:.2f})",
        ]
        drawn.append((commissioned, row))
    drawn.sort(key=lambda item: item[0])
    rows = [[f"LP-{i:05d}", *row] for i, (_, row) in enumerate(drawn, start=1)]
    descriptor = {
        "name": "charging-points",
        "title": "Ladesäulen Musterstadt",
        "description": (
            "Öffentlich zugängliche Ladeeinrichtungen für Elektrofahrzeuge in Musterstadt, "
            "Lage als WKT in ETRS89 / UTM Zone 33N. Synthetische Beispieldaten."
        ),
        "keywords": ["Elektromobilität", "Ladesäulen", "Verkehr"],
        "licenses": [CC_BY],
        "sources": [
            {
                "title": "Stadt Musterstadt, Verkehrsplanung (synthetische Beispieldaten)",
                "path": "https://musterstadt.example/ladesaeulen",
            }
        ],
        "resources": [
            {
                "name": "charging-points",
                "title": "Ladeeinrichtungen",
                "path": "charging-points.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
                "geometry": {"kind": "wkt", "column": "wkt", "crs": "EPSG:25833"},
            }
        ],
    }
    folder = out / "charging-points"
    header = [f["name"] for f in schema["fields"]]
    return [
        _write_json(folder / "datapackage.json", descriptor),
        _write_csv(folder / "charging-points.csv", header, rows),
    ]


# --------------------------------------------------------------------------- entry point


def generate(out: Path = HERE, schemas: Path = DEFAULT_SCHEMAS) -> list[Path]:
    """Write all sample packages below out; returns the files written."""
    # One generator per package, so changing one package leaves the others' bytes alone.
    return [
        *defect_reports(out, schemas, random.Random(SEED)),
        *tree_cadastre(out, schemas, random.Random(SEED + 1)),
        *charging_points(out, schemas, random.Random(SEED + 2)),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=HERE, help="target folder (default: %(default)s)"
    )
    parser.add_argument("--schemas", type=Path, default=DEFAULT_SCHEMAS, help="Table Schema folder")
    args = parser.parse_args(argv)
    for path in generate(args.out, args.schemas):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
