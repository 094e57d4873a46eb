from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.conflicts import VersionField
from dangjian.orgs.models import Organization
from dangjian.orgs.rules import add_years
from dangjian.sheets.forms import SheetFileField

from .idcard import IdNumberError, parse_id_number
from .models import EndCause, Honour, Person
from .roster.validate import MIN_WORK_AGE
from .services import DEPARTURE_CAUSES


class PersonForm(forms.ModelForm):
    loaded_version = VersionField()

    class Meta:
        model = Person
        fields = [
            "name",
            "employee_no",
            "sex",
            "id_number",
            "birth_date",
            "ethnicity",
            "education",
            "phone",
            "department",
            "post",
            "title",
            "employment",
            "political_status",
            "hire_date",
            "native_place",
            "work_started_on",
            "occupation",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "hire_date": forms.DateInput(attrs={"type": "date"}),
            "work_started_on": forms.DateInput(attrs={"type": "date"}),
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "birth_date": "可留空，将按公民身份号码自动填写",
            "sex": "须与公民身份号码一致",
            "native_place": _("省市名称，如：河北省石家庄市"),
            "occupation": _("按党内统计的职业分类"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["birth_date"].required = False
        self.fields["sex"].required = False

    def clean(self):
        data = super().clean()
        work, birth = data.get("work_started_on"), data.get("birth_date")
        if birth is None:  # left blank: the ID number's
            try:
                birth = parse_id_number(data.get("id_number") or "").birth_date
            except IdNumberError:
                birth = None
        if work is not None:
            if work > timezone.localdate():
                self.add_error("work_started_on", _("参加工作时间不能晚于今天"))
            elif birth is not None and work < add_years(birth, MIN_WORK_AGE):
                self.add_error("work_started_on", _("参加工作时间早于年满%(age)d周岁之日") % {"age": MIN_WORK_AGE})
        return data

    def clean_id_number(self):
        from .id_taken import id_number_taken

        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        taken = id_number_taken(self.user, value, exclude_pk=self.instance.pk)
        if taken:
            raise forms.ValidationError(taken)
        return value


class MoveForm(forms.Form):
    to_branch = forms.ModelChoiceField(label=_("转入党支部"), queryset=Organization.objects.none())
    on = forms.DateField(label=_("转接日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("原因"), max_length=100, required=False)

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = branches


class DisciplineForm(forms.Form):
    """留党察看 on the current membership: the period in which the member may not vote, stand or sponsor."""

    since = forms.DateField(label=_("留党察看起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=_("恢复党员权利日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("期满恢复党员权利之日；尚未恢复请留空"),
    )
    reason = forms.CharField(label=_("处分决定文号及说明"), max_length=200)


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("删除原因"), max_length=200)


class RosterUploadForm(forms.Form):
    file = SheetFileField(label=_("花名册文件（.xlsx 或 .csv）"))


class DepartureForm(forms.Form):
    """党员减少登记: a decrease that no other page records."""

    cause = forms.ChoiceField(label=_("减少原因"))
    on = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("去世之日，或决定作出之日")
    )
    note = forms.CharField(
        label=_("决定文件或情况说明"),
        max_length=80,
        help_text=_("如：党委会议纪要〔2026〕第5号；去世的写明情况"),
    )
    confirm = forms.BooleanField(label=_("已核对无误：登记后该党员的组织关系即告终止，不再计入党员人数"))

    def __init__(self, *args, probationary: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        causes = [c for c in DEPARTURE_CAUSES if probationary or c != EndCause.CANCELLED]
        self.fields["cause"].choices = [("", "---------")] + [(c, EndCause(c).label) for c in causes]


class HonourForm(forms.ModelForm):
    class Meta:
        model = Honour
        fields = ["title", "kind", "level", "awarded_on", "issuer", "note"]
        widgets = {"awarded_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"title": _("如：优秀共产党员、优秀党务工作者、先进工作者")}

    def clean_awarded_on(self):
        value = self.cleaned_data["awarded_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("授予日期不能晚于今天"))
        return value


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
