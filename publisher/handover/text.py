"""Plain-text summaries of a handover and of a verification, for the CLI."""

from __future__ import annotations

from publisher.handover.build import HandoverResult
from publisher.handover.verify import VerifyResult


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def handover_lines(result: HandoverResult) -> list[str]:
    m = result.manifest
    lines = [f"handover written to {result.location}: {len(m.datasets)} dataset(s), "
             f"{sum(len(d.versions) for d in m.datasets)} version(s), {len(m.runs)} run(s), "
             f"{len(m.files)} files, {_size(result.bytes)}"]
    for d in m.datasets:
        versions = ", ".join(f"v{v.version}" for v in d.versions)
        lines.append(f"  {d.name}: {versions}; {len(d.runs)} run(s)")
    lines += [f"  left out {x.name}: {x.reason}" for x in m.left_out]
    lines += [f"  warning: {w}" for w in m.warnings]
    lines.append(f"manifest SHA-256 {result.manifest_sha256} (give it to the receiving office "
                 "through another channel: `publisher handover verify BUNDLE --expect SHA256`)")
    return lines


def verify_lines(result: VerifyResult) -> list[str]:
    what = (f"{result.datasets} dataset(s), {result.versions} version(s), {result.runs} run(s), "
            f"{result.files} files, {_size(result.bytes)}")
    if result.ok:
        shapes = f"; DCAT-AP.de 3.0 passes ({_checked_with(result)})" if result.shacl else ""
        return [f"bundle intact: {result.location}: {what}{shapes}",
                f"manifest SHA-256 {result.manifest_sha256}"]
    lines = [f"bundle NOT intact: {result.location}: {len(result.problems)} problem(s) "
             f"({what})"]
    width = max(len(p.kind) for p in result.problems)
    lines += [f"  {p.kind:<{width}}  {p.path}: {p.message}" for p in result.problems]
    if result.shapes:
        lines.append(f"DCAT-AP.de 3.0 checked with {_checked_with(result)}")
    return lines


def _checked_with(result: VerifyResult) -> str:
    if result.shapes == "official shapes":
        return "the official shapes"
    return ("the project's own checks: the official shapes were not fetched "
            "(`publisher conformance fetch`)")
