"""identifiers-in-metadata: direct identifiers in the metadata texts (issue 24, part 2).

A descriptor's title, description, keywords, contributors, resource and field
texts, its column names, and the pipeline's `dataset:` texts are published as
they are (datapackage.json, CKAN, the DCAT-AP feed), so they go through the
same detectors as the cells (publisher.detect, which reads text as a person
does) and the exact-position finder of coordinates-in-text
(publisher.rules._metadata_texts says which texts, and from where).

One place may hold an e-mail address on purpose: the pipeline's contact point
(`dataset.contact_email`, `dataset.contact.email`). It is allowed there only as
an organisation's or function's mailbox (opendata@, poststelle@,
geodaten-team@): the whole field is the one address, and no part of its local
part is a first name or surname of the name lists, nor a single letter (an
initial, as in "a.meier@"). Anything else, a person's address, blocks: the
gate errs toward privacy. A contact address anywhere else (a description, a
contributor) counts like any other.

No metadata text is ever shown: a finding names where the identifier stands
and gives a masked sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyarrow as pa
from pydantic import Field, field_validator

from publisher.detect import KINDS, detect
from publisher.detect.name_lists import FIRST, SURNAME, name_lists
from publisher.masking import mask
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules._extent import ExtentParam
from publisher.rules._metadata_texts import MetaText, metadata_texts
from publisher.rules._positions import column_positions
from publisher.rules.base import Rule, RuleParams, rules

POSITION = "exact-position"
WHAT = {"email": "an e-mail address", "phone": "a phone number", "iban": "an IBAN",
        "de-tax-id": "a German tax id (Steuer-ID)",
        "de-pension-number": "a German pension insurance number",
        "at-svnr": "an Austrian social insurance number", "de-plate": "a vehicle plate",
        "at-plate": "a vehicle plate", "date-of-birth": "a date of birth",
        "street-address": "a street address", "ip-address": "an IP address",
        "person-name": "a person's name", POSITION: "an exact position"}
_LOCAL_PARTS = re.compile(r"[._+\-]+")
_TRANSLITERATED = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("ss", "ß"))


class IdentifiersInMetadataParams(RuleParams):
    kinds: list[str] | None = Field(None, description="The identifier kinds looked for; "
                                                      "default: all of them.")
    warn_kinds: list[str] = Field(["street-address"],
                                  description="Kinds reported as a warning only (an office's "
                                              "address in a description is usual).")
    contact_fields: list[str] = Field(
        ["dataset.contact_email", "dataset.contact.email"],
        description="Key paths where a function mailbox (not a person's address) is "
                    "expected.")
    extent: ExtentParam = Field(description="Where exact positions are looked for: [min "
                                            "lon, min lat, max lon, max lat] in degrees.")

    @field_validator("kinds", "warn_kinds")
    @classmethod
    def _known(cls, value: list[str] | None) -> list[str] | None:
        unknown = [k for k in value or [] if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown identifier kind {', '.join(unknown)} "
                             f"(known: {', '.join(KINDS)})")
        return value


def function_mailbox(address: str) -> bool:
    """An organisation's or function's mailbox: no part of the local part is a
    first name or surname (also written with ae/oe/ue/ss), nor an initial."""
    local = address.strip().rsplit("@", 1)[0]
    lists = name_lists()
    for part in _LOCAL_PARTS.split(local):
        if len(part) == 1 and part.isalpha():
            return False
        forms = {part.capitalize()}
        for plain, umlaut in _TRANSLITERATED:
            forms |= {f.replace(plain, umlaut) for f in forms}
        if any(lists.flags(f) & (FIRST | SURNAME) for f in forms):
            return False
    return True


@rules.register
class IdentifiersInMetadata(Rule[IdentifiersInMetadataParams]):
    type = "identifiers-in-metadata"
    example = """\
- id: identifiers-in-metadata
  type: identifiers-in-metadata
  severity: block
  params:
    warn_kinds: [street-address]
"""
    default_severity = Severity.BLOCK
    hint = ("take it out of the descriptor's texts or the pipeline's `dataset:` block; in a "
            "run, carry_over only source texts without it")

    def check(self, package: Package) -> Iterable[Finding]:
        params = self.params
        texts = metadata_texts(package)
        self.stats = {"texts": len(texts), "by_kind": {}, "contact_allowed": 0}
        if not texts:
            return
        column = pa.array([t.text for t in texts], type=pa.string())
        found = detect(column, params.kinds)
        hits = [(int(r), str(k), str(v), int(s), int(e)) for r, k, v, s, e in zip(
            found["row"], found["kind"], found["value"], found["start"], found["end"],
            strict=True)]
        extent = (params.extent[0], params.extent[1], params.extent[2], params.extent[3])
        hits += [(row, POSITION, value, 0, 0) for row, value in column_positions(column, extent)]
        by_kind: dict[str, int] = {}
        for row, kind, value, start, end in sorted(hits):
            text = texts[row]
            if kind == "email" and text.path in params.contact_fields:
                if text.text.strip() == text.text[start:end] and function_mailbox(value):
                    self.stats["contact_allowed"] += 1
                    continue
                by_kind[kind] = by_kind.get(kind, 0) + 1
                yield self._finding(text, kind, value, Severity(self.severity), contact=True)
                continue
            by_kind[kind] = by_kind.get(kind, 0) + 1
            severity = Severity.WARN if kind in params.warn_kinds else self.severity
            yield self._finding(text, kind, value, Severity(severity))
        self.stats["by_kind"] = by_kind

    def _finding(self, text: MetaText, kind: str, value: str, severity: Severity, *,
                 contact: bool = False) -> Finding:
        message = f"{WHAT.get(kind, kind)} in {text.where} (metadata is published as it is)"
        if contact:
            message += ("; the contact point must be an organisation's or function's mailbox "
                        "(opendata@, poststelle@), not a person's address")
        # a field or column whose name is the identifier is named masked, like a sample
        field = mask(text.field) if text.field is not None and text.field == text.text \
            else text.field
        return Finding(type=self.type, rule=self.id, severity=severity, message=message,
                       resource=text.resource, field=field, sample=mask(value),
                       hint=self.hint)
