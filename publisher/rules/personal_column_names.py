"""personal-column-names: column names that say a column holds personal data
(RULES.md section 1, German and English names).

A name is split into words (at _ - . space and camelCase, umlauts folded:
"Straße" -> "strasse"; the words joined count too: "e_mail" -> "email") and
judged, first that applies:

1. direct: a word says the column holds a direct identifier: a person's name
   (vorname, nachname, fullname), a contact (email, telefon, handy), an account
   or id number (iban, svnr, steuerid), a plate, a date of birth, or a person
   in a role (melder, reporter, antragsteller, eigentuemer, halter, owner).
   Reported at the rule's severity: block in the shipped policies. A role word
   with a word for a kind or a number ("owner_type", "melder_anzahl") says
   what kind of person, not who: indirect.
2. "name" and "kennzeichen" alone do not say whose name or which mark: a
   person word ("reporter_name", "kontakt_name", "name_vorname") or a vehicle
   word ("kfz_kennzeichen") makes them direct; a word for a thing ("stop_name",
   "baumart_name", "standort_name") makes them no finding at all (the thing is
   listed in the stats); alone or with another word ("name", "counter_name")
   they are unclear, reported at `indirect_severity` with how to settle it,
   unless the values settle it: an unclear "name" column none of whose values
   looks like a person's name (publisher.detect.names, judged in the one
   identifier scan) is reported as info. Whether a column's values are person
   names is judged from the values (the person-name identifier kind), whatever
   the column is called; a column of names blocks there.
3. indirect: a word only suggests a quasi-identifier or an address (plz,
   alter, geschlecht, staatsangehoerigkeit, strasse): `indirect_severity`
   (default warn), since a district's postcode or a tree's street is no one's.

The hint names the step that usually fits the kind of column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from publisher.detect.normalise import normalise_text
from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.rules._identifiers import scan_resource
from publisher.rules.base import Rule, RuleParams, fix_hint, rules

Fixes = tuple[str, ...]  # step ids
DROP: Fixes = ("drop-columns", "pseudonymise")

# Words that say the column holds a direct identifier -> the steps that usually fix it.
DIRECT_NAMES: dict[str, Fixes] = {
    **dict.fromkeys(("vorname", "nachname", "familienname", "geburtsname", "rufname",
                     "firstname", "lastname", "surname", "fullname", "givenname",
                     "familyname", "middlename", "maidenname", "meldername",
                     "ansprechpartner", "kontaktperson"), DROP),
    **dict.fromkeys(("email", "mail", "emailadresse", "telefon", "telefonnummer", "tel",
                     "phone", "telephone", "phonenumber", "mobil", "mobile", "handy",
                     "mobilnummer", "fax", "ipaddress", "ipadresse"), DROP),
    **dict.fromkeys(("iban", "kontonummer", "svnr", "sozialversicherungsnummer",
                     "versicherungsnummer", "rentenversicherungsnummer", "steuerid",
                     "steueridentifikationsnummer", "steuernummer", "taxid",
                     "personalausweisnummer", "ausweisnummer", "passnummer"), DROP),
    **dict.fromkeys(("kfzkennzeichen", "fahrzeugkennzeichen", "autokennzeichen",
                     "nummernschild", "plate", "licenceplate", "licenseplate",
                     "numberplate"), DROP),
    **dict.fromkeys(("geburtsdatum", "geburtstag", "birthdate", "dateofbirth", "dob",
                     "birthday"), ("truncate-datetime", "drop-columns")),
}
# A person in a role: alone, the column says who (direct); see KIND_WORDS.
ROLE_WORDS = ("melder", "reporter", "antragsteller", "applicant", "eigentuemer", "owner",
              "halter", "holder", "person", "besitzer", "inhaber", "mieter", "tenant",
              "absender", "empfaenger", "recipient", "verfasser", "author")
# With a role word, a word for a kind or a number: what kind of person, not who.
KIND_WORDS = ("typ", "type", "art", "kategorie", "category", "gruppe", "group", "anzahl",
              "count", "zahl", "klasse", "class", "status")
# Before or after "name", a word for a person makes it a person's name.
PERSON_WORDS = (*ROLE_WORDS, "vor", "nach", "familien", "geburts", "ruf", "first", "last",
                "given", "family", "middle", "maiden", "full", "kontakt", "contact",
                "ansprech", "kunde", "customer", "buerger", "citizen", "einwohner",
                "bewohner", "resident", "patient", "nutzer", "user", "mitarbeiter",
                "employee", "sachbearbeiter", "bearbeiter", "vertreter", "betreuer",
                "schueler", "student", "eltern", "mutter", "vater", "zeuge",
                "witness", "fahrer", "driver", "teilnehmer", "participant", "spender",
                "donor", "autor", "pate", "paten")
# Before or after "kennzeichen", a word for a vehicle makes it a plate.
VEHICLE_WORDS = ("kfz", "fahrzeug", "auto", "pkw", "lkw", "vehicle", "car", "amtlich")
# Before or after "name", a word for a thing: the name of a thing, not of a person.
THING_WORDS = (
    "stop", "haltestelle", "station", "bahnhof", "linie", "line", "route", "strecke",
    "park", "spielplatz", "anlage", "gruenanlage", "friedhof", "gewaesser", "see", "fluss",
    "bach", "wald", "baum", "baumart", "art", "gattung", "species", "genus", "sorte",
    "ort", "ortsteil", "stadtteil", "bezirk", "stadtbezirk", "district", "gemeinde",
    "municipality", "kreis", "landkreis", "land", "country", "region", "gebiet", "area",
    "zone", "place", "city", "stadt", "town", "schule", "school", "kita", "einrichtung",
    "facility", "gebaeude", "building", "objekt", "object", "bauwerk", "bruecke", "bridge",
    "firma", "company", "unternehmen", "organisation", "organization", "verein",
    "behoerde", "amt", "dienststelle", "produkt", "product", "kategorie", "category",
    "typ", "type", "layer", "ebene", "datei", "file", "datensatz", "dataset", "feature",
    "poi", "veranstaltung", "event", "projekt", "project", "messstelle", "zaehlstelle",
    "counter", "sensor", "geraet", "device", "parkplatz", "parkhaus", "ladestation",
    "standort", "location", "site", "platz", "markt", "gaststaette", "hotel", "museum",
    "bibliothek", "library", "denkmal", "monument", "quartier", "viertel", "flur",
    "gemarkung", "flurstueck", "parcel", "baugebiet", "bebauungsplan", "wahlbezirk",
    "wahlkreis", "sprengel")
# Words that are unclear alone: the words that make them direct, and what is unclear.
UNCLEAR: dict[str, tuple[tuple[str, ...], str]] = {
    "name": (PERSON_WORDS, "whose name it holds: a person's name blocks, a thing's does not"),
    "kennzeichen": (VEHICLE_WORDS, "whether it holds vehicle plates (which block) or "
                                   "another mark"),
}
# Words that only suggest a quasi-identifier or an address.
INDIRECT_NAMES: dict[str, Fixes] = {
    **dict.fromkeys(("strasse", "hausnummer", "adresse", "anschrift", "street",
                     "housenumber", "address", "wohnort", "wohnadresse"),
                    ("drop-columns", "aggregate-areas")),
    **dict.fromkeys(("plz", "postleitzahl", "postcode", "zip", "zipcode"),
                    ("truncate-postcode", "aggregate-areas")),
    **dict.fromkeys(("alter", "age", "geburtsjahr", "birthyear", "jahrgang"),
                    ("band-numbers",)),
    **dict.fromkeys(("geschlecht", "sex", "gender", "nationalitaet", "staatsangehoerigkeit",
                     "nationality", "familienstand"), ("k-anonymise",)),
}
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")

Kind = Literal["direct", "unclear", "indirect", "thing"]


def words_of(name: str) -> list[str]:
    # read as a person reads it: "Ｅ－Ｍａｉｌ" and "tele\u200bfon" are the words they show
    text = _CAMEL.sub(" ", normalise_text(name)[0]).lower().translate(_FOLD)
    words = [w for w in _SPLIT.split(text) if w]
    return [*words, "".join(words)]


def fold(word: str) -> str:
    return word.lower().translate(_FOLD)


@dataclass(frozen=True)
class Judgement:
    kind: Kind
    word: str  # the word that decided
    fixes: Fixes  # the steps that usually fix such a column


def judge(column: str, extra_direct: Iterable[str] = (),
          extra_indirect: Iterable[str] = ()) -> Judgement | None:
    """What a column's name says about its values (see the module docstring)."""
    words = words_of(column)
    direct = {**DIRECT_NAMES, **dict.fromkeys(map(fold, extra_direct), DROP)}
    indirect = {**INDIRECT_NAMES,
                **dict.fromkeys(map(fold, extra_indirect), ("k-anonymise",))}
    hit = next((w for w in words if w in direct), None)
    if hit is not None:
        return Judgement("direct", hit, direct[hit])
    role = next((w for w in words if w in ROLE_WORDS), None)
    if role is not None:
        if any(w in KIND_WORDS for w in words):
            return Judgement("indirect", role, ("k-anonymise",))
        return Judgement("direct", role, DROP)
    unclear = next((w for w in words if w in UNCLEAR), None)
    if unclear is not None:
        settles = next((w for w in words if w in UNCLEAR[unclear][0]), None)
        if settles is not None:
            return Judgement("direct", f"{settles} {unclear}", DROP)
    hit = next((w for w in words if w in indirect), None)
    if hit is not None:
        return Judgement("indirect", hit, indirect[hit])
    if unclear is not None:
        thing = next((w for w in words if w in THING_WORDS), None)
        if thing is not None:
            return Judgement("thing", f"{thing} {unclear}", ())
        return Judgement("unclear", unclear, DROP)
    return None


