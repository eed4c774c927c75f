"""API v1 routes of resumable uploads.

Uppy's S3 plugin builds the ``s3/multipart/...`` paths itself from its endpoint (``/api/v1/uploads``), without a
trailing slash.
"""

from django.urls import path

from media_pipeline.api.uploads import (
    UploadCompleteView,
    UploadCreateView,
    UploadPartSignView,
    UploadPartView,
    UploadView,
)

app_name = "uploads_api"
urlpatterns = [
    path("uploads/", UploadCreateView.as_view(), name="create"),
    path("uploads/s3/multipart/<uuid:upload_id>", UploadView.as_view(), name="upload"),
    path("uploads/s3/multipart/<uuid:upload_id>/complete", UploadCompleteView.as_view(), name="complete"),
    path("uploads/s3/multipart/<uuid:upload_id>/<id:part_number>", UploadPartSignView.as_view(), name="sign"),
    path("uploads/<uuid:upload_id>/parts/<id:part_number>/", UploadPartView.as_view(), name="part"),
]
