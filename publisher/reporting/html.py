"""A report as one self-contained HTML page for a data protection officer.

Inline CSS, no script, no external asset. First the verdict and a summary
(counts by severity, findings per rule with its hint, findings by rule and
column with their counts), then one table of findings per rule: severity,
resource, field, row, message, masked sample and the anonymisation step that
would fix it; last, what the policy does not check. Every value is HTML-escaped; the
samples are the masked ones the rules produced (no raw value reaches a report).
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from publisher.report import Finding, Report, Severity

_ORDER = {Severity.ERROR: 0, Severity.BLOCK: 1, Severity.WARN: 2, Severity.INFO: 3}
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d232b;
max-width:78rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}
.verdict{display:inline-block;padding:.35rem .8rem;border-radius:.3rem;font-weight:600}
.ok{background:#dff3e4;color:#14532d}.no{background:#fde2e1;color:#7f1d1d}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #cfd6de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
.sev{font-weight:600;text-transform:uppercase;font-size:.75rem;padding:.1rem .35rem;
border-radius:.2rem}.error,.block{background:#fde2e1;color:#7f1d1d}
.warn{background:#fef3c7;color:#78350f}.info{background:#e0f2fe;color:#0c4a6e}
code{font-family:ui-monospace,Menlo,Consolas,monospace}.muted{color:#5b6673}
"""


def render_html(report: Report, title: str | None = None) -> str:
    """The page as a string."""
    heading = title or f"Policy report: {report.stats.get('policy', report.stage)}"
    verdict = ('<span class="verdict ok">may be published</span>' if report.valid else
               '<span class="verdict no">must not be published as it is</span>')
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(heading)}</h1>",
        f'<p class="muted">stage: {escape(report.stage)}; findings: {len(report.findings)}</p>',
        f"<p>{verdict}</p>", _summary(report),
    ]
    for note in report.notes:
        parts.append(f'<p class="muted">note: {escape(note)}</p>')
    parts.append(_by_column(report))
    parts.append(_by_rule(report.findings))
    parts.append(_not_checked(report))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(report: Report, path: Path, title: str | None = None) -> Path:
    path.write_text(render_html(report, title), encoding="utf-8")
    return path


def _summary(report: Report) -> str:
    counts = report.counts()
    rows = "".join(f'<tr><td><span class="sev {s}">{s}</span></td>'
                   f'<td class="n">{counts.get(str(s), 0)}</td></tr>'
                   for s in sorted(Severity, key=_ORDER.__getitem__))
    per_rule = Counter(_rule_of(f) for f in report.findings)
    worst = {r: min((f.severity for f in report.findings if _rule_of(f) == r),
                    key=_ORDER.__getitem__) for r in per_rule}
    hints = {r: next((f.hint for f in report.findings if _rule_of(f) == r and f.hint), "")
             for r in per_rule}
    rule_rows = "".join(
        f'<tr><td><a href="#rule-{escape(r)}"><code>{escape(r)}</code></a></td>'
        f'<td><span class="sev {worst[r]}">{worst[r]}</span></td><td class="n">{n}</td>'
        f"<td>{escape(hints[r] or '')}</td></tr>"
        for r, n in sorted(per_rule.items(), key=lambda kv: (_ORDER[worst[kv[0]]], kv[0])))
    return ("<h2>Summary</h2><table id=\"summary\"><tr><th>severity</th><th>findings</th></tr>"
            f"{rows}</table>"
            "<table id=\"rules\"><tr><th>rule</th><th>worst severity</th><th>findings</th>"
            f"<th>how to fix</th></tr>{rule_rows}</table>")


def _by_column(report: Report) -> str:
    groups = report.by_column()
    if not groups:
        return ""
    rows = "".join(
        f'<tr><td><code>{escape(g.rule)}</code></td>'
        f'<td><span class="sev {g.severity}">{g.severity}</span></td>'
        f"<td>{escape(g.resource or '')}</td><td>{escape(g.field or '')}</td>"
        f'<td class="n">{g.occurrences}</td><td class="n">{g.findings}</td></tr>'
        for g in groups)
    return ('<h2>Findings by rule and column</h2><p class="muted">Every column a rule found '
            "something in, with how many it found (count) and how many findings are listed "
            'below.</p><table id="columns"><tr><th>rule</th><th>severity</th><th>resource</th>'
            f"<th>field</th><th>count</th><th>listed</th></tr>{rows}</table>")


def _not_checked(report: Report) -> str:
    if not report.not_checked:
        return ""
    items = "".join(f"<li>{escape(item)}</li>" for item in report.not_checked)
    return ('<h2>What the policy does not check</h2><p class="muted">No finding here does '
            f'not mean no personal data there.</p><ul id="not-checked">{items}</ul>')


def _by_rule(findings: list[Finding]) -> str:
    if not findings:
        return "<h2>Findings</h2><p>No findings.</p>"
    groups: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: _ORDER[f.severity]):
        groups.setdefault(_rule_of(f), []).append(f)
    out = ['<h2>Findings by rule</h2><div id="findings">']
    for rule, items in groups.items():
        out.append(f'<h3 id="rule-{escape(rule)}"><code>{escape(rule)}</code> '
                   f"({len(items)})</h3>")
        out.append('<table class="findings"><tr><th>severity</th><th>rule type</th>'
                   "<th>resource</th><th>field</th><th>row</th><th>finding</th>"
                   "<th>sample (masked)</th><th>how to fix</th></tr>")
        for f in items:
            out.append(
                f'<tr><td><span class="sev {f.severity}">{f.severity}</span></td>'
                f"<td><code>{escape(f.type)}</code></td><td>{escape(f.resource or '')}</td>"
                f"<td>{escape(f.field or '')}</td>"
                f"<td class=\"n\">{'' if f.row is None else f.row}</td>"
                f"<td>{escape(f.message)}</td><td><code>{escape(f.sample or '')}</code></td>"
                f"<td>{escape(f.hint or '')}</td></tr>")
        out.append("</table>")
    out.append("</div>")
    return "\n".join(out)


def _rule_of(f: Finding) -> str:
    return f.rule or f.type
