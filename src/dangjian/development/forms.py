from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import ContactRole, DevelopmentStage
from .timeline import sponsor_refusal


class OpenForm(forms.Form):
    person = forms.ModelChoiceField(label=_("申请人"), queryset=Person.objects.none())
    branch = forms.ModelChoiceField(label=_("党支部"), queryset=Organization.objects.none())
    applied_on = forms.DateField(label=_("递交入党申请书日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people=None, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["branch"].queryset = branches
        self.fields["applied_on"].initial = timezone.localdate()


MAX_VOTES = 32767


class StepForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.ModelChoiceField(label=_("经办人"), queryset=Person.objects.none(), required=False)
    documents = forms.CharField(label=_("材料"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    training_days = forms.DecimalField(label=_("培训天数"), required=False, min_value=0, max_digits=5, decimal_places=1)
    training_hours = forms.DecimalField(
        label=_("培训学时"), required=False, min_value=0, max_digits=6, decimal_places=1
    )
    votes_due = forms.IntegerField(
        label=_("应到会有表决权的正式党员人数"), required=False, min_value=0, max_value=MAX_VOTES
    )
    votes_present = forms.IntegerField(
        label=_("实到会有表决权的正式党员人数"), required=False, min_value=0, max_value=MAX_VOTES
    )
    votes_yes = forms.IntegerField(label=_("赞成票数"), required=False, min_value=0, max_value=MAX_VOTES)
    votes_written_yes = forms.IntegerField(
        label=_("书面意见赞成票数"),
        help_text=_("因故不能到会、会前正式提交书面意见的有表决权正式党员中表示赞成的人数；计入票数，不计入到会人数"),
        required=False,
        min_value=0,
        max_value=MAX_VOTES,
    )

    TRAINING = ("training_days", "training_hours")
    VOTES = ("votes_due", "votes_present", "votes_yes", "votes_written_yes")

    def __init__(self, *args, people=None, code="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = people if people is not None else Person.objects.none()
        keep = self.TRAINING if code == "intensive_training" else ()
        keep += self.VOTES if code in ("admission_meeting", "conversion_meeting") else ()
        for name in self.TRAINING + self.VOTES:
            if name not in keep:
                del self.fields[name]

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        actor = d.get("actor")
        return {
            "done_on": d["done_on"],
            "actor_id": actor.pk if actor else None,
            "documents": d.get("documents", ""),
            "note": d.get("note", ""),
            "training_days": d.get("training_days"),
            "training_hours": d.get("training_hours"),
            "votes_due": d.get("votes_due"),
            "votes_present": d.get("votes_present"),
            "votes_yes": d.get("votes_yes"),
            "votes_written_yes": d.get("votes_written_yes"),
        }


class ContactForm(forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=ContactRole.choices)

    def __init__(self, *args, people=None, development=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.development = development

    def clean(self):
        # 细则 第14条: 入党介绍人应当是正式党员, not under 留党察看 — said beside the field before the service runs
        data = super().clean()
        person, role = data.get("person"), data.get("role")
        if self.development is not None and person is not None and role == ContactRole.SPONSOR:
            refusal = sponsor_refusal(self.development, person, timezone.localdate())
            if refusal is not None:
                self.add_error("person", f"{refusal.reason}（{refusal.citation}）")
        return data


class OverrideForm(forms.Form):
    step_code = forms.ChoiceField(label=_("步骤"))
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step_code"].choices = [(s.code, f"{s.number}. {s.name}") for s in steps]


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("考察日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reviewer = forms.ModelChoiceField(label=_("考察人"), queryset=Person.objects.none(), required=False)
    summary = forms.CharField(label=_("考察意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = people if people is not None else Person.objects.none()


class ExtensionForm(forms.Form):
    months = forms.IntegerField(label=_("延长月数"), min_value=1, max_value=24, help_text=_("6至12个月，只能延长一次"))
    decided_on = forms.DateField(label=_("支部大会决定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CancellationForm(forms.Form):
    """取消预备党员资格 (细则 第34条): the branch meeting decides it, the upper committee approves it."""

    meeting_on = forms.DateField(label=_("支部大会讨论日期"), widget=forms.DateInput(attrs={"type": "date"}))
    approved_on = forms.DateField(
        label=_("上级党委审批日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("预备党员组织关系自审批之日终止，减少原因记为“取消预备党员资格”"),
    )
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("不履行党员义务、不具备党员条件的具体情况"),
    )
    # confirmed on the server as well as by the page's dialog: the membership ends and cannot be reopened here
    confirm = forms.BooleanField(label=_("确认取消其预备党员资格，终止其预备党员组织关系"))


class DepartureForm(forms.Form):
    leaves_unit_on = forms.DateField(
        label=_("预计离开工作、学习单位日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续（细则第19条）。留空表示无离开安排。"
        ),
    )


class FilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("阶段"), required=False, choices=[("", _("全部"))] + list(DevelopmentStage.choices)
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("open", _("进行中")), ("closed", _("已结束"))]
    )
    due = forms.ChoiceField(
        label=_("期限"), required=False, choices=[("", _("全部")), ("soon", _("30日内到期")), ("overdue", _("已超期"))]
    )
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
