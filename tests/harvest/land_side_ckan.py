"""The Land's side, run by tests/harvest/test_harvest_land_client.py inside the
CKAN virtual environment of deploy/local (not by pytest itself): ckanext-dcat's
RDF parser, and ckanext-harvest with ckanext-dcat's DCAT RDF harvester. Prints
JSON on stdout.

    python land_side_ckan.py parse URL
    python land_side_ckan.py harvest CKAN_INI SOURCE_NAME URL ORGANISATION_ID
"""

from __future__ import annotations

import json
import sys
import urllib.request
from typing import Any


def parse(url: str | None) -> list[dict[str, Any]]:
    """Every dataset of every page, as ckanext-dcat's DCAT-AP 3 profile reads it."""
    from ckanext.dcat.processors import RDFParser

    datasets: list[dict[str, Any]] = []
    while url:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read().decode("utf-8")
        parser = RDFParser(profiles=["euro_dcat_ap_3"])
        parser.parse(data, _format="turtle")
        datasets += list(parser.datasets())
        url = parser.next_page()
    return datasets


def harvest(ini: str, name: str, url: str, organisation: str) -> dict[str, Any]:
    """A harvest source for URL and one job of the DCAT RDF harvester: gather,
    fetch and import in this process (what `ckan harvester run-test` does, which
    needs factory-boy, a test dependency of ckanext-harvest)."""
    from ckan.cli import CKANConfigLoader
    from ckan.config.middleware import make_app

    app = make_app(CKANConfigLoader(ini).get_config())
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as tk
        from ckanext.harvest import queue
        from ckanext.harvest.model import HarvestJob, HarvestObject

        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        context = {"ignore_auth": True, "user": site}
        source = tk.get_action("harvest_source_create")(dict(context), {
            "name": name, "title": name, "url": url, "source_type": "dcat_rdf",
            "owner_org": organisation, "frequency": "MANUAL",
            "config": json.dumps({"rdf_format": "text/turtle"})})
        created = tk.get_action("harvest_job_create")(dict(context), {
            "source_id": source["id"], "run": False})
        job = HarvestJob.get(created["id"])
        job.status = "Running"
        job.save()
        harvester = queue.get_harvester("dcat_rdf")
        objects = []
        for object_id in queue.gather_stage(harvester, job) or []:
            harvested = HarvestObject.get(object_id)
            queue.fetch_and_import_stages(harvester, harvested)
            objects.append({"guid": harvested.guid, "state": harvested.state,
                            "package_id": harvested.package_id,
                            "errors": [e.message for e in harvested.errors]})
        tk.get_action("harvest_jobs_run")(dict(context), {"source_id": source["id"]})
        return {"source_id": source["id"], "objects": objects,
                "gather_errors": [e.message for e in job.gather_errors]}


if __name__ == "__main__":
    if sys.argv[1] == "parse":
        json.dump(parse(sys.argv[2]), sys.stdout)
    else:
        json.dump(harvest(*sys.argv[2:6]), sys.stdout)
