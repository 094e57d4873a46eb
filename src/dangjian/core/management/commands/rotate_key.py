"""``dangjian rotate-key``: re-encrypt every encrypted value under the newest field key (see ``dangjian.crypto``).

Steps for an operator: add a new key at the end of ``DANGJIAN_FIELD_KEYS`` (embedded mode: ``--new-key`` appends one
to ``var/health.key``), restart the server so that new values use it, run ``dangjian rotate-key``; when
``--status`` shows nothing left to rewrite, the old key may be removed. An interrupted run is simply run again.
Each run is audited at its start and at its end with counts only, never a value.
"""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.core import context
from dangjian.crypto import SealError, keys, ring
from dangjian.crypto.rotation import BATCH, rotate, status

AUDIT_TYPE = "crypto.fieldkeys"


class Command(BaseCommand):
    help = "用最新的字段加密密钥重新加密全部加密数据（可中断后重新运行）"

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="内置模式：先在 var/health.key 末尾生成一个新密钥")
        parser.add_argument("--status", action="store_true", help="只统计各密钥下的数据量，不做修改")
        parser.add_argument("--batch-size", type=int, default=BATCH, help="每批（一个事务）处理的行数")
        parser.add_argument("--limit", type=int, default=None, help="本次最多重新加密约多少个值（按整批计）")

    def handle(self, *args, new_key: bool, status: bool, batch_size: int, limit: int | None, **options):
        self.verbosity = options.get("verbosity", 1)
        try:
            if new_key:
                self.stdout.write(f"已生成新密钥 {keys.append_key_to_file()}（{keys.key_file()}）")
            current = ring()
        except SealError as exc:
            raise CommandError(str(exc)) from None
        if status:
            return self._status(current)
        target = {"key_id": current.key_id, "algorithm": current.algorithm}
        with context.acting(None, channel="cli"):
            record("update", None, object_type_label=AUDIT_TYPE, object_repr="字段加密密钥轮换开始", detail=target)
            done: Counter = Counter()
            try:
                complete = rotate(current, done, batch=max(1, batch_size), limit=limit, progress=self._progress)
            except SealError as exc:  # e.g. an old key removed too early: what was done so far stays done
                self._end(target, done, "中断", error=str(exc))
                stopped = _("%(error)s（已重新加密 %(count)s 个值，修正后可再次运行）")
                raise CommandError(stopped % {"error": exc, "count": sum(done.values())}) from None
            self._end(target, done, "完成" if complete else "暂停")
        total = sum(done.values())
        if complete:
            self.stdout.write(f"已完成：{total} 个值已改用密钥 {current.key_id}（{current.algorithm}）重新加密")
        else:
            self.stdout.write(f"已重新加密 {total} 个值，尚未全部完成：再次运行 dangjian rotate-key 继续")

    def _end(self, target: dict, done: Counter, outcome: str, **extra) -> None:
        record(
            "update",
            None,
            object_type_label=AUDIT_TYPE,
            object_repr=f"字段加密密钥轮换{outcome}",
            detail={**target, "rewritten": dict(sorted(done.items())), "complete": outcome == "完成", **extra},
        )

    def _progress(self, label: str, n: int) -> None:
        if self.verbosity > 1:
            self.stdout.write(f"{label}: {n}")

    def _status(self, current) -> None:
        self.stdout.write(f"最新密钥 {current.key_id}，新数据使用 {current.algorithm}")
        left = 0
        for label, counts in status(current).items():
            todo = counts.pop("to_rewrite", 0)
            left += todo
            parts = "，".join(f"{k} {v}" for k, v in sorted(counts.items())) or "无数据"
            self.stdout.write(f"{label}：{parts}；待重新加密 {todo}")
        self.stdout.write("全部数据已使用最新密钥" if not left else f"共 {left} 个值待重新加密")
