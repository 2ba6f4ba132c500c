"""licence-compatibility: every input licence fits the output licence (RULES.md section 4).

Inputs are the package's `sources` (their `licenses`, or ODbL for a source
that names OpenStreetMap) and each resource's own `licenses`; the output is
`output` (a licence id) or else the package's first licence.

- public-domain inputs fit any output;
- attribution inputs fit attribution or share-alike outputs (carry every
  source note forward, see licence-attribution), never a public-domain output;
- CC BY-SA 4.0 only goes out as CC BY-SA 4.0;
- OpenStreetMap (ODbL): a derived database must be ODbL; a collective database
  keeps share-alike on the OSM part only; a produced work (a map image) may
  carry any licence plus "(c) OpenStreetMap contributors" (`osm_use`);
- ODbL and CC BY-SA mixed in one derived database: a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from publisher.licences import NOT_OPEN, Licence, describe, normalise
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules.base import Rule, RuleParams, rules
from publisher.rules.licence_allowlist import _known_licence

OSM_MARKERS = ("openstreetmap", "osm.org")


class LicenceCompatibilityParams(RuleParams):
    output: Annotated[str, AfterValidator(_known_licence)] | None = Field(
        None, description="The output licence (any vocabulary); default: the package's first.")
    osm_use: Literal["derived-database", "collective-database", "produced-work"] = Field(
        "derived-database", description="What is made of OpenStreetMap data: the licence it "
                                        "asks for follows.")
    osm_marker_words: list[str] = Field(default_factory=lambda: list(OSM_MARKERS),
                                        description="Words in a source that say it is "
                                                    "OpenStreetMap (taken as ODbL).")


def input_licences(package: Package, markers: Iterable[str] = OSM_MARKERS
                   ) -> list[tuple[str, Any, Licence | None]]:
    """(where, raw entry, licence) for every source and resource licence."""
    out: list[tuple[str, Any, Licence | None]] = []
    for i, source in enumerate(package.descriptor.get("sources") or []):
        if not isinstance(source, dict):
            continue
        title = str(source.get("title") or f"sources[{i}]")
        entries = source.get("licenses") or ([source["license"]] if source.get("license")
                                             else [])
        if not entries and _names_osm(source, markers):
            entries = ["odbl"]
        for entry in entries:
            out.append((f"source '{title}'", entry, normalise(entry)))
    for resource in package.resources:
        for entry in resource.descriptor.get("licenses") or []:
            out.append((f"resource '{resource.name}'", entry, normalise(entry)))
    return out


def _names_osm(source: dict[str, Any], markers: Iterable[str]) -> bool:
    text = f"{source.get('title', '')} {source.get('path', '')}".lower()
    return any(m in text for m in markers)


@rules.register
class LicenceCompatibility(Rule[LicenceCompatibilityParams]):
    type = "licence-compatibility"
    example = """\
- id: licence-compatibility
  type: licence-compatibility
  severity: block
  params:
    osm_use: derived-database
"""
    default_severity = Severity.BLOCK

    def check(self, package: Package) -> Iterable[Finding]:
        output = self._output(package)
        inputs = input_licences(package, self.params.osm_marker_words)
        self.stats = {"output": output.id if output else None,
                      "inputs": sorted({lic.id for _, _, lic in inputs if lic})}
        if output is None:
            return
        yield from self._each(inputs, output)
        ids = {lic.id for _, _, lic in inputs if lic}
        if {"odbl", "cc-by-sa/4.0"} <= ids and self.params.osm_use == "derived-database":
            yield self.finding("ODbL (OpenStreetMap) and CC BY-SA 4.0 inputs are mixed in one "
                               "derived database: their share-alike terms conflict",
                               hint="publish the parts as separate resources, or drop one")

    def _output(self, package: Package) -> Licence | None:
        if self.params.output:
            return normalise(self.params.output)
        entries = package.descriptor.get("licenses") or []
        return normalise(entries[0]) if entries and isinstance(entries[0], str | dict) else None

    def _each(self, inputs: list[tuple[str, Any, Licence | None]],
              output: Licence) -> Iterator[Finding]:
        out = f"the output licence '{output.id}'"
        for where, entry, lic in inputs:
            if lic is None:
                yield self.finding(f"{where}: licence '{describe(entry)}' is unknown; its "
                                   f"compatibility with {out} cannot be checked",
                                   hint="name the licence with an id of schemas/licences.yaml")
            elif lic.kind in NOT_OPEN:
                yield self.finding(f"{where}: licence '{lic.id}' does not allow open "
                                   f"publication ({NOT_OPEN[lic.kind]})",
                                   hint="leave the input out, or obtain an open licence")
            elif lic.id == "odbl":
                yield from self._osm(where, output, out)
            elif lic.kind == "share-alike" and output.id != lic.id:
                yield self.finding(f"{where} is share-alike ('{lic.id}'): it only goes out "
                                   f"under '{lic.id}', not {out}",
                                   hint=f"publish under '{lic.id}'")
            elif lic.kind == "attribution" and output.kind == "public-domain":
                yield self.finding(f"{where} requires attribution ('{lic.id}'), which "
                                   f"{out} (public domain) would drop",
                                   hint="publish under an attribution licence such as "
                                        "dl-by-de/2.0 or cc-by/4.0 and carry the source note")

    def _osm(self, where: str, output: Licence, out: str) -> Iterator[Finding]:
        use = self.params.osm_use
        if use == "derived-database" and output.id != "odbl":
            yield self.finding(f"{where} is OpenStreetMap data (ODbL): a derived database "
                               f"must be published under ODbL, not {out}",
                               hint="publish under odbl, or keep the OSM part as a separate "
                                    "resource (osm_use: collective-database)")
        elif use != "derived-database":
            note = ("share-alike applies to the OSM part only; keep it a separate ODbL "
                    "resource" if use == "collective-database" else
                    "any licence fits a produced work; credit \"(c) OpenStreetMap contributors\"")
            yield Finding(type=self.type, rule=self.id, severity=Severity.INFO,
                          message=f"{where} is OpenStreetMap data (ODbL): {note}")
