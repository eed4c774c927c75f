"""Resumable uploads in parts: straight to the S3 bucket (multipart upload), or in chunks to Baige's own disk.

Both backends answer the same five calls, so one browser client (Uppy's S3 plugin) serves both:
create, sign a part, list the parts received, complete, abort.

- S3: the bucket holds the parts. Signing a part gives a short-lived presigned ``UploadPart`` URL; completing asks
  S3 to join the parts, then checks the object's size with ``HEAD``.
- Local files: "signing" a part gives the URL of Baige's own part endpoint, signed the same way; the part is
  streamed to ``<BAIGE_DATA_DIR>/uploads/<upload>/part-00001`` and completing joins the parts, streamed, into the
  default storage.

The two backends are in ``upload_parts.py``. A completed upload becomes a new ``MediaAsset`` of the entry,
queued for the pipeline. The entry keeps its current file until the pipeline has verified the new one, so a
refused or broken upload never changes it.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, BinaryIO

from django.core import signing
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import BaigeError, FileRefused, NotAllowed
from contest.models import Entry
from contest.services import Actor, contest_ensure_accepting, entry_ensure_author, entry_ensure_not_disqualified
from media_pipeline.enums import AssetStatus, UploadBackend, UploadStatus
from media_pipeline.models import MediaAsset, UploadReservation, UploadSession
from media_pipeline.pipeline import asset_enqueue
from media_pipeline.services import asset_check_size
from media_pipeline.upload_parts import (
    LocalParts,
    UploadClosed,
    UploadedPart,
    backend_kind,
    etag_unquote,
    parts_of,
    upload_part_signed,
)

MIB = 1024 * 1024
#: The part size offered to clients. Uppy never makes parts under 5 MiB, which is also S3's minimum for every
#: part but the last; Baige's own disk takes parts of any size, so tests lower this to make small files multipart.
PART_SIZE = 8 * MIB
#: S3's limit on the number of parts of one upload; Baige's disk keeps the same.
MAX_PARTS = 10_000
#: An open upload untouched this long is abandoned; ``uploads_discard_stale`` removes its parts.
STALE_AFTER = timedelta(days=2)
#: Parts of one upload received at the same time on Baige's disk; Baige's own client sends one at a time.
MAX_PARTS_IN_FLIGHT = 4
#: A part still being received after this long was cut off with its web process: its bytes count no more.
RESERVATION_STALE_AFTER = timedelta(hours=1)


class UploadCompleted(UploadClosed):
    """The upload is already complete; its file is the entry's newest."""

    code = "upload_completed"


class PartsInFlight(BaigeError):
    """Other parts of the upload are being received and take what is left of its size: try again soon."""

    status_code = 429
    code = "parts_in_flight"


# Reads -------------------------------------------------------------------------------------------------------------


def get_upload_for_author(user: Any, *, upload_id: uuid.UUID | str) -> UploadSession:
    """The person's own upload, or 404: another person's upload looks exactly like a missing one."""
    if not user.is_authenticated:
        raise Http404
    upload = (
        UploadSession.objects.select_related("entry__contest")
        .filter(uuid=upload_id, user=user, entry__author=user)
        .first()
    )
    if upload is None:
        raise Http404
    return upload


def upload_key(entry: Entry, upload_id: uuid.UUID) -> str:
    """Where an upload is assembled: beside the originals, named by content later, never by the client's name."""
    return f"entries/{entry.contest.slug}/{entry.code}/{upload_id}/original.upload"


# Writes ------------------------------------------------------------------------------------------------------------


def _ensure_owner(actor: Actor, upload: UploadSession) -> None:
    if not actor.is_authenticated or upload.user_id != actor.pk:
        raise NotAllowed(_("Only the person who started this upload can continue it."))
    entry_ensure_author(actor, upload.entry)
    entry_ensure_not_disqualified(upload.entry)


