"""Free-text identifier scan: publisher.detect against Presidio on a red-team set.

The red-team set (benchmarks/redteam/) is defect-report free text as citizens
write it: identifiers of every kind in many forms and templates (ground truth:
row, kind, span), with look-alikes of every family that must not be found; a
seed draws it, so a new seed brings unseen variants. For each kind this prints
the planted count, recall and precision of publisher.detect (streamed in
batches of 65,536 rows, as the product's scan does) on all rows, and of both
publisher.detect and Presidio on the same sample of rows (Presidio is slow);
then rows per second of both, the forms the detector misses most, the decoys it
takes for identifiers, and the RESULT lines.

The speed is that of the scan as `publisher check` and a run's check stage
use it (publisher.rules._identifiers.scan_resource, with the `scan_processes`
setting or --processes). In the fresh process its one-off set-up is timed first
(publisher.detect.pool.start: the name lists, what the kinds load on first use,
the worker processes), then the scan. Presidio's engine is built and has
analyzed two texts before its timing starts. The RESULT line compares the two
rates without the set-up, so that neither side's one-off set-up counts; the
speedup with the product's set-up (a fresh `publisher check`) is printed beside
it. Beside the
wall-clock rates it prints the rates per CPU second of all processes, and
Presidio's (one process): on N cores the wall-clock speedup is up to N times
the per-core one.

    .venv/bin/python benchmarks/policy_scan.py [--rows N] [--presidio-sample N]
                                               [--seed N] [--processes N] [--quick]
                                               [--no-extension]

It prints whether the compiled extension (publisher_kernels, native/) served
the scan: with it, the name lexicon is its block (native/src/lexicon.rs), read
in milliseconds where the pure path makes a dict of 350,000 words (about 0.15 s
before the scan's workers start); --no-extension runs the pure path.

Recall: a planted identifier counts as found when a reported span of the same
kind overlaps it. Precision (per reported kind): a reported span that overlaps
no planted identifier of any kind, or overlaps a decoy, is a false positive.
"Whole" is the share of planted identifiers that one reported span covers
entirely (what redaction would remove).
"""

from __future__ import annotations

import argparse
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
from _quick import result
from redteam import KINDS as PLANTED_KINDS
from redteam import RedTeamSet, generate
from redteam.score import mark, micro, score

from publisher.detect import KINDS as DETECT_KINDS
from publisher.detect import name_cache, pool
from publisher.detect.matches import Matches, empty_frame
from publisher.detect.name_cache import cache_path, lexicon_path
from publisher.detect.pool import cores, processes_for, scan_batch
from publisher.detect.scan import Memo
from publisher.package.model import Resource
from publisher.rules._identifiers import scan_resource
from publisher.settings import load_settings

BATCH = 65_536
SEED = 20240601
RECALL_TARGET, PRECISION_TARGET, SPEEDUP_TARGET = 0.99, 0.95, 100

# Presidio's entity types standing for our kinds; a kind missing here has no
# recognizer in Presidio (with what can be installed here).
PRESIDIO_ENTITY = {
    "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "IBAN_CODE": "iban",
    "IP_ADDRESS": "ip-address", "DATE_TIME": "date-of-birth", "DE_TAX_ID": "de-tax-id",
    "DE_SOCIAL_SECURITY": "de-pension-number", "DE_KFZ": "de-plate", "PERSON": "person-name",
    "LOCATION": "street-address",
}
# Context words a German user adds to the generic recognizers (the German ones
# bring their own).
GERMAN_CONTEXT = {
    "PhoneRecognizer": ["telefon", "tel", "handy", "mobil", "rückruf", "erreichbar", "nummer",
                        "festnetz", "anrufen", "whatsapp"],
    "EmailRecognizer": ["mail", "e-mail", "email", "kontakt"],
    "IbanRecognizer": ["iban", "konto", "bankverbindung", "überweisung", "überweisen"],
    "IpRecognizer": ["ip", "ip-adresse", "zugriff", "router"],
    "DateRecognizer": ["geboren", "geb", "geburtsdatum", "geburtstag", "jahrgang", "jg"],
    "UrlRecognizer": ["www", "http", "link"],
    "CreditCardRecognizer": ["kreditkarte", "karte", "visa", "mastercard"],
}
GENERIC = ["EmailRecognizer", "PhoneRecognizer", "IbanRecognizer", "IpRecognizer",
           "DateRecognizer", "UrlRecognizer", "CreditCardRecognizer"]
