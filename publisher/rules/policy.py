"""Policies: which rules run, at which severity, with which parameters.

A policy is a YAML file (schemas/policies/policy.schema.json), either shipped
(schemas/policies/<name>.yaml) or given by path. `extends` names a parent
policy; rules merge by id: a child rule with a parent's id replaces its
severity and overrides its params key by key (deep merge), new ids append.
Every error names the file and the key path, e.g. `rules[1].params.allowed`.
`not_checked` lists what the policy does not look at, beside the default list
(publisher.rules.not_checked); a child adds to its parents' entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from publisher.errors import SpecError
from publisher.package.model import Package
from publisher.passes import IN_PROCESS, Passes
from publisher.progress import NO_PROGRESS, Progress
from publisher.report import Report, Severity
from publisher.resources import policy_path, schemas_dir
from publisher.rules._identifiers import IdentifierRule, scan_resource
from publisher.rules._points import read_geometry
from publisher.rules._rows import row_findings
from publisher.rules._shared import shared_read
from publisher.rules.base import Rule, rules
from publisher.rules.not_checked import not_checked
from publisher.yamlspec import Document, key_path, read_document


class RuleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = None  # defaults to type
    type: str | None = None  # may be left out when overriding an inherited rule
    severity: Literal["block", "warn", "info"] | None = None
    params: dict[str, Any] = Field(default_factory=dict)


class PolicyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    extends: str | None = None
    not_checked: list[str] = Field(default_factory=list)
    rules: list[RuleEntry] = Field(default_factory=list)


@dataclass(frozen=True)
class Origin:
    """Where a rule (or an override of it) was written."""

    file: Path
    index: int
    keys: frozenset[str] = frozenset()  # top-level params keys set there
    document: Document | None = field(default=None, compare=False, repr=False)

    @property
    def path(self) -> str:
        return f"rules[{self.index}]"

    def path_parts(self) -> tuple[str | int, ...]:
        return ("rules", self.index)


@dataclass
class PolicyRule:
    id: str
    type: str
    severity: Severity | None
    params: dict[str, Any]
    origins: list[Origin]

    def origin_of(self, key: str | None) -> Origin:
        """The last file that set a params key (or the rule itself)."""
        for origin in reversed(self.origins):
            if key is None or key in origin.keys:
                return origin
        return self.origins[-1]


@dataclass
class Policy:
    name: str
    description: str
    file: Path
    rules: list[PolicyRule]
    chain: list[Path] = field(default_factory=list)  # this file, its parent, ...
    own_not_checked: list[str] = field(default_factory=list)  # parents' first

    @property
    def not_checked(self) -> list[str]:
        """What the policy does not check: the default list and the policy's own."""
        return not_checked(self.own_not_checked)

    def build(self) -> list[Rule[Any]]:
        """The rule objects, each with its params checked by the rule's Params model."""
        built = []
        for entry in self.rules:
            origin = entry.origin_of(None)
            cls = rules.get(entry.type, where=f"{origin.file}: {origin.path}.type")
            try:
                params = cls.Params.model_validate(entry.params)
            except ValidationError as exc:
                raise _params_error(entry, exc) from None
            built.append(cls(params, severity=entry.severity, id=entry.id))
        return built

    def to_dict(self) -> dict[str, Any]:
        """What the audit record keeps: the files and every rule's settings."""
        return {
            "name": self.name,
            "files": [str(p) for p in self.chain],
            "not_checked": self.not_checked,
            "rules": [{"id": r.id, "type": r.type,
                       "severity": str(r.severity) if r.severity else None,
                       "params": r.params} for r in self.rules],
        }


def load_policy(name_or_path: str, base: Path | None = None) -> Policy:
    """A shipped policy by name, or a policy file (relative to base), with its parents."""
    path = policy_path(name_or_path, base)
    if not path.is_file():
        raise SpecError(f"policy '{name_or_path}' not found", where=str(path),
                        hint=f"shipped policies: {', '.join(shipped_policies()) or 'none'}")
    policy = _load(path, ())
    policy.build()  # unknown types and bad params fail here, not mid-run
    return policy


def shipped_policies() -> list[str]:
    return sorted(p.stem for p in (schemas_dir() / "policies").glob("*.yaml"))


def check_package(policy: Policy, package: Package, *, stage: str = "check",
                  progress: Progress = NO_PROGRESS, passes: Passes = IN_PROCESS) -> Report:
    """Run every rule of the policy; findings in rule order, then those of the
    ragged CSV rows (publisher.rules._rows: the rules read those rows cut or
    padded to the header; after the rules, whose scan of a file tells whether
    it has any). The rule under way, and the rows of the identifier scan, are
    reported to `progress`. `passes` says where the passes over rows run (on a
    cluster's workers: publisher.cluster.passes_for): the identifier scan of the
    files first, then the rules that count (k-anonymity, residual uniqueness,
    dominance) count there; the findings are the same."""
    report = Report(stage=stage, not_checked=policy.not_checked)
    passes.prescan(package, progress)
    per_rule: dict[str, int] = {}
    rule_stats: dict[str, Any] = {}
    built = policy.build()
    _read_once(package, built, progress)
    for rule in built:
        progress.start(f"{stage}: {rule.id}", None, "rows")
        rule.progress = progress
        rule.passes = passes
        findings = list(rule.check(package))
        report.extend(findings)
        per_rule[rule.id] = len(findings)
        extra = rule.stats
        if isinstance(extra, dict) and extra:
            rule_stats[rule.id] = extra
    report.extend(row_findings(package))
    report.stats = {"policy": policy.name, "rules_run": len(built),
                    "findings_per_rule": per_rule, "rule_stats": rule_stats}
    return report


