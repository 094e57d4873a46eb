"""A small valid system for the tests: two first-level indicators, an auto, a manual, a bonus and a veto leaf."""

from __future__ import annotations

from decimal import Decimal

from dangjian.assessment.services import SystemData
from dangjian.assessment.tree import Node

BANDS = [[90, "好"], [80, "较好"], [70, "一般"], [0, "差"]]


def small_data(name: str = "测试体系", total: int = 10) -> SystemData:
    return SystemData(
        name=name,
        applies_to="branch",
        valid_from=2026,
        total_points=Decimal(total),
        bonus_cap=Decimal(3),
        bands=[list(b) for b in BANDS],
        quotas={"好": 0.3},
    )


def small_tree(auto_points: int = 6) -> list[Node]:
    return [
        Node(
            name="组织生活",
            children=[
                Node(
                    name="三会一课",
                    children=[
                        Node(
                            name="按期完成率",
                            points=Decimal(auto_points),
                            method="auto",
                            params={"kind": "linear", "from": 60, "to": 100},
                            fact_key="compliance.rate",
                            citation="中国共产党支部工作条例（试行）",
                            scoring_department="组织",
                        )
                    ],
                ),
            ],
        ),
        Node(
            name="思想建设",
            children=[
                Node(name="理论学习", points=Decimal(4), method="manual", evidence="学习记录"),
                Node(name="上级表彰", points=Decimal(3), method="bonus", params={"combine": "highest"}),
                Node(name="严重违纪", points=Decimal(0), method="veto"),
            ],
        ),
    ]