def _ensure_open(upload: UploadSession) -> None:
    if upload.status == UploadStatus.COMPLETED:
        raise UploadCompleted(_("This upload is already complete."))
    if upload.status != UploadStatus.OPEN:
        raise UploadClosed(
            _("This upload was cancelled or replaced by a newer one. Choose the file and upload it again.")
        )


def _ensure_part_number(part_number: int) -> None:
    if not 1 <= part_number <= MAX_PARTS:
        raise BaigeError(
            _("Part numbers go from 1 to %(limit)s.") % {"limit": MAX_PARTS},
            code="invalid_part",
        )


def _clean_filename(filename: str) -> str:
    """The client's file name without folders or control characters, as people see it; never a storage path."""
    name = re.split(r"[\\/]", filename)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    return (name or "upload")[:255]


def _discard(upload: UploadSession) -> None:
    """Throw away what an open upload received and mark it aborted."""
    # When its storage is gone, nothing of it can be reached any more.
    with contextlib.suppress(UploadClosed):
        parts_of(upload).discard(upload)
    upload.status = UploadStatus.ABORTED
    upload.save(update_fields=["status", "updated_at"])


def upload_create(
    *, actor: Actor, entry: Entry, filename: str, size: int, now: datetime | None = None
) -> UploadSession:
    """Start a resumable upload of the entry's file; any other open upload of the entry is cancelled."""
    entry_ensure_author(actor, entry)
    entry_ensure_not_disqualified(entry)
    contest_ensure_accepting(entry.contest, now=now)
    asset_check_size(contest=entry.contest, size=size)
    upload = UploadSession(
        entry=entry,
        user=entry.author,
        filename=_clean_filename(filename),
        size=size,
        backend=backend_kind(default_storage),
    )
    upload.key = upload_key(entry, upload.uuid)
    # One upload at a time per entry: what an abandoned one received would only take space.
    for previous in UploadSession.objects.filter(entry=entry, status=UploadStatus.OPEN):
        _discard(previous)
    parts_of(upload).start(upload)
    upload.save()
    return upload


def upload_sign_part(
    *, actor: Actor, upload: UploadSession, part_number: int, size: int | None = None, now: datetime | None = None
) -> str:
    """A short-lived URL to send one part to (the bucket, or Baige's own part endpoint).

    ``size`` is the part's length in bytes. On S3 (by default the length the offered part size gives this
    part) the URL is good for that length only, and the sizes signed for all parts never add up to more
    than the file announced; Baige's own disk takes parts of any size and counts them as they arrive.
    """
    _ensure_owner(actor, upload)
    _ensure_open(upload)
    _ensure_part_number(part_number)
    # Past the deadline the file could not be completed: say so before more of it is sent.
    contest_ensure_accepting(upload.entry.contest, now=now)
    backend = parts_of(upload)
    if isinstance(backend, LocalParts):
        if size is not None:
            _ensure_part_size(upload, size)
        return backend.sign(upload, part_number)
    length = part_layout_size(upload.size, part_number) if size is None else size
    _ensure_part_size(upload, length)
    _bind_signed_size(upload, part_number, length)
    return backend.sign(upload, part_number, length)


def _ensure_part_size(upload: UploadSession, size: int) -> None:
    if not 1 <= size <= upload.size:
        raise BaigeError(
            _("This part lies outside the file announced (%(size)s).") % {"size": filesizeformat(upload.size)},
            code="invalid_part",
        )


def part_layout_size(size: int, part_number: int) -> int:
    """The length of part ``part_number`` of a file of ``size`` bytes cut into parts of ``PART_SIZE``."""
    return min(PART_SIZE, size - (part_number - 1) * PART_SIZE)


def _bind_signed_size(upload: UploadSession, part_number: int, length: int) -> None:
    """Record that ``part_number`` may be ``length`` bytes; refuse when all parts could pass the size announced."""
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=upload.pk)
        _ensure_open(locked)
        # S3 keeps one part per number; the largest size signed for a number is what it may hold.
        sizes = {**locked.signed_sizes}
        sizes[str(part_number)] = max(int(sizes.get(str(part_number), 0)), length)
        if sum(int(value) for value in sizes.values()) > locked.size:
            raise _parts_too_large(locked)
        locked.signed_sizes = sizes
        locked.save(update_fields=["signed_sizes", "updated_at"])


