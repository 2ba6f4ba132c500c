"""What publishing would change on CKAN, field by field and resource by
resource. Computing a plan reads only; applying it is ckan.py's job.

Resources are matched by a stable key (the staged path, kept in the resource's
`publisher_key`), their content by the sha256 in `hash`. Resources without a
key were added by hand and are left alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

KEY_FIELD = "publisher_key"
DatasetAction = Literal["create", "restore", "update", "none"]
ResourceAction = Literal["add", "replace", "update", "delete", "keep"]


@dataclass(frozen=True)
class DesiredResource:
    key: str
    path: Path
    sha256: str
    bytes: int
    fields: dict[str, Any]  # scheming fields, `url` included when known before upload


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class ResourceChange:
    key: str
    action: ResourceAction
    id: str | None = None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def upload(self) -> bool:
        return self.action in ("add", "replace")


@dataclass
class Plan:
    dataset: str
    action: DatasetAction
    package_id: str | None = None
    metadata_modified: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    resources: list[ResourceChange] = field(default_factory=list)
    kept_foreign: int = 0  # resources without a publisher key, left alone

    @property
    def changed(self) -> bool:
        return self.action != "none" or any(r.action != "keep" for r in self.resources)

    def summary(self) -> str:
        if not self.changed:
            return "unchanged: nothing to send"
        counts: dict[str, int] = {}
        for r in self.resources:
            counts[r.action] = counts.get(r.action, 0) + 1
        parts = [f"{n} {a}" for a, n in sorted(counts.items()) if a != "keep"]
        head = {"create": "create dataset", "restore": "restore deleted dataset",
                "update": f"update {len(self.fields)} field(s)", "none": "fields unchanged"}
        return "; ".join([head[self.action], *parts])

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "action": self.action, "changed": self.changed,
                "summary": self.summary(), "package_id": self.package_id,
                "fields": [asdict(f) for f in self.fields],
                "resources": [{"key": r.key, "action": r.action, "id": r.id,
                               "changes": [asdict(c) for c in r.changes]}
                              for r in self.resources],
                "kept_foreign": self.kept_foreign}


def normal(value: Any) -> Any:
    """A comparable form: empty is None, tags are names, dicts lose empty values."""
    if value in (None, "", [], {}):
        return None
    if isinstance(value, list):
        items = [normal(v) for v in value]
        items = [v for v in items if v is not None]
        if items and all(isinstance(v, dict) and set(v) == {"name"} for v in items):
            return sorted(v["name"] for v in items)
        return items or None
    if isinstance(value, dict):
        kept = {k: normal(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None} or None
    if isinstance(value, str):
        return value.strip() or None
    return value


def _tags(value: Any) -> Any:
    if isinstance(value, list):
        return normal([{"name": t.get("name")} if isinstance(t, dict) else {"name": t}
                       for t in value])
    return normal(value)


def field_changes(current: dict[str, Any], desired: dict[str, Any]) -> list[FieldChange]:
    out = []
    for name, new in desired.items():
        old = current.get(name)
        same = (_tags(old) == _tags(new)) if name == "tags" else normal(old) == normal(new)
        if not same:
            out.append(FieldChange(name, normal(old) if name != "tags" else _tags(old),
                                   normal(new) if name != "tags" else _tags(new)))
    return out


def make_plan(name: str, current: dict[str, Any] | None, desired: dict[str, Any],
              resources: list[DesiredResource]) -> Plan:
    """The plan from the package as CKAN shows it (None: absent) to the desired state."""
    if current is None:
        plan = Plan(name, "create",
                    fields=[FieldChange(k, None, normal(v)) for k, v in desired.items()
                            if normal(v) is not None])
        plan.resources = [ResourceChange(r.key, "add") for r in resources]
        return plan
    changes = field_changes(current, desired)
    deleted = current.get("state") == "deleted"
    action: DatasetAction = "restore" if deleted else ("update" if changes else "none")
    plan = Plan(name, action, package_id=current.get("id"),
                metadata_modified=current.get("metadata_modified"), fields=changes)
    existing: dict[str, dict[str, Any]] = {}
    for res in current.get("resources") or []:
        key = res.get(KEY_FIELD)
        if key:
            existing[str(key)] = res
        else:
            plan.kept_foreign += 1
    for want in resources:
        have = existing.pop(want.key, None)
        if have is None:
            plan.resources.append(ResourceChange(want.key, "add"))
            continue
        diff = field_changes(have, want.fields)
        if normal(have.get("hash")) != normal(want.fields.get("hash")):
            plan.resources.append(ResourceChange(want.key, "replace", have.get("id"), diff))
        else:
            plan.resources.append(ResourceChange(want.key, "update" if diff else "keep",
                                                 have.get("id"), diff))
    for key, gone in sorted(existing.items()):
        plan.resources.append(ResourceChange(key, "delete", gone.get("id")))
    return plan


def resource_list(plan: Plan, current: dict[str, Any], values: dict[str, dict[str, Any]]
                  ) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """The dataset's whole resource list once PLAN is applied, to be sent in one
    package_revise: a resource that stays keeps its id and its place (its fields
    from VALUES, by key, laid over what CKAN holds), a resource added by hand is
    sent back as it is, a deleted one is left out, new ones come last. Also the
    positions in the list whose file is new (add, replace), with their keys.

    A keyed resource that no change names (a second one with the same key) is
    left out too, so a duplicate left by anyone is healed by the next publish."""
    by_id = {c.id: c for c in plan.resources if c.id}
    out: list[dict[str, Any]] = []
    new_files: dict[int, str] = {}
    for res in current.get("resources") or []:
        if not res.get(KEY_FIELD):
            out.append(res)
            continue
        change = by_id.get(res.get("id"))
        if change is None or change.action == "delete":
            continue
        if change.upload:
            new_files[len(out)] = change.key
        out.append(res if change.action == "keep" else {**res, **values[change.key]})
    for change in plan.resources:
        if change.action == "add":
            new_files[len(out)] = change.key
            out.append(dict(values[change.key]))
    return out, new_files
