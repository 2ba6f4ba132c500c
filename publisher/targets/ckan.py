"""Publish to CKAN: plan first, then send only what changed.

- preflight: status_show, the scheming schema, license_list (publisher.ckan.preflight);
- dataset: package_create, or package_revise matching on id and metadata_modified;
  a soft-deleted dataset of the same name is restored; never package_update;
- resources: matched by the staged path (`publisher_key`), content by the
  sha256 in `hash`; unchanged means no call at all;
- files: to S3 (content-addressed, streamed, resumable) and linked, or without
  S3 through CKAN's own upload (small files only: together at most
  MAX_CKAN_UPLOAD, as they travel in one request);
- retries only for idempotent calls; a create is retried only after
  package_show shows it absent.

Killed at any point, a run leaves a state the next run converges from (tests:
tests/targets/test_kill_ckan.py), and a reader never sees a dataset half
published. With S3, every new or changed file is uploaded first (under a key
of its content, so the objects the current resources point at stay as they
are); then one call switches the dataset: package_create with all its
resources, or one package_revise that sets the changed fields (and `state`
and `private` of a deleted or private dataset) and replaces the whole resource
list (`filter: -resources` and the new list). In that list a resource that stays
keeps its CKAN id and place, a resource added by hand (no `publisher_key`) is
sent back as it is, a removed one is left out, new ones come last; so a public
dataset shows either all of its old resources or all of its new ones. Without
S3 the files travel in the same package_revise, as a multipart request with one
`update__resources__<n>__upload` part per new file; a new dataset is first
created private and empty, and that revise fills it and makes it public. Only
CKAN itself is not atomic there: it stores a replaced file in place (under the
resource's id) just before it commits, so during that one request, or if its
commit fails, a download may give the new file under the old metadata. After
a publish (changed or not), objects under the dataset's S3 prefix that no
resource points at (the old content, uploads of a killed run), and unfinished
multipart uploads, are removed.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import ckanapi
from pydantic import Field

from publisher.ckan.client import CkanClient
from publisher.ckan.preflight import Instance, read_instance, refused
from publisher.errors import (
    BlockedError,
    PublisherError,
    SpecError,
    TerminalError,
    TransientError,
)
from publisher.faults import reached
from publisher.metadata import DatasetMetadata, build_metadata, check_dcat_ap_de
from publisher.metadata.ckan import dataset_fields, resource_fields
from publisher.metadata.model import published_files
from publisher.package.staged import StagedFile
from publisher.storage import StorageOptions
from publisher.storage.base import Storage, content_key, dataset_prefix
from publisher.targets.base import (
    PublishRequest,
    PublishResult,
    Target,
    TargetContext,
    TargetOptions,
    targets,
)
from publisher.targets.ckan_plan import (
    KEY_FIELD,
    DesiredResource,
    Plan,
    make_plan,
    resource_list,
)

DESCRIPTOR = "datapackage.json"
MAX_CKAN_UPLOAD = 100 * 1024 * 1024  # larger files need S3


class CkanOptions(TargetOptions, StorageOptions):
    """`target:` of type ckan. The API key comes only from PUBLISHER_CKAN_API_KEY or
    publisher.toml, never from the pipeline."""

    url: str | None = Field(default=None, pattern=r"^https?://",
                            description="The CKAN site; default: PUBLISHER_CKAN_URL.")
    organisation: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,99}$",
                              description="The owning organisation (its name).")
    organisation_title: str | None = Field(
        default=None, min_length=1, description="Title when the organisation is created.")
    create_organisation: bool = Field(
        default=False, description="Create the organisation when it does not exist.")
    private: bool = Field(default=False, description="Publish as a private dataset.")
    s3_prefix: str = Field(default="datasets/",
                           description="Key prefix inside the bucket (or the directory).")


@dataclass
class Desired:
    meta: DatasetMetadata
    fields: dict[str, Any]
    resources: list[DesiredResource]


@targets.register
class CkanTarget(Target[CkanOptions]):
    type = "ckan"
    Options = CkanOptions

    def __init__(self, client: CkanClient, options: CkanOptions, storage: Storage | None = None,
                 *, max_ckan_upload: int = MAX_CKAN_UPLOAD,
                 conformance_dir: Path | None = None):
        """CONFORMANCE_DIR: the official shapes (default: the setting)."""
        self.client, self.options, self.storage = client, options, storage
        self.max_ckan_upload = max_ckan_upload
        self.conformance_dir = conformance_dir
        self._instance: Instance | None = None
        self._org_id: str | None = None

    @classmethod
    def create(cls, options: CkanOptions, context: TargetContext) -> CkanTarget:
        settings = context.settings
        url = options.url or settings.ckan_url
        if not url:
            raise SpecError("a ckan target needs a CKAN address", where="target.url",
                            hint="set target.url or PUBLISHER_CKAN_URL")
        if settings.ckan_api_key is None:
            raise SpecError("a ckan target needs an API token", where="PUBLISHER_CKAN_API_KEY",
                            hint="set PUBLISHER_CKAN_API_KEY or ckan_api_key in publisher.toml")
        client = CkanClient(url, settings.ckan_api_key.get_secret_value())
        return cls(client, options, context.storage, conformance_dir=settings.conformance_path)

    # -- reading -----------------------------------------------------------------------
    def instance(self) -> Instance:
        if self._instance is None:
            self._instance = read_instance(self.client)
        return self._instance

    def _organisation(self, create: bool) -> str | None:
        if self._org_id:
            return self._org_id
        name = self.options.organisation
        org = self.client.show("organization_show", id=name)
        if org is None and create and self.options.create_organisation:
            org = self._create_checked(
                "organization_create", lambda: self.client.show("organization_show", id=name),
                name=name, title=self.options.organisation_title or name)
        if org is None and create:
            raise TerminalError(f"organisation '{name}' does not exist on this CKAN",
                                where=self.client.url,
                                hint="create it, or set create_organisation: true")
        self._org_id = org["id"] if org else None
        return self._org_id

    def metadata(self, request: PublishRequest) -> DatasetMetadata:
        """The record this target publishes (links to the files where they will be)."""
        descriptor = json.loads((request.staged_dir / DESCRIPTOR).read_text("utf-8"))
        files = published_files(descriptor, request.files)
        urls = {f.path: self.storage.url(self._key(request.dataset, f)) for f in files
                } if self.storage else {}
        return build_metadata(request.metadata, descriptor, files, base_uri=self.client.url,
                              urls=urls)

    def desired(self, request: PublishRequest, org_id: str | None) -> Desired:
        instance = self.instance()
        meta = self.metadata(request)
        files = [f for f in request.files if f.path in {d.key for d in meta.distributions}]
        if self.options.dcat_ap_de:
            # the run's conformance stage checked this record already; a direct publish
            # runs the same check here
            report = request.conformance or check_dcat_ap_de(
                meta, directory=self.conformance_dir)
            if not report.valid:
                lines = [f"  - {f.field}: {f.message}" for f in report.blocking]
                raise BlockedError("the dataset's metadata do not pass DCAT-AP.de 3.0:\n"
                                   + "\n".join(lines), where=f"dataset {request.dataset}")
        licence_id = instance.licence_id(meta.licence)
        if licence_id is None:
            offered = ", ".join(str(e["id"]) for e in instance.licences)
            given = meta.licence.id if meta.licence else meta.licence_given or "(none)"
            raise SpecError(f"licence '{given}' is not offered by this CKAN (license_list: "
                            f"{offered})", where="dataset.license",
                            hint="choose an offered licence or add it to the site's licence "
                                 "list (ckan.licenses_group_url)")
        fields = {**dataset_fields(meta, licence_id), "private": self.options.private}
        if org_id:
            fields["owner_org"] = org_id
        resources = []
        for dist, staged in zip(meta.distributions, _by_key(files, meta), strict=True):
            values = {**resource_fields(meta, dist), KEY_FIELD: dist.key}
            if self.storage:
                values["url"] = dist.download_url
            resources.append(DesiredResource(dist.key, request.staged_dir / staged.path,
                                             staged.sha256, staged.bytes, values))
        missing = instance.missing_fields(fields, resources[0].fields if resources else {})
        if missing:
            raise TerminalError(
                f"this CKAN's scheming schema has no field(s) {', '.join(missing)}",
                where=self.client.url,
                hint="deploy the project's schema deploy/ckan/publisher_dataset.yaml")
        if not self.storage:
            big = [r.key for r in resources if r.bytes > self.max_ckan_upload]
            if big:
                raise SpecError(f"file(s) too large for CKAN's own upload: {', '.join(big)}",
                                where=f"dataset {request.dataset}",
                                hint="configure S3 (PUBLISHER_S3_*) for large files")
            # they travel in one request, which requests builds in memory
            total = sum(r.bytes for r in resources)
            if total > self.max_ckan_upload:
                raise SpecError(f"the files add up to {total / 2**20:.1f} MB, more than "
                                f"CKAN's own upload takes in one request "
                                f"({self.max_ckan_upload / 2**20:.1f} MB)",
                                where=f"dataset {request.dataset}",
                                hint="configure S3 (PUBLISHER_S3_*) for large files")
        return Desired(meta, fields, resources)

    def plan(self, request: PublishRequest) -> Plan:
        """What publish would change; sends nothing that writes."""
        desired = self.desired(request, self._organisation(create=False))
        current = self.client.show("package_show", id=request.dataset)
        return make_plan(request.dataset, current, desired.fields, desired.resources)

    # -- writing -----------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> PublishResult:
        org_id = self._organisation(create=True)
        desired = self.desired(request, org_id)
        for attempt in range(2):
            current = self.client.show("package_show", id=request.dataset)
            plan = make_plan(request.dataset, current, desired.fields, desired.resources)
            if not plan.changed:
                swept = self._sweep(request.dataset, desired, current or {})
                return self._result(request, current or {}, plan, changed=False, swept=swept)
            try:
                package = self._apply(plan, desired, current or {})
            except _Conflict:
                if attempt:
                    raise TerminalError("the dataset was changed by someone else while "
                                        "publishing", where=request.dataset,
                                        hint="run publish again") from None
                continue
            reached("ckan-published")
            swept = self._sweep(request.dataset, desired, package)
            return self._result(request, package, plan, changed=True, swept=swept)
        raise AssertionError("unreachable")

    def _sweep(self, dataset: str, desired: Desired, package: dict[str, Any]) -> str:
        """Remove orphans under the dataset's prefix: objects no resource points at
        (replaced content, uploads of a run killed before CKAN linked them) and
        unfinished multipart uploads. A failure here leaves the publish standing."""
        if not self.storage:
            return ""
        keep = {self._key(dataset, _staged(r)) for r in desired.resources}
        base = self.storage.url("x")[:-1]
        for res in package.get("resources") or []:
            url = str(res.get("url") or "")
            if url.startswith(base):
                keep.add(unquote(url[len(base):]))
        try:
            swept = self.storage.sweep(dataset_prefix(self.options.s3_prefix, dataset), keep)
        except PublisherError as exc:
            return f"; orphaned objects not removed ({exc.message}): the next publish retries"
        parts = []
        if swept.objects:
            parts.append(f"{len(swept.objects)} orphaned object(s)")
        if swept.uploads:
            parts.append(f"{swept.uploads} unfinished upload(s)")
        return f"; removed {' and '.join(parts)}" if parts else ""

    def _key(self, dataset: str, f: StagedFile) -> str:
        return content_key(self.options.s3_prefix, dataset, f.sha256, f.path)

    def _apply(self, plan: Plan, desired: Desired, current: dict[str, Any]) -> dict[str, Any]:
        if self.storage:
            self._upload(plan, desired)
        if plan.action == "create":
            if self.storage:
                # one call creates the dataset with every resource: never half there
                package = self._create_checked(
                    "package_create", lambda: self.client.show("package_show", id=plan.dataset),
                    name=plan.dataset, **desired.fields,
                    resources=[r.fields for r in desired.resources])
                reached("ckan-dataset-created")
                return package
            # CKAN's own upload: created private and empty, filled and shown by one revise
            current = self._create_checked(
                "package_create", lambda: self.client.show("package_show", id=plan.dataset),
                name=plan.dataset, **{**desired.fields, "private": True}, resources=[])
            reached("ckan-dataset-created")
            plan = make_plan(plan.dataset, current, desired.fields, desired.resources)
        package = self._swap(plan, desired, current)
        reached("ckan-dataset-revised")
        return package

    def _upload(self, plan: Plan, desired: Desired) -> None:
        """Every new file to S3 before CKAN hears of it: the keys are content
        addressed, so the objects the public resources point at stay as they are."""
        assert self.storage is not None
        by_key = {r.key: r for r in desired.resources}
        for change in plan.resources:
            if change.upload:
                up = by_key[change.key]
                stored = self.storage.put(self._key(plan.dataset, _staged(up)), up.path,
                                          up.sha256, up.bytes)
                self.client.traffic.file_bytes_sent += stored.bytes_sent
        reached("ckan-files-uploaded")

    def _swap(self, plan: Plan, desired: Desired, current: dict[str, Any]) -> dict[str, Any]:
        """One package_revise from the old state to the new: changed fields, the
        state of a deleted dataset, and the whole resource list when a resource
        changes (with CKAN's own upload, the new files travel in the same request)."""
        update: dict[str, Any] = {c.field: desired.fields[c.field] for c in plan.fields}
        if plan.action == "restore":
            update["state"] = "active"
        if all(c.action == "keep" for c in plan.resources):
            return self._revise(plan, update, {})
        by_key = {r.key: r for r in desired.resources}
        values = {r.key: self._resource_values(r) for r in desired.resources}
        update["resources"], new_files = resource_list(plan, current, values)
        if self.storage:
            return self._revise(plan, update, {})
        with contextlib.ExitStack() as stack:
            files = {f"update__resources__{i}__upload":
                     (key.rsplit("/", 1)[-1], stack.enter_context(by_key[key].path.open("rb")))
                     for i, key in new_files.items()}
            package = self._revise(plan, update, files)
        self.client.traffic.file_bytes_sent += sum(by_key[k].bytes for k in new_files.values())
        return package

    def _revise(self, plan: Plan, update: dict[str, Any], files: dict[str, Any]
                ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "match": {"id": plan.package_id, "metadata_modified": plan.metadata_modified},
            "update": update}
        if "resources" in update:  # replace the list as a whole, not item by item
            data["filter"] = ["-resources"]
        if files:  # a multipart request carries strings only; CKAN reads these as JSON
            data = {k: json.dumps(v) for k, v in data.items()}
        try:
            revised = self.client.call("package_revise", idempotent=False, files=files or None,
                                       **data)
        except ckanapi.ValidationError as exc:
            if "match" in (exc.error_dict or {}):
                raise _Conflict() from None
            raise refused(exc, f"the dataset {plan.dataset}", self.client.url) from None
        except TransientError:
            # the revise may have landed: the caller re-reads and plans again
            raise _Conflict() from None
        return dict(revised["package"])

    def _create_checked(self, action: str, show: Any, **data: Any) -> dict[str, Any]:
        """Create; after a transient failure, retry only if show() says it is absent."""
        last: TransientError | None = None
        for _ in range(self.client.retry.attempts):
            try:
                created: dict[str, Any] = self.client.call(action, idempotent=False, **data)
                return created
            except ckanapi.ValidationError as exc:
                raise refused(exc, f"{action} {data.get('name')}", self.client.url) from None
            except TransientError as exc:
                last = exc
                existing = show()
                if existing is not None and existing.get("state") != "deleted":
                    return dict(existing)
        assert last is not None
        raise last

    def _resource_values(self, r: DesiredResource) -> dict[str, Any]:
        values = dict(r.fields)
        if not self.storage:
            values["url"] = r.key.rsplit("/", 1)[-1]
        return values

    def _result(self, request: PublishRequest, package: dict[str, Any], plan: Plan,
                changed: bool, swept: str = "") -> PublishResult:
        location = f"{self.client.url}/dataset/{request.dataset}"
        files = [str(r.get("url", "")) for r in package.get("resources", [])]
        message = (plan.summary() if changed else "unchanged: nothing sent to CKAN") + swept
        return PublishResult(dataset=request.dataset, changed=changed, location=location,
                             files=files, message=message)


class _Conflict(Exception):
    """package_revise's match failed (or may have landed): read again and re-plan."""


def _by_key(files: list[StagedFile], meta: DatasetMetadata) -> list[StagedFile]:
    index = {f.path: f for f in files}
    return [index[d.key] for d in meta.distributions]


def _staged(r: DesiredResource) -> StagedFile:
    return StagedFile(r.key, r.sha256, r.bytes)
