"""Metadata profiles: one neutral record (model.py) mapped to DCAT-AP.de 3.0,
DCAT-AP.AT 2.1 and the project's CKAN scheming fields; SHACL check against
the official DCAT-AP.de shapes (read at run time from the conformance data)."""

from publisher.metadata.dcat_ap_at import check_dcat_ap_at, dcat_ap_at_graph
from publisher.metadata.dcat_ap_de import (
    add_catalog,
    add_dataset,
    check_dcat_ap_de,
    dcat_ap_de_graph,
    govdata_conventions,
    new_graph,
)
from publisher.metadata.model import DatasetMetadata, Distribution, build_metadata
from publisher.metadata.shacl import Violation, shacl_check

__all__ = [
    "DatasetMetadata", "Distribution", "Violation", "add_catalog", "add_dataset",
    "build_metadata", "check_dcat_ap_at", "check_dcat_ap_de", "dcat_ap_at_graph",
    "dcat_ap_de_graph", "govdata_conventions", "new_graph", "shacl_check",
]
