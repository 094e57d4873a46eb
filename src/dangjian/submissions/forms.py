"""The forms of the submissions pages: a draft, the office's answer, a withdrawal, a file, the list's filters."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization

from .models import Category, Kind, Status
from .queries import CHANGE, VIEW
from .services import ACCEPT, ADDRESSEE_KINDS, DECISIONS

TEXTAREA = forms.Textarea(attrs={"rows": 12})


def sending_organizations(user):
    """The organisations the user drafts for: those they maintain, 党小组 aside (a group sends through its branch)."""
    return Organization.objects.visible_to(user, CHANGE).active().exclude(kind="group").order_by("path")


def possible_addressees(user):
    """Every organisation that may receive what the user's organisations send: the committees and general branches
    above or inside the user's scope (the service checks that the one chosen is above the sender)."""
    scope = scope_for(user, CHANGE)
    paths = set(scope.subtree_paths) | set(scope.exact_paths)
    step = Organization.steplen
    above = {p[:n] for p in paths for n in range(step, len(p) + 1, step)}
    inside = scope.org_q("path") if scope.has_orgs or scope.everything else Q(pk__in=[])
    return (
        Organization.objects.active()
        .filter(kind__in=ADDRESSEE_KINDS)
        .filter(Q(path__in=sorted(above)) | inside)
        .order_by("path")
    )


class DraftForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("报送组织"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("文种"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    addressee = forms.ModelChoiceField(
        label=_("主送组织"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("最近的上级党委（自动）"),
        help_text=_("请示原则上主送一个上级党组织，一般为最近的上级党委"),
    )
    title = forms.CharField(label=_("标题"), max_length=200, help_text=_("如“关于……的请示”“关于……的报告”"))
    body = forms.CharField(label=_("正文"), widget=TEXTAREA, help_text=_("请示应当一文一事；报告中不得夹带请示事项"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = sending_organizations(user)
        self.fields["addressee"].queryset = possible_addressees(user)
        self.fields["title"].widget.attrs["placeholder"] = _("关于……的请示")
        self.fields["category"].help_text = _("个人有关事项仅领导本人可以报告，只有本人和上级党委办公室可以查看")


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("办理结果"), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("答复意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("退回时必须写明原因"),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        self.fields["decision"].choices = [(d.value, labels[d.value]) for d in DECISIONS[kind]]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("附件"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


SORTS = (
    ("-sent", _("报送时间（新→旧）")),
    ("sent", _("报送时间（旧→新）")),
    ("deadline", _("答复期限")),
    ("number", _("文号")),
    ("title", _("标题")),
)
ORDER_BY = {
    "-sent": ("-sent_at", "-pk"),
    "sent": ("sent_at", "pk"),
    "deadline": ("deadline", "sent_at", "pk"),
    "number": ("organization__path", "year", "seq", "pk"),
    "title": ("title", "pk"),
}
STATUS_FILTERS = [("", _("全部")), ("pending", _("待签收或待答复")), ("overdue", _("请示超期未答复"))] + list(
    Status.choices
)


class FilterForm(forms.Form):
    box = forms.ChoiceField(
        label=_("收发"), choices=(("sent", _("本组织报送")), ("received", _("本级收到"))), required=False
    )
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    org = forms.ModelChoiceField(
        label=_("报送组织"), queryset=Organization.objects.none(), required=False, empty_label=_("全部")
    )
    kind = forms.ChoiceField(label=_("文种"), choices=[("", _("全部"))] + list(Kind.choices), required=False)
    category = forms.ChoiceField(label=_("类别"), choices=[("", _("全部"))] + list(Category.choices), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_FILTERS, required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    sort = forms.ChoiceField(label=_("排序"), choices=SORTS, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Organization.objects.visible_to(user, VIEW).exclude(kind="group").only("pk", "name", "path", "depth")
        )
        self.fields["box"].widget = forms.HiddenInput()
        self.fields["q"].widget.attrs["placeholder"] = _("标题或文号")
