"""The organiser's pages, included under ``organise/`` in the ``frontend`` namespace: one tree under ``c/<slug>/``."""

from django.urls import URLPattern, URLResolver, include, path

from frontend.organiser.views import (
    activity,
    certificates,
    contests,
    exports,
    importing,
    judging,
    jury,
    processing,
    progress,
    publication,
    results,
    statistics,
)

platform_patterns = [
    path("", contests.platform_list, name="organiser_platforms"),
    path("new/", contests.platform_edit, name="organiser_platform_new"),
    path("<id:pk>/", contests.platform_edit, name="organiser_platform_edit"),
    path("<id:pk>/delete/", contests.platform_remove, name="organiser_platform_delete"),
]

nomination_patterns = [
    path("", contests.nomination_list, name="organiser_nominations"),
    path("new/", contests.nomination_edit, name="organiser_nomination_new"),
    path("<id:pk>/", contests.nomination_edit, name="organiser_nomination_edit"),
    path("<id:pk>/delete/", contests.nomination_remove, name="organiser_nomination_delete"),
]

import_patterns = [
    path("", importing.import_upload, name="organiser_import"),
    path("confirm/", importing.import_confirm, name="organiser_import_confirm"),
    path("cancel/", importing.import_cancel, name="organiser_import_cancel"),
    path("template.csv", importing.import_template, name="organiser_import_template"),
]

rubric_patterns = [
    path("", judging.rubric, name="organiser_rubric"),
    path("new/", judging.criterion_edit, name="organiser_criterion_new"),
    path("<id:pk>/", judging.criterion_edit, name="organiser_criterion_edit"),
    path("<id:pk>/delete/", judging.criterion_remove, name="organiser_criterion_delete"),
]

jury_patterns = [
    path("", jury.jury_list, name="organiser_jury"),
    path("<id:pk>/", jury.juror_edit, name="organiser_juror"),
    path("<id:pk>/resend/", jury.juror_resend, name="organiser_juror_resend"),
    path("<id:pk>/conflicts/", jury.juror_conflicts, name="organiser_juror_conflicts"),
    path("conflicts/<id:pk>/resolve/", jury.conflict_resolve_view, name="organiser_conflict_resolve"),
    path("import/", jury.jury_import_upload, name="organiser_jury_import"),
    path("import/confirm/", jury.jury_import_confirm, name="organiser_jury_import_confirm"),
    path("import/cancel/", jury.jury_import_cancel, name="organiser_jury_import_cancel"),
    path("import/template.csv", jury.jury_import_template, name="organiser_jury_import_template"),
]

progress_patterns = [
    path("", progress.round_progress_page, name="organiser_progress"),
    path("remind/", progress.remind, name="organiser_progress_remind"),
    path("jurors/<id:juror_id>/", progress.juror_page, name="organiser_progress_juror"),
    path("jurors/<id:juror_id>/reassign/", progress.reassign, name="organiser_progress_reassign"),
]

results_patterns = [
    path("", results.results, name="organiser_results"),
    path("ranking/", results.results_ranking, name="organiser_results_ranking"),
    path("finalise/", results.results_finalise_view, name="organiser_results_finalise"),
    path("awards/new/", results.results_award_add, name="organiser_results_award_add"),
    path("awards/<id:pk>/", results.results_award_change, name="organiser_results_award_change"),
    path("publish/", publication.results_publish_view, name="organiser_results_publish"),
]

certificate_patterns = [
    path("", certificates.certificates_page, name="organiser_certificates"),
    path("issue/", certificates.certificates_issue_view, name="organiser_certificates_issue"),
    path("download.zip", certificates.certificates_zip_view, name="organiser_certificates_zip"),
    path("texts/", certificates.certificate_texts, name="organiser_certificate_texts"),
    path("design/", certificates.certificate_design, name="organiser_certificate_design"),
    path("preview.pdf", certificates.certificate_preview_pdf_view, name="organiser_certificate_preview"),
    path("preview.png", certificates.certificate_preview_png_view, name="organiser_certificate_preview_png"),
    path("<id:pk>/revoke/", certificates.certificate_revoke_view, name="organiser_certificate_revoke"),
    path("<id:pk>/reissue/", certificates.certificate_reissue_view, name="organiser_certificate_reissue"),
]

round_patterns: list[URLPattern | URLResolver] = [
    path("", judging.round_edit, name="organiser_round_edit"),
    path("open/", judging.round_open_view, name="organiser_round_open"),
    path("close/", judging.round_close_view, name="organiser_round_close"),
    path("shortlist/", judging.round_shortlist_view, name="organiser_round_shortlist"),
    path("assign/", judging.round_assign, name="organiser_round_assign"),
    path("assign/add/", judging.assignment_add_view, name="organiser_assignment_add"),
    path("assign/remove/", judging.assignment_remove_view, name="organiser_assignment_remove"),
    path("progress/", include(progress_patterns)),
    path("results/", include(results_patterns)),
]

contest_patterns: list[URLPattern | URLResolver] = [
    path("", contests.dashboard, name="organiser_dashboard"),
    path("settings/", contests.contest_settings, name="organiser_settings"),
    path("platforms/", include(platform_patterns)),
    path("nominations/", include(nomination_patterns)),
    path("import/", include(import_patterns)),
    path("rubric/", include(rubric_patterns)),
    path("rounds/", judging.round_list, name="organiser_rounds"),
    path("rounds/new/", judging.round_edit, name="organiser_round_new"),
    path("rounds/<id:number>/", include(round_patterns)),
    path("jury/", include(jury_patterns)),
    path("statistics/", statistics.statistics, name="organiser_statistics"),
    path(
        "statistics/download/<str:file_format>/", statistics.statistics_download, name="organiser_statistics_download"
    ),
    path("exports/", exports.exports, name="organiser_exports"),
    path("exports/download/", exports.export_download, name="organiser_export_download"),
    path("processing/", processing.processing, name="organiser_processing"),
    path("certificates/", include(certificate_patterns)),
    path("activity/", activity.activity, name="organiser_activity"),
    path("activity/download/<str:file_format>/", activity.activity_download, name="organiser_activity_download"),
]

urlpatterns = [
    path("", contests.organiser_home, name="organiser_home"),
    path("c/<slug:slug>/", include(contest_patterns)),
]
