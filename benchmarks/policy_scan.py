"""Free-text identifier scan: this engine against Presidio's analyzer.

A 1M-row free-text column (fixed seed) with planted identifiers of every kind
(ground truth: row and span) and look-alikes that must not be found (order
numbers failing a checksum, dates without birth context, plates with unknown
district codes). Prints rows/s, recall and precision for publisher.detect
(streamed in batches of 65,536 rows) and for Presidio on a sample, then the
ratio. Presidio needs a spaCy model; none can be installed here (PyPI carries
no official one), so Presidio runs its pattern recognizers, the German-relevant
ones switched on, over a blank German spaCy pipeline: its fastest mode.

    .venv/bin/python benchmarks/policy_scan.py [rows] [presidio_sample]
"""

from __future__ import annotations

import logging
import random
import sys
import time
from collections.abc import Callable

import pandas as pd
import pyarrow as pa
from stdnum import iban as stdnum_iban
from stdnum.at import vnr
from stdnum.de import idnr
from stdnum.iso7064 import mod_11_10

from publisher.detect import detect

SEED = 20240601
BATCH = 65_536
FILLER = ["Laterne defekt", "Schlagloch auf dem Radweg", "Container seit Tagen voll",
          "Graffiti am Stromkasten", "Ampel schaltet nicht", "Bank im Park beschädigt",
          "Termin am 12.03.2024 verschoben", "Auftrag 36574261890 erledigt",
          "Rechnung 2237 010180 offen", "Bus Linie 74 fährt nicht", "Version 1.2.3 installiert",
          "Kosten 0,50 Euro", "Code XQ-AB 123 gemeldet", "Parkplatz 3 gesperrt",
          "Uhrzeit 12:30:00", "seit 2019 bekannt", "ca. 200 m lang"]
# Presidio entity names standing for our kinds (None: Presidio has no recognizer).
PRESIDIO_ENTITY = {"email": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER", "iban": "IBAN_CODE",
                   "ip-address": "IP_ADDRESS", "date-of-birth": "DATE_TIME"}


def _tax_id(rng: random.Random) -> str:
    while True:
        body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(9))
        number = body + mod_11_10.calc_check_digit(body)
        if idnr.is_valid(number):
            return f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:]}"


def _svnr(rng: random.Random) -> str:
    while True:
        date = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(40, 99):02d}"
        serial = f"{rng.randint(100, 999)}"
        for check in "0123456789":
            number = serial + check + date
            if vnr.is_valid(number):
                return f"{number[:4]} {number[4:]}"


def _iban(rng: random.Random) -> str:
    bban = "".join(str(rng.randint(0, 9)) for _ in range(18))
    check = stdnum_iban.calc_check_digits("DE00" + bban)
    raw = f"DE{check}{bban}"
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _pension(rng: random.Random) -> str:
    weights = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)
    area = f"{rng.randint(10, 89)}"
    date = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(40, 99):02d}"
    letter = chr(rng.randint(65, 90))
    serial = f"{rng.randint(0, 99):02d}"
    digits = area + date + f"{ord(letter) - 64:02d}" + serial
    check = sum(sum(divmod(int(d) * w, 10)) for d, w in zip(digits, weights, strict=True)) % 10
    return f"{area}{date}{letter}{serial}{check}"


GENERATORS: dict[str, Callable[[random.Random], tuple[str, str]]] = {
    "email": lambda r: ("Kontakt: ", f"user{r.randint(1, 99999)}@example.de"),
    "phone": lambda r: ("Rückruf unter ", f"0341 {r.randint(2000000, 9999999)}"),
    "iban": lambda r: ("Erstattung auf ", _iban(r)),
    "de-tax-id": lambda r: ("Steuer-ID ", _tax_id(r)),
    "at-svnr": lambda r: ("SVNR ", _svnr(r)),
    "de-pension-number": lambda r: ("RV-Nummer ", _pension(r)),
    "de-plate": lambda r: ("Falschparker ", f"B-{chr(r.randint(65, 90))}{chr(r.randint(65, 90))} "
                                            f"{r.randint(1, 9999)}"),
    "ip-address": lambda r: ("Zugriff von ", f"10.{r.randint(0, 255)}.{r.randint(0, 255)}."
                                             f"{r.randint(1, 254)}"),
    "date-of-birth": lambda r: ("Melderin geb. ",
                                f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}."
                                f"{r.randint(1940, 2005)}"),
}


def make_column(rows: int, share: float = 0.1) -> tuple[list[str], pd.DataFrame]:
    rng = random.Random(SEED)
    texts: list[str] = []
    truth: list[tuple[int, str, int, int]] = []
    kinds = list(GENERATORS)
    for row in range(rows):
        text = FILLER[rng.randrange(len(FILLER))]
        if rng.random() < share:
            kind = kinds[rng.randrange(len(kinds))]
            lead, value = GENERATORS[kind](rng)
            start = len(text) + 2 + len(lead)
            text = f"{text}. {lead}{value}."
            truth.append((row, kind, start, start + len(value)))
        texts.append(text)
    return texts, pd.DataFrame(truth, columns=["row", "kind", "start", "end"])


