"""The generic scope test's objects for the 请示报告 pages (tests/test_scope_generic.py ``_from_app``).

Both are branch1's, addressed to the committee above it (the root): a draft with a real file, which sec1 edits,
sends, withdraws and whose file sec1 downloads and removes (sec2 does not see it); and a sent request, which only
the office over the root receives and answers (``OFFICE_ONLY``: the office of branch2 does not see it).
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core import context
from dangjian.submissions import services
from dangjian.submissions.models import Submission

OFFICE_PAGES = ("receive", "answer")


def _objects(world) -> dict[str, int]:
    t, p1, p2, sec1, sec2, job1 = world
    draft = Submission.objects.filter(organization=t.branch1, status="draft").first()
    if draft is None:
        with context.acting(sec1):
            data = {"organization": t.branch1, "kind": "request", "category": "election"}
            sent = services.save_draft(sec1, data | {"title": "关于一支部换届选举的请示", "body": "妥否，请批示。"})
            services.send(sec1, sent.pk)
            draft = services.save_draft(sec1, data | {"title": "关于一支部增补委员的请示", "body": "请批示。"})
            services.add_attachment(sec1, draft.pk, SimpleUploadedFile("名单.pdf", b"%PDF-1.4 test"))
    sent = Submission.objects.filter(organization=t.branch1, status="sent").first()
    return {"draft": draft.pk, "sent": sent.pk, "attachment": draft.attachments.get().pk}


def object_for(world, name: str, param: str):
    objects = _objects(world)
    if param == "attachment_pk":
        return objects["attachment"]
    if param != "pk":
        raise AssertionError(f"the scope test cannot fill {param} of submissions:{name}; teach it")
    return objects["sent"] if name in OFFICE_PAGES else objects["draft"]
