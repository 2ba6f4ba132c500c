"""The Land's side: harvest a city catalogue (CKAN API or DCAT) into the local
catalogue or a CKAN, incrementally, with deletions; bad records are reported
and skipped, never fatal. Each dataset is kept as its own description in
DCAT-AP.de 3.0 (normalise.py), served again whole, and the report says per
dataset and distribution what was kept, changed and dropped (accounting.py)."""
