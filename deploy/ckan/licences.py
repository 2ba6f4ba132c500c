"""Write deploy/ckan/publisher_licences.json, CKAN's licence list, from the crosswalk.

CKAN offers only the licences of its `licenses_group_url` list, and the
publisher's CKAN target refuses a licence the list lacks. This list holds every
licence of schemas/licences.yaml that the DCAT-AP.de vocabulary knows:

- id: the licence's CKAN id where the crosswalk has one (cc-by, cc-zero, odc-odbl
  ... as CKAN has always named them, so existing datasets keep their licence),
  else its DCAT-AP.de URI, as GovData's CKAN names licences
  (http://dcat-ap.de/def/licenses/dl-by-de/2.0);
- title and url: the crosswalk's title and licence address (the URI where the
  crosswalk has no address);
- od_conformance / osd_conformance: "approved" for open licences, so CKAN
  shows the dataset as open.

    .venv/bin/python deploy/ckan/licences.py          # rewrite the file
    .venv/bin/python deploy/ckan/licences.py --check  # exit 1 if it is stale

tests/targets/test_ckan_licences.py checks that the file matches the crosswalk.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from publisher.licences import crosswalk

OUTPUT = Path(__file__).resolve().parent / "publisher_licences.json"


def licence_list() -> list[dict[str, Any]]:
    entries = []
    for licence in crosswalk().licences:
        if licence.uri is None:
            continue
        conformance = "approved" if licence.is_open else "not reviewed"
        entries.append({
            "id": licence.ckan or licence.uri,
            "title": licence.title,
            "url": licence.url or licence.uri,
            "status": "active",
            "od_conformance": conformance,
            "osd_conformance": conformance,
        })
    return entries


def render() -> str:
    return json.dumps(licence_list(), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is stale: run deploy/ckan/licences.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
