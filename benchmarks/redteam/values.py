"""Identifier values as people type them, one generator per kind.

Each generator takes a `random.Random` and returns `(text, form)`: the value
as it will stand in the text and a short label of how it is written (the
benchmark reports recall per form). Checksummed values are made valid with
python-stdnum and phone numbers with phonenumbers: those libraries say what
the ground truth is; the detector under test is never asked.
"""

from __future__ import annotations

import ipaddress
import random
import string

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.at import vnr
from stdnum.de import idnr
from stdnum.iso7064 import mod_11_10

Value = tuple[str, str]


def pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([w for w, _ in weighted], [p for _, p in weighted])[0]


def digits(rng: random.Random, n: int, first_nonzero: bool = True) -> str:
    head = str(rng.randint(1, 9)) if first_nonzero else str(rng.randint(0, 9))
    return head + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


# ---------------------------------------------------------------- phone numbers

# (area code without trunk 0, subscriber lengths): real German and Austrian codes
DE_AREAS = [("30", (6, 8)), ("40", (6, 8)), ("89", (6, 8)), ("221", (5, 8)), ("69", (6, 8)),
            ("711", (5, 8)), ("211", (5, 8)), ("231", (5, 8)), ("201", (5, 8)),
            ("341", (5, 8)), ("351", (5, 8)), ("511", (5, 8)), ("911", (5, 8)),
            ("421", (5, 8)), ("228", (5, 7)), ("621", (5, 7)), ("721", (5, 7)),
            ("251", (5, 7)), ("761", (5, 7)), ("345", (5, 7)), ("371", (5, 7)),
            ("361", (5, 7)), ("391", (5, 7)), ("381", (5, 7)), ("431", (5, 7)),
            ("6131", (4, 7)), ("681", (5, 7)), ("941", (5, 7)), ("821", (5, 7)),
            ("7071", (4, 7)), ("3641", (4, 7)), ("5251", (4, 7)), ("2361", (4, 7)),
            ("6221", (4, 7)), ("7531", (4, 7)), ("9131", (4, 7)), ("35204", (3, 6)),
            ("33205", (3, 6)), ("7643", (4, 7)), ("8031", (4, 7)), ("4121", (4, 7))]
DE_MOBILE = [("151", 8), ("152", 8), ("157", 8), ("159", 8), ("160", 7), ("162", 7),
             ("163", 7), ("170", 7), ("171", 7), ("172", 7), ("173", 7), ("174", 7),
             ("175", 7), ("176", 8), ("177", 7), ("178", 7), ("179", 7)]
AT_AREAS = [("1", (4, 8)), ("316", (4, 7)), ("732", (4, 7)), ("662", (4, 7)),
            ("512", (4, 7)), ("463", (4, 7)), ("2742", (4, 6)), ("5574", (4, 6)),
            ("7242", (4, 6)), ("2622", (4, 6)), ("3842", (4, 6))]
AT_MOBILE = [("664", 7), ("660", 7), ("676", 7), ("699", 8), ("650", 7), ("681", 8),
             ("688", 7), ("677", 8)]


def _phone_parts(rng: random.Random) -> tuple[str, str, str, str]:
    """(country code, area or network prefix, subscriber, label) of a valid number."""
    for _ in range(200):
        country = "49" if rng.random() < 0.75 else "43"
        mobile = rng.random() < 0.45
        if country == "49":
            if mobile:
                prefix, length = rng.choice(DE_MOBILE)
            else:
                prefix, (lo, hi) = rng.choice(DE_AREAS)
                length = rng.randint(lo, hi)
        elif mobile:
            prefix, length = rng.choice(AT_MOBILE)
        else:
            prefix, (lo, hi) = rng.choice(AT_AREAS)
            length = rng.randint(lo, hi)
        subscriber = digits(rng, length)
        number = phonenumbers.parse(f"+{country}{prefix}{subscriber}")
        if phonenumbers.is_valid_number(number):
            label = ("de" if country == "49" else "at") + ("-mobile" if mobile else "-landline")
            return country, prefix, subscriber, label
    raise RuntimeError("no valid phone number in 200 tries")


