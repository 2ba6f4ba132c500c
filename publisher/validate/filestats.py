"""A resource's declared `bytes`, `hash`, `fields` and `rows` against what it holds.

frictionless's baseline check compares them after reading a resource and
reports `byte-count`, `hash-count`, `field-count` and `row-count` errors; the
same is done here, whichever validator read the records: bytes and hash for
every resource with a file, in one pass over the raw bytes; fields and rows
for CSV resources, from the fields they are read with and the validator's row
count. A hash is `md5` when it names no algorithm
(`"<hex>"`), or `"md5:<hex>"` / `"sha256:<hex>"`; frictionless ignores other
algorithms with a warning, and so does this check, with a note.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from publisher.package.model import Resource
from publisher.report import Finding, Severity
from publisher.validate.result import CheckResult

CHECK = "file-stats"
_ALGORITHMS = ("md5", "sha256")
_CHUNK = 1024**2


def _declared_hash(value: object) -> tuple[str, str] | None:
    """(algorithm, hex digest) as frictionless parses `hash`; None when not a text."""
    if not isinstance(value, str) or not value:
        return None
    algorithm, colon, digest = value.partition(":")
    return (algorithm, digest) if colon else ("md5", value)


def _declared_count(value: object) -> int | None:
    # frictionless compares only a non-zero count; the descriptor check reports other types
    return value if isinstance(value, int) and not isinstance(value, bool) and value else None


def _measure(path: Path, algorithm: str | None) -> tuple[int, str | None]:
    digest = hashlib.new(algorithm) if algorithm else None
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            size += len(chunk)
            if digest is not None:
                digest.update(chunk)
    return size, digest.hexdigest() if digest is not None else None


def check_file_stats(resource: Resource) -> CheckResult:
    """`byte-count` / `hash-count` findings when the file differs from what the
    resource declares."""
    result = CheckResult()
    if resource.dataset is not None:  # many files: `bytes` and `hash` name one
        if "bytes" in resource.descriptor or "hash" in resource.descriptor:
            result.notes.append(f"resource '{resource.name}': `bytes` and `hash` are not "
                                "checked for a folder or prefix of files")
        return result
    if resource.path is None:
        return result
    expected_bytes = _declared_count(resource.descriptor.get("bytes"))
    declared = _declared_hash(resource.descriptor.get("hash"))
    if declared is not None and declared[0] not in _ALGORITHMS:
        result.notes.append(f"resource '{resource.name}': the hash algorithm "
                            f"{declared[0][:40]!r} is not checked (only md5 and sha256 are)")
        declared = None
    if expected_bytes is None and declared is None:
        return result
    size, actual = _measure(resource.path, declared[0] if declared else None)
    result.stats = {"checks": [CHECK]}
    name = resource.name
    if expected_bytes is not None and size != expected_bytes:
        result.findings.append(Finding(
            type="byte-count", severity=Severity.ERROR, resource=name, rule=CHECK,
            message=f"Byte Count Error in resource '{name}': the descriptor declares "
                    f"{expected_bytes} bytes, the file has {size}",
            hint="correct `bytes` on the resource, or remove it"))
    if declared is not None and actual != declared[1]:
        algorithm = declared[0]
        result.findings.append(Finding(
            type="hash-count", severity=Severity.ERROR, resource=name, rule=CHECK,
            message=f"Hash Count Error in resource '{name}': the file's {algorithm} hash is "
                    f"{actual}, the descriptor declares {declared[1][:128]!r}",
            hint="correct `hash` on the resource, or remove it"))
    return result


def _count_finding(resource: str, code: str, what: str, declared: int, actual: int) -> Finding:
    return Finding(
        type=code, severity=Severity.ERROR, resource=resource, rule=CHECK,
        message=f"{code.replace('-', ' ').title()} Error in resource '{resource}': the "
                f"descriptor declares {declared} {what}, the resource has {actual}",
        hint=f"correct `{what}` on the resource, or remove it")


def check_counts(resource: Resource, rows: int | None, fields: int | None) -> CheckResult:
    """`field-count` / `row-count` findings when the declared counts differ from
    the fields the resource is read with and the records the validator read (None:
    not known, not compared)."""
    result = CheckResult()
    for what, code, actual in (("fields", "field-count", fields), ("rows", "row-count", rows)):
        declared = _declared_count(resource.descriptor.get(what))
        if declared is not None and actual is not None and declared != actual:
            result.findings.append(_count_finding(resource.name, code, what, declared, actual))
    return result