def suggests_personal(column: str) -> bool:
    """Evidence that a resource is personal data (publisher.rules._personal)."""
    judgement = judge(column)
    return judgement is not None and judgement.kind != "thing"


class PersonalColumnNamesParams(RuleParams):
    extra_names: list[str] = Field(default_factory=list,
                                   description="More words that name a direct identifier.")
    extra_indirect_names: list[str] = Field(
        default_factory=list, description="More words that name a quasi-identifier.")
    ignore: list[str] = Field(default_factory=list, description="Column names never flagged.")
    indirect_severity: Literal["block", "warn", "info"] = Field(
        "warn", description="Severity for names that only suggest a quasi-identifier or an "
                            "address, and for an unclear 'name'.")


@rules.register
class PersonalColumnNames(Rule[PersonalColumnNamesParams]):
    type = "personal-column-names"
    example = """\
- id: personal-column-names
  type: personal-column-names
  severity: block
  params:
    indirect_severity: warn
    extra_names: [ansprechpartner]
    ignore: [strasse_baum]
"""
    default_severity = Severity.BLOCK

    def check(self, package: Package) -> Iterable[Finding]:
        p = self.params
        found: dict[Kind, list[str]] = {"direct": [], "unclear": [], "indirect": [], "thing": []}
        findings: list[Finding] = []
        for resource in package.resources:
            fields = resource.field_names or [str(c) for c in resource.table().columns]
            for field in _present(resource.data, fields):
                if field in p.ignore:
                    continue
                judgement = judge(field, p.extra_names, p.extra_indirect_names)
                if judgement is None:
                    continue
                found[judgement.kind].append(f"{resource.name}.{field}")
                if judgement.kind == "unclear" and judgement.word == "name" \
                        and _no_person_names(resource, field):
                    settled = self.finding(
                        "the column name ('name') does not say whose name it holds; none "
                        "of its values looks like a person's name", resource=resource.name,
                        field=field, hint="name the column for what it holds (e.g. "
                                          "district_name)")
                    settled.severity = Severity.INFO
                    findings.append(settled)
                elif judgement.kind != "thing":
                    findings.append(self._finding(judgement, resource.name, field))
        self.stats = {"columns": [*found["direct"], *found["unclear"], *found["indirect"]],
                      **{kind: columns for kind, columns in found.items() if columns}}
        return findings

    def _finding(self, judgement: Judgement, resource: str, field: str) -> Finding:
        if judgement.kind == "direct":
            message = f"the column name says it holds a direct identifier ('{judgement.word}')"
            hint = fix_hint("remove or transform the column", judgement.fixes)
        elif judgement.kind == "unclear":
            message = (f"the column name ('{judgement.word}') does not say "
                       f"{UNCLEAR[judgement.word][1]}")
            hint = (fix_hint("if it holds personal data, remove or transform it",
                             judgement.fixes) + "; if not, name the column for what it holds "
                    "(e.g. park_name) or list it in this rule's `ignore`")
        else:
            message = (f"the column name suggests a quasi-identifier or an address "
                       f"('{judgement.word}')")
            hint = fix_hint("remove or transform the column", judgement.fixes)
        finding = self.finding(message, resource=resource, field=field, hint=hint)
        if judgement.kind != "direct":
            finding.severity = Severity(self.params.indirect_severity)
        return finding


def _no_person_names(resource: Resource, field: str) -> bool:
    """The identifier scan judged the column's values and found no sure person's name
    (a lone unknown capitalised word such as a district, "Gohlis", is not one)."""
    names = scan_resource(resource).names.get(field)
    return names is not None and names.judged > 0 and names.sure == 0


def _present(data: object, fields: list[str]) -> list[str]:
    """Schema fields still in the data (a step may have dropped some)."""
    columns = getattr(data, "columns", None)
    if columns is None:
        return fields
    have = {str(c) for c in columns}
    return [f for f in fields if f in have] + [c for c in map(str, columns)
                                                if c not in fields and c != "geometry"]
