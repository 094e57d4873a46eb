"""Demo accounts: one per role, with a published password, created only by the demo loader.

They exist so a newcomer can see the platform through each role's eyes; ``User.is_demo``
marks them so production checks and the ``logins`` command can find them. Every account that is
not an administrator's is tied to a real person, as a real account would be (an administrator's
account never is: 三权分立): the ``secretary`` and ``member`` accounts to people of one
research-room branch, so that "my branch" and "my record" pages have content; ``leader`` to a
member of the sitting 党委 (its secretary); the ``health`` and ``care`` officers to staff of the
institute's party office (党群工作部), the committee office that such officers belong to; ``office``
stays a shared office account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangjian.accounts import second_factor
from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.roles import Role
from dangjian.audit.services import record
from dangjian.orgs.models import CommitteeTerm, Department, Organization, Post
from dangjian.people.models import Membership, Person

from . import flagship

DEMO_PASSWORD = "Demo@2026"
# The institute's party office, where the demo health and care officers work.
PARTY_OFFICE = "党群工作部"
# The demo administrators are enrolled in the second factor (DANGJIAN_2FA_ROLES) with published authenticator
# secrets (base32), printed by ``dangjian logins``, so a tester can compute their codes.
DEMO_TOTP_SECRETS = {
    "sysadmin": "W74XOCPZ5A2MQHECS4Y3RPEMXJJPQCKI",
    "secadmin": "OSNIRE6AW2QXBCAXPQZGJUWW4D4CKZJG",
    "auditor": "74MWVQVMFXUNUOTH4OAIPLX5T7UUKQJ2",
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    scope: str  # "root": the whole tree; "branch": the secretary's branch; "": no organisation
    sees: str


DEMO_ACCOUNTS = (
    DemoAccount("office", Role.OFFICE, "root", "全部党组织、党员与职工（含敏感信息），可维护、导入、导出"),
    DemoAccount("leader", Role.LEADER, "root", "全部党组织与人员概况（只读），可导出"),
    DemoAccount("secretary", Role.SECRETARY, "branch", f"{flagship.SECRETARY_BRANCH}的党员、职工与组织生活，可维护"),
    DemoAccount(
        "member", Role.MEMBER, "", f"本人档案（{flagship.SECRETARY_BRANCH}），会议扫码签到、学习学时、民主评议"
    ),
    DemoAccount("auditor", Role.AUDITOR, "", "审计日志，看不到业务数据"),
    DemoAccount("sysadmin", Role.SYSADMIN, "", "账号管理，看不到业务数据"),
    DemoAccount("secadmin", Role.SECADMIN, "", "角色授权与安全策略，看不到业务数据"),
    DemoAccount("health", Role.HEALTH_OFFICER, "root", "全部职工的体检与风险筛查"),
    DemoAccount("care", Role.CARE_OFFICER, "root", "全部职工的关怀事项（五必问、五必谈、五必访）"),
)


def secretary_branch(root: Organization) -> Organization:
    return Organization.objects.subtree(root).get(kind="branch", name=flagship.SECRETARY_BRANCH)


def _branch_people(branch: Organization) -> tuple[Person, Person]:
    """The branch's current secretary and an ordinary full member of it."""
    term = CommitteeTerm.objects.filter(organization=branch).order_by("-elected_on").first()
    if term is None:
        raise LookupError(f"{branch.name}没有委员会届次，无法设置演示书记账号")
    post = term.posts.select_related("person").filter(post=Post.SECRETARY).first()
    if post is None:
        raise LookupError(f"{branch.name}本届委员会没有书记")
    office_holders = term.posts.values("person_id")
    member = (
        Membership.objects.current()
        .filter(organization=branch, status="full", person__employment="staff")
        .exclude(person_id__in=office_holders)
        .select_related("person")
        .order_by("id")
        .first()
    )
    if member is None:
        raise LookupError(f"{branch.name}没有可用于演示的正式党员")
    return post.person, member.person


def _committee_leader(root: Organization, taken: set[int]) -> Person:
    """A member of the root 党委's sitting term: its secretary, else the first other post holder."""
    term = CommitteeTerm.objects.filter(organization=root).order_by("-elected_on").first()
    if term is None:
        raise LookupError(f"{root.name}没有委员会届次，无法设置演示领导账号")
    posts = term.posts.select_related("person").order_by("id")
    holders = [p.person for p in posts if p.post == Post.SECRETARY] + [p.person for p in posts]
    leader = next((p for p in holders if p.pk not in taken), None)
    if leader is None:
        raise LookupError(f"{root.name}本届委员会没有可用于演示的委员")
    return leader


def _officers(root: Organization, taken: set[int], n: int = 2) -> list[Person]:
    """Staff of the party office without an account (then any other staff, if the office is short of them)."""
    staff = Person.objects.filter(employment="staff", user__isnull=True).exclude(pk__in=taken).order_by("id")
    office = Department.objects.filter(name=PARTY_OFFICE).order_by("path").first()
    chosen = list(staff.filter(department=office)[:n]) if office else []
    if len(chosen) < n:
        chosen += list(staff.exclude(pk__in=[p.pk for p in chosen])[: n - len(chosen)])
    if len(chosen) < n:
        raise LookupError("没有可用于演示健康管理员、关怀专员账号的在编职工")
    return chosen


def demo_people(root: Organization) -> dict[str, Person]:
    """The person each demo account belongs to, by username (administrators and the office have none)."""
    secretary, member = _branch_people(secretary_branch(root))
    taken = {secretary.pk, member.pk}
    leader = _committee_leader(root, taken)
    health, care = _officers(root, taken | {leader.pk})
    return {"secretary": secretary, "member": member, "leader": leader, "health": health, "care": care}


def create_demo_accounts(root: Organization) -> list[User]:
    """Create the demo accounts that do not exist yet; existing usernames are left alone."""
    branch = secretary_branch(root)
    people = demo_people(root)
    scopes = {"root": root, "branch": branch, "": None}
    created: list[User] = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        person = people.get(account.username)
        user = User(
            username=account.username,
            first_name=person.name if person else Role(account.role).label,
            person=person,
            is_demo=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        RoleAssignment.objects.create(user=user, role=account.role, organization=scopes[account.scope])
        if account.username in DEMO_TOTP_SECRETS:
            second_factor.enrol_fixed(user, DEMO_TOTP_SECRETS[account.username])
        created.append(user)
    return created


def refresh_demo_accounts() -> list[str]:
    """Re-issue the published password to the demo accounts that still use it, at each demo start.

    The 等保 rules apply to the demo too (a password expires 90 days after it was set, an account
    unused for 90 days is locked); a demo database kept for months would otherwise greet a newcomer
    with expired or locked accounts. Re-issuing the password sets its date by the ordinary path, and
    the idle period restarts. An account someone deactivated, or whose password someone changed,
    is left alone. Audited.
    """
    refreshed: list[str] = []
    now = timezone.now()
    for user in User.objects.filter(is_demo=True, is_active=True).order_by("username"):
        if not user.check_password(DEMO_PASSWORD):
            continue
        with transaction.atomic():
            user.set_password(DEMO_PASSWORD)
            user.activated_at = now
            user.must_change_password = False
            user.save(update_fields=["password", "activated_at", "must_change_password"])
            record("update", user, detail={"demo_accounts_refreshed": True})
        refreshed.append(user.username)
    return refreshed
