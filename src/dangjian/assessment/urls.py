from django.urls import path

from . import views
from .views import review, review_office, secretary_reports, secretary_reports_own, two_ends
from .views import self_assessment as self_views

app_name = "assessment"
urlpatterns = [
    path("systems/", views.system_list, name="systems"),
    path("systems/import/", views.import_page, name="import"),
    path("systems/template/", views.template, name="template"),
    path("systems/<int:pk>/", views.detail, name="detail"),
    path("systems/<int:pk>/export/", views.export, name="export"),
    path("systems/<int:pk>/publish/", views.publish, name="publish"),
    path("systems/<int:pk>/new-version/", views.new_version, name="new_version"),
    path("systems/<int:pk>/retire/", views.retire, name="retire"),
    # 一支部一特色
    path("brands/", views.brand_list, name="brands"),
    path("brands/new/", views.brand_new, name="brand_new"),
    path("brands/<int:pk>/", views.brand_detail, name="brand"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand_edit"),
    path("brands/<int:pk>/submit/", views.brand_submit, name="brand_submit"),
    path("brands/<int:pk>/withdraw/", views.brand_withdraw, name="brand_withdraw"),
    path("brands/<int:pk>/review/", views.brand_review, name="brand_review"),
    path("brands/<int:pk>/evidence/", views.evidence_add, name="brand_evidence_add"),
    path("brand-evidence/<int:pk>/file/", views.evidence_file, name="brand_evidence_file"),
    path("brand-evidence/<int:pk>/withdraw/", views.evidence_withdraw, name="brand_evidence_withdraw"),
    # 述职评议 (issue 14 §4)
    path("report-meetings/", secretary_reports.meeting_list, name="report_meetings"),
    path("report-meetings/new/", secretary_reports.meeting_new, name="report_meeting_new"),
    path("report-meetings/<int:pk>/", secretary_reports.meeting_detail, name="report_meeting"),
    path("report-meetings/<int:pk>/act/", secretary_reports.meeting_act, name="report_meeting_act"),
    path("report-meetings/<int:pk>/tally/", secretary_reports.tally, name="report_tally"),
    path("report-meetings/<int:pk>/reports/<int:report_pk>/", secretary_reports.report_edit, name="report_edit"),
    path("report-meetings/<int:pk>/reports/<int:report_pk>/file/", secretary_reports.report_file, name="report_file"),
    path("report-meetings/<int:pk>/results/", secretary_reports.results, name="report_results"),
    path("report-meetings/<int:pk>/rectify/", secretary_reports.results_rectify, name="report_rectify"),
    path("report-meetings/<int:pk>/form.docx", secretary_reports.ballot_docx, name="report_ballot_docx"),
    path("report-meetings/<int:pk>/results.xlsx", secretary_reports.results_xlsx, name="report_results_xlsx"),
    path("report-meetings/<int:pk>/vote/", secretary_reports_own.vote, name="report_vote"),
    path("my-reports/<int:report_pk>/", secretary_reports_own.own_result, name="report_own"),
]
urlpatterns += [
    path("cycles/", views.cycle_list, name="cycles"),
    path("cycles/open/", views.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/export/", views.cycle_export, name="cycle_export"),
    path("cycles/<int:pk>/recompute/", views.cycle_recompute, name="cycle_recompute"),
    path("cycles/<int:pk>/units/<int:unit>/", views.cycle_unit, name="cycle_unit"),
    path("cycles/<int:pk>/units/<int:unit>/report.docx", views.cycle_unit_docx, name="cycle_unit_docx"),
    path("cycles/<int:pk>/units/<int:unit>/occurrences/", views.occurrence_add, name="occurrence_add"),
    path("occurrences/<int:pk>/withdraw/", views.occurrence_withdraw, name="occurrence_withdraw"),
]
urlpatterns += [
    # 三张清单 (issue 14 §3)
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/new/", views.rectification_new, name="rectification_new"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path("rectifications/<int:pk>/edit/", views.rectification_edit, name="rectification_edit"),
    path("rectifications/<int:pk>/complete/", views.rectification_complete, name="rectification_complete"),
    path("rectifications/<int:pk>/accept/", views.rectification_accept, name="rectification_accept"),
    path("rectifications/<int:pk>/reopen/", views.rectification_reopen, name="rectification_reopen"),
    path("rectifications/<int:pk>/withdraw/", views.rectification_withdraw, name="rectification_withdraw"),
    path("rectifications/<int:pk>/file/", views.rectification_file, name="rectification_file"),
    path("cycles/<int:pk>/units/<int:unit>/rectifications/", views.rectification_seed, name="rectification_seed"),
]
urlpatterns += [
    # 自评 (issue 14 §2)
    path("cycles/<int:pk>/self/", self_views.self_overview, name="self_overview"),
    path("cycles/<int:pk>/units/<int:unit>/self/", self_views.self_unit, name="self_unit"),
    path("cycles/<int:pk>/units/<int:unit>/self/save/", self_views.self_save, name="self_save"),
    path("cycles/<int:pk>/units/<int:unit>/self/submit/", self_views.self_submit, name="self_submit"),
    path("cycles/<int:pk>/units/<int:unit>/self/return/", self_views.self_return, name="self_return"),
    path(
        "cycles/<int:pk>/units/<int:unit>/self/items/<int:indicator>/evidence/",
        self_views.self_evidence_add,
        name="self_evidence_add",
    ),
    path("self-evidence/<int:pk>/file/", self_views.self_evidence_file, name="self_evidence_file"),
    path("self-evidence/<int:pk>/withdraw/", self_views.self_evidence_withdraw, name="self_evidence_withdraw"),
]
urlpatterns += [
    # 审核评分 (issue 14 §2): reviewers per scoring department, the reviewer's queue and scoring page, settlements
    path("cycles/<int:pk>/reviewers/", review_office.reviewers, name="review_reviewers"),
    path("reviewers/<int:pk>/remove/", review_office.reviewer_remove, name="review_reviewer_remove"),
    path("cycles/<int:pk>/review/", review.queue, name="review_queue"),
    path("cycles/<int:pk>/review/<int:unit>/", review.unit_page, name="review_unit"),
    path("review-evidence/<int:pk>/file/", review.evidence_file, name="review_evidence_file"),
    path("cycles/<int:pk>/disputes/", review_office.disputes, name="review_disputes"),
    # 抓两头促中间, 标杆 titles, 约谈 and 星级党支部 (issue 14 §3, views/two_ends.py)
    path("cycles/<int:pk>/two-ends/", two_ends.two_ends, name="two_ends"),
    path("cycles/<int:pk>/two-ends/titles/", two_ends.title_grant, name="title_grant"),
    path("cycles/<int:pk>/two-ends/stars/", two_ends.star_rate, name="star_rate"),
    path("cycles/<int:pk>/two-ends/units/<int:unit>/interview/", two_ends.interview_add, name="interview_add"),
    path("titles/<int:pk>/withdraw/", two_ends.title_withdraw, name="title_withdraw"),
    # a cycle's course and objections (issue 14 §2)
    path("cycles/<int:pk>/advance/", views.cycle_advance, name="cycle_advance"),
    path("cycles/<int:pk>/adjust/", views.cycle_adjust, name="cycle_adjust"),
    path("band-adjustments/<int:pk>/withdraw/", views.cycle_adjustment_withdraw, name="cycle_adjustment_withdraw"),
    path("cycles/<int:pk>/objections/", views.objection_list, name="objection_list"),
    path("cycles/<int:pk>/units/<int:unit>/objections/new/", views.objection_new, name="objection_new"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
]
