"""pseudonymise: identifiers become keyed pseudonyms, HMAC-SHA256 (RULES.md
section 3: a keyed hash with a secret kept outside the package).

The key comes from the environment variable named in `key_env`, else from the
settings (PUBLISHER_PSEUDONYM_KEY); it is never written to any output, report,
journal or audit record. One key gives one pseudonym per value, in every column
and every run, so pseudonymised columns still join; another key gives others.
A pseudonym is still personal data (GDPR Art. 4(5)): the column keeps counting
as an identifier for risk.

HMAC has no vectorised form: each distinct value is hashed once, and the
results are mapped back to the rows by their factorised codes.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd
from pydantic import Field

from publisher.package.model import Package
from publisher.steps._derived import columns_by_resource, retype_field
from publisher.steps._stream import Count, after, rewrite
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class PseudonymiseParams(StepParams):
    columns: list[str] = Field(min_length=1, description="The identifier columns.")
    key_env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
                                description="Environment variable holding the secret key; "
                                            "default: PUBLISHER_PSEUDONYM_KEY.")
    length: int = Field(20, ge=16, le=64, description="Hex characters of the HMAC kept "
                                                      "(20: 80 bits).")


def pseudonyms(values: pd.Series, key: bytes, length: int = 20) -> pd.Series:
    """HMAC-SHA256 of each value's text, hex, cut to `length`; missing stays missing."""
    present = values.notna() & (values.astype("string") != "")
    codes, uniques = pd.factorize(values[present].astype("string"))
    digests = np.array([hmac.new(key, str(u).encode("utf-8"), hashlib.sha256)
                        .hexdigest()[:length] for u in uniques], dtype=object)
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    if len(codes):
        out[present] = digests[codes]
    return out


@steps.register
class Pseudonymise(Step[PseudonymiseParams]):
    type = "pseudonymise"
    row_wise = True
    example = """\
- type: pseudonymise
  resource: permits
  columns: [applicant_id]
  key_env: PERMITS_PSEUDONYM_KEY
"""

    def apply(self, package: Package) -> StepOutcome:
        p = self.params
        targets = columns_by_resource(package, p.resource, p.columns, self.type)
        key = self.context.key(p.key_env, self.type)
        outcome = StepOutcome(stats={"columns_pseudonymised": {}, "values": 0})
        values = Count()
        for resource, columns in targets:
            def change(frame: pd.DataFrame, columns: list[str] = columns) -> pd.DataFrame:
                out = frame.copy()
                for column in columns:
                    out[column] = pseudonyms(out[column], key, p.length)
                    values.n += int(out[column].notna().sum())
                return out

            rewrite(resource, change, self.context, tally=values, geometry=False)
            for column in columns:
                retype_field(resource, column, "string",
                             "pseudonymised: keyed hash (HMAC-SHA256), still personal data")
            outcome.stats["columns_pseudonymised"][resource.name] = columns
        after(self.context, lambda: outcome.stats.update(values=values.n))
        return outcome
