"""Putting existing records into the matrix: link a held meeting or a contact point to a key task or a stage, see
the links of a key task, and remove a link (after a confirmation; the link is kept with its removal time)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import can
from dangjian.core.scoping import get_visible, require_perm

from .. import links as services
from ..joint_forms import ConfirmForm, LinkForm
from ..models import ActivityLink, ContactPointLink, Project
from .joint_common import form_page, posted

VIEW, CHANGE = services.VIEW, services.CHANGE


def _live(queryset):
    return queryset.filter(removed_at__isnull=True).select_related("project", "stage__line").order_by("pk")


@require_perm(CHANGE)
def link_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the held meeting ``pk`` (a theme day, a lecture… on a business topic) to a key task or a stage."""
    meeting = get_visible(
        services.linkable_meetings(request.user).select_related("organization"), request.user, CHANGE, pk=pk
    )
    here = reverse("integration:link_meeting", args=[meeting.pk])
    return form_page(
        request,
        LinkForm(posted(request), user=request.user),
        lambda data: services.link_meeting(request.user, meeting.pk, data),
        success=gettext_lazy("已关联到业务工作"),
        title=_("业务主题活动：%(meeting)s") % {"meeting": f"{meeting} {meeting.title}"},
        back=reverse("meetings:detail", args=[meeting.pk]),
        done=lambda _link: here,
        template="integration/link_form.html",
        extra={
            "links": _live(ActivityLink.objects.filter(meeting=meeting)),
            "remove": "integration:link_activity_remove",
        },
    )


@require_perm(CHANGE)
def link_contact_point(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the leader's contact point ``pk`` to a key task or a stage it works on."""
    point = get_visible(
        services.linkable_points(request.user).select_related("leader", "organization"), request.user, CHANGE, pk=pk
    )
    here = reverse("integration:link_contact_point", args=[point.pk])
    return form_page(
        request,
        LinkForm(posted(request), user=request.user),
        lambda data: services.link_contact_point(request.user, point.pk, data),
        success=gettext_lazy("已关联到业务工作"),
        title=_("联系点联系任务：%(point)s") % {"point": point},
        back=reverse("life:contact_points"),
        done=lambda _link: here,
        template="integration/link_form.html",
        extra={
            "links": _live(ContactPointLink.objects.filter(contact_point=point)),
            "remove": "integration:link_contact_remove",
        },
    )


@require_perm(VIEW)
def link_project(request: HttpRequest, pk: int) -> HttpResponse:
    """The meetings and contact points linked to the key task ``pk`` (those the user sees)."""
    project = get_visible(Project.objects.all(), request.user, VIEW, pk=pk)
    activities = (
        ActivityLink.objects.visible_to(request.user, VIEW)
        .filter(project=project, removed_at__isnull=True)
        .select_related("meeting__organization")
        .order_by("-meeting__starts_at", "pk")
    )
    points = (
        ContactPointLink.objects.visible_to(request.user, VIEW)
        .filter(project=project, removed_at__isnull=True)
        .select_related("contact_point__leader", "contact_point__organization")
        .order_by("contact_point__leader__sort_key", "contact_point__leader__name", "pk")
    )
    activities, points = list(activities), list(points)
    for link in [*activities, *points]:  # read from the loaded organisation: no query per row
        link.may_remove = can(request.user, CHANGE, link)
    context = {"project": project, "activities": activities, "points": points}
    return render(request, "integration/link_project.html", context)


def _remove(request: HttpRequest, model, pk: int, unlink, back_of) -> HttpResponse:
    link = get_visible(
        model.objects.filter(removed_at__isnull=True).select_related("project", "stage__line"),
        request.user,
        CHANGE,
        pk=pk,
    )
    back = back_of(link)
    return form_page(
        request,
        ConfirmForm(posted(request)),
        lambda _data: unlink(request.user, link.pk),
        success=gettext_lazy("关联已解除"),
        title=gettext_lazy("解除关联"),
        back=back,
        done=lambda _link: back,
        extra={
            "question": _("确认解除与“%(target)s”的关联？关联记录将保留。") % {"target": link.project or link.stage},
            "confirm_label": _("确认解除"),
        },
    )


@require_perm(CHANGE)
def link_activity_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove(
        request,
        ActivityLink,
        pk,
        services.unlink_meeting,
        lambda link: reverse("integration:link_meeting", args=[link.meeting_id]),
    )


@require_perm(CHANGE)
def link_contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove(
        request,
        ContactPointLink,
        pk,
        services.unlink_contact_point,
        lambda link: reverse("integration:link_contact_point", args=[link.contact_point_id]),
    )