GERMAN = ["DeTaxIdRecognizer", "DeTaxNumberRecognizer", "DePassportRecognizer",
          "DeIdCardRecognizer", "DeSocialSecurityRecognizer", "DeHealthInsuranceRecognizer",
          "DeKfzRecognizer", "DeHandelsregisterRecognizer", "DePlzRecognizer", "DeLanrRecognizer",
          "DeBsnrRecognizer", "DeVatIdRecognizer", "DeFuehrerscheinRecognizer"]


@dataclass
class Run:
    found: pd.DataFrame  # kind, row, start, end
    rows: int
    seconds: float
    cpu: float = math.nan  # CPU seconds of this process and the scan's worker processes

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else math.inf

    @property
    def per_core(self) -> float:
        return self.rows / self.cpu if self.cpu else math.inf


def _cpu() -> float:
    """CPU seconds so far of this process and its live children (the scan's pool)."""
    import psutil

    total = time.process_time()
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def run_detector(texts: list[str], processes: int) -> Run:
    """Every match, found as the product's scan finds them (publisher.detect.pool.
    scan_batch, batch by batch, the next batch sent before the last is merged)."""
    array = pa.array(texts, type=pa.string())
    kinds = list(DETECT_KINDS.values())
    memo = Memo()
    parts = []
    pending: list[tuple[int, Any]] = []
    cpu, start = _cpu(), time.perf_counter()
    for offset in range(0, len(array), BATCH):
        pending.append((offset, scan_batch([array.slice(offset, BATCH)], kinds, memo,
                                           processes)))
        while len(pending) > 1:
            done, scanned = pending.pop(0)
            parts.append(_frame(scanned.result()[0], done))
    for done, scanned in pending:
        parts.append(_frame(scanned.result()[0], done))
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu
    return Run(pd.concat(parts, ignore_index=True), len(texts), seconds, cpu)


def _frame(found: Matches, offset: int) -> pd.DataFrame:
    frame = found.frame() if len(found) else empty_frame()
    frame["row"] += offset
    return frame[["kind", "row", "start", "end"]]


# texts Presidio analyzes before its timing, as the product's set-up scans its own
WARM_UP = ("Herr Klaus Wagner, Tel. 0171 2345678, k.wagner@example.de, IBAN DE89 3704 "
           "0044 0532 0130 00, geb. 12.03.1980, Hauptstr. 12, IP 192.168.0.1",
           "Viele Grüße\nElif Öztürk")


def run_setup(processes: int) -> Run:
    """The scan's one-off set-up in this fresh process (publisher.detect.pool.start):
    the name lists, what the kinds load on first use, the worker processes."""
    cpu, start = _cpu(), time.perf_counter()
    pool.start(processes)
    return Run(empty_frame(), 0, time.perf_counter() - start, _cpu() - cpu)


def run_product_scan(texts: list[str], processes: int) -> Run:
    """The scan as `publisher check` and a run's check stage use it (publisher.rules.
    _identifiers.scan_resource on a resource in memory: batches, name shares, counts and
    kept examples); it keeps counts, not every match, so `found` is empty."""
    frame = pd.DataFrame({"text": texts})
    resource = Resource(name="reports", format="csv", descriptor={"name": "reports"},
                        data=frame)
    cpu, start = _cpu(), time.perf_counter()
    scan_resource(resource, processes=processes)
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu
    return Run(pd.DataFrame(columns=["kind", "row", "start", "end"]), len(texts), seconds, cpu)


