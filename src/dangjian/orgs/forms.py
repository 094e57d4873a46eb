from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.people.models import Person

from .models import CommitteePost, Organization, OrgKind, Post


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["kind", "joint", "setting", "code", "name", "short_name", "founded_on", "order"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"})}


class OrganizationEditForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["joint", "setting", "name", "short_name", "founded_on", "order", "departments"]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"})}


class DissolveForm(forms.Form):
    on = forms.DateField(label="撤销日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="撤销原因", max_length=200)


class TermForm(forms.Form):
    COMMITTEE, SECRETARY_ONLY = "committee", "secretary_only"

    elected_on = forms.DateField(label="选举日期", widget=forms.DateInput(attrs={"type": "date"}))
    # 机关基层组织工作条例 2019 第7条: "党员人数不足7人的，不设支部委员会，设书记1名，必要时可以设副书记1名"
    form = forms.ChoiceField(
        label=gettext_lazy("设置形式"),
        choices=[
            (COMMITTEE, gettext_lazy("设委员会")),
            (SECRETARY_ONLY, gettext_lazy("不设支部委员会，仅设书记（副书记）")),
        ],
        initial=COMMITTEE,
        help_text=gettext_lazy(
            "正式党员不足7人的党支部，不设支部委员会，设书记1名，必要时设副书记1名；此时不要求召开支委会。"
        ),
    )
    note = forms.CharField(label="备注", max_length=200, required=False)
    secretary = forms.ModelChoiceField(label="书记", queryset=Person.objects.none())
    deputy_secretary = forms.ModelChoiceField(label="副书记", queryset=Person.objects.none(), required=False)
    organizer = forms.ModelChoiceField(label="组织委员", queryset=Person.objects.none(), required=False)
    publicity = forms.ModelChoiceField(label="宣传委员", queryset=Person.objects.none(), required=False)
    discipline = forms.ModelChoiceField(label="纪检委员", queryset=Person.objects.none(), required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("secretary", "deputy_secretary", "organizer", "publicity", "discipline"):
            self.fields[name].queryset = members

    def clean(self):
        data = super().clean()
        if data.get("form") == self.SECRETARY_ONLY:
            extra = [str(Post(p).label) for p in ("organizer", "publicity", "discipline") if data.get(p)]
            if extra:
                raise forms.ValidationError(
                    _("不设支部委员会的，只设书记和副书记，请清空：%(posts)s") % {"posts": "、".join(extra)}
                )
        return data

    def has_committee(self) -> bool:
        return self.cleaned_data["form"] == self.COMMITTEE

    def posts(self) -> list[tuple[int, str]]:
        out = []
        for post in (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.ORGANIZER, Post.PUBLICITY, Post.DISCIPLINE):
            person = self.cleaned_data.get(post.value)
            if person:
                out.append((person.pk, post.value))
        return out


class TermShiftForm(forms.Form):
    """The upper committee's approval of an early or late election (关于党的基层组织任期的意见 2018 第二条)."""

    new_ends_on = forms.DateField(label="调整后的换届日期", widget=forms.DateInput(attrs={"type": "date"}))
    approved_by = forms.ModelChoiceField(label="批准的上级党委", queryset=Organization.objects.none())
    approved_on = forms.DateField(label="批准日期", widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label="批准文号", max_length=100, required=False)
    reason = forms.CharField(label="原因", max_length=300)

    def __init__(self, *args, approvers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = approvers


__all__ = [
    "CommitteePost",
    "DissolveForm",
    "OrgKind",
    "OrganizationEditForm",
    "OrganizationForm",
    "TermForm",
    "TermShiftForm",
]
