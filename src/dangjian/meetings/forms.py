"""Forms of the meeting pages. They only shape input: the rules live in services.py and rules.py."""

from __future__ import annotations

import html
import re

from django import forms
from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _

from dangjian.core.conflicts import VersionField
from dangjian.orgs.models import CommitteePost, Organization
from dangjian.people.models import Membership, Person

from .attachments import ACCEPT, MAX_ATTACHMENT_BYTES
from .models import AttendanceStatus, Meeting, MeetingKind, MeetingStatus

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
PEOPLE_FIELDS = ("host", "recorder", "lecturer")


def text_to_html(text: str) -> str:
    """Plain text from a textarea to paragraphs: a blank line starts a paragraph, a line break stays one.

    Everything typed is escaped, so a "<" in the minutes is shown, never interpreted.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    return "".join("<p>" + "<br>".join(escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs)


def html_to_text(value: str) -> str:
    """The reverse of ``text_to_html`` for pre-filling a textarea with stored minutes."""
    value = re.sub(r"<br\s*/?>", "\n", value or "", flags=re.I)
    value = re.sub(r"</(p|h3|h4|li|blockquote|tr)>", "\n\n", value, flags=re.I)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(strip_tags(value))).strip()


def people_of(org: Organization | None):
    """Who may host, record or lecture: the organisation's current members and its committee in office."""
    if org is None:
        return Person.objects.none()
    members = Membership.objects.current().filter(Q(organization=org) | Q(group=org)).values("person_id")
    q = Q(pk__in=members)
    term = org.terms.order_by("-elected_on").first()
    if term is not None:
        q |= Q(pk__in=CommitteePost.objects.filter(term=term).values("person_id"))
    return Person.objects.filter(q).order_by("sort_key", "name", "pk")


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


def _datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class MeetingForm(forms.ModelForm):
    """Plan a meeting (with ``organization``) or edit one (``MeetingEditForm``, without it)."""

    organization = OrganizationChoiceField(
        label=_("党组织"), queryset=Organization.objects.none(), empty_label=_("请选择党组织")
    )
    starts_at = _datetime_field(_("开始时间"))
    ends_at = _datetime_field(_("结束时间"))
    host = PersonChoiceField(
        label=_("主持人"), queryset=Person.objects.none(), required=False, empty_label=_("暂不指定")
    )
    recorder = PersonChoiceField(
        label=_("记录人"), queryset=Person.objects.none(), required=False, empty_label=_("暂不指定")
    )
    lecturer = PersonChoiceField(
        label=_("授课人"), queryset=Person.objects.none(), required=False, empty_label=_("暂不指定")
    )

    class Meta:
        model = Meeting
        fields = [
            "organization",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "host",
            "recorder",
            "lecturer",
            "agenda",
            "study_materials",
        ]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "study_materials": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, orgs=None, org: Organization | None = None, people_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:
            self.fields["organization"].queryset = orgs if orgs is not None else Organization.objects.none()
            if people_url:
                # Choosing another organisation reloads the people lists (htmx; the page works without it).
                self.fields["organization"].widget.attrs.update(
                    {
                        "hx-get": people_url,
                        "hx-target": "#people-fields",
                        "hx-select": "#people-fields",
                        "hx-swap": "outerHTML",
                    }
                )
            org = self._chosen_org() or org
        people = people_of(org)
        for name in PEOPLE_FIELDS:
            self.fields[name].queryset = people
            if org is None:
                self.fields[name].help_text = _("请先选择党组织")
        if "kind" in self.fields:
            self.fields["kind"].choices = [("", _("请选择会议类型")), *MeetingKind.choices]
        self.fields["title"].widget.attrs.setdefault("placeholder", _("如：学习贯彻党的二十届四中全会精神"))

    def _chosen_org(self) -> Organization | None:
        value = self.data.get(self.add_prefix("organization")) if self.is_bound else None
        if not value:
            return None
        try:
            return self.fields["organization"].queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("结束时间必须晚于开始时间"))
        return data

    def service_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f != "organization" and f in self.cleaned_data}

    def _post_clean(self):
        # The service validates the row (full_clean inside its transaction); the form must not
        # touch the instance's organisation here, which an edit form does not even have.
        pass


class MeetingEditForm(MeetingForm):
    """Organisation and kind stay as planned: the list of those due to attend was taken from them."""

    organization = None  # type: ignore[assignment]

    class Meta(MeetingForm.Meta):
        fields = [f for f in MeetingForm.Meta.fields if f not in ("organization", "kind")]


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("主题"), required=False, max_length=100)
    org = OrganizationChoiceField(
        label=_("党组织（含下级）"), queryset=Organization.objects.none(), required=False, empty_label=_("全部")
    )
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *MeetingKind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *MeetingStatus.choices])
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Organization.objects.none()
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("按主题搜索")})

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data

    def apply(self, qs):
        if not self.is_bound or not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"].strip():
            qs = qs.filter(title__icontains=data["q"].strip())
        if data["org"]:
            qs = qs.filter(organization__in=Organization.objects.subtree(data["org"]))
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["date_from"]:
            qs = qs.filter(starts_at__date__gte=data["date_from"])
        if data["date_to"]:
            qs = qs.filter(starts_at__date__lte=data["date_to"])
        return qs


class AttendanceRowForm(forms.Form):
    """One line of the attendance table; its prefix carries the person id."""

    status = forms.ChoiceField(label=_("出席情况"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("事由"), max_length=200, required=False)

    def __init__(self, *args, person_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs["aria-label"] = _("%(name)s 的出席情况") % {"name": person_name}
        self.fields["reason"].widget.attrs.update(
            {"aria-label": _("%(name)s 的事由") % {"name": person_name}, "placeholder": _("请假须填写事由")}
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == AttendanceStatus.EXCUSED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("请假须填写事由"))
        return data


class MinutesForm(forms.Form):
    loaded_version = VersionField()
    minutes = forms.CharField(
        label=_("会议记录"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("直接输入文字即可：空一行为新段落。"),
        error_messages={"required": _("会议记录不能为空")},
    )


class ResolutionForm(forms.Form):
    title = forms.CharField(label=_("表决事项"), max_length=200)
    yes = forms.IntegerField(label=_("赞成"), min_value=0, initial=0)
    no = forms.IntegerField(label=_("反对"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("弃权"), min_value=0, initial=0)


ResolutionFormSet = forms.formset_factory(ResolutionForm, extra=3, max_num=20)


def resolutions_of(formset) -> list[dict]:
    return [
        {k: f.cleaned_data[k] for k in ("title", "yes", "no", "abstain")}
        for f in formset.forms
        if f.has_changed() and f.cleaned_data.get("title")
    ]


class AmendForm(forms.Form):
    loaded_version = VersionField()
    minutes = forms.CharField(label=_("更正后的会议记录"), widget=forms.Textarea(attrs={"rows": 12}))
    reason = forms.CharField(label=_("更正原因"), max_length=300)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("上传照片或 PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        self.fields["file"].help_text = _("JPG、PNG 或 PDF，单个文件不超过 %(mb)d MB") % {"mb": limit}
