"""API v1 routes of judging: jurors' work under /api/v1/jury/, every contest's published results, an entry's results."""

from django.urls import path

from judging.api import AssignedEntryView, AssignmentListView, ReviewSubmitView, ReviewView
from judging.api_conflicts import ConflictListView
from judging.api_results import PublishedResultsView
from judging.api_story import EntryResultsView

app_name = "judging_api"
urlpatterns = [
    path("jury/assignments/", AssignmentListView.as_view(), name="assignments"),
    path("jury/rounds/<id:round_id>/entries/<str:code>/", AssignedEntryView.as_view(), name="entry"),
    path("jury/rounds/<id:round_id>/entries/<str:code>/review/", ReviewView.as_view(), name="review"),
    path(
        "jury/rounds/<id:round_id>/entries/<str:code>/review/submit/",
        ReviewSubmitView.as_view(),
        name="review-submit",
    ),
    path("jury/contests/<slug:slug>/conflicts/", ConflictListView.as_view(), name="conflicts"),
    path("contests/<slug:slug>/results/", PublishedResultsView.as_view(), name="results"),
    path("entries/<str:code>/results/", EntryResultsView.as_view(), name="entry-results"),
]
