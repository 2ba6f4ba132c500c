from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from metadata_helpers import PIPELINES, ROOT, minimal_metadata, staged_metadata
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from publisher.metadata import check_dcat_ap_at, dcat_ap_at_graph
from publisher.metadata.ckan import dataset_fields, resource_fields


@pytest.mark.parametrize("pipeline", PIPELINES, ids=lambda p: p.stem)
def test_shipped_datasets_meet_dcat_ap_at(pipeline: Path, tmp_path: Path) -> None:
    meta = staged_metadata(pipeline, tmp_path)
    assert check_dcat_ap_at(meta) == []
    g = dcat_ap_at_graph(meta)
    # exactly one licence per distribution, and one publisher
    for dist in meta.distributions:
        node = URIRef(f"{meta.uri}/distribution/{dist.key}")
        assert len(list(g.objects(node, DCTERMS.license))) == 1
    assert len(list(g.objects(URIRef(meta.uri), DCTERMS.publisher))) == 1


def test_at_mandatory_fields_are_named(minimal: dict[str, Any]) -> None:
    meta = minimal_metadata(minimal, keywords=[], themes=[])
    assert sorted(v.field for v in check_dcat_ap_at(meta)) == [
        "dataset.keywords", "dataset.themes"]


def test_at_licence_is_the_licence_address(minimal: dict[str, Any]) -> None:
    g = dcat_ap_at_graph(minimal_metadata(minimal, license="cc-by/4.0"))
    assert {str(o) for o in g.objects(None, DCTERMS.license)} == {
        "https://creativecommons.org/licenses/by/4.0/"}


def test_ckan_fields_are_real_scheming_fields(tmp_path: Path) -> None:
    schema = yaml.safe_load((ROOT / "deploy" / "ckan" / "publisher_dataset.yaml").read_text())
    known = {f["field_name"] for f in schema["dataset_fields"]} | {"tags"}
    known_resource = {f["field_name"] for f in schema["resource_fields"]} | {"hash", "mimetype"}
    meta = staged_metadata(next(p for p in PIPELINES if p.stem == "charging-points"), tmp_path)
    fields = dataset_fields(meta, "cc-by")
    assert "extras" not in fields
    assert set(fields) <= known
    assert fields["contributor_id"] == ["http://dcat-ap.de/def/contributors/freistaatSachsen"]
    assert fields["political_geocoding_level_uri"].endswith("/Level/municipality")
    assert fields["theme"] == [
        "http://publications.europa.eu/resource/authority/data-theme/TRAN",
        "http://publications.europa.eu/resource/authority/data-theme/ENER"]
    for dist in meta.distributions:
        res = resource_fields(meta, dist)
        assert set(res) <= known_resource
        assert res["hash"] == f"sha256:{dist.sha256}"
    assert {resource_fields(meta, d)["format"] for d in meta.distributions} == {"CSV", "JSON"}
