"""The fields of one checkup: the inputs of the four published models (HEALTH_MODELS.md) plus the checkup date.

Age and sex are not here: they come from the Person (公民身份号码). Numbers are stored in one canonical unit per
field (cholesterol in mmol/L, as the score functions take it; gastrin-17 in pmol/L); the import converts each
column from the unit chosen in the column mapping (``units.py`` holds units, conversions and ranges).
Yes/no answers are booleans; the FIT result is "positive"/"negative". Every field may be missing: the screening
run says which inputs a model lacks rather than guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

NUMBER, BOOL, CHOICE = "number", "bool", "choice"

FIT_CHOICES = (("positive", _("阳性")), ("negative", _("阴性")))


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str
    group: str
    help: str = ""


# Order = template column order = order on the record page.
FIELDS: tuple[Field, ...] = (
    Field("sbp_mmhg", "收缩压", NUMBER, "cvd"),
    Field("on_bp_treatment", "服用降压药", BOOL, "cvd"),
    Field("total_cholesterol_mmol_l", "总胆固醇", NUMBER, "cvd"),
    Field("hdl_cholesterol_mmol_l", "高密度脂蛋白胆固醇", NUMBER, "cvd"),
    Field("waist_cm", "腰围", NUMBER, "cvd"),
    Field("current_smoker", "目前吸烟", BOOL, "cvd"),
    Field("diabetes", "糖尿病", BOOL, "cvd", "空腹血糖≥7.0 mmol/L 或正在治疗"),
    Field("north", "居住在北方", BOOL, "cvd", "长江以北"),
    Field("urban", "居住在城市", BOOL, "cvd"),
    Field("family_history_ascvd", "心脑血管病家族史", BOOL, "cvd", "父母或兄弟姐妹患心肌梗死或脑卒中"),
    Field("h_pylori_positive", "幽门螺杆菌抗体阳性", BOOL, "gastric"),
    Field("pg1_ng_ml", "胃蛋白酶原I", NUMBER, "gastric"),
    Field("pg2_ng_ml", "胃蛋白酶原II", NUMBER, "gastric"),
    Field("pg_ratio", "胃蛋白酶原比值", NUMBER, "gastric", "PG I / PG II；可不填，由 PG I 和 PG II 计算"),
    Field("gastrin17_pmol_l", "胃泌素-17", NUMBER, "gastric", "只接受 pmol/L"),
    Field("first_degree_relative_crc", "一级亲属患结直肠癌", BOOL, "crc"),
    Field("ever_smoker", "吸烟史（现在或过去）", BOOL, "crc"),
    Field("own_cancer_history", "本人有癌症史", BOOL, "crc"),
    Field("own_polyp_history", "本人有肠息肉史", BOOL, "crc"),
    Field("chronic_constipation", "慢性便秘", BOOL, "crc"),
    Field("chronic_diarrhoea", "慢性腹泻", BOOL, "crc"),
    Field("mucus_or_bloody_stool", "黏液血便", BOOL, "crc"),
    Field("adverse_life_event_20y", "近20年不良生活事件", BOOL, "crc"),
    Field("chronic_appendicitis_or_appendectomy", "慢性阑尾炎或阑尾切除史", BOOL, "crc"),
    Field("chronic_biliary_disease_or_cholecystectomy", "慢性胆道疾病或胆囊切除史", BOOL, "crc"),
    Field("fit_result", "粪便免疫化学检测（FIT）", CHOICE, "crc"),
)
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
NUMBER_FIELDS = tuple(f.name for f in FIELDS if f.kind == NUMBER)

GROUP_LABELS = {
    "cvd": _("心血管病风险（China-PAR）"),
    "gastric": _("胃癌筛查"),
    "crc": _("结直肠癌筛查"),
}

# The identity columns every sheet has; their headers may be renamed in a column mapping.
ID_COLUMN = "公民身份号码"
NAME_COLUMN = "姓名"
DATE_COLUMN = "体检日期"

YES = {"是", "有", "阳性", "y", "yes", "true", "1", "√", "✓", "+"}
NO = {"否", "无", "阴性", "n", "no", "false", "0", "×", "-"}
FIT_TEXT = {
    "阳性": "positive",
    "+": "positive",
    "positive": "positive",
    "阴性": "negative",
    "-": "negative",
    "negative": "negative",
}


def pg_ratio_of(values: dict) -> float | None:
    """The PG I / PG II ratio: as given, else computed from PG I and PG II when both are present."""
    if values.get("pg_ratio") is not None:
        return values["pg_ratio"]
    pg1, pg2 = values.get("pg1_ng_ml"), values.get("pg2_ng_ml")
    if pg1 is not None and pg2:
        return pg1 / pg2
    return None
