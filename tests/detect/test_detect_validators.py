"""The phone validator's shortcut takes the decisions the plain calls take."""

import phonenumbers
from phonenumbers import PhoneNumberFormat

from publisher.detect import validators as v


def _reference(text: str) -> bool:
    """_valid_phone as plainly written: valid, and of region DE or AT."""
    for region in ("DE", "AT"):
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return False
        if phonenumbers.is_valid_number(number) and \
                phonenumbers.region_code_for_number(number) in ("DE", "AT"):
            return True
        if text.lstrip().startswith(("+", "00")):
            return False
    return False


def _numbers() -> list[str]:
    texts = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None:
                continue
            for form in (PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL):
                texts.append(phonenumbers.format_number(number, form))
            texts.append(phonenumbers.format_number(number, PhoneNumberFormat.E164)[:-1])
    return texts


def test_the_country_code_shortcut_decides_as_region_code_for_number():
    texts = _numbers()
    decided = [v._valid_phone(t) for t in texts]
    assert decided == [_reference(t) for t in texts]
    assert any(decided) and not all(decided)  # both answers among them



def _iban_texts() -> list[str]:
    """Valid IBANs of every country stdnum knows, each with every single-character
    change (most fail the checksum, some the structure), in upper and lower case."""
    import random

    from stdnum import iban

    rng = random.Random(16)
    texts = []
    for country in ("DE", "AT", "CH", "FR", "GB", "NL", "PL", "TR", "IT", "ES", "LU", "BE"):
        length = v._iban_length(country)
        assert length is not None
        for _ in range(20):
            bban = "".join(rng.choice("0123456789") for _ in range(length - 4))
            valid = country + iban.calc_check_digits(country + "00" + bban) + bban
            texts.append(valid)
            position = rng.randrange(2, length)
            for char in "0123456789AZaz":
                texts.append(valid[:position] + char + valid[position + 1:])
    return texts + [t.lower() for t in texts]


def test_the_iban_checksum_pre_check_rejects_only_what_stdnum_rejects():
    from stdnum import iban

    texts = _iban_texts()
    valid = [t for t in texts if iban.is_valid(t)]
    assert 0 < len(valid) < len(texts) / 2  # both sides are tried
    assert all(v._iban_checksum_may_hold(t) for t in valid)
    # it does reject: most changed characters break the checksum
    assert sum(not v._iban_checksum_may_hold(t) for t in texts) > len(texts) / 2
    # non-ASCII characters are left to stdnum
    assert v._iban_checksum_may_hold("DE89370400440532013００")


def test_the_iban_verdict_is_stdnums():
    from stdnum import iban

    for text in _iban_texts():
        assert (v.iban(text) is True) == iban.is_valid(text), text


def test_the_iban_structure_check_decides_as_stdnum():
    """_iban_valid (the country's BBAN structure kept per country) on candidates whose
    checksum holds, of every country in stdnum's registry, against stdnum.iban."""
    import random
    import string

    from stdnum import iban, numdb
    from stdnum.iso7064 import mod_97_10

    rng = random.Random(11)
    db = numdb.get("iban")
    countries = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase
                 if db.info(a + b)[0][1]]
    assert {"DE", "AT", "BE", "ES", "NO"} <= set(countries)
    tried = 0
    for country in countries:
        length = v._iban_length(country)
        if length is None:
            continue
        for _ in range(60):
            size = length - 4 + rng.choice((0, 0, 0, 1, -1))
            body = "".join(rng.choice(string.digits if rng.random() < 0.8 else
                                      string.ascii_letters) for _ in range(size))
            text = country + mod_97_10.calc_check_digits(body.upper() + country) + body
            text = text.lower() if rng.random() < 0.3 else text
            assert v._iban_checksum_may_hold(text)
            assert v._iban_valid(text) == iban.is_valid(text), text
            tried += 1
    assert tried > 3000
    assert v._iban_valid("DE89370400440532013000")
    assert not v._iban_valid("DE8937040044053201300A")  # a letter where DE has digits


def test_the_tax_id_verdict_is_stdnums():
    import random

    from stdnum.de import idnr
    from stdnum.iso7064 import mod_11_10

    rng = random.Random(16)
    texts = []
    for _ in range(300):
        head = "".join(rng.sample("123456789", 1) + rng.sample("0123456789", 8))
        head += head[rng.randrange(9)]  # one digit twice, as the rule asks
        valid = head + mod_11_10.calc_check_digit(head)
        texts += [valid, f"{valid[:2]} {valid[2:5]} {valid[5:8]} {valid[8:]}",
                  valid[:10] + str((int(valid[10]) + 1) % 10), "0" + valid[1:],
                  "1" + valid]
    verdicts = [v.de_tax_id(t) for t in texts]
    assert verdicts == [idnr.is_valid(t) for t in texts]
    assert 0 < sum(verdicts) < len(verdicts) / 2


def test_the_svnr_verdict_is_stdnums_with_a_date():
    import random

    from stdnum.at import vnr

    rng = random.Random(16)
    texts = []
    for _ in range(300):
        serial = f"{rng.randrange(100, 1000)}"
        born = f"{rng.randrange(1, 32):02d}{rng.randrange(1, 13):02d}{rng.randrange(100):02d}"
        valid = serial + vnr.calc_check_digit(serial + "0" + born) + born
        texts += [valid, f"{valid[:4]} {valid[4:]}", f"{valid[:4]}/{valid[4:]}",
                  valid[:3] + str((int(valid[3]) + 1) % 10) + valid[4:], "0" + valid[1:]]

    def plainly(text: str) -> bool:
        digits = "".join(c for c in text if c.isdigit())
        day, month = int(digits[4:6]), int(digits[6:8])
        return 1 <= day <= 31 and 1 <= month <= 12 and vnr.is_valid(digits)

    verdicts = [v.at_svnr(t) for t in texts]
    assert verdicts == [plainly(t) for t in texts]
    assert 0 < sum(verdicts) < len(verdicts)
