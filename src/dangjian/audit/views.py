from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.core.downloads import attachment
from dangjian.core.paging import paginate
from dangjian.core.scoping import require_perm

from .display import LOGIN_ACTIONS, present, type_choices
from .integrity import CHECKPOINT_MAX_BYTES, check_chain, checkpoint_bytes, load_checkpoint, make_checkpoint
from .models import AuditAction, AuditEvent
from .services import object_types, record


def same_object_types(label: str) -> tuple[str, ...]:
    """Every label a search for ``label`` (current or former) should find, e.g. talks.talk and meetings.talk."""
    label = label.strip().lower()
    for model in apps.get_models():
        labels = object_types(model)
        if label in labels:
            return labels
    return (label,)


@require_perm("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = AuditEvent.objects.all()
    p = request.GET
    errors = []
    if p.get("actor"):
        # A sign-in row has no user yet (its actor name is the channel); the account signing in is its object.
        actor = p["actor"].strip()
        qs = qs.filter(
            Q(actor_name__icontains=actor)
            | Q(actor__isnull=True, action__in=LOGIN_ACTIONS, object_repr__icontains=actor)
        )
    if p.get("action") in AuditAction.values:
        qs = qs.filter(action=p["action"])
    object_type = p.get("object_type", "").strip().lower()
    if object_type:
        qs = qs.filter(object_type__in=same_object_types(object_type))
    if p.get("object"):
        qs = qs.filter(object_repr__icontains=p["object"].strip())
    if p.get("request_id"):
        qs = qs.filter(request_id=p["request_id"].strip())
    for key, op in (("since", "gte"), ("until", "lte")):
        if p.get(key):
            d = parse_date(p[key])
            if d is None:
                errors.append(f"日期格式应为 YYYY-MM-DD：{p[key]}")
            else:
                moment = datetime.combine(d, time.min if op == "gte" else time.max)
                qs = qs.filter(**{f"at__{op}": timezone.make_aware(moment)})
    page = paginate(request, qs.order_by("-id"), 50)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "rows": present(page.object_list),
            "params": p,
            "object_type": object_type,
            # The types present in the log, by name; a former label is merged into its model's current one.
            "object_types": type_choices(
                AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
            ),
            "errors": errors,
            "actions": AuditAction.choices,
        },
    )


class CheckpointForm(forms.Form):
    checkpoint = forms.FileField(label=gettext_lazy("检查点文件"), required=False)


@require_perm("audit.view")
def audit_verify(request: HttpRequest) -> HttpResponse:
    """The chain against its stored head; with an uploaded checkpoint (POST), against that too."""
    form = CheckpointForm(request.POST or None, request.FILES or None)
    checkpoint = None
    if request.method == "POST" and form.is_valid() and form.cleaned_data["checkpoint"]:
        upload = form.cleaned_data["checkpoint"]
        try:
            checkpoint = load_checkpoint(upload.read(CHECKPOINT_MAX_BYTES + 1))
        except ValidationError as exc:
            form.add_error("checkpoint", exc)
    report = check_chain(checkpoint) if not form.errors else check_chain()
    return render(request, "audit/verify.html", {"report": report, "form": form, "checked": checkpoint})


@require_POST
@require_perm("audit.view")
def audit_checkpoint(request: HttpRequest) -> HttpResponse:
    """A signed checkpoint of the head now, downloaded by the auditor to keep outside the system."""
    record("export", None, object_type_label="audit.checkpoint", object_repr=_("审计日志检查点"))
    try:
        checkpoint = make_checkpoint()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("audit:verify")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return attachment(checkpoint_bytes(checkpoint), f"audit-checkpoint-{checkpoint['position']}-{stamp}.json")
