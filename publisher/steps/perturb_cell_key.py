"""perturb-cell-key: the cell key method, the alternative to suppression (RULES.md
section 3; the 2022 German census): every count gets a small noise instead of
being hidden. Zeros stay zero, a positive count never becomes zero, and totals
no longer add up exactly.

The noise comes from a cell key: a keyed hash (SipHash, keyed from the secret
of the settings or `key_env`) of the cell's dimension values and true count, so
the same cell always gets the same noise and no one without the key can
recompute it. Noise j in [-max_noise, max_noise] has probability proportional to
max_noise + 1 - |j|. Vectorised: pandas hashes the columns in C.
"""

from __future__ import annotations

import hashlib
import hmac
import string
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import Field

from publisher.errors import SpecError
from publisher.package.model import Package, Resource
from publisher.params import THRESHOLD
from publisher.steps._derived import dimension_columns, mark_derived
from publisher.steps._generalise import numbers
from publisher.steps.base import Step, StepOutcome, StepParams, steps

_ALPHABET = string.ascii_letters + string.digits + "-_"


class PerturbCellKeyParams(StepParams):
    count: str = Field("count", description="The column of counts.")
    dimensions: list[str] | None = Field(
        None, description="The columns that name a cell; default: every other column.")
    max_noise: Annotated[int, THRESHOLD] = Field(
        2, ge=1, le=10, description="Largest noise added to or taken from "
                                    "a count.")
    key_env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
                                description="Environment variable holding the secret key; "
                                            "default: PUBLISHER_PSEUDONYM_KEY.")


def hash_key(secret: bytes) -> str:
    """A 16-character SipHash key derived from the secret (the secret itself stays put)."""
    digest = hmac.new(secret, b"publisher cell key", hashlib.sha256).digest()
    return "".join(_ALPHABET[b % 64] for b in digest[:16])


def noise(cells: pd.DataFrame, counts: np.ndarray, secret: bytes, max_noise: int) -> np.ndarray:
    """The noise of each cell, from its keyed cell key."""
    keyed = cells.astype("string").assign(__count=pd.Series(counts, index=cells.index)
                                          .astype("int64").astype("string"))
    hashes = pd.util.hash_pandas_object(keyed, index=False, hash_key=hash_key(secret))
    cell_key = (hashes.to_numpy(dtype=np.uint64) >> np.uint64(11)).astype(np.float64) / 2**53
    offsets = np.arange(-max_noise, max_noise + 1)
    weights = (max_noise + 1 - np.abs(offsets)).astype(np.float64)
    cdf = np.cumsum(weights) / weights.sum()
    return offsets[np.minimum(np.searchsorted(cdf, cell_key, side="right"), len(offsets) - 1)]


@steps.register
class PerturbCellKey(Step[PerturbCellKeyParams]):
    type = "perturb-cell-key"
    example = """\
- type: perturb-cell-key
  resource: households
  count: anzahl
  dimensions: [bezirk, haushaltsgroesse]
  max_noise: 2
"""

    def apply(self, package: Package) -> StepOutcome:
        p = self.params
        targets = [r for r in package.select(p.resource) if p.count in r.table().columns]
        if not targets:
            raise SpecError(f"{self.type}: no selected resource has a column '{p.count}'",
                            where=p.resource or package.source)
        secret = self.context.key(p.key_env, self.type)
        per_resource = {r.name: self._perturb(r, secret) for r in targets}
        cells = sum(f["cells"] for f in per_resource.values())
        total_abs = sum(f["abs_noise"] for f in per_resource.values())
        return StepOutcome(stats={
            "max_noise": p.max_noise, "cells": cells,
            "cells_changed": sum(f["cells_changed"] for f in per_resource.values()),
            "mean_abs_noise": round(total_abs / cells, 3) if cells else 0.0,
            "resources": per_resource})

    def _perturb(self, resource: Resource, secret: bytes) -> dict[str, int]:
        p = self.params
        table = resource.table()
        dims = dimension_columns(resource, p.count, p.dimensions, self.type)
        raw = numbers(table[p.count], p.count, resource.name)
        counts = raw.fillna(0).to_numpy().astype(np.int64)
        shifted = np.where(counts == 0, 0, np.maximum(counts + noise(table[dims], counts,
                                                                     secret, p.max_noise), 1))
        out = table.copy()
        out[p.count] = pd.Series(shifted, index=table.index).astype("Int64").where(raw.notna())
        resource.data = out
        for spec in resource.schema.get("fields", []):
            if spec.get("name") == p.count:
                spec["description"] = (f"{spec.get('description', '')} (perturbed by the cell "
                                       f"key method, at most ±{p.max_noise})").strip()
                spec.get("constraints", {}).pop("minimum", None)
        mark_derived(resource)
        return {"cells": len(table), "cells_changed": int((shifted != counts).sum()),
                "abs_noise": int(np.abs(shifted - counts).sum())}
