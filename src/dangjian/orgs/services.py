"""The write side for organisations and committee terms."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.audit.services import record, save_changes, snapshot
from dangjian.core.ruletable import NoRuleInForce
from dangjian.core.scoping import recheck

from .models import CommitteePost, CommitteeTerm, Organization, TermExtension, forms_committee
from .models.committee import SECRETARY_POSTS
from .rules import shift_limit, term_end

# Which kinds may sit under which (a group only inside a branch).
ALLOWED_CHILDREN = {
    "committee": {"committee", "general_branch", "branch"},
    "general_branch": {"branch"},
    "branch": {"group"},
    "group": set(),
}


def create_organization(user, parent_id: int, data: dict) -> Organization:
    with transaction.atomic():
        parent = recheck(Organization.objects.all(), user, "orgs.change", parent_id)
        kind = data.get("kind")
        if kind not in ALLOWED_CHILDREN[parent.kind]:
            raise ValidationError({"kind": _("%(kind)s下不能设立该类型的组织") % {"kind": parent.get_kind_display()}})
        if Organization.objects.filter(code=data.get("code")).exists():
            raise ValidationError({"code": _("组织代码已存在")})
        probe = Organization(**data, path="X", depth=parent.depth + 1)
        probe.full_clean(exclude=["path", "depth", "numchild"])
        org = Organization.objects.add_child(parent, data)
        record("create", org, after=snapshot(org))
    return org


def update_organization(user, org_id: int, data: dict) -> Organization:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, "orgs.change", org_id)
        save_changes(org, data, clean_exclude=("path", "depth", "numchild"))
    return org


def dissolve_organization(user, org_id: int, on: date, reason: str) -> Organization:
    """Dissolved, never deleted; refused while members or live sub-organisations remain."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤销原因")})
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, "orgs.change", org_id)
        if org.dissolved_on:
            raise ValidationError(_("该组织已撤销"))
        if org.memberships.current().exists():
            raise ValidationError(_("该组织仍有党员，请先转接组织关系"))
        live_children = Organization.objects.subtree(org).filter(depth__gt=org.depth).active(on)
        if live_children.exists():
            raise ValidationError(_("该组织仍有未撤销的下级组织"))
        if org.founded_on and on < org.founded_on:
            raise ValidationError({"on": _("撤销日期不能早于成立日期")})
        before = snapshot(org)
        org.dissolved_on = on
        org.save(update_fields=["dissolved_on", "updated_at"])
        record("update", org, before=before, after=snapshot(org), detail={"reason": reason, "dissolved": True})
    return org


def record_term(
    user,
    org_id: int,
    elected_on: date,
    posts: list[tuple[int, str]],
    note: str = "",
    *,
    has_committee: bool | None = None,
) -> CommitteeTerm:
    """Record an election: the term's end comes from the term rule in force on the election date.

    ``has_committee`` says whether a committee was elected or a secretary (and deputy) only (机关基层组织工作条例
    2019 第7条: "党员人数不足7人的，不设支部委员会，设书记1名，必要时可以设副书记1名"); left out, it is read from the
    posts (``forms_committee``). Only a branch may go without a committee.
    """
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, "orgs.change", org_id)
        if org.kind == "group":
            raise ValidationError(_("党小组不设委员会"))
        if has_committee is None:
            has_committee = org.kind != "branch" or forms_committee(posts)
        if not has_committee:
            if org.kind != "branch":
                raise ValidationError({"has_committee": _("只有党支部可以不设委员会")})
            if any(post not in SECRETARY_POSTS for _person, post in posts):
                raise ValidationError({"has_committee": _("不设支部委员会的党支部只设书记和副书记，不设其他委员")})
        if org.terms.filter(elected_on__gte=elected_on).exists():
            raise ValidationError({"elected_on": _("已有同日或更晚的届次")})
        try:
            ends_on = term_end(org.kind, elected_on, org.setting)
        except NoRuleInForce as exc:  # an election before the first known term rule: say so on the form
            raise ValidationError({"elected_on": exc.message}) from exc
        term = CommitteeTerm.objects.create(
            organization=org, elected_on=elected_on, ends_on=ends_on, note=note, has_committee=has_committee
        )
        for order, (person_id, post) in enumerate(posts):
            CommitteePost.objects.create(term=term, person_id=person_id, post=post, order=order)
        record("create", term, after={**snapshot(term), "posts": [[p, post] for p, post in posts]})
    return term


def due_on(term: CommitteeTerm) -> date:
    """When the term's election is due: the latest approved early or late election, else the regular end."""
    shift = term.extensions.live().order_by("-approved_on", "-id").first()
    return shift.new_ends_on if shift else term.ends_on


def approve_term_shift(user, term_id: int, data: dict) -> TermExtension:
    """Record the upper committee's approval of an early or late election (延期或提前换届).

    关于党的基层组织任期的意见（2018）第二条: "如需延期或提前进行换届选举，应报上级党的委员会批准，延长或提前期限一般
    不超过1年": the approving organisation is a party committee above the term's organisation, and the new date is
    at most a year from the regular end (both ends inclusive: exactly one year is allowed).
    """
    with transaction.atomic():
        term = CommitteeTerm.objects.select_related("organization").get(pk=term_id)
        org = recheck(Organization.objects.all(), user, "orgs.change", term.organization_id)
        approver: Organization = data["approved_by"]
        if approver.kind != "committee" or not (org.path.startswith(approver.path) and approver.depth < org.depth):
            raise ValidationError({"approved_by": _("延期或提前换届须由上级党的委员会批准")})
        new_end: date = data["new_ends_on"]
        try:
            earliest, latest, rule = shift_limit(term.ends_on)
        except NoRuleInForce as exc:
            raise ValidationError({"new_ends_on": exc.message}) from exc
        if new_end == term.ends_on:
            raise ValidationError({"new_ends_on": _("调整后的换届日期与届满日期相同")})
        if not earliest <= new_end <= latest:
            raise ValidationError(
                {
                    "new_ends_on": _(
                        "延长或提前期限一般不超过%(years)s年：换届日期应在 %(earliest)s 至 "
                        "%(latest)s 之间（%(citation)s）"
                    )
                    % {
                        "years": rule.value,
                        "earliest": f"{earliest:%Y-%m-%d}",
                        "latest": f"{latest:%Y-%m-%d}",
                        "citation": rule.citation,
                    }
                }
            )
        if data["approved_on"] < term.elected_on:
            raise ValidationError({"approved_on": _("批准日期不能早于本届选举日期")})
        if not str(data.get("reason", "")).strip():
            raise ValidationError({"reason": _("请填写延期或提前换届的原因")})
        shift = TermExtension.objects.create(
            term=term,
            new_ends_on=new_end,
            approved_by=approver,
            approved_on=data["approved_on"],
            document_number=data.get("document_number", ""),
            reason=data["reason"],
        )
        record("create", shift, after=snapshot(shift), detail={"regular_end": term.ends_on.isoformat()})
    return shift
