"""Every e-mail Baige sends, to a person who reads Kazakh, holds no Russian.

Each message is sent through the service that sends it for real (the entry's receipt, the juror's
invitation and reminder, the result, a file that could not be processed, and django-allauth's
confirmation and password reset), then checked as the pages are (``tests/frontend/kazakh_text.py``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from contest.enums import EntryStatus
from contest.tasks import send_entry_submitted_email
from judging.models import Assignment
from judging.services.invitations import juror_invitation_send
from judging.services.publication import results_publish
from judging.services.reminders import juror_reminder_send
from judging.services.result_mail import result_notice_for, result_notice_send
from media_pipeline.enums import AssetStatus
from media_pipeline.reasons import REASONS
from media_pipeline.services import asset_failure_mail
from tests.factories import EntryFactory, MediaAssetFactory, ProfileFactory, UniversityFactory
from tests.frontend.kazakh_text import data_words, russian_phrases_in, unknown_words
from tests.judging import juror_in, round_of
from tests.judging.test_publication import finalised_round


def kazakh_reader():  # type: ignore[no-untyped-def]
    return ProfileFactory(preferred_language="kk", full_name="Айгерім Сейітқали").user


def assert_kazakh(messages: list[mail.EmailMessage]) -> None:
    allowed = data_words()
    found = {
        message.subject: words
        for message in messages
        if (words := unknown_words(text := f"{message.subject}\n{message.body}", allowed) + russian_phrases_in(text))
    }
    assert found == {}


def test_entry_receipt_in_kazakh_has_no_russian(contest):
    entry = EntryFactory(
        contest=contest, author=kazakh_reader(), status=EntryStatus.SUBMITTED, submitted_at=timezone.now()
    )

    send_entry_submitted_email(entry_id=entry.pk)

    assert len(mail.outbox) == 1
    assert_kazakh(mail.outbox)


def test_juror_invitation_and_reminder_in_kazakh_have_no_russian(contest):
    juror = juror_in(contest, name="Дана")
    juror.languages = ["kk"]
    juror.save(update_fields=["languages"])
    entry = EntryFactory(contest=contest, status=EntryStatus.SUBMITTED, submitted_at=timezone.now())
    round = round_of(contest, [entry], [juror])
    round.closes_at = timezone.now() + timedelta(days=3)
    round.save(update_fields=["closes_at"])
    Assignment.objects.create(round=round, juror=juror, entry=entry)

    juror_invitation_send(juror=juror)
    assert juror_reminder_send(round=round, juror=juror) is True

    assert [message.to for message in mail.outbox] == [[juror.user.email], [juror.user.email]]
    assert_kazakh(mail.outbox)


def test_results_in_kazakh_have_no_russian(contest):
    finalised = finalised_round(contest)
    for entry in (finalised.gold, finalised.loser):
        profile = entry.author.profile
        profile.preferred_language = "kk"
        profile.save(update_fields=["preferred_language"])
    results_publish(actor=None, results=finalised.results, now=timezone.now() - timedelta(minutes=1))

    for entry in (finalised.gold, finalised.loser):
        notice = result_notice_for(contest=contest, email=entry.author.email)
        assert notice is not None
        assert result_notice_send(notice_id=notice.pk) is True

    assert len(mail.outbox) == 2
    assert_kazakh(mail.outbox)


@pytest.mark.parametrize("code", sorted(REASONS))
def test_file_not_processed_in_kazakh_has_no_russian(contest, code):
    entry = EntryFactory(contest=contest, author=kazakh_reader())
    asset = MediaAssetFactory(
        entry=entry,
        status=AssetStatus.FAILED,
        reason_code=code,
        reason_params={"size": 300 * 1024 * 1024, "limit": 200 * 1024 * 1024, "duration": 1500, "pages": 120},
    )

    asset_failure_mail(asset=asset)

    assert len(mail.outbox) == 1
    assert_kazakh(mail.outbox)


def test_account_e_mails_in_kazakh_have_no_russian(client, db):
    user = kazakh_reader()

    with translation.override("kk"):
        client.post("/kk/accounts/password/reset/", {"email": user.email})
        client.post(
            "/kk/accounts/signup/",
            {
                "email": "dana@example.org",
                "password1": "Tulpar-2026-kz",
                "password2": "Tulpar-2026-kz",
                "full_name": "Дана Омарова",
                "university": UniversityFactory().pk,
                "programme": "Педагогика",
                "country": "KZ",
                "preferred_language": "kk",
            },
        )

    assert [message.to for message in mail.outbox] == [[user.email], ["dana@example.org"]]
    assert_kazakh(mail.outbox)
