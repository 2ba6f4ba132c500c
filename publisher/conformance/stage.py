"""The run's conformance stage: the metadata the target will publish, checked
against the metadata profiles the target asks for, before anything is published.

Target options (the same keys for local and ckan targets):

- `dcat_ap_de` (default true): DCAT-AP.de 3.0, with the official shapes when they
  were fetched, else the project's own checks (publisher.metadata.conformance);
- `dcat_ap_at` (default false): the DCAT-AP.AT 2.1 mandatory fields, for a catalogue
  that data.gv.at harvests.

A blocking finding stops the run (exit 1) before the target is called; the report
goes into the run report, beside the data and into the audit record, and the
target is handed it so that it does not check again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from publisher.errors import InputError
from publisher.metadata import DatasetMetadata, build_metadata, check_dcat_ap_at
from publisher.metadata.checks.base import hint_for
from publisher.metadata.conformance import STAGE, check_dcat_ap_de
from publisher.metadata.model import DESCRIPTOR, published_files
from publisher.report import Finding, Report, Severity
from publisher.settings import Settings
from publisher.targets.base import PublishRequest, Target

NAMES = {"dcat-ap-de": "DCAT-AP.de 3.0", "dcat-ap-at": "DCAT-AP.AT 2.1"}


def verdict(report: Report) -> str:
    """The lead of the message when the stage blocks."""
    names = [NAMES.get(p, p) for p in report.stats.get("profiles", [])]
    return f"the dataset's metadata do not pass {' and '.join(names) or 'its profile'}"


def profiles(options: Mapping[str, Any]) -> list[str]:
    """The metadata profiles a target's options ask for."""
    wanted = []
    if options.get("dcat_ap_de", True):
        wanted.append("dcat-ap-de")
    if options.get("dcat_ap_at", False):
        wanted.append("dcat-ap-at")
    return wanted


def target_metadata(target: Target[Any], request: PublishRequest,
                    settings: Settings) -> DatasetMetadata:
    """The record the target will publish: its own, if it builds one (CKAN links the
    files where it stores them), else the one the API's DCAT catalogue serves."""
    own = target.metadata(request)
    if own is not None:
        return own
    try:
        descriptor = json.loads((request.staged_dir / DESCRIPTOR).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the staged {DESCRIPTOR}: {exc}",
                         where=f"dataset {request.dataset}") from None
    return build_metadata(request.metadata, descriptor,
                          published_files(descriptor, request.files),
                          base_uri=settings.public_url)


def check_publication(target: Target[Any], options: Mapping[str, Any], request: PublishRequest,
                      settings: Settings) -> Report:
    """The conformance report of what `target` would publish for `request`."""
    wanted = profiles(options)
    report = Report(STAGE, stats={"profiles": wanted})
    if not wanted:
        report.notes.append("no metadata profile checked (the target sets dcat_ap_de: false)")
        return report
    meta = target_metadata(target, request, settings)
    if "dcat-ap-de" in wanted:
        de = check_dcat_ap_de(meta, directory=settings.conformance_path)
        report.extend(de)
        report.notes += de.notes
        report.stats.update(de.stats)
    if "dcat-ap-at" in wanted:
        report.extend([Finding(type="dcat-ap-at", rule="dcat-ap-at", severity=Severity.BLOCK,
                               message=f"mandatory (DCAT-AP.AT 2.1): {v.message}",
                               field=v.field, hint=hint_for(v.field))
                       for v in check_dcat_ap_at(meta)])
    return report
