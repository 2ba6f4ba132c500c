"""Direct identifiers in free text: find them, or replace them by a label.

    from publisher.detect import detect, redact
    detect(column, ["email", "phone"])   # DataFrame: kind, row, start, end, value
    redact(column, ["iban"])             # same column type, "[IBAN]" in place

`column` is a pyarrow (chunked) array, a pandas Series or a list of strings.
Kinds (RULES.md section 1): email, phone (DE/AT), iban, de-tax-id,
de-pension-number, at-svnr, de-plate, at-plate, street-address, date-of-birth,
ip-address (v4 and v6). A pattern finds candidates over the whole column at
once (pyarrow RE2 kernels); a validator (python-stdnum, phonenumbers, the
official plate district lists) confirms each distinct candidate.
"""

from publisher.detect.kinds import KINDS, Kind, kind
from publisher.detect.scan import MATCH_COLUMNS, detect, redact, to_arrow

__all__ = ["KINDS", "MATCH_COLUMNS", "Kind", "detect", "kind", "redact", "to_arrow"]
