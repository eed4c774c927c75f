"""API v1 routes of exchange: a contest's exports, for its organisers.

``config.api_urls`` mounts them in judging's ``judging_api`` namespace, after judging's own routes, so that
their names (``judging_api:export``) stay what pages and clients already use.
"""

from django.urls import path

from exchange.api import ContestExportView

urlpatterns = [
    path("contests/<slug:slug>/exports/<str:what>/", ContestExportView.as_view(), name="export"),
]