def _possible_not_valid(rng: random.Random) -> tuple[str, str, str, str]:
    """A typo of a real number: possible by length, not valid in the plan."""
    for _ in range(500):
        country, prefix, subscriber, label = _phone_parts(rng)
        change = rng.random()
        if change < 0.4:
            subscriber = subscriber + str(rng.randint(0, 9))
        elif change < 0.7 and len(subscriber) > 3:
            cut = rng.randrange(1, len(subscriber))
            subscriber = subscriber[:cut] + subscriber[cut + 1:]
        else:
            prefix = prefix[:-1] + str((int(prefix[-1]) + rng.randint(1, 9)) % 10)
        number = phonenumbers.parse(f"+{country}{prefix}{subscriber}")
        if phonenumbers.is_possible_number(number) and not phonenumbers.is_valid_number(number):
            return country, prefix, subscriber, label + "-typo"
    raise RuntimeError("no possible-but-invalid number in 500 tries")


def _group_subscriber(rng: random.Random, s: str) -> tuple[str, str]:
    style = rng.random()
    if style < 0.55 or len(s) < 5:
        return s, "s"
    if style < 0.7:  # pairs from the end, the old DIN style: 1 23 45 67
        head = len(s) % 2
        parts = ([s[:head]] if head else []) + [s[i:i + 2] for i in range(head, len(s), 2)]
        return " ".join(parts), "s-pairs"
    if style < 0.85:
        cut = len(s) // 2
        return f"{s[:cut]} {s[cut:]}", "s-split"
    if style < 0.93:
        return f"{s[:3]}-{s[3:5]}-{s[5:]}" if len(s) > 5 else f"{s[:2]}-{s[2:]}", "s-dashes"
    return f"{s[:-1]}-{s[-1]}", "s-extension"


def phone(rng: random.Random, invalid: bool = False) -> Value:
    country, prefix, subscriber, label = (_possible_not_valid(rng) if invalid
                                          else _phone_parts(rng))
    sub, sub_form = _group_subscriber(rng, subscriber)
    national = [("0{p} {s}", 20), ("0{p}/{s}", 14), ("0{p}-{s}", 8), ("(0{p}) {s}", 9),
                ("0{p} / {s}", 5), ("0{p}{s}", 6), ("0{p}.{s}", 2), ("(0{p}) - {s}", 1),
                ("(0{p}){s}", 2), ("0 {p} {s}", 1)]
    international = [("+{c} {p} {s}", 10), ("+{c} (0){p} {s}", 7), ("+{c} (0) {p} {s}", 4),
                     ("+{c}-{p}-{s}", 3), ("+{c}{p}{s}", 4), ("00{c} {p} {s}", 6),
                     ("00{c}-{p}-{s}", 2), ("00{c} (0){p} {s}", 2), ("+{c} {p}/{s}", 3),
                     ("+{c}/{p}/{s}", 1), ("+{c}({p}){s}", 1), ("+{c} ({p}) {s}", 2)]
    formats = national if rng.random() < 0.6 else international
    pattern = rng.choices([f for f, _ in formats], [w for _, w in formats])[0]
    if pattern in ("0{p}{s}", "+{c}{p}{s}"):
        sub, sub_form = subscriber, "s"
    text = pattern.format(c=country, p=prefix, s=sub)
    return text, f"{label} {pattern} {sub_form}"


# ---------------------------------------------------------------- IBAN


def _bban(rng: random.Random, country: str) -> str:
    upper = string.ascii_uppercase
    alnum = string.ascii_uppercase + string.digits
    if country == "DE":
        return digits(rng, 18, False)
    if country == "AT":
        return digits(rng, 16)
    if country == "CH":
        return digits(rng, 5, False) + "".join(rng.choice(alnum) for _ in range(12))
    if country == "NL":
        return "".join(rng.choice(upper) for _ in range(4)) + digits(rng, 10, False)
    if country == "PL":
        return digits(rng, 24, False)
    if country == "TR":
        return digits(rng, 5, False) + "0" + digits(rng, 16, False)
    if country == "IT":
        return rng.choice(upper) + digits(rng, 10, False) + digits(rng, 12, False)
    return digits(rng, 20, False)  # ES


