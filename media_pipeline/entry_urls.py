"""API v1 routes of contests and of a participant's entries, in the ``contest_api`` namespace.

An entry is shown with its file, which this app describes, so its views live here; the contests' views
come from ``contest`` and share the namespace, as they always have.
"""

from rest_framework.routers import SimpleRouter

from contest.api import ContestViewSet
from media_pipeline.api.entries import EntryViewSet

# SimpleRouter: no root view, so /api/v1/ itself stays free for every app.
router = SimpleRouter()
router.register("contests", ContestViewSet, basename="contest")
router.register("entries", EntryViewSet, basename="entry")

app_name = "contest_api"
urlpatterns = router.urls
