"""Everyone named on a judged entry hears the contest's results once: one e-mail per address, in their language."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from contest.coauthor_links import coauthor_token
from contest.models import CoAuthor, Contest
from judging.enums import ParticipantView, RoundStatus
from judging.models import Award, ResultNotice, Results, Round
from judging.services.publication import results_publish, results_publish_preview
from judging.services.result_mail import result_notice_send
from judging.services.result_notices import result_notices_claim
from judging.tasks import send_coauthor_result_email, send_result_email, send_result_notice
from tests.factories import ProfileFactory, UserFactory
from tests.judging import round_of
from tests.judging.stories import NOW, Judged, judged_contest


def publish(judged: Judged, capture) -> None:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        results_publish(actor=None, results=judged.results, now=NOW)


def to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.to[0].lower() == address.lower()]


def test_results_publish_emails_every_author_and_coauthor_of_a_judged_entry_once(
    contest, mailoutbox, django_capture_on_commit_callbacks
):
    judged = judged_contest(contest)
    preview = results_publish_preview(judged.results, now=NOW)
    assert (preview.authors_emailed, preview.coauthors_emailed) == (3, 1)

    publish(judged, django_capture_on_commit_callbacks)
    publish(judged, django_capture_on_commit_callbacks)
    result_notices_claim(judged.contest)  # a second claim finds everyone told

    recipients = sorted(message.to[0] for message in mailoutbox)
    authors = [entry.author.email for entry in (judged.winner, judged.finalist, judged.cut)]
    assert recipients == sorted([*authors, "Asel@Example.org"])
    assert ResultNotice.objects.filter(contest=judged.contest, sent_at__isnull=True).count() == 0
    assert results_publish_preview(judged.results, now=NOW).authors_emailed == 0


def test_result_email_names_each_outcome_and_links_to_the_entrys_page(
    contest, mailoutbox, django_capture_on_commit_callbacks
):
    judged = judged_contest(contest)
    publish(judged, django_capture_on_commit_callbacks)

    (winner,) = to(judged.winner.author.email)
    (cut,) = to(judged.cut.author.email)
    page = settings.SITE_URL + f"/en/c/{judged.contest.slug}/entries/{judged.winner.code}/"
    assert winner.subject == f"Congratulations: your result in {judged.contest.name_en}"
    assert f"Your entry {judged.winner.code} “Fractions with Wordwall”:" in winner.body
    assert "- Shortlisted in round “Round 1”: it went on to the next round.\n" in winner.body
    assert "- 1st place in the nomination “Design”\n" in winner.body
    assert f"Its results, the jurors' feedback the contest shares and your certificate: {page}\n" in winner.body
    assert cut.subject == f"Your result in {judged.contest.name_en}"
    assert "- Not shortlisted in round “Round 1”.\n" in cut.body
    assert "Thank you for taking part" in cut.body


def test_result_email_to_a_coauthor_links_to_their_signed_page_in_the_authors_language(
    contest, mailoutbox, django_capture_on_commit_callbacks
):
    judged = judged_contest(contest)
    judged.winner.author.profile.preferred_language = "ru"
    judged.winner.author.profile.save(update_fields=["preferred_language"])

    publish(judged, django_capture_on_commit_callbacks)

    (message,) = to("asel@example.org")
    with translation.override("ru"):
        link = settings.SITE_URL + reverse(
            "frontend:entry_coauthor", kwargs={"token": coauthor_token(judged.winner, "asel@example.org")}
        )
    assert message.to == ["Asel@Example.org"]
    assert message.body.startswith("Здравствуйте, Asel Karimova!")
    assert link in message.body
    assert "/ru/coauthor/" in link
    assert f"/entries/{judged.winner.code}/" not in message.body


def test_result_email_in_kazakh_for_a_coauthor_whose_account_reads_kazakh(
    contest, mailoutbox, django_capture_on_commit_callbacks
):
    judged = judged_contest(contest)
    ProfileFactory(user=UserFactory(email="asel@example.org"), preferred_language="kk", full_name="Әсел")

    publish(judged, django_capture_on_commit_callbacks)

    (message,) = to("asel@example.org")
    with translation.override("kk"):
        greeting = translation.gettext("Dear %(full_name)s,") % {"full_name": "Asel Karimova"}
        outcome = translation.gettext("%(place)s in the nomination “%(nomination)s”") % {
            "place": translation.gettext("1st place"),
            "nomination": "Дизайн",
        }
        published = translation.gettext("The results of %(contest)s are published.") % {
            "contest": judged.contest.name_kk or judged.contest.name
        }
    assert message.body.startswith(greeting)
    assert f"- {outcome}\n" in message.body
    assert published in message.body
    assert "/kk/coauthor/" in message.body
    assert greeting != "Dear Asel Karimova,"  # really Kazakh


def test_result_email_to_an_author_who_is_also_a_coauthor_is_one_email(
    contest, mailoutbox, django_capture_on_commit_callbacks
):
    judged = judged_contest(contest)
    CoAuthor.objects.create(
        entry=judged.cut, full_name="The finalist's author", email=judged.finalist.author.email.upper()
    )

    publish(judged, django_capture_on_commit_callbacks)

    (message,) = to(judged.finalist.author.email)
    assert judged.finalist.code in message.body
    assert judged.cut.code in message.body
    assert len(mailoutbox) == 4


def test_result_notice_sent_twice_in_a_row_sends_once(contest, mailoutbox):
    judged = judged_contest(contest)
    judged.publish()
    result_notices_claim(judged.contest)
    notice = ResultNotice.objects.get(contest=judged.contest, email__iexact="asel@example.org")

    send_result_notice(notice_id=notice.pk)
    send_result_notice(notice_id=notice.pk)
    assert result_notice_send(notice_id=notice.pk) is False

    assert [message.to for message in mailoutbox] == [["Asel@Example.org"]]


def test_result_tasks_queued_before_the_claims_send_through_them_once(contest, mailoutbox):
    judged = judged_contest(contest)
    judged.publish()
    coauthor = CoAuthor.objects.get(entry=judged.winner)

    send_result_email(results_id=judged.results.pk, user_id=judged.winner.author_id)
    send_result_email(results_id=judged.results.pk, user_id=judged.winner.author_id)
    send_coauthor_result_email(results_id=judged.results.pk, coauthor_id=coauthor.pk)
    result_notices_claim(judged.contest)  # the publication's own claims find these two told

    assert len(to(judged.winner.author.email)) == 1
    assert len(to(coauthor.email)) == 1


def at_once(work: Callable[[], object], times: int = 2) -> list[BaseException]:
    barrier = threading.Barrier(times)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            work()
        except BaseException as failed:  # noqa: BLE001 - reported by the caller
            failures.append(failed)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


@pytest.mark.django_db(transaction=True)
def test_two_publications_of_the_contest_at_once_email_each_address_once(contest, mailoutbox):
    judged = judged_contest(contest)
    third = round_of(
        judged.contest, [judged.finalist, judged.cut], judged.jurors[1:], status=RoundStatus.CLOSED, number=3
    )
    other = Results.objects.create(round=third, content_hash="1" * 64, finalised_at=NOW)
    Award.objects.create(results=other, key="special/spirit", name="Spirit", name_en="Spirit", entry=judged.cut)
    both = iter([judged.results, other])
    lock = threading.Lock()

    def publish_one() -> None:
        with lock:
            results = next(both)
        results_publish(actor=None, results=results, now=NOW)

    assert at_once(publish_one) == []

    recipients = sorted(message.to[0].lower() for message in mailoutbox)
    authors = [entry.author.email.lower() for entry in (judged.winner, judged.finalist, judged.cut)]
    assert recipients == sorted([*authors, "asel@example.org"])
    assert Results.objects.filter(participants_notified_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_result_email_at_once_send_it_once(contest, mailoutbox):
    judged = judged_contest(contest)
    judged.publish()
    notice = ResultNotice.objects.create(contest=judged.contest, email=judged.cut.author.email)

    assert at_once(lambda: send_result_notice(notice_id=notice.pk), times=3) == []

    assert [message.to for message in mailoutbox] == [[judged.cut.author.email]]


@pytest.mark.django_db(transaction=True)
def test_two_clicks_publishing_the_same_results_at_once_email_each_address_once(contest, mailoutbox):
    judged = judged_contest(contest)

    assert at_once(lambda: results_publish(actor=None, results=judged.results, now=NOW)) == []

    assert len(mailoutbox) == 4
    assert len({message.to[0].lower() for message in mailoutbox}) == 4


@pytest.mark.django_db(transaction=True)
def test_result_email_leaves_while_a_publication_holds_the_contests_row(contest, mailoutbox):
    judged = judged_contest(contest)
    judged.publish()
    notice = ResultNotice.objects.create(contest=judged.contest, email=judged.cut.author.email)
    locked, done = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Contest.objects.select_for_update().get(pk=judged.contest.pk)
                locked.set()
                done.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        sent = result_notice_send(notice_id=notice.pk)
    finally:
        done.set()
        holder.join(timeout=30)

    assert sent is True
    assert [message.to for message in mailoutbox] == [[judged.cut.author.email]]


def test_result_email_of_a_contest_that_shares_nothing_names_no_outcome(
    contest, mailoutbox, django_capture_on_commit_callbacks
):
    judged = judged_contest(contest, view=ParticipantView.NOTHING)
    Round.objects.filter(pk=judged.screening.pk).update(participant_view=ParticipantView.NOTHING)

    publish(judged, django_capture_on_commit_callbacks)

    (message,) = to(judged.winner.author.email)
    assert message.subject == f"Your result in {judged.contest.name_en}"
    assert "1st place" not in message.body and "Shortlisted" not in message.body
    assert f"Your entry {judged.winner.code} “Fractions with Wordwall”:\nIts results," in message.body