IBAN_COUNTRIES = [("DE", 60.0), ("AT", 20.0), ("CH", 4.0), ("NL", 4.0), ("PL", 4.0),
                  ("TR", 3.0), ("IT", 3.0), ("ES", 2.0)]


def _valid_iban(rng: random.Random) -> str:
    while True:
        country = pick(rng, IBAN_COUNTRIES)
        bban = _bban(rng, country)
        number = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
        if stdnum_iban.is_valid(number):
            return number


def iban(rng: random.Random) -> Value:
    raw = _valid_iban(rng)
    groups = [raw[i:i + 4] for i in range(0, len(raw), 4)]
    style = pick(rng, [("grouped", 40), ("compact", 15), ("lower-grouped", 10),
                       ("lower-compact", 6), ("capitalised", 4), ("dashes", 5), ("dots", 3),
                       ("double-space", 3), ("cc-apart", 5), ("bank-account", 5),
                       ("ragged", 4)])
    if style == "grouped":
        text = " ".join(groups)
    elif style == "compact":
        text = raw
    elif style == "lower-grouped":
        text = " ".join(groups).lower()
    elif style == "lower-compact":
        text = raw.lower()
    elif style == "capitalised":
        text = raw[0] + raw[1].lower() + " ".join(groups)[2:]
    elif style == "dashes":
        text = "-".join(groups)
    elif style == "dots":
        text = ".".join(groups)
    elif style == "double-space":
        text = "  ".join(groups)
    elif style == "cc-apart":  # "DE 89 3704 0044 ..."
        text = f"{raw[:2]} {raw[2:4]} " + " ".join(raw[i:i + 4] for i in range(4, len(raw), 4))
    elif style == "bank-account" and raw.startswith("DE"):  # DE89 37040044 0532013000
        text = f"{raw[:4]} {raw[4:12]} {raw[12:]}"
    else:  # groups of uneven length, as typed from a card
        cuts = sorted(rng.sample(range(4, len(raw)), k=min(4, len(raw) - 5)))
        parts, last = [], 0
        for cut in cuts:
            parts.append(raw[last:cut])
            last = cut
        parts.append(raw[last:])
        text = " ".join(p for p in parts if p)
        style = "ragged"
    return text, f"{raw[:2]} {style}"


# ---------------------------------------------------------------- German and Austrian numbers


def tax_id(rng: random.Random) -> Value:
    while True:  # ten digits: one of them two or three times, the rest at most once
        repeats = rng.choice((2, 3))
        chosen = rng.sample("0123456789", 11 - repeats)
        body_digits = chosen + [chosen[0]] * (repeats - 1)
        rng.shuffle(body_digits)
        body = "".join(body_digits)
        number = body + mod_11_10.calc_check_digit(body)
        if body[0] != "0" and idnr.is_valid(number):
            break
    style = pick(rng, [("2-3-3-3", 60), ("compact", 35), ("3-3-3-2", 5)])
    text = {"2-3-3-3": f"{number[:2]} {number[2:5]} {number[5:8]} {number[8:]}",
            "compact": number,
            "3-3-3-2": f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}"}[style]
    return text, style


_PENSION_WEIGHTS = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)


def birth_ddmmyy(rng: random.Random) -> str:
    return f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(0, 99):02d}"


def pension_number(rng: random.Random) -> Value:
    """Deutsche Rentenversicherung: area, ddmmyy, letter, serial, check digit (VKVV s.4)."""
    area = f"{rng.randint(2, 89):02d}"
    date = birth_ddmmyy(rng)
    letter = rng.choice(string.ascii_uppercase)
    serial = f"{rng.randint(0, 99):02d}"
    values = area + date + f"{ord(letter) - 64:02d}" + serial
    check = sum(sum(divmod(int(d) * w, 10)) for d, w in zip(values, _PENSION_WEIGHTS,
                                                            strict=True)) % 10
    style = pick(rng, [("spaced", 45), ("compact", 35), ("lower-letter", 8),
                       ("letter-joined", 8), ("dashes", 4)])
    text = {"spaced": f"{area} {date} {letter} {serial}{check}",
            "compact": f"{area}{date}{letter}{serial}{check}",
            "lower-letter": f"{area}{date}{letter.lower()}{serial}{check}",
            "letter-joined": f"{area} {date} {letter}{serial}{check}",
            "dashes": f"{area}-{date}-{letter}-{serial}{check}"}[style]
    return text, style


