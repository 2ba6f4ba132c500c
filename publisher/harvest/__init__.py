"""The Land's side: harvest a city catalogue (CKAN API or DCAT) into the local
catalogue or a CKAN, incrementally, with deletions; bad records are reported
and skipped, never fatal."""
