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

