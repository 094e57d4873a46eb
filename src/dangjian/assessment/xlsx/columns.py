"""The two sheets of an indicator system's workbook: their names, columns and the words a cell may hold."""

from __future__ import annotations

from ..models import AppliesTo, Method

SHEET, HEADER_SHEET = "指标", "体系"
L1, L2, LEAF, POINTS, DESCRIPTION, METHOD, PARAMS, DEPARTMENT, EVIDENCE, CITATION = (
    "一级",
    "二级",
    "评分项",
    "分值",
    "评分说明",
    "方法",
    "参数",
    "打分部门",
    "佐证",
    "依据",
)
COLUMNS = (L1, L2, LEAF, POINTS, DESCRIPTION, METHOD, PARAMS, DEPARTMENT, EVIDENCE, CITATION)
REQUIRED = (L1, L2, LEAF, POINTS, METHOD)
LEVEL_JOIN = "／"
ITEM, VALUE = "项目", "内容"
NAME, APPLIES, FROM, TO, TOTAL, BONUS_CAP, BANDS, QUOTAS, NOTE = (
    "名称",
    "适用对象",
    "起始年度",
    "截止年度",
    "总分",
    "加分上限",
    "等次",
    "名额比例",
    "说明",
)
HEADER_ITEMS = (NAME, APPLIES, FROM, TO, TOTAL, BONUS_CAP, BANDS, QUOTAS, NOTE)
METHOD_BY_WORD = {**{str(label): code for code, label in Method.choices}, **{c: c for c in Method.values}}
APPLIES_BY_WORD = {**{str(label): code for code, label in AppliesTo.choices}, **{c: c for c in AppliesTo.values}}
