"""The pipeline spec: YAML checked against schemas/pipeline.schema.json."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from publisher.errors import SpecError
from publisher.pipeline.accept import Acceptance
from publisher.resources import policy_path
from publisher.rules.policy import Policy, load_policy
from publisher.steps.base import Step, steps
from publisher.yamlspec import key_path, read_checked

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


@dataclass
class PipelineSpec:
    name: str
    file: Path
    source: str
    policy: str
    allow_remote: bool
    steps: list[dict[str, Any]]
    target: dict[str, Any]
    dataset: dict[str, Any]
    description: str = ""
    accept: list[Acceptance] = field(default_factory=list)  # warnings that may be published
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

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

    def build_steps(self) -> list[Step]:
        built = []
        for i, entry in enumerate(self.steps):
            where = f"{self.file}: steps[{i}]"
            cls = steps.get(entry["type"], where=where)
            params = {k: v for k, v in entry.items() if k != "type"}
            try:
                built.append(cls(cls.Params.model_validate(params)))
            except ValueError as exc:  # pydantic.ValidationError
                raise SpecError(_pydantic_problems(exc, f"steps[{i}]"),
                                where=str(self.file)) from None
        return built


def load_spec(path: str | Path) -> PipelineSpec:
    file = Path(path)
    data = read_checked(file, "pipeline.schema.json", "pipeline")
    return PipelineSpec(
        name=data["name"], file=file.resolve(), source=data["source"], policy=data["policy"],
        allow_remote=bool(data.get("allow_remote", False)), steps=list(data.get("steps") or []),
        target=dict(data["target"]), dataset=dict(data["dataset"]),
        description=str(data.get("description", "")),
        accept=_acceptances(data.get("accept") or [], file), raw=data,
    )


def _acceptances(entries: list[Any], file: Path) -> list[Acceptance]:
    out = []
    for i, entry in enumerate(entries):
        try:
            out.append(Acceptance.model_validate(entry))
        except ValueError as exc:  # pydantic.ValidationError
            raise SpecError(_pydantic_problems(exc, f"accept[{i}]"), where=str(file)) from None
    return out


def _pydantic_problems(exc: Exception, prefix: str) -> str:
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return f"{prefix}: {exc}"
    return "; ".join(f"{key_path([prefix, *e['loc']])}: {e['msg']}" for e in errors())
