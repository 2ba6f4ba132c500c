"""The audit record as one self-contained HTML page (no scripts, no external
files) that a data protection officer can read. Every value is escaped."""

from __future__ import annotations

import json
from html import escape
from typing import Any

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;
color:#1b1b1b}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;
border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}
code,pre{font:13px ui-monospace,monospace;white-space:pre-wrap;word-break:break-word;margin:0}
.muted{color:#666}.ok{color:#17663a}.bad{color:#a11}
"""


def _cell(value: Any) -> str:
    if isinstance(value, dict | list):
        return f"<pre>{escape(json.dumps(value, ensure_ascii=False, indent=1))}</pre>"
    return escape("—" if value is None else str(value))


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _pairs(data: dict[str, Any]) -> str:
    return _table(["", ""], [[k.replace("_", " "), v] for k, v in data.items()])


def _share(value: Any) -> str:
    return f"{value * 100:.1f} %" if isinstance(value, int | float) else "—"


def _risk_rows(risk: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for name, entry in risk.items():
        before, after = entry["before"], entry["after"]
        flag = after.get("above_threshold")
        if flag and entry.get("declared_personal") is False:
            flag = "above, but declared not personal"
        rows.append([name, ", ".join(before.get("quasi_identifiers") or []) or "—",
                     before.get("records"), _share(before.get("unique_share")),
                     before.get("smallest_class"),
                     after.get("kind", "not published"), after.get("records"),
                     _share(after.get("unique_share")),
                     after.get("smallest_cell", after.get("smallest_class")),
                     "—" if flag is None else flag if isinstance(flag, str)
                     else "ABOVE the threshold" if flag else "no"])
    return rows


def _threshold(audit: dict[str, Any]) -> str:
    share = audit.get("max_unique_share")
    if share is None:
        return ("<p class=muted>The policy sets no residual-uniqueness threshold "
                "(no residual-uniqueness rule).</p>")
    above = {n: e for n, e in audit["residual_risk"].items() if e["after"].get("above_threshold")}
    flagged = [n for n, e in above.items() if e.get("declared_personal") is not False]
    declared = [n for n in above if n not in flagged]
    note = (f"<p class=bad>Above the threshold: {escape(', '.join(flagged))}.</p>" if flagged
            else "<p class=ok>No published personal resource is above the threshold.</p>")
    if declared:
        note += (f"<p class=muted>Above it, but declared not personal by the package: "
                 f"{escape(', '.join(declared))}.</p>")
    return (f"<p class=muted>The policy's threshold (residual-uniqueness, "
            f"max_unique_share): {_share(share)} of the records.</p>{note}")


def _accepted(audit: dict[str, Any]) -> str:
    uses = audit.get("accepted_warnings") or []
    if not uses:
        return "<p>The pipeline accepts no warning: none remained after the re-check.</p>"
    table = _table(["entry", "rule", "resource", "field", "reason", "warnings accepted",
                    "occurrences", "blocking (not accepted)"],
                   [[u["entry"], u["rule"], u.get("resource"), u.get("field"), u["reason"],
                     u["warnings"], u["occurrences"], u["blocking"]] for u in uses])
    notes = "".join(f"<p class=bad>{escape(n)}</p>" for n in audit.get("acceptance_notes", []))
    return table + notes


def _by_column(checks: dict[str, Any]) -> str:
    parts = []
    for name, check in checks.items():
        rows = [[g["rule"], g["severity"], g.get("resource"), g.get("field"), g["occurrences"]]
                for g in check.get("by_column", [])]
        if rows:
            parts.append(f"<p>{escape(name)}: findings by rule and column</p>")
            parts.append(_table(["rule", "severity", "resource", "field", "count"], rows))
    return "".join(parts)


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def render_audit(audit: dict[str, Any]) -> str:
    dataset = audit["dataset"]
    k = audit["k"]
    parts = [
        f"<h1>Audit record: {escape(str(dataset.get('title') or dataset.get('name')))}</h1>",
        f"<p class=muted>Dataset <code>{escape(str(dataset.get('name')))}</code>, pipeline "
        f"<code>{escape(audit['pipeline']['name'])}</code>, run "
        f"<code>{escape(audit['run_id'])}</code>, {escape(audit['created_at'])}</p>",
        "<h2>Legal basis and review</h2>", _pairs(audit["legal"]),
        "<h2>Inputs</h2>",
        _table(["file", "role", "sha256", "bytes"],
               [[i["file"], i["role"], i["sha256"], i["bytes"]] for i in audit["inputs"]]),
        "<h2>Policy and thresholds</h2>",
        f"<p>Policy <code>{escape(audit['policy']['name'])}</code></p>",
        _table(["rule", "type", "severity", "params"],
               [[r["id"], r["type"], r["severity"], r["params"]]
                for r in audit["policy"]["rules"]]),
        _table(["step", "type", "thresholds"],
               [[t["step"], t["type"], {k: v for k, v in t.items()
                                        if k not in ("step", "type")}]
                for t in audit["thresholds"]]) if audit["thresholds"] else "",
        "<h2>Steps</h2>",
        _table(["#", "step", "parameters", "figures", "notes"],
               [[i + 1, s["type"], s["params"], s["figures"], "; ".join(s["notes"])]
                for i, s in enumerate(audit["steps"])]) if audit["steps"]
        else "<p>No anonymisation step: the data are published as checked.</p>",
        "<h2>Suppression and k</h2>",
        _pairs({**audit["suppression"], "k asked": k.get("asked"),
                "k reached": k.get("reached"), **({"note": k["note"]} if "note" in k else {})}),
        "<h2>Residual risk</h2>",
        "<p class=muted>Share of records unique on the quasi-identifiers (singling out), "
        "before and after; the smallest class of records, or the smallest published cell "
        "of an aggregate.</p>",
        _table(["resource", "quasi-identifiers", "records before", "unique before",
                "smallest class before", "published as", "records after", "unique after",
                "smallest class / cell after", "unique share after"],
               _risk_rows(audit["residual_risk"])),
        _threshold(audit),
        "<h2>Information lost</h2>", _pairs(audit["information_lost"]),
        "<h2>Checks</h2>",
        _table(["stage", "valid", "findings"],
               [[name, "yes" if c["valid"] else "no", c["by_type"] or "none"]
                for name, c in audit["checks"].items()]),
        _by_column(audit["checks"]),
        "<h2>Accepted warnings</h2>",
        "<p class=muted>Warnings left after the re-check that the pipeline accepts, each "
        "with its reason (the pipeline's <code>accept:</code> list).</p>",
        _accepted(audit),
        "<h2>What the policy does not check</h2>",
        "<p class=muted>No finding here does not mean no personal data there.</p>",
        _list(audit.get("not_checked") or []),
    ]
    title = escape(f"Audit record – {dataset.get('name')}")
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
            f"<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>\n")