def presidio_engine() -> tuple[Any, str, list[str]]:
    """Presidio as a German user sets it up from PyPI alone, a description of it, and
    the entity types it can report."""
    import spacy
    from spacy.language import Language

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # no network: bundled list
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.recognizer_registry import RecognizerRegistryProvider

    if not Language.has_factory("lemma_is_text"):
        @Language.component("lemma_is_text")
        def lemma_is_text(doc: Any) -> Any:
            for token in doc:
                token.lemma_ = token.text
            return doc

    class GermanTokenizer(SpacyNlpEngine):  # type: ignore[misc]
        """spaCy's German tokenizer; no model (none installable), so no NER."""

        def __init__(self) -> None:
            super().__init__(models=[{"lang_code": "de", "model_name": "blank"}])

        def load(self) -> None:
            nlp = spacy.blank("de")
            nlp.add_pipe("lemma_is_text")
            self.nlp = {"de": nlp}

    recognizers: list[dict[str, Any]] = []
    for name in GENERIC + GERMAN:
        conf: dict[str, Any] = {"name": name, "type": "predefined",
                                "supported_languages": [{"language": "de",
                                                         "context": GERMAN_CONTEXT.get(name)}]}
        if name == "PhoneRecognizer":
            conf["supported_regions"] = ["DE", "AT"]
        recognizers.append(conf)
    registry = RecognizerRegistryProvider(registry_configuration={
        "supported_languages": ["de"], "global_regex_flags": 26, "recognizers": recognizers,
    }).create_recognizer_registry()
    nlp_engine = GermanTokenizer()
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["de"])
    entities = sorted({e for r in registry.recognizers for e in r.supported_entities})
    missing = sorted(set(PLANTED_KINDS) - {PRESIDIO_ENTITY[e] for e in entities
                                           if e in PRESIDIO_ENTITY})
    import presidio_analyzer

    version = getattr(presidio_analyzer, "__version__", "")
    if not version:
        from importlib.metadata import version as dist_version
        version = dist_version("presidio-analyzer")
    description = (
        f"presidio-analyzer {version}, spaCy {spacy.__version__}: AnalyzerEngine for 'de' over "
        "spaCy's blank German tokenizer (lemma = token text, so context words match); no "
        "German spaCy model is installable here (PyPI's de-core-news-md is a placeholder that "
        "refuses to install, de_core_news_sm is absent, the official models come from a hub), "
        "so no NER: PERSON and LOCATION cannot be found. Recognizers: "
        f"{', '.join(GENERIC + GERMAN)}; phone regions DE, AT; German context words added to "
        f"the generic ones; default score threshold 0. Entities: {', '.join(entities)}. "
        f"Mapped to our kinds: {', '.join(f'{e}->{k}' for e, k in PRESIDIO_ENTITY.items())}; "
        f"no recognizer for: {', '.join(missing)}.")
    return BatchAnalyzerEngine(analyzer_engine=engine), description, entities


def run_presidio(texts: list[str]) -> tuple[Run, pd.DataFrame, str, set[str]]:
    """Mapped spans (kind, row, start, end, score), all spans by entity, the setup,
    and the kinds it has a recognizer for."""
    batch, description, entities = presidio_engine()
    list(batch.analyze_iterator(list(WARM_UP), language="de", batch_size=64))  # untimed
    start = time.perf_counter()
    cpu = time.process_time()
    results = batch.analyze_iterator(texts, language="de", batch_size=64)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    rows = [(r.entity_type, i, r.start, r.end, r.score)
            for i, found in enumerate(results) for r in found]
    every = pd.DataFrame(rows, columns=["entity", "row", "start", "end", "score"])
    mapped = every[every["entity"].isin(list(PRESIDIO_ENTITY))]
    found = mapped.assign(kind=mapped["entity"].map(PRESIDIO_ENTITY))
    kinds = {PRESIDIO_ENTITY[e] for e in entities if e in PRESIDIO_ENTITY}
    return Run(found[["kind", "row", "start", "end", "score"]].reset_index(drop=True),
               len(texts), seconds, cpu), every, description, kinds


def _f(x: float) -> str:
    return "     -" if x != x else f"{x:6.4f}"


