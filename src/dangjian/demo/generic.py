"""Generated institutes for the academy and group scales, shaped like the flagship one.

Each has about 1,100–1,900 people and about 55–60 branches, so that a group of a hundred
institutes lands near the design targets (150,000 people, 6,000 branches).
"""

from __future__ import annotations

import random
from datetime import date

from .layout import Layout, Rooms
from .names import CITY_REGIONS
from .spec import DUE_SOON, EXPIRED, NO_COMMITTEE, SMALL, cn_number

_FIELDS = """
电子测量技术 微波技术 雷达系统 导航与控制 精密机械 光电技术 材料与工艺 软件工程 通信技术
传感器技术 遥感信息 可靠性工程 天线技术 电源技术 系统仿真 环境工程 红外技术 激光技术 惯性技术
数据链技术 电子元器件 计算机应用 自动化 信息安全 真空技术 声学技术 测控技术 无线电技术 精密仪器
标准化与质量
"""
FIELDS = _FIELDS.split()

_ROOM_TOPICS = """
总体设计 系统工程 射频电路 微波电路 数字电路 信号处理 嵌入式软件 应用软件 算法研究 结构设计 热设计
工艺技术 总装 调试 测试技术 试验技术 可靠性 质量检验 标准化 计量 材料 电源 天线 伺服控制 光学设计
光电探测 激光器 红外 图像处理 数据处理 仿真 电磁兼容 元器件 封装 传感器 惯性器件 导航算法 通信系统
网络技术 信息安全 软件测评 数据链 雷达信号 频率合成 功率放大 低噪声 微组装 精密加工 机电 环境试验
校准 检定 技术服务 产品保障 综合保障 预先研究 基础研究 新技术 产业化 电路设计 结构工艺 测量仪器
自动测试 模拟电路 时频 光纤 毫米波 太赫兹
"""
ROOM_TOPICS = _ROOM_TOPICS.split()

_CENTRES = "产品研制中心 系统集成中心 环境试验中心 软件工程中心 检测中心 技术服务中心 工程化中心"
CENTRES = _CENTRES.split()

OFFICE_BRANCHES = (
    ("综合保密联合党支部", ("综合办公室", "保密办公室")),
    ("党群纪检联合党支部", ("党群工作部", "纪检监察室")),
    ("科研质量联合党支部", ("科研生产处", "质量技术处")),
    ("人事财务联合党支部", ("人力资源处", "财务处")),
    ("资产安全联合党支部", ("资产保障处", "安全环保处")),
)


def institute_names(rng: random.Random, count: int, exclude: set[str]) -> list[tuple[str, str]]:
    """``count`` distinct (city, institute name) pairs."""
    out: list[tuple[str, str]] = []
    seen = set(exclude)
    cities = sorted(CITY_REGIONS)
    while len(out) < count:
        city, topic = rng.choice(cities), rng.choice(FIELDS)
        name = f"{city}{topic}研究所"
        if name not in seen:
            seen.add(name)
            out.append((city, name))
    return out


def generic_layout(rng: random.Random, name: str, city: str, prefix: str) -> Layout:
    total = rng.randint(1100, 1900)
    retirees = round(total * rng.uniform(0.14, 0.2))
    areas = max(2, round(retirees * 0.6 / 36))
    office_staff = round(total * 0.09)
    offices = [
        (branch, [(o, max(4, office_staff // 10 + rng.randint(-3, 4))) for o in pair])
        for branch, pair in OFFICE_BRANCHES
    ]

    topics = rng.sample(ROOM_TOPICS, len(ROOM_TOPICS))
    centres = []
    for centre in rng.sample(CENTRES, rng.randint(1, 2)):
        rooms = [(f"{centre}{cn_number(k)}室", rng.randint(20, 36)) for k in range(1, rng.randint(3, 4) + 1)]
        centres.append((centre, rng.randint(2, 5), rooms))
    research = total - retirees - office_staff - sum(own + sum(n for _, n in rs) for _, own, rs in centres)
    rooms: Rooms = []
    while research > 12 and topics:
        n = min(research, rng.randint(12, 31))
        topic = topics.pop()
        rooms.append((f"{topic}{'研究室' if rng.random() < 0.3 else '室'}", n))
        research -= n

    flags: dict[str, frozenset[str]] = {}
    if rng.random() < 0.6 and topics:
        small = f"{topics.pop()}室"
        rooms.append((small, 7))
        flags[f"{small}党支部"] = frozenset({SMALL})
    by_size = sorted(rooms, key=lambda r: -r[1])
    if rng.random() < 0.5:
        flags[f"{by_size[0][0]}党支部"] = frozenset({NO_COMMITTEE})
    for room, _ in rng.sample(by_size[1:], rng.randint(1, 2)):
        flags[f"{room}党支部"] = frozenset({EXPIRED})
    if rng.random() < 0.5:
        flags[f"{rng.choice(by_size[3:])[0]}党支部"] = frozenset({DUE_SOON})
    if rng.random() < 0.1:
        flags[f"{name}党委"] = frozenset({EXPIRED})

    return Layout(
        name=name,
        prefix=prefix,
        city=city,
        founded_on=date(rng.randint(1958, 1985), rng.randint(1, 12), 1),
        rooms=rooms,
        centres=centres,
        joint_rooms=[],
        offices=offices,
        retiree_areas=areas,
        retirees=retirees,
        flags=flags,
    )
