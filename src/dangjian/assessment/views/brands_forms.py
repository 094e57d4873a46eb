"""The forms of the 一支部一特色 pages (``brands``, ``brands_actions``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.uploads import accept_attribute

from ..brands import EVIDENCE_TYPES, BrandData
from ..models import BrandStatus, ReviewResult

TEXT = forms.Textarea(attrs={"rows": 4})


def this_year() -> int:
    return timezone.localdate().year


class FilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *BrandStatus.choices])
    year = forms.IntegerField(label=_("审核年度"), required=False, min_value=2000, max_value=2100)


class BrandForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("党支部"), queryset=None)
    name = forms.CharField(label=_("特色名称"), max_length=100)
    idea = forms.CharField(label=_("特色理念"), widget=TEXT)
    measures = forms.CharField(label=_("主要举措"), widget=TEXT)
    business_link = forms.CharField(
        label=_("与业务工作的结合"),
        widget=TEXT,
        required=False,
        help_text=_("暂以文字说明；与业务条线、科研项目的关联将在后续版本中提供"),
    )
    started_year = forms.IntegerField(label=_("创建年度"), min_value=1921, max_value=2100, initial=this_year)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is None:  # editing: the branch stays the brand's
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = orgs

    def data_object(self) -> BrandData:
        d = self.cleaned_data
        return BrandData(
            name=d["name"],
            idea=d["idea"],
            measures=d["measures"],
            business_link=d.get("business_link") or "",
            started_year=d["started_year"],
        )


class EvidenceForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=this_year)
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("说明"), widget=TEXT, required=False)
    file = forms.FileField(
        label=_("文件（可选）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(EVIDENCE_TYPES)}),
        help_text=_("可用手机直接拍照上传；图片、PDF、Word、Excel 或 OFD，单个文件不超过 20 MB"),
    )


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("审核年度"), min_value=2000, max_value=2100, initial=this_year)
    result = forms.ChoiceField(label=_("审核结果"), choices=ReviewResult.choices, widget=forms.RadioSelect)
    remarks = forms.CharField(
        label=_("审核意见"), widget=TEXT, required=False, help_text=_("不予认定（退回）时必填，说明退回的原因")
    )
