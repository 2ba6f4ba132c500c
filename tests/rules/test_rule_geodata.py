"""coordinate-precision, coordinate-extent and personal-column-names."""

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from publisher.package.model import Package, Resource
from publisher.report import Severity
from publisher.rules.coordinate_extent import CoordinateExtent, CoordinateExtentParams
from publisher.rules.coordinate_precision import (
    CoordinatePrecision,
    CoordinatePrecisionParams,
    resolution_m,
)
from publisher.rules.personal_column_names import (
    PersonalColumnNames,
    PersonalColumnNamesParams,
    words_of,
)


def points(coords, crs="EPSG:4326", **columns) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(columns or {"k": ["a"] * len(coords)},
                             geometry=[Point(x, y) for x, y in coords], crs=crs)
    frame.index = pd.RangeIndex(1, len(coords) + 1)
    return frame


def pkg(table, descriptor=None, package_descriptor=None) -> Package:
    res = Resource(name="r", format="geojson", descriptor={"name": "r", **(descriptor or {})},
                   data=table)
    return Package(root=".", descriptor={"name": "p", **(package_descriptor or {})},
                   resources=[res])


def precision(package, **params):
    rule = CoordinatePrecision(CoordinatePrecisionParams.model_validate(params))
    return list(rule.check(package))


def test_resolution_in_degrees_and_metres():
    import numpy as np
    deg = resolution_m(np.array([12.3456, 12.345]), np.array([51.3, 51.345]), True)
    assert deg[0] < 20 and 100 < deg[1] < 120
    metres = resolution_m(np.array([319769.24, 319700.0]), np.array([5688133.56, 5688100.0]),
                          False)
    assert metres.tolist() == [0.01, 100.0]


def test_personal_points_block_with_row_and_masked_sample():
    table = points([(12.381694, 51.337971), (12.4, 51.3)], reporter=["A B", "C D"])
    (finding,) = precision(pkg(table))
    assert finding.severity is Severity.BLOCK
    assert finding.row == 1 and finding.field == "geometry"
    assert "12.381694" not in (finding.sample or "") and "grid-aggregate" in (finding.hint or "")


def test_declared_non_personal_points_are_info_and_undeclared_warn():
    table = points([(12.381694, 51.337971)])
    assert [f.severity for f in precision(pkg(table, {"personal": False}))] == [Severity.INFO]
    assert [f.severity for f in precision(pkg(table, package_descriptor={"personal": False}))] \
        == [Severity.INFO]
    assert [f.severity for f in precision(pkg(table))] == [Severity.WARN]
    assert [f.severity for f in precision(pkg(table), personal_resources=["r"])] == \
        [Severity.BLOCK]


def test_coarse_points_and_projected_grid_points_pass():
    assert precision(pkg(points([(12.345, 51.338)]), {"personal": True})) == []
    grid = points([(4337000, 2689000)], crs="EPSG:3035")
    assert precision(pkg(grid, {"personal": True})) == []
    fine = points([(319769.24, 5688133.56)], crs="EPSG:25833")
    (finding,) = precision(pkg(fine, {"personal": True}))
    assert "1 cm" in finding.message and "metres" in finding.message


def test_extent_flags_swapped_axes_only():
    rule = CoordinateExtent(CoordinateExtentParams())
    ok = pkg(points([(12.38, 51.33)]))
    swapped = pkg(points([(51.33, 12.38)]))
    assert list(rule.check(ok)) == []
    (finding,) = rule.check(swapped)
    assert finding.severity is Severity.WARN and finding.row == 1
    own = pkg(points([(12.38, 51.33)]), {"bbox": [13.0, 52.0, 14.0, 53.0]})
    assert len(list(rule.check(own))) == 1


def test_column_names_german_and_english_and_look_alikes():
    table = pd.DataFrame({"Vorname": ["x"], "reporterEmail": ["y"], "Straße": ["z"],
                          "species_latin": ["t"], "tree_id": ["1"], "district": ["M"]})
    res = Resource(name="r", format="csv", descriptor={"name": "r"}, data=table)
    rule = PersonalColumnNames(PersonalColumnNamesParams(ignore=["Straße"]))
    found = [f.field for f in rule.check(Package(root=".", descriptor={}, resources=[res]))]
    assert found == ["Vorname", "reporterEmail"]
    assert words_of("Geburts-Datum") == ["geburts", "datum", "geburtsdatum"]