def print_table(kinds: list[str], full: pd.DataFrame, sample_det: pd.DataFrame,
                sample_pre: pd.DataFrame | None, presidio_kinds: set[str]) -> None:
    print(f"{'':<18} {'publisher.detect, all rows':<42} | {'detect, sample':<20} | "
          "Presidio, same sample")
    head = (f"{'kind':<18} {'planted':>8} {'recall':>6} {'prec.':>6} {'whole':>6} "
            f"{'false+':>6}   | {'planted':>7} {'recall':>6} {'prec.':>6} | "
            f"{'recall':>6} {'prec.':>6} {'false+':>6}")
    print(head)
    print("-" * len(head))
    for k in kinds:
        a, s = full.loc[k], sample_det.loc[k]
        line = f"{k:<18} {int(a['planted']):>8,} "
        if k in DETECT_KINDS:
            line += (f"{_f(a['recall'])} {_f(a['precision'])} {_f(a['whole_share'])} "
                     f"{int(a['fp']):>6,}   | {int(s['planted']):>7,} {_f(s['recall'])} "
                     f"{_f(s['precision'])} | ")
        else:
            line += f"{'(not a kind of publisher.detect)':<33} | {int(s['planted']):>7,} " \
                    f"{'':>13} | "
        if sample_pre is None:
            line += "not run"
        elif k in presidio_kinds:
            p = sample_pre.loc[k]
            line += f"{_f(p['recall'])} {_f(p['precision'])} {int(p['fp']):>6,}"
        else:
            line += "no recognizer"
        print(line)


def print_weak_forms(marked: pd.DataFrame, per_kind: int = 6, templates: int = 20) -> None:
    """The forms (how a value is written) and templates (the words around it) that
    publisher.detect finds least often: where to look next."""
    by = marked.groupby(["kind", "form"])["hit"].agg(["size", "mean"])
    weak = by[(by["size"] >= 10) & (by["mean"] < RECALL_TARGET)].sort_values("mean")
    print(f"\npublisher.detect: forms below recall {RECALL_TARGET} (at least 10 planted), "
          f"the worst {per_kind} per kind; [lower]/[upper]: the whole sentence so cased")
    weak_kinds = set(weak.index.get_level_values(0))
    for k in [k for k in dict.fromkeys(marked["kind"].sort_values()) if k in weak_kinds]:
        of_kind = weak.loc[k]
        print(f"  {k} ({len(of_kind)} forms below):")
        for form, row in of_kind.head(per_kind).iterrows():
            print(f"    {row['mean']:.2f} of {int(row['size']):>5,}  {form}")
    by_t = marked.groupby(["kind", "template"])["hit"].agg(["size", "mean"])
    weak_t = by_t[(by_t["size"] >= 10) & (by_t["mean"] < RECALL_TARGET)].sort_values("mean")
    print(f"publisher.detect: templates below recall {RECALL_TARGET} ({len(weak_t)}), the "
          f"worst {min(templates, len(weak_t))}:")
    for (k, template), row in weak_t.head(templates).iterrows():
        print(f"  {k:<18} {row['mean']:.2f} of {int(row['size']):>5,}  {template}")


