"""The trend chart's SVG: its points read back equal the values given, in order, with the
target and each point's met/missed state."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from clausewise.outputs.trend import Target, TrendPoint, trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def _points(svg: str) -> list[tuple[str, str, str]]:
    root = ET.fromstring(svg)
    return [
        (c.get("data-period", ""), c.get("data-value", ""), (c.findtext(f"{SVG}title") or ""))
        for c in root.iter(f"{SVG}circle")
    ]


def test_the_points_read_back_equal_the_values_and_say_met_or_missed() -> None:
    target = Target(99.9, higher_is_better=True)
    points = [TrendPoint(p, v, target.met_by(v)) for p, v in (("2026-07", 99.95), ("2026-08", 99.5), ("2026-09", 100))]
    svg = trend_svg("Hosting availability", points, target, unit="%")
    assert _points(svg) == [
        ("2026-07", "99.95", "2026-07: 99.95% (met)"),
        ("2026-08", "99.5", "2026-08: 99.5% (missed)"),
        ("2026-09", "100", "2026-09: 100% (met)"),
    ]
    root = ET.fromstring(svg)
    line = root.find(f"{SVG}line")
    assert line is not None and line.get("data-value") == "99.9"
    assert line.findtext(f"{SVG}title") == "target at least 99.9%"
    # a missed point is hollow: it reads without colour
    fills = [c.get("fill") for c in root.iter(f"{SVG}circle")]
    assert fills == ["#1565c0", "#fff", "#1565c0"]
    assert root.get("aria-label") == "Hosting availability"


def test_a_lower_is_better_target_and_a_unit_with_a_space() -> None:
    target = Target(4, higher_is_better=False)
    svg = trend_svg("Restore time", [TrendPoint("2026-Q3", 5, target.met_by(5))], target, unit="hours")
    assert _points(svg) == [("2026-Q3", "5", "2026-Q3: 5 hours (missed)")]
    assert "target at most 4 hours" in svg


def test_no_values_say_so() -> None:
    svg = trend_svg("Satisfaction", [])
    assert _points(svg) == []
    assert ">no values yet<" in svg