def _parts_too_large(upload: UploadSession) -> FileRefused:
    return FileRefused(
        _("The parts sent are larger than the file announced (%(size)s). Upload the file again.")
        % {"size": filesizeformat(upload.size)}
    )


def _reserve(upload: UploadSession, part_number: int, declared: int | None) -> UploadReservation:
    """Take the bytes a part may use out of what is left of the upload's size, for as long as it is received.

    The upload's row is locked, so parts received at once by any number of web processes never take more
    than the size announced between them. ``declared`` is the part's Content-Length, when the client said it.
    """
    parts = LocalParts(storage=default_storage)
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=upload.pk)
        _ensure_open(locked)
        UploadReservation.objects.filter(
            upload=locked, created_at__lt=timezone.now() - RESERVATION_STALE_AFTER
        ).delete()
        in_flight = list(UploadReservation.objects.filter(upload=locked))
        if len(in_flight) >= MAX_PARTS_IN_FLIGHT:
            raise _parts_in_flight()
        stored = sum(part.size for part in parts.list(locked) if part.number != part_number)
        left = locked.size - stored - sum(reservation.size for reservation in in_flight)
        wanted = left if declared is None else declared
        if wanted == 0 and declared == 0:
            raise FileRefused(_("This part of the file is empty."))
        if wanted <= 0 or wanted > left:
            # While other parts are arriving, what is left may come back (a part refused or cut off).
            raise _parts_in_flight() if in_flight else _parts_too_large(locked)
        return UploadReservation.objects.create(upload=locked, part_number=part_number, size=wanted)


def _parts_in_flight(*, completing: bool = False) -> PartsInFlight:
    if completing:
        return PartsInFlight(_("Parts of this file are still being received. The upload will finish in a moment."))
    return PartsInFlight(_("Other parts of this file are being received. This part will be sent again in a moment."))


def upload_receive_part(
    *,
    actor: Actor,
    upload: UploadSession,
    part_number: int,
    signature: str,
    stream: BinaryIO | None,
    declared: int | None = None,
) -> UploadedPart:
    """Store one part sent to Baige's own part endpoint, streamed to disk in small pieces.

    The part's bytes are reserved from what is left of the upload's size before it is read, and reading
    stops as soon as it passes them.
    """
    _ensure_owner(actor, upload)
    try:
        signed = upload_part_signed(signature)
    except signing.SignatureExpired as expired:
        raise NotAllowed(_("This upload link has expired. The upload will ask for a new one.")) from expired
    except signing.BadSignature:
        signed = ""
    if signed != f"{upload.uuid}:{part_number}" or upload.backend != UploadBackend.LOCAL:
        raise NotAllowed(_("This upload link is not valid for this part."))
    _ensure_open(upload)
    _ensure_part_number(part_number)
    if stream is None:
        raise FileRefused(_("This part of the file is empty."))
    reservation = _reserve(upload, part_number, declared)
    try:
        return LocalParts(storage=default_storage).receive(upload, part_number, stream, budget=reservation.size)
    finally:
        # The part is in place (or refused) before its bytes stop counting as reserved.
        UploadReservation.objects.filter(pk=reservation.pk).delete()


def upload_list_parts(*, actor: Actor, upload: UploadSession) -> list[UploadedPart]:
    """The parts received so far, so that an interrupted upload continues where it stopped."""
    _ensure_owner(actor, upload)
    _ensure_open(upload)
    return parts_of(upload).list(upload)


def _check_parts(stored: Sequence[UploadedPart], sent: Sequence[tuple[int, str]] | None) -> None:
    """Refuse gaps, and parts that differ from what the client believes it sent."""
    if not stored:
        raise BaigeError(_("No part of the file has arrived yet."), code="upload_incomplete")
    if [part.number for part in stored] != list(range(1, len(stored) + 1)):
        raise BaigeError(_("Some parts of the file are missing. Continue the upload."), code="upload_incomplete")
    if sent is not None and [(p.number, p.etag) for p in stored] != [(n, etag_unquote(etag)) for n, etag in sent]:
        raise BaigeError(
            _("The parts received differ from the parts sent. Continue the upload."), code="upload_incomplete"
        )