def svnr(rng: random.Random) -> Value:
    """Austrian social insurance number: serial (3), check digit, ddmmyy."""
    while True:
        date = birth_ddmmyy(rng)
        serial = str(rng.randint(100, 999))
        for check in "0123456789":
            number = serial + check + date
            if vnr.is_valid(number):
                break
        else:
            continue
        break
    style = pick(rng, [("4-6", 55), ("compact", 30), ("4-2-2-2", 8), ("4/6", 4), ("4-dash-6", 3)])
    text = {"4-6": f"{number[:4]} {number[4:]}", "compact": number,
            "4-2-2-2": f"{number[:4]} {number[4:6]} {number[6:8]} {number[8:]}",
            "4/6": f"{number[:4]}/{number[4:]}", "4-dash-6": f"{number[:4]}-{number[4:]}"}[style]
    return text, style


# ---------------------------------------------------------------- vehicle plates

DE_DISTRICTS = ["B", "HH", "M", "K", "F", "S", "D", "DO", "E", "L", "DD", "H", "N", "HB", "BN",
                "MA", "KA", "MS", "FR", "HAL", "C", "EF", "MD", "HRO", "KI", "HL", "GÖ", "MZ",
                "SB", "R", "A", "TÜ", "J", "PB", "RE", "AC", "BI", "BO", "GE", "OB", "DU", "W",
                "WOB", "BS", "OS", "OL", "LU", "HD", "UL", "IN", "WÜ", "ER", "FÜ", "BA", "BT",
                "PA", "TS", "RO", "GAP", "LÖ", "KN", "RV", "FN", "SIG", "LB", "ES", "GP", "BB",
                "WN", "HN", "PF"]
AT_DISTRICTS = ["W", "G", "GU", "L", "LL", "S", "SL", "I", "IL", "K", "KL", "VB", "BN", "MD",
                "WB", "KS", "P", "PL", "VL", "VI", "LE", "B", "BZ", "DO", "FK", "E", "WN", "SR",
                "WE", "SZ", "KU", "KB", "LZ", "SP", "WO", "AM", "MI", "GD", "HO", "ZT", "TU",
                "BM", "LB", "WZ", "HF"]
# Letters no German or Austrian district code starts with or is made of.
UNKNOWN_DISTRICTS = ["XQ", "QX", "XZ", "QA", "QY", "QZ", "XA", "XY", "ZQ", "YQ", "QQ"]
_PLATE_LETTERS = "ABCDEFGHIJKLMNOPRSTUVWXYZ"


def de_plate(rng: random.Random, district: str | None = None) -> Value:
    district = district or rng.choice(DE_DISTRICTS)
    while True:
        letters = "".join(rng.choice(_PLATE_LETTERS) for _ in range(rng.randint(1, 2)))
        number = str(rng.randint(1, 9999))
        suffix = pick(rng, [("", 90), ("E", 6), ("H", 4)])
        if len(district + letters + number + suffix) <= 8:
            break
    style = pick(rng, [("D-LL N", 50), ("D LL N", 25), ("D-LL-N", 10), ("D-LLN", 8),
                       ("lower D-LL N", 4), ("D - LL N", 3)])
    text = {"D-LL N": f"{district}-{letters} {number}{suffix}",
            "D LL N": f"{district} {letters} {number}{suffix}",
            "D-LL-N": f"{district}-{letters}-{number}{suffix}",
            "D-LLN": f"{district}-{letters}{number}{suffix}",
            "lower D-LL N": f"{district}-{letters} {number}{suffix}".lower(),
            "D - LL N": f"{district} - {letters} {number}{suffix}"}[style]
    return text, style + (" +" + suffix if suffix else "")