def print_false_positives(name: str, found: pd.DataFrame, data: RedTeamSet,
                          rows: int) -> None:
    f, _ = mark(found, data.planted[data.planted["row"] < rows],
                data.decoys[data.decoys["row"] < rows])
    fp = f[f["fp"]]
    if fp.empty:
        print(f"{name}: no false positives")
        return
    decoys = data.decoys[data.decoys["row"] < rows].reset_index(drop=True)
    a = fp.reset_index(names="i")[["i", "kind", "row", "start", "end"]]
    pairs = a.merge(decoys[["row", "start", "end", "family"]], on="row", suffixes=("", "_d"))
    pairs = pairs[(pairs["start"] < pairs["end_d"]) & (pairs["start_d"] < pairs["end"])]
    source = pd.Series("plain text (no planted identifier, no decoy)", index=fp.index)
    source.loc[pairs.drop_duplicates("i")["i"].to_numpy()] = \
        "decoy " + pairs.drop_duplicates("i")["family"].to_numpy()
    counts = fp.assign(source=source).groupby(["kind", "source"]).size()
    print(f"{name}: false positives by reported kind and what they hit:")
    for (k, src), n in counts.sort_values(ascending=False).items():
        print(f"  {k:<18} {n:>6,}  {src}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--presidio-sample", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quick", action="store_true",
                        help="3,000 rows, 300 for Presidio: a smoke run; thresholds not judged")
    parser.add_argument("--processes", type=int, default=None,
                        help="scan processes (default: the scan_processes setting, "
                             "0 = one per core)")
    parser.add_argument("--no-extension", action="store_true",
                        help="the pure path, as where publisher_kernels is not installed")
    args = parser.parse_args()
    if args.no_extension:
        name_cache.kernels = None  # before the name lists load
    extension = ("publisher_kernels installed and used: the name lexicon is its block "
                 "(native/src/lexicon.rs)" if name_cache.kernels is not None else
                 "publisher_kernels not used (" + ("--no-extension" if args.no_extension else
                                                   "not installed, or built without Lexicon")
                 + "): pure path, the name lexicon a dict")
    processes = processes_for(load_settings().scan_processes if args.processes is None
                              else args.processes)
    cached = lexicon_path() if name_cache.kernels is not None else cache_path()
    lists = "read from the per-user cache" if cached.is_file() else \
        "built from the packages or the dict cache (no per-user cache yet; written now)"
    rows, sample = (3_000, 300) if args.quick else (args.rows, args.presidio_sample)
    sample = min(sample, rows)

    start = time.perf_counter()
    data = generate(rows, args.seed)
    made = time.perf_counter() - start
    print(f"red-team set: {rows:,} rows, seed {args.seed}, {len(data.planted):,} planted "
          f"identifiers of {data.planted['kind'].nunique()} kinds "
          f"({data.planted['form'].nunique()} forms, {data.planted['template'].nunique()} "
          f"templates), {len(data.decoys):,} decoys of {data.decoys['family'].nunique()} "
          f"families; made in {made:.1f} s")
    print("decoys: " + ", ".join(f"{f} {n:,}" for f, n in
                                 data.decoys["family"].value_counts().items()))

    kinds = list(PLANTED_KINDS) + [k for k in DETECT_KINDS if k not in PLANTED_KINDS]
    scored = [k for k in kinds if k in DETECT_KINDS]
    # first, in this fresh process: the scan's set-up, then the scan as a run uses it
    setup = run_setup(processes)
    product = run_product_scan(data.texts, processes)
    cold = Run(product.found, rows, setup.seconds + product.seconds, setup.cpu + product.cpu)
    det = run_detector(data.texts, processes)
    full = score(det.found, data.planted, data.decoys, kinds)
    sample_planted = data.planted[data.planted["row"] < sample]
    sample_decoys = data.decoys[data.decoys["row"] < sample]
    det_sample = run_detector(data.texts[:sample], processes)
    sample_det = score(det_sample.found, sample_planted, sample_decoys, kinds)

    pre: Run | None = None
    sample_pre: pd.DataFrame | None = None
    presidio_kinds: set[str] = set()
    try:
        pre, every, description, presidio_kinds = run_presidio(data.texts[:sample])
    except ImportError as exc:
        description = f"presidio: not installed ({exc.name}); pip install -e '.[bench]'"
    else:
        sample_pre = score(pre.found, sample_planted, sample_decoys, kinds)

    print()
    print_table(kinds, full, sample_det, sample_pre, presidio_kinds)
    recall, precision = micro(full.loc[scored])
    s_recall, s_precision = micro(sample_det.loc[scored])
    print(f"\nmicro-averaged over the {len(scored)} kinds publisher.detect has: all rows recall "
          f"{recall:.4f} precision {precision:.4f}; sample recall {s_recall:.4f} "
          f"precision {s_precision:.4f}")
    if sample_pre is not None and pre is not None:
        p_kinds = sorted(presidio_kinds & set(kinds))
        p_recall, p_precision = micro(sample_pre.loc[p_kinds])
        print(f"Presidio micro-averaged over the {len(p_kinds)} kinds it has a recognizer for: "
              f"recall {p_recall:.4f} precision {p_precision:.4f}")
        for threshold in (0.4, 0.6):
            t = score(pre.found[pre.found["score"] >= threshold], sample_planted, sample_decoys,
                      p_kinds)
            t_recall, t_precision = micro(t)
            print(f"  Presidio at score >= {threshold}: recall {t_recall:.4f} "
                  f"precision {t_precision:.4f}")
        other = every[~every["entity"].isin(list(PRESIDIO_ENTITY))]["entity"].value_counts()
        if len(other):
            print("  Presidio spans of entities we do not plant (not scored): "
                  + ", ".join(f"{e} {n}" for e, n in other.items()))
    missing = [k for k in PLANTED_KINDS if k not in DETECT_KINDS]
    if missing:
        print(f"planted but not yet kinds of publisher.detect, so not scored and not in the "
              f"RESULT lines: {', '.join(missing)}")

    _, marked = mark(det.found, data.planted, data.decoys)
    print_weak_forms(marked[marked["kind"].isin(scored)])
    print()
    print_false_positives("publisher.detect, all rows", det.found, data, rows)
    if pre is not None:
        print_false_positives("Presidio, sample", pre.found, data, sample)

    print(f"\n{'':<18} {'rows':>9} {'wall s':>8} {'rows/s':>12} {'CPU s':>8} "
          f"{'rows/CPU-s':>12}")
    print(f"{'scan set-up':<18} {'':>9} {setup.seconds:8.2f} {'':>12} {setup.cpu:8.2f} "
          f"{'':>12}  (name lists {lists}, the kinds' first-use loads, {processes} worker "
          f"process{'es' if processes > 1 else ''} started)")
    print(f"{'product scan':<18} {rows:>9,} {product.seconds:8.2f} {product.rate:>12,.0f} "
          f"{product.cpu:8.2f} {product.per_core:>12,.0f}  (scan_resource after the set-up: "
          "the RESULT)")
    print(f"{'product scan':<18} {rows:>9,} {cold.seconds:8.2f} {cold.rate:>12,.0f} "
          f"{cold.cpu:8.2f} {cold.per_core:>12,.0f}  (with the set-up: a fresh `publisher "
          "check`)")
    print(f"{'publisher.detect':<18} {rows:>9,} {det.seconds:8.2f} {det.rate:>12,.0f} "
          f"{det.cpu:8.2f} {det.per_core:>12,.0f}  (every match, for the scores; warm)")
    print(f"{'publisher.detect':<18} {sample:>9,} {det_sample.seconds:8.2f} "
          f"{det_sample.rate:>12,.0f} {det_sample.cpu:8.2f} {det_sample.per_core:>12,.0f}  "
          "(the sample)")
    speedup = math.nan
    if pre is not None:
        print(f"{'Presidio':<18} {sample:>9,} {pre.seconds:8.2f} {pre.rate:>12,.0f} "
              f"{pre.cpu:8.2f} {pre.per_core:>12,.0f}  (the sample: the first rows of the "
              "set, too slow for all; one process)")
        speedup = product.rate / pre.rate
        print(f"speedup of the product scan over Presidio, both warm: {speedup:.0f}x wall clock "
              f"({processes} process{'es' if processes > 1 else ''} on {cores()} cores), "
              f"{product.per_core / pre.per_core:.0f}x per CPU second; with the product's "
              f"cold start: {cold.rate / pre.rate:.0f}x wall clock, "
              f"{cold.per_core / pre.per_core:.0f}x per CPU second")
    print(f"compiled extension: {extension}")
    print(f"presidio setup: {description}")
    if pre is not None:
        print("presidio context words added: " + "; ".join(
            f"{name}: {', '.join(words)}" for name, words in GERMAN_CONTEXT.items()))
    if args.quick:
        print("quick mode: a small set for a smoke run; the thresholds are not judged here "
              "(run without --quick for the figures)")
    min_recall = float(full.loc[scored, "recall"].min())
    min_precision = float(full.loc[scored, "precision"].dropna().min())
    result("recall", f"{min_recall:.4f}", f">= {RECALL_TARGET}", args.quick)
    result("precision", f"{min_precision:.4f}", f">= {PRECISION_TARGET}", args.quick)
    result("speedup_vs_presidio", "n/a" if math.isnan(speedup) else f"{speedup:.0f}",
           f">= {SPEEDUP_TARGET}", args.quick,
           "(Presidio not installed: pip install -e '.[bench]')" if pre is None else "")


if __name__ == "__main__":
    main()
