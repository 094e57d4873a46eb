from __future__ import annotations

from dangjian.accounts.scope import ScopedQuerySet
from dangjian.core.models import SoftDeleteQuerySet


class TalksQuerySet(ScopedQuerySet, SoftDeleteQuerySet):
    """Scoped by each model's ``scoped_by`` declaration; deleted rows left out by the manager."""
