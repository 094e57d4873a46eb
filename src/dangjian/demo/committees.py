"""Elected committees: current and previous terms with their posts.

Branches with ≥7 full members elect a committee (机关基层组织工作条例 art. 7), general branches
and committees always do; term ends come from ``dangjian.orgs.rules.term_end`` so they follow
the rule table. Planted flags give a few expired or nearly due terms and branches that should
have a committee but have none, which the structural warnings then report.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangjian.orgs.models import CommitteePost, CommitteeTerm, Post
from dangjian.orgs.rule_data import ORG_RULES
from dangjian.orgs.rules import term_end
from dangjian.people.models import Person

from .population import InstituteRows
from .spec import DUE_SOON, EXPIRED, NO_COMMITTEE, InstituteSpec, OrgNode, add_years, reference_date

_RULES_SINCE = date(2018, 10, 28)  # term rules are recorded from the 2018 opinion on
_COMMITTEE_POSTS = (
    Post.SECRETARY,
    Post.DEPUTY_SECRETARY,
    Post.DEPUTY_SECRETARY,
    Post.ORGANIZER,
    Post.PUBLICITY,
    Post.DISCIPLINE,
    Post.MEMBER,
)
_FIVE = (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.ORGANIZER, Post.PUBLICITY, Post.DISCIPLINE)
_THREE = (Post.SECRETARY, Post.ORGANIZER, Post.PUBLICITY)
_BRANCH_POST_LABELS = {Post.SECRETARY: "支部书记", Post.DEPUTY_SECRETARY: "支部副书记"}


@dataclass
class CommitteeRows:
    terms: list[CommitteeTerm] = field(default_factory=list)
    posts: list[CommitteePost] = field(default_factory=list)


def institute_committees(inst: InstituteSpec, rows: InstituteRows, rng: random.Random) -> CommitteeRows:
    out = CommitteeRows()
    threshold = ORG_RULES.value("branch.committee_threshold", reference_date())
    for node in inst.org.walk():
        if node.kind == "branch":
            full = rows.full_members(node)
            if len(full) >= threshold and NO_COMMITTEE not in node.flags:
                posts = _FIVE if len(full) >= 15 else _THREE
                holders = _elect(out, node, [m.person for m in full], posts, rng)
                by_person = {id(m.person): m for m in full}
                for post, person in holders:
                    by_person[id(person)].party_post = _BRANCH_POST_LABELS.get(post, Post(post).label)
            elif full:  # a branch without a committee still has a secretary
                _senior(full, rng).party_post = "支部书记"
        elif node.kind == "general_branch":
            pool = [m.person for child in node.children for m in rows.full_members(child)]
            _elect(out, node, pool, _FIVE, rng)
        elif node.kind == "committee":
            pool = rows.seniors or [m.person for ms in rows.current.values() for m in ms]
            _elect(out, node, pool, _COMMITTEE_POSTS, rng)
    return out


def upper_committee(node: OrgNode, seniors: Sequence[Person], rng: random.Random, out: CommitteeRows) -> None:
    """Academy and group committees, whose members come from the institutes below them."""
    _elect(out, node, list(seniors), _COMMITTEE_POSTS, rng)


def _senior(memberships, rng: random.Random):
    ranked = sorted(memberships, key=lambda m: m.person.birth_date)
    return rng.choice(ranked[: max(1, len(ranked) // 3)])


def _elect(out: CommitteeRows, node: OrgNode, pool: list[Person], posts: Sequence[str], rng: random.Random):
    """Record the current term (and, when inside the rule table's span, the previous one)."""
    if len(pool) < len(posts):
        return []
    elected = _election_date(node, rng)
    current = _term(out, node, elected, pool, posts, rng)
    previous = add_years(elected, -(term_end(node.kind, elected).year - elected.year))
    previous -= timedelta(days=rng.randint(0, 60))
    if previous >= _RULES_SINCE and rng.random() < 0.7:
        _term(out, node, previous, pool, posts, rng, note="上一届")
    return current


def _term(out: CommitteeRows, node: OrgNode, elected: date, pool, posts, rng: random.Random, note: str = ""):
    term = CommitteeTerm(
        organization=node.instance, elected_on=elected, ends_on=term_end(node.kind, elected), note=note
    )
    out.terms.append(term)
    secretary_pool = [p for p in pool if 38 <= _age(p) <= 58] or pool
    secretary = rng.choice(secretary_pool)
    others = rng.sample([p for p in pool if p is not secretary], len(posts) - 1)
    holders = list(zip(posts, [secretary, *others], strict=True))
    out.posts.extend(CommitteePost(term=term, person=p, post=post, order=i) for i, (post, p) in enumerate(holders))
    return holders


def _election_date(node: OrgNode, rng: random.Random) -> date:
    years = term_end(node.kind, reference_date()).year - reference_date().year
    if EXPIRED in node.flags:
        return add_years(reference_date(), -years) - timedelta(days=rng.randint(40, 300))
    if DUE_SOON in node.flags:
        return add_years(reference_date() + timedelta(days=rng.randint(20, 75)), -years)
    return reference_date() - timedelta(days=rng.randint(60, years * 365 - 120))


def _age(person: Person) -> int:
    return person.age_on(reference_date())
