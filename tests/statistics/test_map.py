"""The map of townships: areas carry a GeoJSON boundary (loaded all or nothing, audited; the demo county's are
illustrative, made by areas/shapes.py), and the dashboard draws the townships that have one, coloured by a chosen
indicator, each linking to its own dashboard."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from doudi.areas.events import AreaEvent
from doudi.areas.models import Area
from doudi.areas.shapes import area_shapes_load, township_grid
from doudi.audit.models import AuditEvent
from doudi.core.errors import ApplicationError, PermissionDenied
from doudi.statistics.dashboard import dashboard_data
from doudi.statistics.tasks import snapshots_refresh

TODAY = dt.date(2026, 4, 15)


def edges(shape):
    ring = [tuple(p) for p in shape["coordinates"][0]]
    return {frozenset(pair) for pair in zip(ring, ring[1:], strict=False)}


@pytest.mark.parametrize("n", [1, 10, 11, 200])
def test_illustrative_townships_tile_without_gaps(n):
    shapes = township_grid(n)
    assert len(shapes) == n and township_grid(n) == shapes  # the same every time
    all_edges = []
    for s in shapes:
        ring = s["coordinates"][0]
        assert s["type"] == "Polygon" and ring[0] == ring[-1] and len(ring) == 9
        assert all(103 < x < 104.5 and 29.5 < y < 30.1 for x, y in ring)
        all_edges.append(edges(s))
    # neighbours share their border exactly: with 10 (2 rows of 5) there are 13 inner borders of 2 segments each
    shared = sum(len(a & b) for i, a in enumerate(all_edges) for b in all_edges[i + 1 :])
    if n == 10:
        assert shared == 13 * 2


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def feature(code, geometry):
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


SQUARE = {"type": "Polygon", "coordinates": [[[103.8, 29.8], [103.9, 29.8], [103.9, 29.9], [103.8, 29.8]]]}


def test_shapes_load_all_or_nothing_audited(staff, tmp_path):
    admin = staff["admin"]
    assert area_shapes_load(actor=admin, text=collection(feature("511425101000", SQUARE))) == 1
    assert Area.objects.get(code="511425101000").shape == SQUARE
    assert AuditEvent.objects.get(action=AreaEvent.SHAPES_LOAD).new == {"areas": ["511425101000"]}
    open_ring = {"type": "Polygon", "coordinates": [[[103.8, 29.8], [103.9, 29.8], [103.9, 29.9], [103.8, 29.9]]]}
    for text, message in (
        (collection(feature("511425102000", SQUARE), feature("511425102000", open_ring)), "第2个要素（511425102000）"),
        (collection(feature("511425999000", SQUARE)), "properties.code 应为已有区划的12位代码"),
        (collection(feature("511425102000", {"type": "Point", "coordinates": [1, 2]})), "Polygon 或 MultiPolygon"),
        (
            collection(feature("511425102000", {**SQUARE, "coordinates": [[[999, 0], [1, 1], [2, 2], [999, 0]]]})),
            "坐标无效",
        ),
        ("{not json", "不是有效的 GeoJSON"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "FeatureCollection"),
    ):
        with pytest.raises(ApplicationError) as info:
            area_shapes_load(actor=admin, text=text)
        assert message in info.value.zh and info.value.field == "file"
    assert Area.objects.get(code="511425102000").shape is None  # the good first feature was not stored either
    with pytest.raises(PermissionDenied):
        area_shapes_load(actor=staff["approver"], text=collection(feature("511425102000", SQUARE)))
    path = tmp_path / "shapes.geojson"
    path.write_text(collection(feature("511425102000", SQUARE)), encoding="utf-8")
    call_command("areas_shapes", str(path))
    assert Area.objects.get(code="511425102000").shape == SQUARE
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("areas_shapes", str(path))


def test_the_dashboard_draws_townships_with_a_boundary(county, client, monkeypatch):
    monkeypatch.setattr("doudi.statistics.tasks.timezone.localdate", lambda: TODAY)
    user = county["people"]["county_reviewer"]
    snapshots_refresh("511425", 2026)
    assert dashboard_data(user, "511425", 2026, today=TODAY)["map"] is None  # no boundaries yet: no map
    shapes = township_grid(2)
    Area.objects.filter(code="511425101000").update(shape=shapes[0])
    data = dashboard_data(user, "511425", 2026, today=TODAY)
    assert data["map"] == {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "511425101000", "label": "汉阳镇"}, "geometry": shapes[0]}
        ],
    }
    assert "TK0105000000" in data["map_codes"]
    client.force_login(user)
    monkeypatch.setattr("doudi.statistics.views.timezone.localdate", lambda: TODAY)
    page = client.get("/statistics/dashboard/", {"year": "2026"}).content.decode()
    assert 'data-chart="map"' in page and '<option value="TK0105000000">特困人员集中供养率</option>' in page
    # a township's dashboard has no townships below it: no map
    client.force_login(county["people"]["caseworker_a"])
    assert 'data-chart="map"' not in client.get("/statistics/dashboard/", {"year": "2026"}).content.decode()
