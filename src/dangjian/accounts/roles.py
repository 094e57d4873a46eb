"""Roles and what each may do. Pure data: the one place permissions are defined.

三权分立: the system administrator manages accounts only, the security
administrator manages roles and policy, the auditor reads the audit log; none
of the three sees business data.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")
    OFFICE = "office", _("党委办公室")
    LEADER = "leader", _("领导")
    SECRETARY = "secretary", _("支部书记")
    COMMITTEE_MEMBER = "committee_member", _("支委委员")
    MEMBER = "member", _("党员")
    HEALTH_OFFICER = "health_officer", _("健康管理员")
    CARE_OFFICER = "care_officer", _("关怀专员")


# Roles that are not scoped to an organisation subtree.
GLOBAL_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}
# Roles whose scope is the user's own person record.
SELF_ROLES = {Role.MEMBER}

# The committee office and a branch secretary maintain the same records; only their subtree differs.
_MAINTAIN = frozenset(
    {
        "orgs.view",
        "orgs.change",
        "people.view",
        "people.change",
        "people.view_sensitive",
        "people.import",
        "people.export",
        "audit.object_history",
        "meetings.view",
        "meetings.change",
        "appraisal.view",
        "appraisal.manage",
        # Read the assessment results of the units in scope (a secretary: the branch's own); not health or care
        # officers, whose queues are theirs alone.
        "assessment.view",
        "life.view",
        "life.change",
        # party work inside the business: key tasks, carriers, pledges, the work plan (integration, workplan)
        "integration.view",
        "integration.change",
        # the yearly ledger (台账): read, assemble and check it; write the year's summary (ledger)
        "ledger.view",
        "ledger.change",
        # the in-party statistics (党内统计年报) of the units in scope, with the names behind each figure (stats)
        "stats.view",
        # the dashboards of the subtree in scope (dashboard)
        "dashboard.view",
        # requests and reports to the organisation above (请示报告): draft, send, follow (submissions)
        "submissions.view",
        "submissions.change",
        "development.view",
        "development.change",
        "dues.view",
        "dues.change",
        "transfers.view",
        "transfers.change",
        "care.view",
        "care.change",
        "health.aggregates",
        # Approving a branch's dues relief or exemption is the 上一级党委's act (2008 规定 第七条): whoever holds this
        # over the nearest 党委 above the branch — its secretary, an institute's office; a 党总支 is not a 党委.
        "dues.relief",
        # Open member accounts for the people of the subtree (accounts.provisioning): only the self-scoped member
        # role, never another grant, which stays with the security administrator (三权分立).
        "accounts.provision",
    }
)

# What the committee office does beyond maintaining records. Granted like every permission through a role
# assignment, so an institute's office holds them over its own subtree and a group's office over the group;
# ``can(user, perm, obj)`` checks the object, ``can(user, perm, WHOLE_TREE)`` what binds every organisation.
OFFICE_POWERS = frozenset(
    {
        # Edit the rules and settings (compliance obligations and settings, care rules, study-hour rates).
        "rules.edit",
        # Let a blocked development step through, with a reason (the office's exception).
        "development.override",
        # Assign leaders their contact points and record a visit on a leader's behalf.
        "life.assign",
        # Be told that an ID number belongs to a deleted person (the office restores records; others are told
        # only that the number cannot be registered in their scope).
        "people.view_deleted",
        # Read the registered facts (事实与指标) of the organisations in scope, which the assessment scores.
        "facts.view",
        # Keep the assessment's indicator systems (指标体系: import, publish, new version, retire); they bind the
        # whole tree, so the pages ask for this over the whole tree.
        "assessment.manage",
        # Keep the business lines and key tasks, approve and review model posts, issue the committee's work plan
        # and form taskforces: the committee's acts, over its subtree.
        "integration.manage",
        # Receive and answer the requests and reports of the organisations below (请示报告: 批复, 退回).
        "submissions.answer",
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SYSADMIN: frozenset({"accounts.manage"}),
    Role.SECADMIN: frozenset({"accounts.assign_roles", "accounts.policy"}),
    Role.AUDITOR: frozenset({"audit.view"}),
    # The office's own powers, over the subtree of its assignment (an institute's office over its institute).
    Role.OFFICE: _MAINTAIN | OFFICE_POWERS,
    Role.LEADER: frozenset(
        {
            "orgs.view",
            "people.view",
            "people.export",
            "meetings.view",
            "appraisal.view",
            "assessment.view",
            "life.view",
            "integration.view",
            "development.view",
            "dues.view",
            "transfers.view",
            "care.view",
            "health.aggregates",
            "ledger.view",
            "stats.view",
            "dashboard.view",
            # a leader reports personal matters (个人有关事项) and 一岗双责 to the committee (请示报告)
            "submissions.view",
            "submissions.change",
        }
    ),
    Role.SECRETARY: _MAINTAIN,
    Role.COMMITTEE_MEMBER: frozenset(
        {
            "orgs.view",
            "people.view",
            "meetings.view",
            "appraisal.view",
            "assessment.view",
            "life.view",
            "integration.view",
            "development.view",
            "ledger.view",
            "submissions.view",
        }
    ),
    Role.MEMBER: frozenset(
        {"people.view", "meetings.view", "appraisal.view", "life.view", "dues.view", "integration.view"}
    ),
    # PIPL art. 28: health values are sensitive personal information; only health officers see them.
    Role.HEALTH_OFFICER: frozenset({"orgs.view", "people.view", "health.values", "health.aggregates"}),
    Role.CARE_OFFICER: frozenset({"orgs.view", "people.view", "care.view", "care.change"}),
}


def roles_with(perm: str) -> set[str]:
    return {role for role, perms in ROLE_PERMISSIONS.items() if perm in perms}
