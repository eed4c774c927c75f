"""The entry page's actions: what it offers before and after the deadline, withdrawing and deleting a draft."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from contest.enums import EntryStatus
from contest.models import Entry
from tests.factories import EntryFactory, MediaAssetFactory, NominationFactory
from tests.frontend.test_participant_pages import translated, url

CHANGES = ("entry_edit", "entry_upload", "entry_withdraw", "entry_submit", "entry_delete")


def _links(body, entry, language="en"):
    return {name: f'"{url(name, entry, language=language)}"' in body for name in CHANGES}


def test_entry_page_offers_changes_before_deadline(participant_client, participant, contest):
    submitted = EntryFactory(
        contest=contest, author=participant, with_media=True, status=EntryStatus.SUBMITTED, submitted_at=timezone.now()
    )
    draft = EntryFactory(contest=contest, author=participant)
    with time_machine.travel(contest.submissions_close - timedelta(seconds=1), tick=False):
        submitted_page = participant_client.get(url("entry_detail", submitted)).content.decode()
        draft_page = participant_client.get(url("entry_detail", draft)).content.decode()
    assert _links(submitted_page, submitted) == {
        "entry_edit": True,
        "entry_upload": True,
        "entry_withdraw": True,
        "entry_submit": False,
        "entry_delete": False,
    }
    assert _links(draft_page, draft) == {
        "entry_edit": True,
        "entry_upload": True,
        "entry_withdraw": False,
        "entry_submit": True,
        "entry_delete": True,
    }
    assert "data-submissions-closed" not in submitted_page


def test_entry_page_offers_no_change_after_deadline(participant_client, participant, contest):
    submitted = EntryFactory(
        contest=contest, author=participant, with_media=True, status=EntryStatus.SUBMITTED, submitted_at=timezone.now()
    )
    draft = EntryFactory(contest=contest, author=participant)
    with time_machine.travel(contest.submissions_close + timedelta(seconds=1), tick=False):
        submitted_page = participant_client.get(url("entry_detail", submitted, language="kk")).content.decode()
        draft_page = participant_client.get(url("entry_detail", draft, language="kk")).content.decode()
        my_entries = participant_client.get(url("my_entries", language="kk")).content.decode()
    nothing = dict.fromkeys(CHANGES, False)
    assert _links(submitted_page, submitted, "kk") == nothing
    assert _links(draft_page, draft, "kk") == nothing
    assert _links(my_entries, submitted, "kk") == nothing
    assert _links(my_entries, draft, "kk") == nothing
    assert f'"{url("entry_detail", draft, language="kk")}"' in my_entries
    kept = translated(
        "kk", "Submissions are closed: your entry is kept as submitted and can no longer be changed or withdrawn."
    )
    assert kept != "Submissions are closed: your entry is kept as submitted and can no longer be changed or withdrawn."
    assert kept in submitted_page
    assert translated("kk", "Submissions are closed: this entry was not submitted and can no longer be changed.") in (
        draft_page
    )


def test_withdraw_without_confirmation_changes_nothing(participant_client, participant, contest):
    entry = EntryFactory(
        contest=contest, author=participant, with_media=True, status=EntryStatus.SUBMITTED, submitted_at=timezone.now()
    )
    response = participant_client.post(url("entry_withdraw", entry, language="ru"))
    assert response.status_code == 302
    assert response["Location"] == url("entry_detail", entry, language="ru")
    page = participant_client.get(response["Location"]).content.decode()
    assert translated("ru", "The entry is not withdrawn: tick the box to confirm first.") in page
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_withdraw_with_confirmation(participant_client, participant, contest):
    entry = EntryFactory(
        contest=contest, author=participant, with_media=True, status=EntryStatus.SUBMITTED, submitted_at=timezone.now()
    )
    page = participant_client.get(url("entry_detail", entry)).content.decode()
    assert 'name="confirm" required id="withdraw_confirm"' in page
    response = participant_client.post(url("entry_withdraw", entry), {"confirm": "on"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN


def test_delete_draft_with_confirmation(participant_client, participant, contest, django_capture_on_commit_callbacks):
    entry = EntryFactory(contest=contest, author=participant, with_media=True, title="Old idea")
    name = entry.media.original.name
    with django_capture_on_commit_callbacks(execute=True):
        response = participant_client.post(url("entry_delete", entry), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == url("my_entries")
    assert Entry.objects.filter(pk=entry.pk).exists() is False
    assert default_storage.exists(name) is False
    page = participant_client.get(response["Location"]).content.decode()
    assert "The draft “Old idea” is deleted." in page


def test_delete_draft_without_confirmation_changes_nothing(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant)
    response = participant_client.post(url("entry_delete", entry, language="kk"))
    assert response.status_code == 302
    page = participant_client.get(response["Location"]).content.decode()
    assert translated("kk", "The draft is not deleted: tick the box to confirm first.") in page
    assert Entry.objects.filter(pk=entry.pk).count() == 1


def test_delete_submitted_entry_refused(participant_client, participant, contest):
    entry = EntryFactory(
        contest=contest, author=participant, with_media=True, status=EntryStatus.SUBMITTED, submitted_at=timezone.now()
    )
    response = participant_client.post(url("entry_delete", entry), {"confirm": "on"})
    assert response.status_code == 302
    page = participant_client.get(response["Location"]).content.decode()
    assert "Only a draft that was never submitted can be deleted; a submitted entry can be withdrawn." in page
    assert Entry.objects.filter(pk=entry.pk).count() == 1


@pytest.mark.parametrize("role", ["other_participant", "juror", "organiser"])
def test_delete_refused_to_others(request, role, contest, participant):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    client = Client()
    client.force_login(request.getfixturevalue(role))
    response = client.post(url("entry_delete", entry), {"confirm": "on"})
    assert response.status_code == 404
    assert Entry.objects.filter(pk=entry.pk).count() == 1


def test_delete_sends_anonymous_to_login(client, contest, participant):
    entry = EntryFactory(contest=contest, author=participant)
    response = client.post(url("entry_delete", entry), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(url("home") + "accounts/login/")
    assert Entry.objects.filter(pk=entry.pk).count() == 1


def test_delete_refused_by_get(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant)
    assert participant_client.get(url("entry_delete", entry)).status_code == 405
    assert Entry.objects.filter(pk=entry.pk).count() == 1


def test_submit_button_says_why_it_is_disabled(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant)
    page = participant_client.get(url("entry_detail", entry, language="kk")).content.decode()
    assert 'disabled aria-describedby="submit-why"' in page
    assert translated("kk", "Upload the file first: then you can submit.") in page
    MediaAssetFactory(entry=entry)
    page = participant_client.get(url("entry_detail", entry, language="kk")).content.decode()
    assert translated("kk", "The file is still being checked: you can submit once it is ready.") in page
    entry.media = entry.assets.get()
    entry.save(update_fields=["media"])
    page = participant_client.get(url("entry_detail", entry)).content.decode()
    assert "data-submit-why" not in page
    assert "disabled" not in page.split('class="submit-entry"')[1].split("</form>")[0]


def test_refused_replacement_says_current_file_stays(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    previous = entry.media
    response = participant_client.post(
        url("entry_upload", entry, language="kk"),
        {"file": SimpleUploadedFile("lesson.mp4", b"just some text, renamed")},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"].endswith(" " + translated("kk", "Your current file stays as it was."))
    response = participant_client.post(
        url("entry_upload", entry), {"file": SimpleUploadedFile("lesson.mp4", b"just some text, renamed")}
    )
    page = participant_client.get(response["Location"]).content.decode()
    assert "Your current file stays as it was." in page
    entry.refresh_from_db()
    assert entry.media == previous


def test_refused_first_upload_says_nothing_of_a_current_file(participant_client, participant, contest):
    entry = EntryFactory(contest=contest, author=participant)
    response = participant_client.post(
        url("entry_upload", entry),
        {"file": SimpleUploadedFile("lesson.mp4", b"just some text, renamed")},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "Your current file stays as it was." not in response.json()["error"]


def test_profile_links_to_password_and_email(participant_client):
    page = participant_client.get(url("profile", language="ru")).content.decode()
    assert f'<a href="/ru/accounts/password/change/">{translated("ru", "Change the password")}</a>' in page
    assert f'<a href="/ru/accounts/email/">{translated("ru", "Change the e-mail address")}</a>' in page


def test_entry_form_marks_required_and_presets_no_nomination(participant_client, contest, nomination, platforms):
    NominationFactory(contest=contest)
    page = participant_client.get(url("entry_new", slug=contest.slug)).content.decode()
    assert '<option value="" selected>— choose —</option>' in page
    assert "<legend>Platforms used *</legend>" in page
    assert "Fields marked * are required." in page


def test_entry_form_with_one_nomination_presets_it(participant_client, contest, nomination, platforms):
    page = participant_client.get(url("entry_new", slug=contest.slug)).content.decode()
    assert "— choose —" not in page
    assert f'<select name="nomination" id="id_nomination">\n  <option value="{nomination.pk}">' in page