def at_plate(rng: random.Random, district: str | None = None) -> Value:
    district = district or rng.choice(AT_DISTRICTS)
    if rng.random() < 0.12:  # a chosen plate (Wunschkennzeichen): letters, then digits
        name = rng.choice(["ANNA", "MAX", "TOM", "LISA", "HANS", "SEPP", "MIA", "LEO", "ELI"])
        text = f"{district}-{name} {rng.randint(1, 99)}"
        return text, "chosen W-NAME N"
    number = str(rng.randint(1, 99999 if len(district) == 1 else 9999))
    letters = "".join(rng.choice(_PLATE_LETTERS) for _ in range(rng.randint(1, 3)))
    while len(number + letters) > 6:
        number = number[:-1]
    style = pick(rng, [("D-N L", 45), ("D N L", 30), ("D-NL", 12), ("D N-L", 5),
                       ("lower D-N L", 4), ("D-N-L", 4)])
    text = {"D-N L": f"{district}-{number} {letters}", "D N L": f"{district} {number} {letters}",
            "D-NL": f"{district}-{number}{letters}", "D N-L": f"{district} {number}-{letters}",
            "lower D-N L": f"{district}-{number} {letters}".lower(),
            "D-N-L": f"{district}-{number}-{letters}"}[style]
    return text, style


# ---------------------------------------------------------------- IP addresses


def ip_address(rng: random.Random) -> Value:
    if rng.random() < 0.55:
        if rng.random() < 0.25:
            address = f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            return address, "v4 private"
        while True:
            first = rng.randint(2, 223)
            if first not in (10, 127):
                break
        return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "v4"
    prefix = pick(rng, [("2001:db8", 20), ("2a02:8108", 20), ("2003:e2", 20), ("2a01:c22", 15),
                        ("fe80", 15), ("2a00:1450", 10)])
    head = int(ipaddress.IPv6Address(prefix + "::"))
    bits = 64 if prefix == "fe80" else 32
    tail = rng.getrandbits(128 - bits)
    if rng.random() < 0.3:  # many zero groups, as routers hand them out
        tail &= (1 << 16) - 1
    address = ipaddress.IPv6Address(head | tail)
    style = pick(rng, [("v6 compressed", 60), ("v6 exploded", 12), ("v6 upper", 12),
                       ("v6 no-zero-runs", 10), ("v6 mapped-v4", 6)])
    if style == "v6 exploded":
        return address.exploded, style
    if style == "v6 upper":
        return address.compressed.upper(), style
    if style == "v6 no-zero-runs":
        return ":".join(f"{int(g, 16):x}" for g in address.exploded.split(":")), style
    if style == "v6 mapped-v4":
        return f"::ffff:{rng.randint(2, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}." \
               f"{rng.randint(1, 254)}", style
    return address.compressed, style


# ---------------------------------------------------------------- dates of birth

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]


def birth_date(rng: random.Random) -> Value:
    year = rng.randint(1925, 2008)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    style = pick(rng, [("dd.mm.yyyy", 35), ("d.m.yyyy", 20), ("d.m.yy", 10), ("yyyy-mm-dd", 6),
                       ("d. Monat yyyy", 12), ("d Monat yyyy", 3), ("d.Monat yyyy", 3),
                       ("dd. mm. yyyy", 4), ("dd.mm.yy", 5), ("d. Mon. yyyy", 2)])
    text = {"dd.mm.yyyy": f"{day:02d}.{month:02d}.{year}",
            "d.m.yyyy": f"{day}.{month}.{year}",
            "d.m.yy": f"{day}.{month}.{year % 100:02d}",
            "yyyy-mm-dd": f"{year}-{month:02d}-{day:02d}",
            "d. Monat yyyy": f"{day}. {MONTHS[month - 1]} {year}",
            "d Monat yyyy": f"{day} {MONTHS[month - 1]} {year}",
            "d.Monat yyyy": f"{day}.{MONTHS[month - 1]} {year}",
            "dd. mm. yyyy": f"{day:02d}. {month:02d}. {year}",
            "dd.mm.yy": f"{day:02d}.{month:02d}.{year % 100:02d}",
            "d. Mon. yyyy": f"{day}. {MONTHS[month - 1][:3]}. {year}"}[style]
    return text, style


def birth_year(rng: random.Random) -> Value:
    year = rng.randint(1925, 2008)
    if rng.random() < 0.2:
        return f"{year % 100:02d}", "yy"
    return str(year), "yyyy"
