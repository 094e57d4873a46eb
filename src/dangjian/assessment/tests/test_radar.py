from decimal import Decimal as D

from dangjian.assessment.radar import CENTRE, RADIUS, radar


def _points(polygon: str) -> list[tuple[float, float]]:
    return [tuple(float(c) for c in p.split(",")) for p in polygon.split()]


def test_each_axis_is_a_share_of_its_own_possible_points():
    chart = radar(["甲", "乙", "丙", "丁"], [D(40), D(10), D(30), D(20)], [D(40), D(5), D(0), None], [D(20)] * 4)
    unit = _points(chart.unit)
    assert unit[0] == (CENTRE, CENTRE - RADIUS)  # full marks: the axis end, straight up
    assert unit[1] == (CENTRE + RADIUS / 2, CENTRE)  # half of 10, to the right
    assert unit[2] == unit[3] == (CENTRE, CENTRE)  # nothing scored (or 未评) sits at the centre
    average = _points(chart.average)
    assert average[1] == (CENTRE + RADIUS, CENTRE)  # 20 of 10 is clamped to the edge
    assert [a.anchor for a in chart.axes] == ["middle", "start", "middle", "end"]
    assert len(chart.rings) == 4


def test_fewer_than_three_axes_draw_nothing():
    assert radar(["甲", "乙"], [D(1), D(1)], [D(1), D(1)], [D(1), D(1)]) is None
    assert radar(["甲", "乙", "丙"], [D(1)] * 3, [D(1)] * 2, [D(1)] * 3) is None