def upload_complete(
    *,
    actor: Actor,
    upload: UploadSession,
    parts: Sequence[tuple[int, str]] | None = None,
    now: datetime | None = None,
) -> MediaAsset:
    """Join the parts into the entry's new file and queue it for checking; the entry's current file stays.

    ``parts`` is what the client believes it sent, as (number, ETag) pairs; when given it must match what was
    received. A file whose size differs from the size announced at creation is refused and nothing is kept.
    Completing twice returns the same asset.
    """
    _ensure_owner(actor, upload)
    refusal: FileRefused | None = None
    with transaction.atomic():
        # Only the upload's row: the entry and the contest stay free while a large file is joined.
        locked = (
            UploadSession.objects.select_for_update(of=("self",)).select_related("entry__contest").get(pk=upload.pk)
        )
        if locked.status == UploadStatus.COMPLETED and locked.asset is not None:
            return locked.asset
        _ensure_open(locked)
        contest = locked.entry.contest
        contest_ensure_accepting(contest, now=now)
        if UploadReservation.objects.filter(
            upload=locked, created_at__gte=timezone.now() - RESERVATION_STALE_AFTER
        ).exists():
            raise _parts_in_flight(completing=True)
        backend = parts_of(locked)
        stored = backend.list(locked)
        _check_parts(stored, parts)
        received = sum(part.size for part in stored)
        name = ""
        try:
            if received != locked.size:
                raise _size_mismatch(received, locked.size)
            asset_check_size(contest=contest, size=received)
            name, size = backend.assemble(locked, stored)
            if size != locked.size:
                raise _size_mismatch(size, locked.size)
        except FileRefused as refused:
            if name:
                backend.delete(name)
            _discard(locked)
            refusal = refused
        else:
            try:
                with transaction.atomic():
                    asset = MediaAsset.objects.create(
                        uuid=locked.uuid,
                        entry=locked.entry,
                        original=name,
                        original_name=locked.filename,
                        size=size,
                        status=AssetStatus.UPLOADED,
                        uploaded_by=locked.user,
                    )
                    locked.status = UploadStatus.COMPLETED
                    locked.asset = asset
                    locked.save(update_fields=["status", "asset", "updated_at"])
                    # Its first bytes choose the queue: a file that cannot be read is not kept.
                    asset_enqueue(asset)
            except Exception:
                backend.delete(name)
                raise
    if refusal is not None:
        raise refusal
    if locked.backend == UploadBackend.LOCAL:
        # The file is stored: its parts are no longer needed.
        shutil.rmtree(LocalParts.folder(locked), ignore_errors=True)
    upload.status, upload.asset = locked.status, asset
    return asset


def _size_mismatch(received: int, announced: int) -> FileRefused:
    return FileRefused(
        _("The file received is %(received)s but %(announced)s were announced. Upload the file again.")
        % {"received": filesizeformat(received), "announced": filesizeformat(announced)},
        code="size_mismatch",
    )


def upload_abort(*, actor: Actor, upload: UploadSession) -> None:
    """Cancel an upload and throw away its parts; cancelling twice is harmless."""
    _ensure_owner(actor, upload)
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=upload.pk)
        if locked.status == UploadStatus.ABORTED:
            return
        _ensure_open(locked)
        _discard(locked)
    upload.status = UploadStatus.ABORTED


def uploads_discard_stale(*, older_than: timedelta = STALE_AFTER, now: datetime | None = None) -> int:
    """Throw away the parts of uploads opened long ago and never finished; returns how many."""
    moment = (now or timezone.now()) - older_than
    count = 0
    for upload in UploadSession.objects.filter(status=UploadStatus.OPEN, created_at__lt=moment):
        _discard(upload)
        count += 1
    return count
