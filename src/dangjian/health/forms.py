from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.sheets.forms import SheetFileField

from .fields import FIELDS, NUMBER
from .models import ColumnMapping
from .units import default_unit, units_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _year_default() -> int:
    return timezone.localdate().year


MAX_ORG_CHOICES = 200


def trim_org_choices(field: forms.ModelChoiceField, orgs) -> None:
    """A group's committee office would get a list of thousands of branches: past ``MAX_ORG_CHOICES`` offer the
    committees and general branches only (any organisation in ``orgs`` still filters through its id, which the
    field validates against them all)."""
    field.queryset = orgs
    if orgs.count() > MAX_ORG_CHOICES:
        shown = orgs.filter(kind__in=("committee", "general_branch"))
        field.widget.choices = [("", field.empty_label)] + [(o.pk, str(o)) for o in shown]


class FilterForm(forms.Form):
    STATUS = (
        ("", _("全部")),
        ("consent", _("已同意")),
        ("withdrawn", _("已撤回同意")),
        ("no_consent", _("未登记同意")),
        ("checkup", _("有体检结果")),
        ("no_checkup", _("无体检结果")),
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    org = forms.ModelChoiceField(label=_("党组织"), queryset=None, required=False, empty_label=_("全部"))
    department = forms.ModelChoiceField(label=_("部门"), queryset=None, required=False, empty_label=_("全部"))
    status = forms.ChoiceField(label=_("状态"), choices=STATUS, required=False)

    def __init__(self, *args, orgs, departments, **kwargs):
        super().__init__(*args, **kwargs)
        trim_org_choices(self.fields["org"], orgs)
        self.fields["department"].queryset = departments


class ConsentForm(forms.Form):
    ACTIONS = (("give", _("登记同意")), ("withdraw", _("撤回同意")))
    action = forms.ChoiceField(label=_("操作"), choices=ACTIONS)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=_year_default)
    on = forms.DateField(label=_("日期"), initial=timezone.localdate, widget=DATE)


class BulkConsentForm(forms.Form):
    org = forms.ModelChoiceField(label=_("党组织（含下级）"), queryset=None, required=False, empty_label=_("不限"))
    department = forms.ModelChoiceField(label=_("部门（含下级）"), queryset=None, required=False, empty_label=_("不限"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=_year_default)
    on = forms.DateField(label=_("同意日期"), initial=timezone.localdate, widget=DATE)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, orgs, departments, **kwargs):
        super().__init__(*args, **kwargs)
        trim_org_choices(self.fields["org"], orgs)
        self.fields["department"].queryset = departments

    def clean(self):
        data = super().clean()
        if not data.get("org") and not data.get("department"):
            raise forms.ValidationError(_("请选择党组织或部门"))
        return data


class ImportForm(forms.Form):
    file = SheetFileField(label=_("体检结果文件（.xlsx 或 .csv）"))
    year = forms.IntegerField(label=_("体检年度"), min_value=2000, max_value=2100, initial=_year_default)
    mapping = forms.ModelChoiceField(
        label=_("列映射"),
        queryset=ColumnMapping.objects.all(),
        required=False,
        empty_label=_("系统导入模板"),
        help_text=_("医院的表格表头与模板不同时，请选择或新建列映射"),
    )


class MappingForm(forms.ModelForm):
    """The identity headers, then one header box and one unit choice per checkup field."""

    class Meta:
        model = ColumnMapping
        fields = ["name", "id_header", "name_header", "date_header"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        columns = (self.instance.columns or {}) if self.instance.pk else {}
        for f in FIELDS:
            entry = columns.get(f.name, {})
            self.fields[f"h_{f.name}"] = forms.CharField(
                label=f.label, required=False, max_length=60, initial=entry.get("header", "")
            )
            if f.kind == NUMBER:
                choices = [(u.code, u.label) for u in units_for(f.name)]
                self.fields[f"u_{f.name}"] = forms.ChoiceField(
                    label=_("%(field)s单位") % {"field": f.label},
                    choices=choices,
                    initial=entry.get("unit"),
                    required=False,
                )

    def clean(self):
        data = super().clean()
        headers = [data.get(k) for k in ("id_header", "name_header", "date_header")]
        headers += [data.get(f"h_{f.name}") for f in FIELDS]
        filled = ["".join(h.split()) for h in headers if h]
        duplicated = sorted({h for h in filled if filled.count(h) > 1})
        if duplicated:
            raise forms.ValidationError(_("表头重复：%(h)s") % {"h": "、".join(duplicated)})
        if not any(data.get(f"h_{f.name}") for f in FIELDS):
            raise forms.ValidationError(_("请至少填写一个体检项目的表头"))
        return data

    def save(self, commit=True):
        columns = {}
        for f in FIELDS:
            header = "".join((self.cleaned_data.get(f"h_{f.name}") or "").split())
            if header:
                unit = self.cleaned_data.get(f"u_{f.name}") or (default_unit(f.name) if f.kind == NUMBER else "")
                columns[f.name] = {"header": header, "unit": unit}
        self.instance.columns = columns
        return super().save(commit=commit)
