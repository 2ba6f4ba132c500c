"""A harvest report as the lines `publisher harvest` prints: the counts, what
was not read, the changes summed up by property and reason, and every value
dropped, each naming its dataset or distribution (`--json` has all of it, the
changes one by one)."""

from __future__ import annotations

from collections import Counter

from publisher.harvest.model import HarvestReport


def report_lines(report: HarvestReport) -> list[str]:
    lines = [f"harvest {report.source} -> {report.target} ({report.mode}): "
             f"{len(report.added)} added, {len(report.updated)} updated, "
             f"{report.unchanged} unchanged, {len(report.deleted)} deleted, "
             f"{len(report.skipped)} skipped"]
    for finding in report.findings:
        lines.append(f"  {finding.severity}: {finding.message}"
                     + (f" (hint: {finding.hint})" if finding.hint else ""))
    if not report.complete:
        lines.append("  the source was not read whole: nothing was deleted")
    lines += [f"  skipped {s.id}: {s.reason}" for s in report.skipped]
    lines += [f"  mapped without {what}: {count} record(s)"
              for what, count in sorted(report.gaps.items())]
    lines += [f"  not mapped: {prop} in {count} record(s)"
              for prop, count in sorted(report.unmapped.items(), key=lambda kv: -kv[1])]
    changed: Counter[tuple[str, str, str]] = Counter()
    kept: Counter[str] = Counter()
    for record in report.records:
        for item in record.items():
            kept[item.kind] += sum(item.kept.values())
            for change in item.changed:
                changed[(item.kind, change.property, change.why)] += 1
    if kept:
        lines.append("  kept as given: " + ", ".join(
            f"{count} value(s) of {kind}s" for kind, count in sorted(kept.items())))
    for (kind, prop, why), count in sorted(changed.items()):
        lines.append(f"  changed {prop} in {count} {kind}(s): {why}")
    for record in report.records:
        for item, change in record.dropped():
            lines.append(f"  dropped from {item.kind} {item.id}: {change.line()}")
    return lines
