"""What a policy does not check: said in every policy report and on the audit page,
so that "no findings" is never read as "no personal data".

The default list is the same for every policy; a policy file adds its own
entries under `not_checked:` (they are inherited through `extends`).
"""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_NOT_CHECKED: tuple[str, ...] = (
    "names and other identifiers written in scripts other than Latin (Cyrillic, Greek, "
    "Arabic, Chinese ...)",
    "identifiers written in forms no pattern knows: spelled out, split over cells, "
    "deliberately disguised",
    "photos, scans, attachments and linked files: only table cells and geometries are read",
    "identification through rare combinations of columns that are not declared "
    "quasi-identifiers (policy `quasi_identifiers`, or `\"quasiIdentifier\": true` "
    "in the Table Schema)",
    "linkage with other published data: other datasets, earlier versions of this one, "
    "address registers, OpenStreetMap",
    "the meaning of free text without identifiers, e.g. health details, family "
    "situations or opinions (special categories, GDPR Art. 9)",
    "single values that stand out (one very large building, one rare event) in tables "
    "the dominance rule is not told about",
)


def not_checked(extra: Iterable[str] = ()) -> list[str]:
    """The default list, then a policy's own entries, each once."""
    return list(dict.fromkeys([*DEFAULT_NOT_CHECKED, *extra]))
