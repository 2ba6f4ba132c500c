"""The audit record in plain words: "Was wurde verändert, und warum ist das anonym?"

Built from the published `reports/audit.json` only (figures, parameters,
column names, reasons: never a data value), one sentence per step and one per
published table's residual risk, German first. A step type without its own
sentence is named with its parameters, so a new step is never left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from publisher.web.i18n import Lang

Say = Callable[[str, str], str]  # (German, English) -> the page's language


@dataclass
class AuditSummary:
    changed: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    legal: list[str] = field(default_factory=list)
    warning: bool = False  # what is published is above the policy's threshold


def _join(items: list[Any]) -> str:
    return ", ".join(f"„{i}“" for i in items)


def _pct(value: Any) -> str:
    return f"{float(value) * 100:.1f} %".replace(".", ",") if isinstance(value, int | float) \
        else "—"


def _num(value: Any) -> str:
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def _step(step: dict[str, Any], say: Say) -> str:
    kind, p, f = step.get("type", ""), step.get("params") or {}, step.get("figures") or {}
    cols = _join(p.get("columns") or [])
    if kind == "drop-columns":
        return say(f"Die Spalten {cols} wurden entfernt.", f"The columns {cols} were removed.")
    if kind in ("grid-aggregate", "aggregate-areas"):
        unit_de = (f"Zelle eines {p.get('resolution')}-m-Rasters (INSPIRE)"
                   if kind == "grid-aggregate" else "Fläche")
        unit_en = (f"cell of a {p.get('resolution')} m grid (INSPIRE)"
                   if kind == "grid-aggregate" else "area")
        text = say(
            f"Die {_num(f.get('points_in', '?'))} einzelnen Positionen werden nicht "
            f"veröffentlicht, sondern je {unit_de} gezählt; jede veröffentlichte Zahl steht "
            f"für mindestens {p.get('min_count')} Fälle.",
            f"The {_num(f.get('points_in', '?'))} single positions are not published: they "
            f"are counted per {unit_en}; every published count stands for at least "
            f"{p.get('min_count')} cases.")
        if p.get("merge_up"):
            sizes = ", ".join(f"{m} m" for m in p["merge_up"])
            text += say(
                f" Zu kleine Zellen gingen in größeren Zellen ({sizes}) auf "
                f"({_num(f.get('points_merged', 0))} Positionen).",
                f" Cells too small were merged into larger cells ({sizes}) "
                f"({_num(f.get('points_merged', 0))} positions).")
        if f.get("points_suppressed"):
            text += say(f" {_num(f['points_suppressed'])} Positionen wurden nicht ausgewiesen.",
                        f" {_num(f['points_suppressed'])} positions were suppressed.")
        return text
    if kind == "k-anonymise":
        qis = _join([q.get("column") if isinstance(q, dict) else q
                     for q in p.get("quasi_identifiers") or []])
        return say(f"Die Merkmale {qis} wurden so vergröbert, dass jede Kombination mindestens "
                   f"{p.get('k')}-mal vorkommt.",
                   f"The attributes {qis} were coarsened until every combination occurs at "
                   f"least {p.get('k')} times.")
    if kind == "pseudonymise":
        return say(f"Die Spalten {cols} wurden durch Pseudonyme (geheimer Schlüssel) ersetzt.",
                   f"The columns {cols} were replaced by pseudonyms (secret key).")
    if kind == "redact-text":
        return say("In Freitexten wurden erkannte Angaben zu Personen geschwärzt.",
                   "Details about persons found in free text were redacted.")
    if kind == "reduce-precision":
        return say(f"Koordinaten wurden gerundet (auf {p.get('decimals')} Nachkommastellen "
                   f"bzw. {p.get('metres')} m).",
                   f"Coordinates were rounded (to {p.get('decimals')} decimals or "
                   f"{p.get('metres')} m).")
    if kind == "displace-points":
        return say(f"Punkte wurden zufällig um {p.get('min_distance')} bis "
                   f"{p.get('max_distance')} m verschoben.",
                   f"Points were moved at random by {p.get('min_distance')} to "
                   f"{p.get('max_distance')} m.")
    if kind == "truncate-datetime":
        return say(f"Zeitangaben in {cols} wurden auf {p.get('unit')} gekürzt.",
                   f"Times in {cols} were cut to the {p.get('unit')}.")
    if kind == "band-numbers":
        return say(f"Zahlen in {cols} wurden zu Bereichen der Breite {p.get('width')} "
                   "zusammengefasst.",
                   f"Numbers in {cols} were grouped into bands of width {p.get('width')}.")
    if kind == "truncate-postcode":
        return say(f"Postleitzahlen in {cols} wurden auf {p.get('keep')} Stellen gekürzt.",
                   f"Postcodes in {cols} were cut to {p.get('keep')} digits.")
    if kind == "suppress-small-cells":
        return say(f"Zählwerte unter {p.get('min_count')} wurden unterdrückt (als „.“).",
                   f"Counts below {p.get('min_count')} were suppressed (shown as '.').")
    if kind == "perturb-cell-key":
        return say(f"Zählwerte wurden leicht verrauscht (Cell-Key-Verfahren, höchstens "
                   f"±{p.get('max_noise')}).",
                   f"Counts were perturbed slightly (cell key method, at most "
                   f"±{p.get('max_noise')}).")
    shown = ", ".join(f"{k}={v}" for k, v in p.items() if v not in (None, [], {}))
    return say(f"Schritt „{kind}“ ({shown}).", f"Step '{kind}' ({shown}).")


def _risk(name: str, entry: dict[str, Any], limit: Any, say: Say) -> tuple[str, bool]:
    before, after = entry.get("before") or {}, entry.get("after") or {}
    qis = [q for q in before.get("quasi_identifiers") or [] if q != "(position)"]
    on = _join(qis) if qis else say("ihre Merkmale", "their attributes")
    if "(position)" in (before.get("quasi_identifiers") or []):
        on += say(" und die genaue Lage", " and the exact position")
    text = say(f"Tabelle „{name}“: vorher waren {_pct(before.get('unique_share'))} der "
               f"Datensätze über {on} eindeutig.",
               f"Table '{name}': before, {_pct(before.get('unique_share'))} of the records "
               f"were unique on {on}.")
    if after.get("published") is False:
        return text + say(" Sie wird nicht veröffentlicht.", " It is not published."), False
    if after.get("kind") == "aggregate":
        text += say(f" Veröffentlicht werden nur Zählungen in {_num(after.get('cells'))} Zellen; "
                    f"die kleinste enthält {after.get('smallest_cell')} Fälle.",
                    f" Only counts in {_num(after.get('cells'))} cells are published; the "
                    f"smallest holds {after.get('smallest_cell')} cases.")
    else:
        text += say(f" Veröffentlicht: {_pct(after.get('unique_share'))} eindeutig, kleinste "
                    f"Gruppe {after.get('smallest_class')}.",
                    f" Published: {_pct(after.get('unique_share'))} unique, smallest group "
                    f"{after.get('smallest_class')}.")
    above = bool(after.get("above_threshold"))
    if limit is not None:
        text += say(f" Die Richtlinie erlaubt höchstens {_pct(limit)}.",
                    f" The policy allows at most {_pct(limit)}.")
    return text, above


def summarise(audit: dict[str, Any], lang: Lang) -> AuditSummary:
    def say(de: str, en: str) -> str:
        return de if lang == "de" else en

    out = AuditSummary()
    out.changed = [_step(s, say) for s in audit.get("steps") or []] or [
        say("Nichts: die Daten werden so veröffentlicht, wie sie geprüft wurden.",
            "Nothing: the data are published as they were checked.")]
    for name, entry in (audit.get("residual_risk") or {}).items():
        text, above = _risk(name, entry, audit.get("max_unique_share"), say)
        out.why.append(text)
        out.warning |= above and entry.get("declared_personal") is not False
    k = audit.get("k") or {}
    if k.get("asked"):
        out.why.append(say(f"Jede veröffentlichte Gruppe oder Zelle umfasst mindestens "
                           f"{k.get('reached')} Fälle (verlangt: {k.get('asked')}).",
                           f"Every published group or cell holds at least {k.get('reached')} "
                           f"cases (asked: {k.get('asked')})."))
    recheck = (audit.get("checks") or {}).get("recheck")
    if recheck is not None:
        out.why.append(say(
            "Nach der Anonymisierung wurden die Daten erneut gegen die Datenschutz- und "
            "Lizenzregeln geprüft" + (": ohne blockierenden Befund." if recheck.get("valid")
                                      else ": mit blockierenden Befunden."),
            "After anonymisation the data were checked again against the privacy and licence "
            "rules" + (": nothing blocks." if recheck.get("valid") else ": findings block.")))
    for use in audit.get("accepted_warnings") or []:
        place = "/".join(str(x) for x in (use.get("resource"), use.get("field")) if x)
        who = use.get("by")
        by = say(f" (entschieden von {who}, {str(use.get('at', ''))[:10]})",
                 f" (decided by {who}, {str(use.get('at', ''))[:10]})") if who else ""
        out.accepted.append(say(f"Hinweis „{use.get('rule')}“ bei {place or 'Paket'} bewusst "
                                f"akzeptiert{by}: {use.get('reason')}",
                                f"Warning '{use.get('rule')}' at {place or 'package'} accepted"
                                f"{by}: {use.get('reason')}"))
    legal = audit.get("legal") or {}
    if legal.get("legal_basis"):
        out.legal.append(say(f"Rechtsgrundlage: {legal['legal_basis']}",
                             f"Legal basis: {legal['legal_basis']}"))
    if legal.get("review_date"):
        out.legal.append(say(f"Nächste Überprüfung: {legal['review_date']}",
                             f"Next review: {legal['review_date']}"))
    return out
