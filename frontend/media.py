"""An entry's media: its processing state for its author, and the files behind the player and slide viewer.

Authors reach their entry's files through ``get_entry_for_author``; jurors through their assignment
(``get_entry_for_jury_media``), and only the files the jury looks at, under names that tell nothing
of who made the entry. Visitors reach the same viewable files of a published winner through its blog
post (``get_public_rendition``), and of no other entry.
"""

from __future__ import annotations

import mimetypes
import uuid

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase

from blog.selectors import get_public_rendition
from contest.selectors import get_entry_for_author, get_entry_for_organiser
from frontend.http import AuthenticatedHttpRequest
from judging.selectors.media import get_entry_for_jury_media
from media_pipeline import files
from media_pipeline.models import MediaAsset, Rendition
from media_pipeline.reasons import reason_text
from media_pipeline.renditions import JURY_RENDITIONS, ORGANISER_RENDITIONS
from media_pipeline.selectors import asset_latest, get_current_rendition, get_entry_rendition


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
    return _serve(get_entry_rendition(entry, asset=asset, name=name))


@login_required
def jury_rendition_file(
    request: AuthenticatedHttpRequest, round_id: int, code: str, asset: uuid.UUID, name: str
) -> HttpResponseBase:
    """A file of the player or slide viewer of an entry, for its jurors and organisers; never the original upload."""
    entry = get_entry_for_jury_media(request.user, round_id=round_id, entry_code=code)
    if not JURY_RENDITIONS.fullmatch(name):
        raise Http404
    # Only the entry's current file: an older upload may still carry what the author replaced.
    rendition = get_current_rendition(entry, asset=asset, name=name)
    extension = files.name_of(rendition.file).rsplit(".", 1)[-1].lower()
    return _serve(rendition, download_name=f"{entry.code}-{rendition.name}.{extension}")


@login_required
def organiser_rendition_file(
    request: AuthenticatedHttpRequest, slug: str, code: str, asset: uuid.UUID, name: str
) -> HttpResponseBase:
    """A file of the player or slide viewer of an entry for the contest's organisers: what its jurors see."""
    entry = get_entry_for_organiser(request.user, slug=slug, code=code)
    if not ORGANISER_RENDITIONS.fullmatch(name):
        raise Http404
    rendition = get_current_rendition(entry, asset=asset, name=name)
    extension = files.name_of(rendition.file).rsplit(".", 1)[-1].lower()
    return _serve(rendition, download_name=f"{entry.code}-{rendition.name}.{extension}")


@login_required
def organiser_original_file(
    request: AuthenticatedHttpRequest, slug: str, code: str, asset: uuid.UUID
) -> HttpResponseBase:
    """The file as its author uploaded it, any of the entry's uploads, for the contest's organisers only."""
    entry = get_entry_for_organiser(request.user, slug=slug, code=code)
    upload = MediaAsset.objects.filter(entry=entry, uuid=asset).first()
    if upload is None or not upload.original:
        raise Http404
    extension = f".{upload.extension}" if upload.extension else ""
    return _serve_file(upload.original, download_name=f"{entry.code}-original{extension}", attachment=True)


def _serve(rendition: Rendition, *, download_name: str = "") -> HttpResponseBase:
    """A signed redirect on S3, a checked download locally; ``download_name`` is what a saved copy is called."""
    return _serve_file(rendition.file, download_name=download_name)


def _serve_file(file: FieldFile, *, download_name: str = "", attachment: bool = False) -> HttpResponseBase:
    name = files.name_of(file)
    url = files.signed_url(name, download_name=download_name)
    if url:
        return HttpResponseRedirect(url)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        file.open("rb"), content_type=content_type, filename=download_name, as_attachment=attachment
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


#: How long a published winner's file, served from local storage, may be kept by any cache.
PUBLIC_FILE_MAX_AGE = 24 * 3600
#: A signed S3 address lives ten minutes by default: its redirect is kept for much less than that.
PUBLIC_REDIRECT_MAX_AGE = 60


def blog_rendition_file(request: HttpRequest, contest: str, slug: str, asset: uuid.UUID, name: str) -> HttpResponseBase:
    """A file of a published winner's player or slides, for anyone: the post's publication makes it public.

    Locally the file itself may be kept by browsers and shared caches for a day; on S3 the redirect
    to a signed URL is kept for less time than the URL lives.
    """
    post, rendition = get_public_rendition(contest_slug=contest, slug=slug, asset=asset, name=name)
    extension = files.name_of(rendition.file).rsplit(".", 1)[-1].lower()
    response = _serve(rendition, download_name=f"{post.slug}-{rendition.name}.{extension}")
    if isinstance(response, HttpResponseRedirect):
        response["Cache-Control"] = f"public, max-age={PUBLIC_REDIRECT_MAX_AGE}"
    else:
        response["Cache-Control"] = f"public, max-age={PUBLIC_FILE_MAX_AGE}"
    return response
