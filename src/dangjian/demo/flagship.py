"""星河无线电计量测试研究所: the institute of DEMO.md, present at every scale.

The research rooms DEMO.md names are all here; further rooms typical of a radio metrology
institute bring the count to about 60 branches for about 2,000 people. A few branches carry
planted problems (too few full members, no committee, an expired term) so that the
structural warnings show on first start.
"""

from __future__ import annotations

from datetime import date

from .layout import Layout
from .spec import DUE_SOON, EXPIRED, NO_COMMITTEE, SMALL

NAME = "星河无线电计量测试研究所"
PREFIX = "XH"
# The branch whose secretary and member get the demo accounts ``secretary`` and ``member``.
SECRETARY_BRANCH = "时间频率计量室党支部"

ROOMS = [
    ("时间频率计量室", 66),
    ("无线电计量室", 58),
    ("微波毫米波计量室", 52),
    ("光学计量室", 40),
    ("力学计量室", 40),
    ("热工计量室", 36),
    ("电学计量室", 46),
    ("软件测评中心", 44),
    ("校准系统集成部", 36),
    ("标准物质研究室", 24),
    ("功率与衰减计量室", 24),
    ("阻抗与网络参数计量室", 22),
    ("脉冲与波形计量室", 20),
    ("噪声计量室", 18),
    ("电离辐射计量室", 24),
    ("声学计量室", 20),
    ("几何量计量室", 26),
    ("化学计量室", 18),
    ("天线测量室", 28),
    ("雷达目标特性测试室", 26),
    ("卫星导航测试室", 30),
    ("航天测控测试室", 26),
    ("元器件检测室", 30),
    ("环境与可靠性试验室", 34),
    ("量子精密测量研究室", 18),
    ("激光与光电测试室", 24),
    ("数字化计量技术室", 22),
    ("计量技术研究室", 26),
    ("通信测试室", 24),
    ("频谱监测室", 18),
    ("计量信息中心", 18),
    ("检测认证中心", 30),
    ("计量器具检定中心", 34),
    ("信号源研制室", 26),
    ("自动测试系统室", 28),
    ("标准化研究室", 8),
]

CENTRES = [
    ("电磁兼容测试中心", 4, [("辐射发射测试室", 30), ("抗扰度测试室", 26), ("系统级电磁兼容室", 24)]),
    ("仪器研制中心", 5, [("总体设计室", 32), ("电路设计室", 36), ("结构工艺室", 26), ("生产调试室", 40)]),
    ("集成电路测试中心", 3, [("数字电路测试室", 26), ("射频电路测试室", 24), ("失效分析室", 20)]),
    (
        "成都分部",
        3,
        [("成都分部计量一室", 28), ("成都分部计量二室", 26), ("成都分部测试室", 24), ("成都分部综合室", 7)],
    ),
]

JOINT_ROOMS = [("培训情报联合党支部", [("计量培训中心", 9), ("技术情报室", 7)])]

# 党群工作部 is the committee office; the ten functional offices share five joint branches.
OFFICES = [
    ("综合保密联合党支部", [("综合办公室", 22), ("保密办公室", 6)]),
    ("党群纪检联合党支部", [("党群工作部", 12), ("纪检监察室", 8)]),
    ("科研质量联合党支部", [("科研生产处", 20), ("质量技术处", 16)]),
    ("人事财务联合党支部", [("人力资源处", 12), ("财务处", 16)]),
    ("资产安全联合党支部", [("资产保障处", 22), ("安全环保处", 10)]),
]

FLAGS = {
    "标准化研究室党支部": frozenset({SMALL}),
    "成都分部综合室党支部": frozenset({SMALL}),
    "力学计量室党支部": frozenset({NO_COMMITTEE}),
    "热工计量室党支部": frozenset({NO_COMMITTEE}),
    "光学计量室党支部": frozenset({EXPIRED}),
    "软件测评中心党支部": frozenset({EXPIRED}),
    "电磁兼容测试中心党总支": frozenset({EXPIRED}),
    "无线电计量室党支部": frozenset({DUE_SOON}),
}


def layout() -> Layout:
    return Layout(
        name=NAME,
        prefix=PREFIX,
        city="北京",
        founded_on=date(1965, 6, 1),
        rooms=ROOMS,
        centres=CENTRES,
        joint_rooms=JOINT_ROOMS,
        offices=OFFICES,
        retiree_areas=4,
        retirees=300,
        flags=FLAGS,
    )
