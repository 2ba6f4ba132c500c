"""personal-column-names: column names that say a column holds personal data
(RULES.md section 1, German and English names).

A name matches when one of its words (split at _ - . space and camelCase,
umlauts folded: "Straße" -> "strasse") is on the list, or when the whole name
is ("e_mail" -> "email"). Evidence, not proof: the default severity is warn.
The hint names the step that usually fits the kind of column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import Field

from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules.base import Rule, RuleParams, rules

# word -> the step that usually fixes such a column
DEFAULT_NAMES: dict[str, str] = {
    **dict.fromkeys(("name", "vorname", "nachname", "familienname", "firstname",
                     "lastname", "surname", "fullname", "melder", "meldername",
                     "antragsteller", "eigentuemer", "halter", "reporter", "applicant",
                     "owner", "holder", "person"), "drop-columns or pseudonymise"),
    **dict.fromkeys(("email", "mail", "telefon", "tel", "phone", "telephone", "mobil",
                     "mobile", "handy", "fax", "iban", "bic", "svnr",
                     "versicherungsnummer", "steuerid", "steuernummer", "kennzeichen",
                     "plate", "licenceplate", "licenseplate"), "drop-columns or pseudonymise"),
    **dict.fromkeys(("strasse", "hausnummer", "adresse", "anschrift", "street",
                     "housenumber", "address", "wohnort"), "drop-columns or aggregate-areas"),
    **dict.fromkeys(("plz", "postleitzahl", "postcode", "zip", "zipcode"),
                    "generalise (to a larger area) or aggregate-areas"),
    **dict.fromkeys(("geburtsdatum", "geburtstag", "birthdate", "dateofbirth", "dob",
                     "birthday", "alter", "age"), "generalise (5-year age bands)"),
    **dict.fromkeys(("geschlecht", "sex", "gender", "nationalitaet", "staatsangehoerigkeit",
                     "nationality"), "k-anonymise or generalise"),
}
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


def words_of(name: str) -> list[str]:
    text = _CAMEL.sub(" ", name).lower().translate(_FOLD)
    words = [w for w in _SPLIT.split(text) if w]
    return [*words, "".join(words)]


class PersonalColumnNamesParams(RuleParams):
    extra_names: list[str] = Field(default_factory=list)  # more words that count
    ignore: list[str] = Field(default_factory=list)  # column names never flagged


@rules.register
class PersonalColumnNames(Rule):
    type = "personal-column-names"
    Params = PersonalColumnNamesParams
    default_severity = Severity.WARN

    def check(self, package: Package) -> Iterable[Finding]:
        assert isinstance(self.params, PersonalColumnNamesParams)
        names = dict(DEFAULT_NAMES)
        names.update({w.lower().translate(_FOLD): "drop-columns or pseudonymise"
                      for w in self.params.extra_names})
        flagged: list[str] = []
        for resource in package.resources:
            fields = resource.field_names or [str(c) for c in resource.table().columns]
            present = _present(resource.data, fields)
            for field in present:
                if field in self.params.ignore:
                    continue
                hit = next((w for w in words_of(field) if w in names), None)
                if hit is None:
                    continue
                flagged.append(f"{resource.name}.{field}")
                yield self.finding(
                    f"the column name suggests personal data ('{hit}')",
                    resource=resource.name, field=field,
                    hint=f"remove or transform the column: {names[hit]}")
        self.stats = {"columns": flagged}


def _present(data: object, fields: list[str]) -> list[str]:
    """Schema fields still in the data (a step may have dropped some)."""
    columns = getattr(data, "columns", None)
    if columns is None:
        return fields
    have = {str(c) for c in columns}
    return [f for f in fields if f in have] + [c for c in map(str, columns)
                                                if c not in fields and c != "geometry"]
