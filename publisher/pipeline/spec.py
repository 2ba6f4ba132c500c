"""The pipeline spec: YAML checked against schemas/pipeline.schema.json, then read
into typed fields (the `target:` options are the target registry's to check, the
`dataset:` block the metadata profiles')."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from publisher.errors import SpecError
from publisher.pipeline.accept import Acceptance
from publisher.resources import policy_path, schemas_dir
from publisher.rules.policy import Policy, load_policy
from publisher.steps.base import Step, steps
from publisher.targets.schema import with_targets
from publisher.yamlspec import Document, pydantic_problems, read_document

M = TypeVar("M", bound=BaseModel)

CarryOver = Literal["keywords", "contributors", "sources", "resource_titles",
                    "resource_descriptions", "field_titles", "field_descriptions"]


class FieldTexts(BaseModel):
    """`dataset.resources.<name>.fields.<field>`."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    description: str | None = None
    unit: str | None = None


class ResourceTexts(BaseModel):
    """`dataset.resources.<name>`."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    description: str | None = None
    fields: dict[str, FieldTexts] = Field(default_factory=dict)


class PublishedTexts(BaseModel):
    """What the `dataset:` block says about the texts of the published descriptor
    (publisher.pipeline.descriptor): which of the source's texts to carry over,
    and the pipeline's own resource and field texts."""

    carry_over: frozenset[CarryOver] = frozenset()
    resources: dict[str, ResourceTexts] = Field(default_factory=dict)

    @classmethod
    def of(cls, dataset: dict[str, Any]) -> PublishedTexts:
        try:
            return cls.model_validate({k: dataset[k] for k in ("carry_over", "resources")
                                       if dataset.get(k) is not None})
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in ("dataset", *problem["loc"]))
            raise SpecError(problem["msg"], where=where) from None


class AuditSpec(BaseModel):
    """`audit:`: what the audit record measures beside the steps' own figures."""

    model_config = ConfigDict(extra="forbid")

    # {resource: [columns]}; '*': every resource
    quasi_identifiers: dict[str, list[str]] = Field(default_factory=dict)


@dataclass(frozen=True)
class StepEntry:
    """One entry of `steps:`: its type, and its parameters (checked by the step's
    Params model when the steps are built)."""

    type: str
    params: dict[str, Any]


@dataclass
class PipelineSpec:
    name: str
    file: Path
    source: str
    policy: str
    allow_remote: bool
    steps: list[StepEntry]
    target: dict[str, Any]
    dataset: dict[str, Any]
    description: str = ""
    remote_hosts: list[str] = field(default_factory=list)  # beside PUBLISHER_REMOTE_HOSTS
    accept: list[Acceptance] = field(default_factory=list)  # warnings that may be published
    audit: AuditSpec = field(default_factory=AuditSpec)
    document: Document | None = field(default=None, repr=False)  # the lines of the file

    @property
    def base(self) -> Path:
        return self.file.parent

    @property
    def texts(self) -> PublishedTexts:
        return PublishedTexts.of(self.dataset)

    def source_path(self) -> str:
        if "://" in self.source:
            return self.source
        return str((self.base / self.source).resolve())

    def load_policy(self) -> Policy:
        return load_policy(str(policy_path(self.policy, self.base)), self.base)

    def build_steps(self) -> list[Step[Any]]:
        """The steps, each with its parameters checked by its Params model; an error
        names the key path and the line (the schema checked most of it already)."""
        built = []
        for i, entry in enumerate(self.steps):
            at = self.document.at(["steps", i, "type"]) if self.document else f"steps[{i}]"
            cls = steps.get(entry.type, where=f"{self.file}: {at}")
            try:
                built.append(cls(cls.Params.model_validate(entry.params)))
            except ValidationError as exc:
                raise SpecError(pydantic_problems(exc, ["steps", i], self.document),
                                where=str(self.file)) from None
        return built


def load_spec(path: str | Path) -> PipelineSpec:
    file = Path(path)
    document = read_document(file, pipeline_schema(), "pipeline", hints={
        "steps": "`publisher steps TYPE` lists a step's parameters, with an example"})
    data = document.data
    return PipelineSpec(
        name=data["name"], file=file.resolve(), source=data["source"], policy=data["policy"],
        allow_remote=bool(data.get("allow_remote", False)),
        steps=[StepEntry(type=entry["type"], params={k: v for k, v in entry.items()
                                                     if k != "type"})
               for entry in data.get("steps") or []],
        target=dict(data["target"]), dataset=dict(data["dataset"]),
        description=str(data.get("description", "")),
        remote_hosts=[str(h) for h in data.get("remote_hosts") or []],
        accept=[_typed(Acceptance, entry, ["accept", i], document)
                for i, entry in enumerate(data.get("accept") or [])],
        audit=_typed(AuditSpec, data.get("audit") or {}, ["audit"], document),
        document=document,
    )


def pipeline_schema() -> dict[str, Any]:
    """schemas/pipeline.schema.json, its target part made from the target registry
    (the same as the file's for the shipped targets; a target registered from
    outside the package is checked like them)."""
    return with_targets(json.loads((schemas_dir() / "pipeline.schema.json").read_text("utf-8")))


def _typed(model: type[M], value: Any, prefix: list[str | int], document: Document) -> M:
    """A part of the file read into its model; a problem names its key path and line."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise SpecError(pydantic_problems(exc, prefix, document),
                        where=str(document.path)) from None