def _read_once(package: Package, built: list[Rule[Any]], progress: Progress) -> None:
    """The passes over text batches that the rules will ask for, made by the
    identifier scan's read of each resource (publisher.rules._shared), where the
    policy has the scan made anyway; and their passes over its geometry, made by
    one read of it (publisher.rules._points.read_geometry)."""
    scanned = any(isinstance(rule, IdentifierRule) for rule in built)
    for resource in package.resources:
        planned = [p for rule in built for p in rule.batch_passes(resource)]
        if planned and scanned:
            feed, done = shared_read(resource, planned)
            scan_resource(resource, progress, also=feed)
            done()
        geometry = [p for rule in built for p in rule.geometry_passes(package, resource)]
        if geometry:
            read_geometry(resource, geometry)


def _load(path: Path, stack: tuple[Path, ...]) -> Policy:
    resolved = path.resolve()
    if resolved in stack:
        cycle = " -> ".join(p.name for p in (*stack, resolved))
        raise SpecError(f"extends: policies extend each other in a cycle ({cycle})",
                        where=str(path))
    document = read_document(path, "policies/policy.schema.json", "policy", hints={
        "rules": "`publisher rules TYPE` lists a rule's parameters, with an example"})
    try:
        spec = PolicyFile.model_validate(document.data)
    except ValidationError as exc:  # the JSON Schema catches nearly all of this first
        raise SpecError("; ".join(f"{key_path(e['loc'])}: {e['msg']}" for e in exc.errors()),
                        where=str(path)) from None
    own = _own_rules(spec, document)
    if spec.extends is None:
        merged, chain, unchecked = [], [resolved], []
    else:
        parent_path = policy_path(spec.extends, path.parent)
        if not parent_path.is_file():
            raise SpecError(f"extends: policy '{spec.extends}' not found", where=str(path),
                            hint=f"shipped policies: {', '.join(shipped_policies()) or 'none'}")
        parent = _load(parent_path, (*stack, resolved))
        merged, chain = parent.rules, [resolved, *parent.chain]
        unchecked = parent.own_not_checked
    return Policy(name=spec.name, description=spec.description, file=resolved,
                  rules=_merge(merged, own, path), chain=chain,
                  own_not_checked=[*unchecked, *spec.not_checked])


def _own_rules(spec: PolicyFile, document: Document) -> list[tuple[RuleEntry, Origin]]:
    path = document.path
    out: list[tuple[RuleEntry, Origin]] = []
    first: dict[str, int] = {}
    for i, entry in enumerate(spec.rules):
        rule_id = entry.id or entry.type or ""
        if rule_id in first:
            raise SpecError(f"rules[{i}].id: duplicate rule id '{rule_id}' "
                            f"(first at rules[{first[rule_id]}])", where=str(path))
        first[rule_id] = i
        if entry.type is not None:
            rules.get(entry.type, where=f"{path}: rules[{i}].type")
        out.append((entry, Origin(path, i, frozenset(entry.params), document)))
    return out


def _merge(inherited: list[PolicyRule], own: list[tuple[RuleEntry, Origin]],
           path: Path) -> list[PolicyRule]:
    result = [PolicyRule(r.id, r.type, r.severity, r.params, list(r.origins)) for r in inherited]
    by_id = {r.id: r for r in result}
    for entry, origin in own:
        rule_id = entry.id or entry.type or ""
        severity = Severity(entry.severity) if entry.severity else None
        parent = by_id.get(rule_id)
        if parent is None:
            if entry.type is None:
                raise SpecError(f"{origin.path}.type: rule '{rule_id}' names no type and "
                                "overrides no inherited rule", where=str(path))
            rule = PolicyRule(rule_id, entry.type, severity, entry.params, [origin])
            result.append(rule)
            by_id[rule_id] = rule
            continue
        if entry.type is not None and entry.type != parent.type:
            raise SpecError(f"{origin.path}.type: rule '{rule_id}' is of type '{parent.type}' "
                            f"in {parent.origins[0].file.name}, not '{entry.type}'",
                            where=str(path))
        parent.severity = severity or parent.severity
        parent.params = deep_merge(parent.params, entry.params)
        parent.origins.append(origin)
    return result


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key, recursively; any other value replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _params_error(entry: PolicyRule, exc: ValidationError) -> SpecError:
    problems = []
    origin = entry.origin_of(None)
    for error in exc.errors():
        loc = error["loc"]
        origin = entry.origin_of(str(loc[0]) if loc else None)
        parts = [*origin.path_parts(), "params", *loc]
        where = origin.document.at(parts) if origin.document else key_path(parts)
        problems.append(f"{where}: {error['msg']}")
    return SpecError(f"rule '{entry.id}' ({entry.type}): " + "; ".join(problems),
                     where=str(origin.file))
