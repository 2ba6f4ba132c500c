"""A package whose descriptor and resources carry the licences a test gives."""

from pathlib import Path
from typing import Any

import pandas as pd

from publisher.package.model import Package, Resource


def package(licenses: Any = None, resources: dict[str, Any] | None = None,
            sources: list[dict[str, Any]] | None = None) -> Package:
    """`licenses` and `sources` for the package, `resources` maps each
    resource's name to its own `licenses` (None: none of its own)."""
    descriptor: dict[str, Any] = {"name": "p"}
    if licenses is not None:
        descriptor["licenses"] = licenses
    if sources is not None:
        descriptor["sources"] = sources
    built = []
    for name, own in (resources or {"table": None}).items():
        res: dict[str, Any] = {"name": name, "path": f"{name}.csv"}
        if own is not None:
            res["licenses"] = own
        built.append(Resource(name=name, format="csv", descriptor=res,
                              data=pd.DataFrame({"a": ["1"]}, index=[2])))
    return Package(root=Path("."), descriptor=descriptor, resources=built)
