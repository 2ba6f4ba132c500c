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
        rows.append([name, ", ".join(before.get("quasi_identifiers") or []) or "—",
                     before.get("records"), _share(before.get("unique_share")),
                     before.get("smallest_class"),
                     after.get("kind", "not published"), after.get("records"),
                     _share(after.get("unique_share")),
                     after.get("smallest_cell", after.get("smallest_class"))])
    return rows


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
                "smallest class / cell after"], _risk_rows(audit["residual_risk"])),
        "<h2>Information lost</h2>", _pairs(audit["information_lost"]),
        "<h2>Checks</h2>",
        _table(["stage", "valid", "findings"],
               [[name, "yes" if c["valid"] else "no", c["by_type"] or "none"]
                for name, c in audit["checks"].items()]),
    ]
    title = escape(f"Audit record – {dataset.get('name')}")
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
            f"<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>\n")
