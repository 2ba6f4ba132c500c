"""licence-compatibility and licence-attribution."""

from publisher.package.model import Package, Resource
from publisher.report import Severity
from publisher.rules.licence_attribution import LicenceAttribution, LicenceAttributionParams
from publisher.rules.licence_compatibility import (
    LicenceCompatibility,
    LicenceCompatibilityParams,
)


def pkg(output: str, sources=(), resource_licences=()) -> Package:
    res = Resource(name="r", format="csv",
                   descriptor={"name": "r", "licenses": [{"name": n} for n in resource_licences]})
    return Package(root=".", resources=[res], descriptor={
        "name": "p", "licenses": [{"name": output}], "sources": list(sources),
        "homepage": "https://musterstadt.example/daten/p"})


def compat(package, **params):
    return list(LicenceCompatibility(LicenceCompatibilityParams(**params)).check(package))


def test_public_domain_inputs_fit_anything():
    assert compat(pkg("CC0-1.0", [{"title": "A", "licenses": [{"name": "cc-zero"}]}])) == []


def test_attribution_input_cannot_go_out_public_domain():
    (f,) = compat(pkg("cc-zero", [{"title": "A", "licenses": [{"name": "dl-by-de/2.0"}]}]))
    assert f.severity is Severity.BLOCK and "attribution" in f.message
    assert compat(pkg("cc-by-sa/4.0", [{"title": "A", "licenses": ["CC-BY-4.0"]}])) == []


def test_share_alike_only_as_itself():
    (f,) = compat(pkg("cc-by/4.0", resource_licences=["CC-BY-SA-4.0"]))
    assert "share-alike" in f.message
    assert compat(pkg("CC-BY-SA-4.0", resource_licences=["CC-BY-SA-4.0"])) == []


def test_osm_source_by_name_and_its_uses():
    osm = [{"title": "OpenStreetMap", "path": "https://www.openstreetmap.org"}]
    (f,) = compat(pkg("dl-by-de/2.0", osm))
    assert "ODbL" in f.message and f.severity is Severity.BLOCK
    assert compat(pkg("odbl", osm)) == []
    (info,) = compat(pkg("dl-by-de/2.0", osm), osm_use="produced-work")
    assert info.severity is Severity.INFO and "OpenStreetMap contributors" in info.message


def test_odbl_and_cc_by_sa_mixed_conflict():
    sources = [{"title": "OSM", "licenses": ["odbl"]}, {"title": "W", "licenses": ["cc-by-sa/4.0"]}]
    findings = compat(pkg("odbl", sources))
    assert any("conflict" in f.message for f in findings)


def test_closed_and_unknown_inputs():
    findings = compat(pkg("cc-by/4.0", [{"title": "A", "licenses": ["CC-BY-NC-4.0"]},
                                        {"title": "B", "licenses": ["my-own"]}]))
    assert len(findings) == 2


def test_attribution_text_de_and_at():
    package = pkg("dl-by-de/2.0", [{"title": "Stadt Musterstadt"},
                                   {"title": "Land X", "licenses": ["cc-by/4.0"]}])
    rule = LicenceAttribution(LicenceAttributionParams(style="de"))
    (f,) = rule.check(package)
    assert f.severity is Severity.INFO
    text = rule.stats["attribution"]
    assert text.startswith("Stadt Musterstadt, dl-de/by-2-0 (https://www.govdata.de/dl-de/by-2-0)")
    assert "https://musterstadt.example/daten/p" in text and "Land X (cc-by/4.0)" in text
    assert "Daten geändert" in text  # the resource has no source file: derived
    at = LicenceAttribution(LicenceAttributionParams(style="at", provider="Stadt Wien"))
    list(at.check(pkg("cc-by/4.0")))
    assert at.stats["attribution"].startswith("Datenquelle: Stadt Wien")


def test_attribution_without_provider_warns():
    package = Package(root=".", resources=[], descriptor={"licenses": ["CC-BY-4.0"]})
    (f,) = LicenceAttribution(LicenceAttributionParams()).check(package)
    assert f.severity is Severity.WARN
