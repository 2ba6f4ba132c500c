"""Errors raised on a cluster's worker come back to the client pickled: every
PublisherError, whatever its __init__ asks for, comes back as it was raised."""

import pickle

from publisher.errors import InputError
from publisher.limits import LimitError


def test_a_limit_error_comes_back_through_pickle_whole() -> None:
    raised = LimitError("row 7 is longer than 1 MB", limit="max_cell_bytes", where="reports")
    back = pickle.loads(pickle.dumps(raised))
    assert type(back) is LimitError
    assert str(back) == str(raised)
    assert (back.limit, back.where, back.hint) == (raised.limit, raised.where, raised.hint)


def test_an_input_error_keeps_its_place_and_hint() -> None:
    raised = InputError("column 'alter' holds 2 value(s)", where="r", hint="fix them")
    back = pickle.loads(pickle.dumps(raised))
    assert str(back) == str(raised) and back.to_dict() == raised.to_dict()
