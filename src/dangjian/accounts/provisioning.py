"""Member accounts from the roster: the office and branch secretaries open accounts for the people of their subtree.

Issue 13 §1: a member who has no account cannot see their meetings, dues or check-in. Opening one for every member
(or every employee) of a subtree is a business action of those who keep the roster, not an administrator's grant,
so it is held to what 三权分立 (GB/T 22239-2019 8.1.4.2 c)-d)) leaves to it: the accounts it creates hold exactly one
role, the self-scoped ``member`` (their own record only), and are linked to their person. Every other account and
every other grant stays with the system and security administrators (``accounts.services``).

Each account gets a one-time password that its holder must replace at the first login (``must_change_password``,
GB/T 22239 8.1.4.1 b); the password is returned to the caller once and never stored or audited in clear.

Password hashing (Argon2, ~0.2 s an account) is done before the write transaction opens, so a batch does not hold
the database's write lock while it hashes; the transaction re-reads the list and hashes only what changed meanwhile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Lower, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from dangjian.audit.services import record_many

from . import separation
from .models import RoleAssignment, User
from .roles import Role
from .scope import can

PERM = "accounts.provision"
# The one role a provisioned account holds: its holder sees their own record only (roles.SELF_ROLES).
PROVISIONED_ROLE = Role.MEMBER
ID_DIGITS = 6  # the ID number's last six characters: unique enough with the initials, never the whole number


@dataclass(frozen=True)
class Row:
    """An account to open (dry run) or opened: ``password`` is empty in a dry run."""

    person_id: int
    name: str
    branch: str
    branch_path: str
    username: str
    password: str = ""


@dataclass(frozen=True)
class Skipped:
    person_id: int
    name: str
    branch: str
    reason: str


@dataclass
class Report:
    organization_id: int
    organization: str
    employees: bool
    dry_run: bool
    rows: list[Row] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    existing: int = 0  # people in the list who already hold an active account

    def branches(self) -> list[tuple[str, list[Row]]]:
        """The rows by branch, in tree order: one sheet, one page per branch."""
        out: dict[str, list[Row]] = {}
        for row in sorted(self.rows, key=lambda r: r.branch_path):
            out.setdefault(row.branch, []).append(row)
        return list(out.items())


class TooMany(ValidationError):
    """More accounts than one page request may open (each password is hashed with Argon2)."""


def initials(name: str) -> str:
    """The lower-case initials of a name in pinyin (张三 → zs); Latin words give their first letter (Tom 李 → tl)."""

    def latin(chunk: str) -> str:
        return "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", chunk))

    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=latin)
    return "".join(c for c in "".join(letters).lower() if c.isascii() and c.isalnum())


def username_base(name: str, id_number: str, employee_no: str = "") -> str:
    """The ID number's last 6 characters and the name's initials, lower case (…12345X, 张三 → 12345xzs); without an
    ID number, the employee number (工号) instead. Empty when the person has neither."""
    key = re.sub(r"[^0-9a-z]", "", (id_number or "").lower())[-ID_DIGITS:]
    if not key:
        key = re.sub(r"[^0-9a-z]", "", (employee_no or "").lower())
    return f"{key}{initials(name)}" if key else ""


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


@dataclass(frozen=True)
class _Candidate:
    person_id: int
    name: str
    branch: str
    branch_path: str
    base: str


def _candidates(organization, employees: bool) -> tuple[list[_Candidate], list[Skipped], int]:
    """Who in the subtree should get an account, who is left out and why, and how many already have one.

    A constant number of queries whatever the size of the subtree.
    """
    from dangjian.orgs.models import Organization
    from dangjian.people.models import Membership, Person
    from dangjian.people.models.membership import rights_stopped

    subtree = Organization.objects.subtree(organization).values("pk")
    person_fields = ["name", "id_number", "employment"]
    if _has_field(Person, "employee_no"):  # 工号, where the roster has it
        person_fields.append("employee_no")
    people: dict[int, dict] = {}
    members = (
        Membership.objects.current()
        .filter(organization__in=subtree, person__deleted_at__isnull=True)
        .annotate(
            stopped=rights_stopped(),
            has_account=Exists(User.objects.filter(person_id=OuterRef("person_id"))),
            has_active_account=Exists(User.objects.filter(person_id=OuterRef("person_id"), is_active=True)),
            branch_name=F("organization__name"),
            branch_path=F("organization__path"),
        )
        .values(
            "person_id",
            "stopped",
            "has_account",
            "has_active_account",
            "branch_name",
            "branch_path",
            *(f"person__{f}" for f in person_fields),
        )
    )
    for m in members:
        people[m["person_id"]] = {
            **{f: m[f"person__{f}"] for f in person_fields},
            **m,
            "member": True,
        }
    if employees:
        covering = Organization.departments.through.objects.filter(organization__in=subtree)
        staff = list(
            Person.objects.filter(department__in=covering.values("department_id"))
            .annotate(
                # A member (of this subtree: listed above; of a branch elsewhere: their own branch opens theirs).
                member=Exists(Membership.objects.current().filter(person_id=OuterRef("pk"))),
                has_account=Exists(User.objects.filter(person_id=OuterRef("pk"))),
                has_active_account=Exists(User.objects.filter(person_id=OuterRef("pk"), is_active=True)),
            )
            .filter(member=False)
            .values("pk", "department_id", "has_account", "has_active_account", *person_fields)
        )
        # The sheet a non-member is on: the organisation covering their department, the deepest one in the subtree
        # (a branch before its general branch).
        cover: dict[int, tuple[str, str]] = {}
        links = covering.values_list("department_id", "organization__name", "organization__path")
        for department_id, name, path in links:
            if department_id not in cover or len(path) > len(cover[department_id][1]):
                cover[department_id] = (name, path)
        for r in staff:
            name, path = cover.get(r["department_id"], (organization.name, organization.path))
            people[r["pk"]] = {
                **r,
                "person_id": r["pk"],
                "member": False,
                "stopped": False,
                "branch_name": name,
                "branch_path": path,
            }

    chosen: list[_Candidate] = []
    skipped: list[Skipped] = []
    existing = 0
    for person_id, info in people.items():
        name, branch = info["name"], info["branch_name"]
        if info["has_active_account"]:
            existing += 1
            continue
        if info["has_account"]:
            reason = _("已有账号但已停用：请系统管理员核实后启用，不另开新账号")
        elif info["stopped"]:
            # 党员教育管理工作条例 第24条: while 停止党籍 the person is not on the branch's rolls.
            reason = _("停止党籍期间不开通账号")
        elif not info["member"] and info["employment"] == "retired":
            reason = _("退休人员（非党员）不开通账号")
        else:
            base = username_base(name, info["id_number"], info.get("employee_no") or "")
            if base:
                chosen.append(_Candidate(person_id, name, branch, info["branch_path"], base))
                continue
            reason = _("没有公民身份号码或工号，无法生成用户名")
        skipped.append(Skipped(person_id, name, branch, reason))
    chosen.sort(key=lambda c: (c.branch_path, lazy_pinyin(c.name), c.person_id))
    skipped.sort(key=lambda s: (s.branch, lazy_pinyin(s.name), s.person_id))
    return chosen, skipped, existing


def _usernames(candidates: list[_Candidate]) -> dict[int, str]:
    """Each candidate's username: the base, or the base with the first free number after it (12345xzs2, …).
    Compared without case, as the account form does; one query for the whole batch."""
    if not candidates:
        return {}
    n = min(len(c.base) for c in candidates)
    prefixes = {c.base[:n] for c in candidates}
    taken = set(
        User.objects.annotate(prefix=Lower(Substr("username", 1, n)))
        .filter(prefix__in=prefixes)
        .values_list(Lower("username"), flat=True)
    )
    out: dict[int, str] = {}
    for c in candidates:
        username, k = c.base, 1
        while username in taken:
            k += 1
            username = f"{c.base}{k}"
        taken.add(username)
        out[c.person_id] = username
    return out


def _plan(organization, employees: bool) -> tuple[list[Row], list[Skipped], int]:
    candidates, skipped, existing = _candidates(organization, employees)
    names = _usernames(candidates)
    rows = [Row(c.person_id, c.name, c.branch, c.branch_path, names[c.person_id]) for c in candidates]
    return rows, skipped, existing


def _check_scope(actor, organization) -> None:
    if actor is None:  # the operator at the console (``dangjian accounts-from-roster``)
        return
    if not can(actor, PERM, organization):
        raise separation.Refused(_("该组织不在您开通账号的范围内"))


def provision(actor, organization, *, employees: bool = False, dry_run: bool = False, limit: int | None = None):
    """Open an account for every current member of ``organization``'s subtree (with ``employees``, every employee)
    who has none: the ``member`` role only, linked to the person, with a one-time password.

    All or nothing, one audit record per account (never the password). ``limit``: refuse a batch larger than this
    (a page request); ``actor`` None is the console. Returns a ``Report``; its rows carry the passwords, which the
    caller hands over once.
    """
    actor = actor if getattr(actor, "pk", None) else None
    _check_scope(actor, organization)
    rows, skipped, existing = _plan(organization, employees)
    report = Report(organization.pk, organization.name, employees, dry_run, rows, skipped, existing)
    if dry_run:
        return report
    if limit is not None and len(rows) > limit:
        raise TooMany(
            _(
                "一次最多开通 %(limit)s 个账号（本次 %(n)s 人）：请选择下级组织分批开通，"
                "或由运维人员在服务器上运行 dangjian accounts-from-roster 开通"
            )
            % {"limit": limit, "n": len(rows)}
        )
    # Hashed outside the transaction (see the module's note); the passwords stay in memory only.
    secrets = {r.person_id: _secret() for r in rows}
    try:
        with transaction.atomic():
            _check_scope(actor, organization)  # writes re-check scope inside the transaction
            rows, skipped, existing = _plan(organization, employees)
            for r in rows:
                if r.person_id not in secrets:  # joined the list since the first read
                    secrets[r.person_id] = _secret()
            created = _create(actor, organization, employees, rows, secrets)
    except IntegrityError:
        # Another request opened an account for one of these people, or took one of these usernames, meanwhile.
        raise ValidationError(_("名单在开通过程中发生了变化，未开通任何账号，请重新预览后再试")) from None
    report.rows = [
        Row(r.person_id, r.name, r.branch, r.branch_path, r.username, secrets[r.person_id][0]) for r in created
    ]
    report.skipped, report.existing = skipped, existing
    return report


def _secret() -> tuple[str, str]:
    from .services import one_time_password

    password = one_time_password()
    return password, make_password(password)


def _create(actor, organization, employees: bool, rows: list[Row], secrets: dict) -> list[Row]:
    if not rows:
        return []
    now = timezone.now()
    users = [
        User(
            username=r.username,
            first_name=r.name[:150],
            person_id=r.person_id,
            password=secrets[r.person_id][1],
            password_changed_at=now,
            must_change_password=True,
        )
        for r in rows
    ]
    User.objects.bulk_create(users)
    if any(u.pk is None for u in users):  # a backend that does not return the new ids
        ids = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk"))
        for u in users:
            u.pk = ids[u.username]
    grants = [
        RoleAssignment(user_id=u.pk, role=PROVISIONED_ROLE, organization=None, granted_by=actor, granted_at=now)
        for u in users
    ]
    RoleAssignment.objects.bulk_create(grants)
    grant_ids = {g.user_id: g.pk for g in grants}
    record_many(
        [
            {
                "action": "create",
                "obj": u,
                "after": {
                    "username": u.username,
                    "first_name": u.first_name,
                    "is_active": True,
                    "person_id": u.person_id,
                    "must_change_password": True,
                },
                "detail": {
                    "provisioned": True,
                    "role": str(PROVISIONED_ROLE),
                    "role_assignment_id": grant_ids.get(u.pk),
                    "organization": organization.code,
                    "employees": employees,
                    "branch": r.branch,
                },
            }
            for u, r in zip(users, rows, strict=True)
        ]
    )
    return rows
