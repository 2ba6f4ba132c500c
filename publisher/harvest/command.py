"""`publisher harvest SOURCE --into TARGET`: pick the source kind and the sink.

SOURCE: `ckan:URL` (or `ckan:URL#ORGANISATION` for one organisation's
datasets), `dcat:URL-or-file`, or a bare URL / file (a file, or an
address whose path ends in .ttl, .rdf, .xml or .jsonld, is DCAT; any other
address is a CKAN). TARGET: `local` (the home's catalogue), `local:DIR`, or
`ckan:ORGANISATION` on the CKAN given by --ckan-url / PUBLISHER_CKAN_URL.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from publisher.catalog.store import CatalogStore
from publisher.ckan.client import CkanClient
from publisher.errors import InputError
from publisher.harvest.ckan_sink import CkanSink
from publisher.harvest.ckan_source import CkanSource
from publisher.harvest.model import HarvestReport
from publisher.harvest.run import HarvestState, harvest_ckan, harvest_dcat, state_path
from publisher.harvest.sinks import LocalSink, Sink
from publisher.settings import Settings

_DCAT_SUFFIXES = (".ttl", ".rdf", ".xml", ".jsonld")


def source_kind(source: str) -> tuple[str, str]:
    for kind in ("ckan", "dcat"):
        if source.startswith(f"{kind}:") and not source.startswith(f"{kind}://"):
            return kind, source[len(kind) + 1:]
    if "://" not in source:
        return "dcat", source
    path = urlparse(source).path.lower()
    return ("dcat", source) if path.endswith(_DCAT_SUFFIXES) else ("ckan", source)


def make_sink(into: str, settings: Settings, ckan_url: str | None,
              ckan_key: str | None) -> Sink:
    if into == "local":
        return LocalSink(CatalogStore(settings.catalog_dir))
    if into.startswith("local:"):
        return LocalSink(CatalogStore(Path(into[len("local:"):])))
    if into.startswith("ckan:"):
        org = into[len("ckan:"):]
        if not org or not ckan_url:
            raise InputError("a CKAN target needs an organisation and a CKAN address",
                             where=into, hint="ckan:ORGANISATION with --ckan-url or "
                                              "PUBLISHER_CKAN_URL")
        return CkanSink(CkanClient(ckan_url, ckan_key), org)
    raise InputError("unknown harvest target", where=into,
                     hint="local, local:DIR or ckan:ORGANISATION")


def run_harvest(source: str, into: str, settings: Settings, *, prefix: str = "",
                full: bool = False, ckan_url: str | None = None,
                ckan_key: str | None = None, max_pages: int | None = None,
                strict: bool = False) -> HarvestReport:
    kind, location = source_kind(source)
    sink = make_sink(into, settings, ckan_url, ckan_key)
    state = HarvestState(state_path(settings.home, f"{kind}:{location}", sink))
    if kind == "ckan":
        url, _, organization = location.partition("#")
        return harvest_ckan(CkanSource(url, organization=organization or None), sink, state,
                            prefix=prefix, full=full, strict=strict)
    return harvest_dcat(location, sink, state, prefix=prefix, full=full,
                        max_pages=max_pages or settings.harvest_max_pages, strict=strict)
