from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.audit.services import record
from dangjian.core import context
from dangjian.core.contributions import contributions


class Command(BaseCommand):
    help = "把各应用到期和逾期的事项（如组织生活待办）发邮件给负责人（仅在配置了 SMTP 时发送；站内的待办列表始终可见）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将发送的邮件，不发送")

    def handle(self, *args, dry_run: bool, **options):
        if not settings.EMAIL_HOST and not dry_run:
            self.stdout.write("未配置 DANGJIAN_SMTP_HOST：不发送邮件（待办事项仍显示在各人首页）")
            return
        today = timezone.localdate()
        emails = dict(User.objects.filter(is_active=True).exclude(email="").values_list("pk", "email"))
        sent = 0
        with context.acting(None, channel="cli"):
            for contribution in contributions():
                if contribution.notifications is None:
                    continue
                for note in contribution.notifications(today):
                    email = emails.get(note.user_id)
                    if not email:
                        continue
                    if dry_run:
                        self.stdout.write(f"{email}: {note.subject}")
                        continue
                    send_mail(note.subject, "\n".join(note.lines), None, [email], fail_silently=False)
                    sent += 1
            if sent:
                record(
                    "export", None, object_type_label="notification", object_repr="待办提醒邮件", detail={"sent": sent}
                )
        self.stdout.write(f"已发送 {sent} 封提醒邮件")
