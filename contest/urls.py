"""API v1 routes of the contest app."""

from rest_framework.routers import SimpleRouter

from contest.api import ContestViewSet, EntryViewSet

# SimpleRouter: no root view, so /api/v1/ itself stays free for every app.
router = SimpleRouter()
router.register("contests", ContestViewSet, basename="contest")
router.register("entries", EntryViewSet, basename="entry")

app_name = "contest_api"
urlpatterns = router.urls
