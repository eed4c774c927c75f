"""The organiser's pages, included under ``organise/`` in the ``frontend`` namespace: one tree under ``c/<slug>/``."""

from django.urls import URLPattern, URLResolver, include, path

from frontend import media
from frontend.organiser.views import (
    activity,
    certificates,
    contests,
    eligibility,
    entries,
    exports,
    files,
    importing,
    judging,
    jury,
    messages,
    organisers,
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

message_patterns = [
    path("", messages.message_list, name="organiser_messages"),
    path("new/", messages.message_edit, name="organiser_message_new"),
    path("<id:pk>/", messages.message_detail, name="organiser_message"),
    path("<id:pk>/edit/", messages.message_edit, name="organiser_message_edit"),
    path("<id:pk>/send/", messages.message_send_view, name="organiser_message_send"),
    path("<id:pk>/retry/", messages.message_retry_view, name="organiser_message_retry"),
    path("<id:pk>/delete/", messages.message_delete_view, name="organiser_message_delete"),
]

entry_patterns = [
    path("", entries.entry_find, name="organiser_entry_find"),
    path("<str:code>/", entries.entry_page, name="organiser_entry"),
    path("<str:code>/eligibility/", eligibility.entry_eligibility, name="organiser_entry_eligibility"),
    path("<str:code>/original/<uuid:asset>/", media.organiser_original_file, name="organiser_entry_original"),
    path("<str:code>/media/<uuid:asset>/<str:name>/", media.organiser_rendition_file, name="organiser_entry_media"),
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
    path("organisers/", organisers.organiser_list, name="organiser_organisers"),
    path("organisers/<id:user_id>/remove/", organisers.organiser_remove, name="organiser_organiser_remove"),
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
    path("files/", files.files_page, name="organiser_files"),
    path("files/<id:pk>/download.zip", files.files_download, name="organiser_files_download"),
    path("certificates/", include(certificate_patterns)),
    path("messages/", include(message_patterns)),
    path("entries/", include(entry_patterns)),
    path("activity/", activity.activity, name="organiser_activity"),
    path("activity/download/<str:file_format>/", activity.activity_download, name="organiser_activity_download"),
]

urlpatterns = [
    path("", contests.organiser_home, name="organiser_home"),
    path("contests/new/", organisers.contest_new, name="organiser_contest_new"),
    path("c/<slug:slug>/", include(contest_patterns)),
]
