"""The red-team set of benchmarks/policy_scan.py: ground truth, variety, scoring, and a
quick run of the benchmark to its RESULT lines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pandas as pd
import phonenumbers
from stdnum import iban
from stdnum.at import vnr
from stdnum.de import idnr

from benchmarks.redteam import DECOY_FAMILIES, KINDS, RedTeamSet, generate, score
from publisher.detect import KINDS as DETECT_KINDS

ROOT = Path(__file__).resolve().parents[2]


@cache
def red_team(rows: int = 4000, seed: int = 11) -> RedTeamSet:
    return generate(rows, seed, share=0.9)


def test_the_same_seed_gives_the_same_set() -> None:
    a, b = generate(400, 3), generate(400, 3)
    assert a.texts == b.texts
    pd.testing.assert_frame_equal(a.planted, b.planted)
    pd.testing.assert_frame_equal(a.decoys, b.decoys)


def test_another_seed_gives_other_texts_and_values() -> None:
    a, b = generate(400, 3), generate(400, 4)
    assert a.texts != b.texts
    shared = set(a.planted["value"]) & set(b.planted["value"])
    assert len(shared) < 0.05 * len(a.planted)


def test_spans_cut_exactly_the_planted_values_and_no_decoy_overlaps_one() -> None:
    s = red_team()
    for frame in (s.planted, s.decoys):
        assert len(frame)
        cut = [s.texts[r][a:e] for r, a, e in zip(frame["row"], frame["start"], frame["end"],
                                                   strict=True)]
        assert cut == frame["value"].tolist()
        assert all(v and v == v.strip() for v in cut)
    pairs = s.planted.merge(s.decoys, on="row", suffixes=("_p", "_d"))
    overlap = (pairs["start_p"] < pairs["end_d"]) & (pairs["start_d"] < pairs["end_p"])
    assert not overlap.any()


def test_every_kind_of_the_detector_and_person_names_are_planted() -> None:
    assert set(DETECT_KINDS) | {"person-name"} <= set(KINDS)
    counts = red_team().planted["kind"].value_counts()
    assert set(counts.index) == set(KINDS)
    assert counts.min() >= 50  # a kind is drawn as often as any other


def test_every_decoy_family_appears() -> None:
    families = {"named-place", "shop-name", "surname-noun", "name-word", "checksum-fail",
                "plain-date", "clock-time", "amount", "version", "unknown-plate",
                "count-phrase", "numbered-place"}
    assert families <= set(DECOY_FAMILIES)
    assert set(red_team().decoys["family"]) == set(DECOY_FAMILIES)


def _values(kind: str) -> list[str]:
    planted = red_team().planted
    return planted.loc[planted["kind"] == kind, "value"].tolist()


def _before(kind: str) -> list[str]:
    """The 25 characters before each planted value of a kind."""
    s = red_team()
    rows = s.planted[s.planted["kind"] == kind]
    return [s.texts[r][max(0, a - 25):a] for r, a in zip(rows["row"], rows["start"],
                                                         strict=True)]


def _any(values: list[str], pattern: str, flags: int = 0) -> bool:
    return any(re.search(pattern, v, flags) for v in values)


def test_person_names_in_the_forms_people_write() -> None:
    s = red_team()
    names = s.planted[s.planted["kind"] == "person-name"]
    templates = set(names["template"])
    for form in ("Herr {last}", "gemeldet von {full}", "Viele Grüße,⏎{full}", "Familie {last}",
                 "Frau Dr. {last}", "MfG {ilast}", "Melder: {lastfirst}"):
        assert any(form in t for t in templates), form
    values = names["value"].tolist()
    assert _any(values, r"^\w\. \w")  # K. Wagner
    assert _any(values, r"^\w+, \w")  # Wagner, Klaus
    assert not all(v.isascii() for v in values)  # Öztürk, Łuczyk, Cremonesi ...
    locales = {f.split()[-1] for f in names["form"] if f.split()[-1].count("_") == 1}
    assert {"de_DE", "de_AT", "tr_TR", "pl_PL", "it_IT", "en_PK"} <= locales


def test_phone_numbers_in_the_forms_people_write() -> None:
    values = _values("phone")
    for pattern in (r"^0\d+/\d", r"^\(0\d+\) \d", r"\(0\)", r"^00(49|43)", r"^\+(49|43)",
                    r"\d-\d", r"\d \d\d \d\d"):
        assert _any(values, pattern), pattern
    forms = red_team().planted.query("kind == 'phone'")["form"]
    typos = [v for v, f in zip(values, forms, strict=True) if "typo" in f]
    assert typos
    for value, form in zip(values, forms, strict=True):  # typos: possible, and not valid
        if "typo" in form:
            number = phonenumbers.parse(value, "AT" if form.startswith("at-") else "DE")
            assert phonenumbers.is_possible_number(number), value
    context = re.compile(r"tel|handy|mobil|erreichbar|rückruf|nummer", re.IGNORECASE)
    s = red_team()
    rows = s.planted[(s.planted["kind"] == "phone") & s.planted["form"].str.contains("typo")]
    for row, start in zip(rows["row"], rows["start"], strict=True):
        assert context.search(s.texts[row][max(0, start - 40):start])
    for value, form in zip(values, forms, strict=True):
        region = "AT" if form.startswith("at-") else "DE"
        number = phonenumbers.parse(value, region)
        assert phonenumbers.is_valid_number(number) != ("typo" in form), value


def test_ibans_in_any_case_and_grouping_and_valid() -> None:
    values = _values("iban")
    for pattern in (r"^[a-z]{2}\d\d [a-z0-9]{4} ", r"^[A-Z]{2}\d\d[A-Z0-9]{12}", r"-", r"\.",
                    r"^[A-Z]{2} \d\d ", r"^AT", r"^(CH|NL|PL|TR|IT|ES)"):
        assert _any(values, pattern), pattern
    for value in values:
        assert iban.is_valid(re.sub(r"[\s.\-]", "", value).upper()), value


def test_addresses_in_the_forms_people_write() -> None:
    values = _values("street-address")
    for pattern in (r"str\.\d", r"^(Am|An der|Auf dem|Im|Zum|Zur) ", r"\d[a-d]$",
                    r"gasse \d+/\d+/\d+$", r"^[A-ZÄÖÜ]\w+-[A-ZÄÖÜ]\w+-(Straße|Str\.)",
                    r"^\w+er (Straße|Str\.)"):
        assert _any(values, pattern, re.IGNORECASE), pattern


def test_dates_of_birth_after_every_context() -> None:
    before = _before("date-of-birth")
    for pattern in (r"\*\s?\(?$", r"geb\. $", r"geb\.$", r"geboren (am )?$", r"Jg\. $",
                    r"Jahrgang $", r"Geburtsdatum: $"):
        assert _any(before, pattern, re.IGNORECASE), pattern
    values = _values("date-of-birth")
    assert _any(values, r"^\d{4}$") and _any(values, r"^\d{1,2}\. [A-ZÄ][a-zä]+ \d{4}$")


def test_emails_with_umlauts_idn_domains_and_disguises() -> None:
    values = _values("email")
    for pattern in (r"[äöüßçğşł].*(@| at |\(at\)|\[at\])", r"@[^@\s]*[äöü][^@\s]*\.(de|at)$",
                    r" \(at\) ", r"\(at\)", r"\[at\]", r" at ", r"\(punkt\)", r"\[dot\]"):
        assert _any(values, pattern, re.IGNORECASE), pattern


def test_checksummed_identifiers_are_valid_and_ipv6_is_planted() -> None:
    for value in _values("de-tax-id"):
        assert idnr.is_valid(value.replace(" ", "")), value
    for value in _values("at-svnr"):
        assert vnr.is_valid(re.sub(r"[\s/\-]", "", value)), value
    assert _any(_values("ip-address"), r"::") and _any(_values("ip-address"), r"^\d+\.\d+\.")
    assert _any(_values("de-plate"), r"^[a-zäöü]+-")  # lower case too
    assert _any(_values("at-plate"), r"^[A-Z]{1,2}[- ]\d+ ?[A-Z]+$")


def test_decoys_fail_their_checks() -> None:
    decoys = red_team().decoys
    for value in decoys.loc[decoys["family"] == "checksum-fail", "value"]:
        digits = value.replace(" ", "")
        assert not idnr.is_valid(digits) and not vnr.is_valid(digits), value
    places = decoys.loc[decoys["family"] == "named-place", "value"]
    assert any(v.endswith(("-Schule", "-Straße", "-Platz", "-Brücke")) for v in places)
    words = decoys.loc[decoys["family"] == "name-word", "value"]
    assert any(re.fullmatch(r"August \d{4}", v) for v in words)
    counts = decoys.loc[decoys["family"] == "count-phrase", "value"]
    assert any(re.fullmatch(r"Am \w+ \d+ \w+", v) for v in counts)


def test_score_on_a_toy_case() -> None:
    planted = pd.DataFrame({"kind": ["phone", "phone", "iban"], "row": [0, 1, 1],
                            "start": [5, 0, 20], "end": [15, 10, 42]})
    decoys = pd.DataFrame({"row": [2], "start": [0], "end": [8]})
    found = pd.DataFrame({
        "kind": ["phone", "phone", "phone", "iban", "iban", "phone"],
        "row": [0, 1, 2, 1, 1, 3],
        "start": [5, 2, 1, 20, 50, 0],
        "end": [15, 8, 6, 30, 60, 4],
    })
    # row 0: phone whole; row 1: phone cut (found, not whole), iban cut; the rest:
    # a phone on a decoy, an iban on plain text, a phone on plain text
    table = score(found, planted, decoys, ["phone", "iban", "email"])
    phone, iban_, email = table.loc["phone"], table.loc["iban"], table.loc["email"]
    assert (phone["planted"], phone["hit"], phone["whole"]) == (2, 2, 1)
    assert (phone["reported"], phone["fp"]) == (4, 2)
    assert phone["recall"] == 1.0 and phone["precision"] == 0.5
    assert (iban_["planted"], iban_["hit"], iban_["whole"], iban_["fp"]) == (1, 1, 0, 1)
    assert iban_["precision"] == 0.5
    assert email["planted"] == 0 and pd.isna(email["recall"]) and pd.isna(email["precision"])
    # a span of another kind over a planted identifier is not a false positive, nor a hit
    other = score(pd.DataFrame({"kind": ["email"], "row": [0], "start": [6], "end": [9]}),
                  planted, decoys, ["phone", "email"])
    assert other.loc["email", "fp"] == 0 and other.loc["phone", "hit"] == 0


def test_the_benchmark_runs_to_its_result_lines_in_quick_mode() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "benchmarks/policy_scan.py", "--quick"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for name, target in (("recall", "0.99"), ("precision", "0.95"),
                         ("speedup_vs_presidio", "100")):
        assert re.search(rf"^RESULT {name} (\d+(\.\d+)?|n/a) target >= {target} .*quick run",
                         out, re.MULTILINE), name
    assert "thresholds are not judged" in out
    for kind in KINDS:
        assert re.search(rf"^{re.escape(kind)} +\d", out, re.MULTILINE), kind
    assert "presidio setup:" in out and "rows/s" in out
