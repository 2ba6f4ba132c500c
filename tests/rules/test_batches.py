"""publisher.package.batches: streamed CSV batches keep frictionless row numbers."""

from pathlib import Path

import pandas as pd

from publisher.package.batches import iter_batches, text_columns
from publisher.package.model import Resource


def resource(tmp_path: Path, text: bytes) -> Resource:
    path = tmp_path / "t.csv"
    path.write_bytes(text)
    return Resource(name="t", format="csv", descriptor={"name": "t"}, path=path)


def collect(res: Resource, **kw) -> tuple[list[int], dict[str, list]]:
    rows: list[int] = []
    cols: dict[str, list] = {}
    for batch in iter_batches(res, **kw):
        rows += batch.rows.tolist()
        for name, array in batch.columns.items():
            cols.setdefault(name, []).extend(array.to_pylist())
    return rows, cols


def test_csv_streams_as_text_with_row_numbers_and_quoted_newlines(tmp_path):
    res = resource(tmp_path, b'\xef\xbb\xbfid,text\n1,"a\nb"\n2,\n3,0815\n')
    rows, cols = collect(res, batch_rows=2)
    assert rows == [2, 3, 4]
    assert cols == {"id": ["1", "2", "3"], "text": ["a\nb", "", "0815"]}
    assert res.data is None  # streamed, not loaded
    assert text_columns(res) == ["id", "text"]


def test_blank_lines_fall_back_to_frictionless_numbering(tmp_path):
    res = resource(tmp_path, b"id,text\n1,a\n\n3,x\n4,y\n")
    rows, cols = collect(res, batch_rows=2)
    assert rows == [2, 3, 4, 5]
    assert cols["text"] == ["a", "", "x", "y"]


def test_selected_columns_and_in_memory_frames(tmp_path):
    res = resource(tmp_path, b"id,text\n1,a\n")
    assert collect(res, columns=["text", "nope"])[1] == {"text": ["a"]}
    table = pd.DataFrame({"n": [1, None], "s": ["x", None]}, index=[7, 9])
    mem = Resource(name="m", format="csv", descriptor={"name": "m"}, data=table)
    rows, cols = collect(mem)
    assert rows == [7, 9]
    assert cols["s"] == ["x", None] and cols["n"][1] is None


def test_streamed_csv_leaves_out_geometry_columns_like_the_table_does() -> None:
    from publisher.package.batches import iter_batches
    from publisher.package.loader import load_package
    from tests.conftest import ROOT

    package = load_package(ROOT / "pipelines" / "samples" / "charging-points")
    [resource] = package.resources
    assert resource.geometry is not None and resource.geometry.columns
    assert resource.data is None  # streamed from the file, not the table
    streamed = {name for batch in iter_batches(resource) for name in batch.columns}
    assert streamed == set(resource.table().columns) - {"geometry"}
