"""Writes to media assets: storing an uploaded original, making it an entry's current file, telling a failure."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from config.exceptions import FileRefused
from contest.mail import mail_person
from contest.models import Contest, Entry
from contest.services import Actor, contest_ensure_accepting, entry_ensure_author, entry_ensure_not_disqualified
from media_pipeline.detect import detect
from media_pipeline.enums import AssetStatus, MediaKind
from media_pipeline.models import MediaAsset
from media_pipeline.pipeline import asset_enqueue, asset_make_current
from media_pipeline.reasons import ProcessingFailed, reason_text

CHUNK = 1024 * 1024


def file_sha256(stream: BinaryIO) -> str:
    """The SHA-256 of a whole file, read in chunks; the stream is left at its start."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def asset_check_size(*, contest: Contest, size: int) -> None:
    """Refuse an empty file or one over the contest's size limit."""
    if size <= 0:
        raise FileRefused(_("The file is empty."))
    if size > contest.max_file_size:
        raise FileRefused(
            _("The file is %(size)s; this contest accepts files up to %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(contest.max_file_size)}
        )


def asset_check_upload(*, entry: Entry, stream: BinaryIO, size: int) -> tuple[MediaKind, str]:
    """Refuse a file over the contest's size limit or that is not a video or presentation."""
    asset_check_size(contest=entry.contest, size=size)
    try:
        detected = detect(stream)
    except ProcessingFailed as failed:
        # A zip bomb is refused here, in the web process, before it is stored or reaches a worker.
        raise FileRefused(failed.message, code=failed.code) from failed
    if detected.kind == MediaKind.UNKNOWN:
        raise FileRefused(
            _(
                "This file is neither a video nor a presentation. "
                "Upload a video (MP4, MOV, WebM, MKV, AVI, 3GP) or a presentation (PPTX, ODP, PPT, PDF)."
            )
        )
    return detected.kind, detected.extension


def asset_attach_upload(
    *,
    actor: Actor,
    entry: Entry,
    stream: BinaryIO,
    name: str,
    size: int,
    now: datetime | None = None,
) -> MediaAsset:
    """Store a file its author uploads before the deadline and make it the entry's current one.

    The previous file stays the entry's file until the new one is stored and
    checked: a refused upload changes nothing.
    """
    entry_ensure_author(actor, entry)
    entry_ensure_not_disqualified(entry)
    contest_ensure_accepting(entry.contest, now=now)
    return _asset_store(
        entry=entry,
        stream=stream,
        name=name,
        size=size,
        uploaded_by=actor if actor.is_authenticated else None,
        # Storing a large file takes time: the deadline may pass meanwhile.
        check_locked=lambda: contest_ensure_accepting(entry.contest, now=now),
    )


def asset_store_imported(*, entry: Entry, stream: BinaryIO, name: str, size: int) -> MediaAsset:
    """Store a file brought by an import of entries (or the demo) as the entry's current one, at any time.

    The author is recorded as its uploader; the file is checked like any upload.
    """
    return _asset_store(entry=entry, stream=stream, name=name, size=size, uploaded_by=entry.author)


def _asset_store(
    *,
    entry: Entry,
    stream: BinaryIO,
    name: str,
    size: int,
    uploaded_by: User | None,
    check_locked: Callable[[], None] | None = None,
) -> MediaAsset:
    """Check and store a file, make it the entry's current one and queue it; ``check_locked`` runs under the lock."""
    kind, extension = asset_check_upload(entry=entry, stream=stream, size=size)
    checksum = file_sha256(stream)
    asset = MediaAsset(
        entry=entry,
        original_name=name[:255],
        kind=kind,
        extension=extension,
        size=size,
        sha256=checksum,
        status=AssetStatus.UPLOADED,
        uploaded_by=uploaded_by,
    )
    # The storage name comes from the detected type, never from the uploaded name.
    asset.original.save(f"original.{extension}", File(stream), save=False)
    try:
        with transaction.atomic():
            asset.save()
            locked = Entry.objects.select_for_update().get(pk=entry.pk)
            if check_locked is not None:
                check_locked()
            asset_make_current(asset, locked=locked)
            asset_enqueue(asset)
    except Exception:
        asset.original.delete(save=False)
        raise
    entry.media = asset
    return asset


def asset_failure_mail(*, asset: MediaAsset) -> None:
    """Tell the author, in their language, that their file could not be processed and why."""
    entry = asset.entry
    mail_person(
        entry.author,
        "media_pipeline/email/asset_failed",
        lambda: {
            "asset": asset,
            "entry": entry,
            "contest": entry.contest,
            "reason": reason_text(asset.reason_code, asset.reason_params),
        },
    )
