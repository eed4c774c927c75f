from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from config.exceptions import BaigeError, DeadlinePassed, NotAllowed
from contest.enums import EntryStatus
from contest.models import Entry
from contest.services import entry_delete
from media_pipeline.enums import UploadBackend
from media_pipeline.models import MediaAsset, Rendition, UploadSession
from media_pipeline.upload_parts import LocalParts
from media_pipeline.uploads import upload_create
from tests.factories import EntryFactory


def test_entry_delete_removes_draft_and_its_files(participant, contest, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    rendition = Rendition.objects.create(
        asset=entry.media, name="cover", kind="image", file=ContentFile(b"png", name="cover.png")
    )
    names = [entry.media.original.name, rendition.file.name]
    assert [default_storage.exists(name) for name in names] == [True, True]
    with django_capture_on_commit_callbacks(execute=True):
        entry_delete(actor=participant, entry=entry)
    assert Entry.objects.filter(pk=entry.pk).exists() is False
    assert MediaAsset.objects.filter(entry_id=entry.pk).count() == 0
    assert [default_storage.exists(name) for name in names] == [False, False]


def test_entry_delete_refused_to_others(participant, other_participant, organiser, contest):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    for actor in (other_participant, organiser, AnonymousUser()):
        with pytest.raises(NotAllowed):
            entry_delete(actor=actor, entry=entry)
    assert Entry.objects.filter(pk=entry.pk).count() == 1
    assert default_storage.exists(entry.media.original.name) is True


@pytest.mark.parametrize("status", [EntryStatus.SUBMITTED, EntryStatus.WITHDRAWN])
def test_entry_delete_refused_once_submitted(participant, contest, status):
    entry = EntryFactory(contest=contest, author=participant, status=status, submitted_at=timezone.now())
    with pytest.raises(BaigeError) as refused:
        entry_delete(actor=participant, entry=entry)
    assert refused.value.code == "not_a_draft"
    assert Entry.objects.get(pk=entry.pk).status == status


def test_entry_delete_refused_for_draft_once_submitted(participant, contest):
    """A draft that was once submitted (imported so, or set back) keeps its history."""
    entry = EntryFactory(contest=contest, author=participant, submitted_at=timezone.now())
    with pytest.raises(BaigeError):
        entry_delete(actor=participant, entry=entry)
    assert Entry.objects.filter(pk=entry.pk).count() == 1


def test_entry_delete_refused_after_deadline(participant, contest):
    entry = EntryFactory(contest=contest, author=participant)
    with pytest.raises(DeadlinePassed):
        entry_delete(actor=participant, entry=entry, now=contest.submissions_close + timedelta(seconds=1))
    assert Entry.objects.filter(pk=entry.pk).count() == 1


def test_entry_delete_discards_unfinished_upload(participant, contest, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=contest, author=participant)
    upload = upload_create(actor=participant, entry=entry, filename="lesson.mp4", size=1000)
    assert (upload.backend, LocalParts.folder(upload).is_dir()) == (UploadBackend.LOCAL, True)
    with django_capture_on_commit_callbacks(execute=True):
        entry_delete(actor=participant, entry=entry)
    assert UploadSession.objects.filter(pk=upload.pk).count() == 0
    assert LocalParts.folder(upload).exists() is False
