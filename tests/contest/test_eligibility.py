"""Disqualifying an entry and reinstating it: who may, the state and its history, the e-mails, what stops counting."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.exceptions import BaigeError, NotAllowed
from contest.enums import EligibilityAct, EntryStatus, Role
from contest.models import CoAuthor, Entry, EntryEligibilityEvent
from contest.services import entry_disqualify, entry_reinstate, entry_update, entry_withdraw
from contest.statistics import nomination_table
from media_pipeline.services import asset_attach_upload
from media_pipeline.uploads import upload_create
from tests.factories import ContestFactory, ContestRoleFactory, EntryFactory, ProfileFactory, UserFactory

REASON = "The lesson was published before the contest opened."


def submitted(contest, *, language: str = "en", **kwargs):  # type: ignore[no-untyped-def]
    author = ProfileFactory(preferred_language=language).user
    return EntryFactory(
        contest=contest, author=author, status=EntryStatus.SUBMITTED, submitted_at=timezone.now(), **kwargs
    )


def test_organiser_disqualifies_with_a_reason_and_reinstates_keeping_both_acts(contest, organiser):
    entry = submitted(contest)
    first = entry_disqualify(actor=organiser, entry=entry, reason=f"  {REASON}  ")
    entry.refresh_from_db()
    assert (entry.is_disqualified, entry.disqualification_reason, entry.disqualified_by) == (True, REASON, organiser)
    assert entry.disqualified_at == first.at
    assert list(Entry.objects.filter(contest=contest).eligible()) == []

    second = entry_reinstate(actor=organiser, entry=entry)
    entry.refresh_from_db()
    assert (entry.disqualified_at, entry.disqualified_by, entry.disqualification_reason) == (None, None, "")
    assert list(Entry.objects.filter(contest=contest).eligible()) == [entry]
    history = list(entry.eligibility_events.values_list("act", "reason", "actor"))
    assert history == [
        (EligibilityAct.DISQUALIFIED, REASON, organiser.pk),
        (EligibilityAct.REINSTATED, "", organiser.pk),
    ]
    assert [first.pk, second.pk] == list(entry.eligibility_events.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("reason", "code"), [("", "reason_required"), ("   ", "reason_required"), ("x" * 2001, "reason_too_long")]
)
def test_disqualify_without_a_usable_reason_is_refused_and_nothing_changes(contest, organiser, reason, code):
    entry = submitted(contest)
    with pytest.raises(BaigeError) as refused:
        entry_disqualify(actor=organiser, entry=entry, reason=reason)
    assert refused.value.code == code
    entry.refresh_from_db()
    assert entry.disqualified_at is None
    assert not EntryEligibilityEvent.objects.exists()


def test_a_reason_of_2000_characters_is_taken(contest, organiser):
    entry = submitted(contest)
    entry_disqualify(actor=organiser, entry=entry, reason="x" * 2000)
    entry.refresh_from_db()
    assert len(entry.disqualification_reason) == 2000


def test_disqualifying_twice_or_reinstating_an_eligible_entry_is_refused_clearly(contest, organiser):
    entry = submitted(contest)
    with pytest.raises(BaigeError, match="This entry is not disqualified."):
        entry_reinstate(actor=organiser, entry=entry)
    entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    with pytest.raises(BaigeError, match="This entry is already disqualified."):
        entry_disqualify(actor=organiser, entry=entry, reason="Another reason")
    entry.refresh_from_db()
    assert entry.disqualification_reason == REASON
    assert EntryEligibilityEvent.objects.count() == 1


@pytest.mark.parametrize("status", [EntryStatus.DRAFT, EntryStatus.WITHDRAWN])
def test_only_a_submitted_entry_can_be_disqualified(contest, organiser, status):
    entry = EntryFactory(contest=contest, status=status, submitted_at=timezone.now())
    with pytest.raises(BaigeError) as refused:
        entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    assert refused.value.code == "not_submitted"


@pytest.mark.parametrize("who", ["anonymous", "author", "juror", "other_organiser", "participant"])
def test_only_the_contests_organisers_disqualify_or_reinstate(contest, organiser, juror, who):
    entry = submitted(contest)
    actors = {
        "anonymous": AnonymousUser(),
        "author": entry.author,
        "juror": juror,
        "other_organiser": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
        "participant": UserFactory(),
    }
    with pytest.raises(NotAllowed):
        entry_disqualify(actor=actors[who], entry=entry, reason=REASON)
    entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    with pytest.raises(NotAllowed):
        entry_reinstate(actor=actors[who], entry=entry)
    entry.refresh_from_db()
    assert entry.is_disqualified
    assert EntryEligibilityEvent.objects.count() == 1


def test_the_database_keeps_a_disqualification_with_its_reason(contest):
    entry = submitted(contest)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(disqualified_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(disqualification_reason="left behind")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryEligibilityEvent.objects.create(entry=entry, act=EligibilityAct.DISQUALIFIED, reason="")


SUBJECTS = {
    "en": ("Entry {code} disqualified: {contest}", "Entry {code} reinstated: {contest}"),
    "ru": ("Работа {code} дисквалифицирована: {contest}", "Работа {code} восстановлена: {contest}"),
    "kk": ("{code} жұмысы шеттетілді: {contest}", "{code} жұмысы қайта қабылданды: {contest}"),
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_authors_are_told_once_per_act_in_their_language_with_the_reason(
    contest, organiser, language, django_capture_on_commit_callbacks
):
    entry = submitted(contest, language=language)
    CoAuthor.objects.create(entry=entry, full_name="Aigerim", email="Aigerim@Example.org", order=0)
    CoAuthor.objects.create(entry=entry, full_name="No address", email="", order=1)
    CoAuthor.objects.create(entry=entry, full_name="Same again", email="aigerim@example.org", order=2)
    with django_capture_on_commit_callbacks(execute=True):
        entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    disqualified, reinstated = SUBJECTS[language]
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([entry.author.email], disqualified.format(code=entry.code, contest=contest.name)),
        (["Aigerim@Example.org"], disqualified.format(code=entry.code, contest=contest.name)),
    ]
    assert all(REASON in message.body for message in mail.outbox)
    assert f"/{language}/" in mail.outbox[0].body
    assert "/coauthor/" in mail.outbox[1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        entry_reinstate(actor=organiser, entry=entry)
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([entry.author.email], reinstated.format(code=entry.code, contest=contest.name)),
        (["Aigerim@Example.org"], reinstated.format(code=entry.code, contest=contest.name)),
    ]
    assert all(REASON not in message.body for message in mail.outbox)


def test_a_refused_act_sends_no_e_mail(contest, organiser, django_capture_on_commit_callbacks):
    entry = submitted(contest)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BaigeError):
        entry_disqualify(actor=organiser, entry=entry, reason="")
    assert mail.outbox == []


def test_contest_statistics_leave_a_disqualified_entry_out(contest, organiser):
    kept = submitted(contest)
    dropped = submitted(contest, nomination=kept.nomination)
    assert nomination_table(contest=contest).totals[-1] == 2
    entry_disqualify(actor=organiser, entry=dropped, reason=REASON)
    assert nomination_table(contest=contest).totals[-1] == 1
    entry_reinstate(actor=organiser, entry=dropped)
    assert nomination_table(contest=contest).totals[-1] == 2


def test_a_disqualified_entry_cannot_be_changed_by_its_author_until_reinstated(contest, organiser):
    entry = submitted(contest, title="Fractions")
    author = entry.author
    entry_disqualify(actor=organiser, entry=entry, reason=REASON)
    entry.refresh_from_db()

    assert not author.has_perm("contest.change_entry", entry)
    refusals = [
        lambda: entry_update(actor=author, entry=entry, title="Changed"),
        lambda: entry_withdraw(actor=author, entry=entry),
        lambda: upload_create(actor=author, entry=entry, filename="lesson.mp4", size=1024),
        lambda: asset_attach_upload(actor=author, entry=entry, stream=io.BytesIO(b"x"), name="lesson.mp4", size=1),
    ]
    for change in refusals:
        with pytest.raises(NotAllowed) as refused:
            change()
        assert str(refused.value) == "The organisers disqualified this entry: it can no longer be changed."
    entry.refresh_from_db()
    assert (entry.title, entry.status, entry.media_id) == ("Fractions", EntryStatus.SUBMITTED, None)

    entry_reinstate(actor=organiser, entry=entry)
    entry.refresh_from_db()
    assert author.has_perm("contest.change_entry", entry)
    assert entry_update(actor=author, entry=entry, title="Changed").title == "Changed"


def test_the_authors_page_of_a_disqualified_entry_offers_no_change(client, contest, organiser):
    entry = submitted(contest)
    client.force_login(entry.author)
    page = f"/en/c/{contest.slug}/entries/{entry.code}/"
    edit = f"{page}edit/"
    assert 'name="confirm"' in client.get(page).content.decode()  # the withdrawal's confirmation, while eligible

    entry_disqualify(actor=organiser, entry=entry, reason=REASON)

    html = client.get(page).content.decode()
    assert REASON in html
    assert edit not in html
    assert 'name="confirm"' not in html
    response = client.get(edit)
    assert (response.status_code, response["Location"]) == (302, page)
