"""The official DCAT-AP.de conformance material: the pinned shape and vocabulary
files (pins.py), their download (fetch.py), which of them a directory holds
(status.py), the commands (cli.py) and the run's conformance stage (stage.py)."""
