"""Coordinates written as text: each distinct number written once where they repeat,
the same text as writing each (shortest round trip, -0.0 kept, missing empty)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from publisher.package.formats import _coordinate_text


@pytest.mark.parametrize("decimal_char", [".", ","])
@pytest.mark.parametrize("repeated", [True, False])
def test_coordinates_read_as_each_number_written_alone(decimal_char: str,
                                                        repeated: bool) -> None:
    rng = np.random.default_rng(5)
    values = rng.uniform(-10, 60, 5_000)
    if repeated:
        values = np.round(values, 1)
    values[::5], values[::7], values[::11] = -0.0, 0.0, np.nan
    values[::13], values[::17], values[::19] = np.inf, 1e-7, 1e17
    expected = pd.Series(values).astype(str)
    if decimal_char != ".":
        expected = expected.str.replace(".", decimal_char, regex=False)
    expected = expected.where(np.isfinite(values), "")
    text = _coordinate_text(values, decimal_char)
    assert text.tolist() == expected.tolist()
    assert "-0" + decimal_char + "0" in set(text) and "0" + decimal_char + "0" in set(text)
