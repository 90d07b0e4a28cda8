"""Area shapes (边界): a GeoJSON geometry per area (``Area.shape``), drawn on the dashboards' map of townships.

The bureau loads its townships' real boundaries (from the natural resources bureau's 行政区划 data, simplified)
with ``doudi areas shapes FILE.geojson``; the demo county gets the illustrative ones of ``township_grid``: made by
this project, not surveyed — a jittered grid whose neighbours share every border point, so the map has no gaps or
overlaps and looks like a county, not a chessboard. They are not the real 青神县 boundaries.
"""

from __future__ import annotations

import json
import math
import random

from django.db import transaction

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import audit_record
from doudi.core.errors import ApplicationError

from .events import AreaEvent
from .models import Area

# the demo county's box (青神县 lies about here), in degrees
WEST, SOUTH, WIDTH, HEIGHT = 103.74, 29.74, 0.22, 0.17


def _jitter(key: str, amount: float) -> float:
    return (random.Random(f"doudi-shape-{key}").random() - 0.5) * 2 * amount


def township_grid(n: int) -> list[dict]:
    """``n`` illustrative township polygons (GeoJSON), in reading order from the north-west: a grid of about
    4 columns to 3 rows, each corner and each edge's midpoint moved by a fixed pseudo-random amount (the same
    for the two or four cells that share it)."""
    if n <= 0:
        return []
    cols = max(1, math.ceil(math.sqrt(n * WIDTH / HEIGHT)))
    rows = math.ceil(n / cols)
    dx, dy = WIDTH / cols, HEIGHT / rows

    def corner(i, j):  # i: row from the south, j: column from the west
        return (WEST + j * dx + _jitter(f"c{i},{j}x", dx * 0.18), SOUTH + i * dy + _jitter(f"c{i},{j}y", dy * 0.18))

    def middle(a, b, key):
        (x1, y1), (x2, y2) = a, b
        return ((x1 + x2) / 2 + _jitter(key + "x", dx * 0.12), (y1 + y2) / 2 + _jitter(key + "y", dy * 0.12))

    shapes = []
    for t in range(n):
        r, j = divmod(t, cols)
        i = rows - 1 - r  # the first row is the northern one
        sw, se, ne, nw = corner(i, j), corner(i, j + 1), corner(i + 1, j + 1), corner(i + 1, j)
        ring = [
            sw,
            middle(sw, se, f"h{i},{j}"),
            se,
            middle(se, ne, f"v{i},{j + 1}"),
            ne,
            middle(nw, ne, f"h{i + 1},{j}"),
            nw,
            middle(sw, nw, f"v{i},{j}"),
            sw,
        ]  # counter-clockwise, closed (RFC 7946)
        shapes.append({"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]})
    return shapes


def shape_check(geometry, *, where: str) -> dict:
    """A GeoJSON Polygon or MultiPolygon of longitude/latitude pairs, rings closed; else a message naming
    ``where`` (the feature)."""

    def bad(zh, en):
        raise ApplicationError(f"{where}：{zh}", f"{where}: {en}", field="file", code="bad_shape")

    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        bad("边界应为 Polygon 或 MultiPolygon", "the geometry must be a Polygon or a MultiPolygon")
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        bad("缺少坐标", "no coordinates")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            bad("缺少坐标", "no coordinates")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
                bad("每个环至少4个点且首尾相同", "each ring needs at least 4 points and must close")
            for point in ring:
                if (
                    not isinstance(point, list)
                    or len(point) < 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in point[:2])
                    or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
                ):
                    bad(f"坐标无效：{str(point)[:40]}", f"invalid coordinate: {str(point)[:40]}")
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


@transaction.atomic(durable=True)
def area_shapes_load(*, actor, text: str) -> int:
    """Store the boundaries of a GeoJSON FeatureCollection: each feature names its area by ``properties.code``
    (12 digits). All or nothing: a bad feature is named and nothing is stored. Audited; returns how many."""
    if actor is not None:  # None: the command line
        perm_require(actor, Perm.AREAS_MANAGE)
    try:
        doc = json.loads(text)
    except (ValueError, TypeError):
        raise ApplicationError("文件不是有效的 GeoJSON", "The file is not valid GeoJSON", field="file") from None
    features = doc.get("features") if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" else None
    if not isinstance(features, list) or not features:
        raise ApplicationError(
            "文件应为含要素的 FeatureCollection", "The file must be a FeatureCollection with features", field="file"
        )
    shapes = {}
    for n, feature in enumerate(features, start=1):
        code = str(((feature or {}).get("properties") or {}).get("code", "")) if isinstance(feature, dict) else ""
        where = f"第{n}个要素" + (f"（{code}）" if code else "")
        if not Area.objects.filter(code=code).exists():
            raise ApplicationError(
                f"{where}：properties.code 应为已有区划的12位代码",
                f"feature {n}: properties.code must be the 12-digit code of an existing area",
                field="file",
                code="unknown_area",
            )
        shapes[code] = shape_check(feature.get("geometry"), where=where)
    for code, shape in shapes.items():
        Area.objects.filter(code=code).update(shape=shape)
    audit_record(actor=actor, action=AreaEvent.SHAPES_LOAD, new={"areas": sorted(shapes)})
    return len(shapes)
