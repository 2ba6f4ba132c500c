"""Metadata profiles: one neutral record (model.py) mapped to DCAT-AP.de 3.0,
DCAT-AP.AT 2.1 and the project's CKAN scheming fields; the DCAT-AP.de 3.0
conformance check (conformance.py): the official SHACL shapes when they were
fetched into the conformance directory, else the project's own checks (checks/)."""

from publisher.metadata.conformance import check_dcat_ap_de, check_graph
from publisher.metadata.dcat_ap_at import check_dcat_ap_at, dcat_ap_at_graph
from publisher.metadata.dcat_ap_de import (
    add_catalog,
    add_dataset,
    dcat_ap_de_graph,
    new_graph,
)
from publisher.metadata.model import DatasetMetadata, Distribution, build_metadata
from publisher.metadata.shacl import Violation, shacl_check

__all__ = [
    "DatasetMetadata", "Distribution", "Violation", "add_catalog", "add_dataset",
    "build_metadata", "check_dcat_ap_at", "check_dcat_ap_de", "check_graph",
    "dcat_ap_at_graph", "dcat_ap_de_graph", "new_graph", "shacl_check",
]