def score(found: pd.DataFrame, truth: pd.DataFrame) -> tuple[float, float]:
    """Recall over planted identifiers, precision over reported spans (overlap match)."""
    if found.empty:
        return 0.0, 1.0
    merged = found.reset_index().merge(truth.reset_index(), on="row", suffixes=("_f", "_t"))
    overlap = merged[(merged["start_f"] < merged["end_t"]) & (merged["start_t"] < merged["end_f"])]
    recall = overlap["index_t"].nunique() / max(len(truth), 1)
    precision = overlap["index_f"].nunique() / len(found)
    return recall, precision


def run_engine(texts: list[str]) -> tuple[pd.DataFrame, float]:
    array = pa.array(texts, type=pa.string())
    kinds = list(GENERATORS)
    parts = []
    start = time.perf_counter()
    for offset in range(0, len(array), BATCH):
        found = detect(array.slice(offset, BATCH), kinds)
        found["row"] += offset
        parts.append(found)
    elapsed = time.perf_counter() - start
    return pd.concat(parts, ignore_index=True), elapsed


def run_presidio(texts: list[str]) -> tuple[pd.DataFrame, float, str]:
    import spacy

    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # no network: bundled list
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankGerman(SpacyNlpEngine):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(models=[{"lang_code": "de", "model_name": "blank"}])
            self.nlp = {"de": spacy.blank("de")}

        def load(self) -> None:
            self.nlp = {"de": spacy.blank("de")}

    registry = RecognizerRegistry(supported_languages=["de"])
    registry.load_predefined_recognizers(languages=["de"])
    for recognizer in list(registry.recognizers):
        recognizer.supported_language = "de"
    engine = AnalyzerEngine(registry=registry, nlp_engine=BlankGerman(),
                            supported_languages=["de"])
    entities = sorted({e for r in registry.recognizers for e in r.supported_entities})
    rows, kinds, starts, ends = [], [], [], []
    start = time.perf_counter()
    for row, text in enumerate(texts):
        for result in engine.analyze(text=text, language="de"):
            rows.append(row)
            kinds.append(result.entity_type)
            starts.append(result.start)
            ends.append(result.end)
    elapsed = time.perf_counter() - start
    found = pd.DataFrame({"row": rows, "kind": kinds, "start": starts, "end": ends})
    return found, elapsed, ", ".join(entities)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    texts, truth = make_column(rows)
    print(f"column: {rows:,} rows, {len(truth):,} planted identifiers "
          f"({truth['kind'].nunique()} kinds), look-alikes in the filler text; seed {SEED}")
    found, elapsed = run_engine(texts)
    recall, precision = score(found, truth)
    engine_rate = rows / elapsed
    print(f"publisher.detect   {rows:>9,} rows  {elapsed:8.2f} s  {engine_rate:>12,.0f} rows/s  "
          f"recall {recall:.4f}  precision {precision:.4f}")
    sub_truth = truth[truth["row"] < sample]
    sub_found = found[found["row"] < sample]
    sub_recall, sub_precision = score(sub_found, sub_truth)
    try:
        p_found, p_elapsed, entities = run_presidio(texts[:sample])
    except ImportError as exc:
        print(f"presidio: not installed ({exc.name}); pip install presidio-analyzer spacy")
        print(f"RESULT recall {recall:.4f} target >= presidio")
        print(f"RESULT precision {precision:.4f} target >= presidio")
        return
    p_rate = sample / p_elapsed
    p_recall, p_precision = score(p_found, sub_truth)
    print(f"presidio analyzer  {sample:>9,} rows  {p_elapsed:8.2f} s  {p_rate:>12,.0f} rows/s  "
          f"recall {p_recall:.4f}  precision {p_precision:.4f}  (sample: the first {sample:,} "
          "rows; too slow for all)")
    print(f"publisher.detect on the same sample: recall {sub_recall:.4f}  "
          f"precision {sub_precision:.4f}")
    print("presidio setup: pattern recognizers for language 'de' over a blank spaCy 'de' "
          "pipeline (no spaCy model can be installed here, so no NER); entities: "
          f"{entities}")
    speedup = engine_rate / p_rate
    print(f"RESULT speedup_vs_presidio {speedup:.0f} target >= 100")
    print(f"RESULT recall {recall:.4f} target >= {p_recall:.4f}")
    print(f"RESULT precision {precision:.4f} target >= {p_precision:.4f}")


if __name__ == "__main__":
    main()
