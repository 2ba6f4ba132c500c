"""CSV reading: the one module that parses CSV files, with one set of row rules.

Every stage reads a resource's CSV file through here: the loader's checks
before anything parses it (start.py: compression, byte order mark, encoding,
sizes, header, NUL), the dialect (dialect.py: declared, or guessed as
frictionless guesses it), the whole table (table.py: pandas, or Python's csv
module for a ragged file), Arrow record batches (arrow.py: the policy scan's
publisher.package.batches, the validation engine's
publisher.validate.engine.stream and the cluster's publisher.cluster.parts) and
the row rules (rows.py). No module outside this package calls `csv.reader` or
`pyarrow.csv`; `grep -rn "csv.reader\\|pyarrow.csv" publisher` shows only this
package, and publisher.detect.name_lists, which reads the name list shipped with
the product, not a resource. frictionless, the reference the validator agrees
with, reads with Python's csv module, as rows.py does.

The row rules (rows.py): the header is row 1 and the first record row 2; blank
lines count as rows and come back as rows of empty cells (validation reports
them as blank-row); quoted line breaks do not count. A record with more or
fewer cells than the header is a finding on every route (extra-cell /
missing-cell: validation, check, and so run), and a rule or step reading the
table gets it cut or padded to the header. A quote never closed runs to the end
of the file, a short record. A NUL character makes the file unusable.
"""

from __future__ import annotations

from publisher.package.csvio.dialect import (
    CsvError,
    CsvOptions,
    csv_options,
    declared_dialect,
    decode_error,
    sniffed_dialect,
)
from publisher.package.csvio.rows import (
    RaggedRow,
    fit,
    note_regular,
    ragged_hint,
    ragged_rows,
    record_lengths,
)
from publisher.package.csvio.sizes import arrow_block_size, check_csv_sizes
from publisher.package.csvio.start import check_csv_start, check_decodes, check_no_nul
from publisher.package.csvio.table import read_csv_table, read_header

__all__ = ["CsvError", "CsvOptions", "RaggedRow", "arrow_block_size", "check_csv_sizes",
           "check_csv_start", "check_decodes", "check_no_nul", "csv_options",
           "declared_dialect", "decode_error", "fit", "note_regular", "ragged_hint", "ragged_rows",
           "read_csv_table", "read_header", "record_lengths", "sniffed_dialect"]
