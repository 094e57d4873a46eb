from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.conflicts import VersionField
from dangjian.orgs.models import Organization
from dangjian.sheets.forms import SheetFileField

from .models import Person


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
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "hire_date": forms.DateInput(attrs={"type": "date"}),
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        }
        help_texts = {"birth_date": "可留空，将按公民身份号码自动填写", "sex": "须与公民身份号码一致"}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["birth_date"].required = False
        self.fields["sex"].required = False

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
