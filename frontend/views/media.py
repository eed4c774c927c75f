"""An entry's media as its author sees it: processing state, and the files behind the player and slide viewer."""

from __future__ import annotations

import mimetypes
import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase

from contest.selectors import get_entry_for_author
from frontend.http import AuthenticatedHttpRequest
from media_pipeline import files
from media_pipeline.models import Rendition
from media_pipeline.reasons import reason_text
from media_pipeline.selectors import asset_latest


@login_required
def media_status(request: AuthenticatedHttpRequest, slug: str, code: str) -> JsonResponse:
    """The state of the entry's newest file, for the page to follow while it is processed."""
    entry = get_entry_for_author(request.user, contest_slug=slug, code=code)
    asset = asset_latest(entry.pk)
    if asset is None:
        return JsonResponse({"status": None})
    return JsonResponse(
        {
            "status": asset.status,
            "status_display": asset.get_status_display(),
            "progress": asset.progress,
            "reason": reason_text(asset.reason_code, asset.reason_params) if asset.reason_code else "",
            "current": entry.media_id == asset.pk,
        }
    )


@login_required
def rendition_file(
    request: AuthenticatedHttpRequest, slug: str, code: str, asset: uuid.UUID, name: str
) -> HttpResponseBase:
    """One processed file of the entry: a signed redirect on S3, a checked download locally."""
    entry = get_entry_for_author(request.user, contest_slug=slug, code=code)
    rendition = Rendition.objects.filter(asset__entry=entry, asset__uuid=asset, name=name).first()
    if rendition is None:
        raise Http404
    name = files.name_of(rendition.file)
    url = files.signed_url(name)
    if url:
        return HttpResponseRedirect(url)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(rendition.file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
