"""Classes over integer codes (k-anonymise's) are those over the same values as text:
publisher.anonymity shifts integer columns instead of factorising them again."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.anonymity import class_ids, class_sizes, measure_k

_columns = st.lists(st.lists(st.one_of(st.integers(-1, 6), st.integers(-2**40, 2**40)),
                             min_size=1, max_size=40), min_size=1, max_size=3)


@given(_columns)
@settings(max_examples=200, deadline=None)
def test_integer_codes_make_the_classes_their_texts_make(columns: list[list[int]]) -> None:
    n = min(len(c) for c in columns)
    ints = pd.DataFrame({f"c{i}": np.array(c[:n], dtype=np.int64)
                         for i, c in enumerate(columns)})
    texts = ints.astype(str).astype(object)
    names = list(ints.columns)
    assert class_ids(ints, names).tolist() == class_ids(texts, names).tolist()
    assert class_sizes(ints, names).tolist() == class_sizes(texts, names).tolist()
    assert measure_k(ints, names) == measure_k(texts, names)
