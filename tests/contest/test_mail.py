"""E-mail to a person in the language they read."""

from __future__ import annotations

from django.core import mail
from django.utils import translation

from config.celery import app
from contest.mail import MAIL_FAULTS, mail_person, person_language
from tests.factories import EntryFactory, ProfileFactory


def test_mail_person_writes_in_the_persons_language(contest):
    author = ProfileFactory(preferred_language="kk").user
    entry = EntryFactory(contest=contest, author=author)
    with translation.override("en"):
        mail_person(author, "contest/email/entry_submitted", {"entry": entry, "contest": contest})
        assert translation.get_language() == "en"
    (message,) = mail.outbox
    assert message.to == [author.email]
    with translation.override("kk"):
        expected = translation.gettext("Entry %(code)s received: %(contest)s") % {
            "code": entry.code,
            "contest": contest.name,
        }
    assert expected != "Entry %(code)s received: %(contest)s"
    assert message.subject == expected
    assert person_language(author) == "kk"


def test_mail_person_to_another_address_and_language(contest):
    author = ProfileFactory(preferred_language="kk").user
    entry = EntryFactory(contest=contest, author=author)
    mail_person(
        author,
        "contest/email/entry_submitted",
        lambda: {"entry": entry, "contest": contest},
        email="coauthor@example.org",
        language="en",
    )
    (message,) = mail.outbox
    assert message.to == ["coauthor@example.org"]
    with translation.override("en"):
        assert message.subject == f"Entry {entry.code} received: {contest.name}"


def test_person_language_without_profile_is_the_sites(db, settings):
    class Nobody:
        email = "x@example.org"

    assert person_language(Nobody()) == settings.LANGUAGE_CODE
    assert person_language(None) == settings.LANGUAGE_CODE


MAIL_TASKS = (
    "contest.send_entry_submitted_email",
    "judging.send_juror_invitation",
    "judging.send_juror_reminder",
    "judging.send_result_notice",
    "judging.send_result_email",
    "judging.send_coauthor_result_email",
    "media_pipeline.send_asset_failed_email",
)


def test_mail_tasks_retry_alike_while_the_mail_server_is_away():
    app.loader.import_default_modules()
    policies = {
        name: (app.tasks[name].autoretry_for, app.tasks[name].retry_backoff, app.tasks[name].max_retries)
        for name in MAIL_TASKS
    }
    assert policies == dict.fromkeys(MAIL_TASKS, (MAIL_FAULTS, 60, 3))
