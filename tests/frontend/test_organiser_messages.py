"""The organiser's message pages: list, compose, preview, send and retry; only for the contest's organisers."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from contest.models import CoAuthor
from messaging.audiences import Audience
from messaging.enums import DeliveryStatus, MessageState
from messaging.models import Message, MessageRecipient
from messaging.selectors import messages_for_entry
from messaging.services import message_save, message_send
from tests.factories import ContestFactory, ContestRoleFactory, ProfileFactory
from tests.judging import juror_in
from tests.messaging import People, RefusingBackend, entry, people_of, person


def url(name: str, contest, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, **kwargs})


@pytest.fixture
def people(contest) -> People:  # type: ignore[no-untyped-def]
    return people_of(contest)


def draft(people: People, organiser, subject: str = "Hello {name}", **groups) -> Message:  # type: ignore[no-untyped-def]
    return message_save(
        actor=organiser,
        contest=people.contest,
        subjects={"en": subject, "ru": "Привет, {name}"},
        bodies={"en": "Your entries: {entry_code}.", "ru": "Ваши работы: {entry_code}."},
        audience=Audience(**(groups or {"submitted": True})),
    )


def flashes(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_compose_saves_a_draft_and_shows_whom_it_goes_to(client, people, organiser):
    client.force_login(organiser)
    page = client.get(url("organiser_message_new", people.contest))
    assert page.status_code == 200
    assert 'id="placeholders"' in page.content.decode()
    response = client.post(
        url("organiser_message_new", people.contest),
        {
            "submitted": "on",
            "authors": "on",
            "coauthors": "on",
            "universities": [str(people.zhetysu.pk)],
            "subject_en": "Hello {name}",
            "body_en": "Your entry {entry_code} is in.",
        },
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("organiser_message", people.contest, pk=message.pk)
    assert (message.subject_en, message.body_en, message.subject_ru, message.state) == (
        "Hello {name}",
        "Your entry {entry_code} is in.",
        "",
        MessageState.DRAFT,
    )
    assert Audience.from_json(message.audience) == Audience(
        submitted=True, coauthors=True, universities=(people.zhetysu.pk,)
    )
    assert message.author == organiser
    detail = client.get(response["Location"] + "?to=DANA@example.org")
    assert detail.context["people_count"] == 3
    assert [address for address, _label in detail.context["options"]] == [
        "bolat@example.org",
        "dana@example.org",
        "erlan@example.org",
    ]
    assert detail.context["chosen"] == "dana@example.org"
    preview = detail.context["preview"]
    # Dana reads Kazakh; the message is written in English only.
    assert (preview.language, preview.subject, preview.body) == (
        "en",
        "Hello Dana Account",
        f"Your entry {people.maps.code} is in.",
    )
    html = detail.content.decode()
    assert 'id="send-form"' in html and "Send to 3 people" in html


def test_compose_refuses_an_unknown_placeholder_and_keeps_what_was_typed(client, people, organiser):
    client.force_login(organiser)
    response = client.post(
        url("organiser_message_new", people.contest),
        {"jurors": "on", "subject_en": "Hi {name.__class__}", "body_en": "Text kept"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["subject_en"] == [
        "Unknown placeholder {name.__class__}. A message can use: "
        "{name}, {entry_code}, {entry_title}, {deadline}, {contest}."
    ]
    assert "Text kept</textarea>" in response.content.decode()
    assert Message.objects.count() == 0


def test_compose_refuses_a_message_to_no_group_in_the_users_language(client, people, organiser):
    client.force_login(organiser)
    with translation.override("ru"):
        address = reverse("frontend:organiser_message_new", kwargs={"slug": people.contest.slug})
    response = client.post(address, {"subject_en": "Hi", "body_en": "Text"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Выберите хотя бы одну группу адресатов."]
    assert Message.objects.count() == 0


def test_a_draft_can_be_changed_and_a_sent_message_cannot(
    client, people, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    message = draft(people, organiser)
    client.force_login(organiser)
    response = client.post(
        url("organiser_message_edit", people.contest, pk=message.pk),
        {"drafts": "on", "authors": "on", "subject_kk": "Сәлем", "body_kk": "Мәтін"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.subject_kk, message.subject_en, Audience.from_json(message.audience)) == (
        "Сәлем",
        "",
        Audience(drafts=True),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("organiser_message_send", people.contest, pk=message.pk))
    again = client.post(
        url("organiser_message_edit", people.contest, pk=message.pk),
        {"jurors": "on", "subject_en": "Changed", "body_en": "Changed"},
    )
    assert again.status_code == 302
    assert flashes(again)[-1] == "This message is sent: it cannot change any more."
    message.refresh_from_db()
    assert message.subject_en == ""


def test_send_sends_once_and_the_second_click_is_refused(
    client, people, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    message = draft(people, organiser)
    client.force_login(organiser)
    address = url("organiser_message_send", people.contest, pk=message.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(address)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(address)
    assert first.status_code == second.status_code == 302
    assert flashes(second)[-1] == "This message has already been sent."
    assert sorted(email.to[0] for email in mailoutbox) == ["asel@example.org", "bolat@example.org"]
    detail = client.get(url("organiser_message", people.contest, pk=message.pk) + "?to=asel@example.org")
    assert detail.context["counts"] == {"queued": 0, "sent": 2, "failed": 0}
    assert [(c.address, c.status) for c in detail.context["recipients"]] == [
        ("asel@example.org", DeliveryStatus.SENT),
        ("bolat@example.org", DeliveryStatus.SENT),
    ]
    codes = ", ".join(sorted([people.fractions.code, people.songs.code]))
    assert detail.context["preview"].body == f"Ваши работы: {codes}."
    assert 'id="send-form"' not in detail.content.decode()


def test_retry_failed_sends_the_failed_copies_once(
    client, people, organiser, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.messaging.RefusingBackend"
    message = draft(people, organiser)
    RefusingBackend.refused = {"bolat@example.org"}
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message_send(actor=organiser, message=message)
    finally:
        RefusingBackend.refused = set()
    client.force_login(organiser)
    detail = client.get(url("organiser_message", people.contest, pk=message.pk))
    html = detail.content.decode()
    assert detail.context["counts"] == {"queued": 0, "sent": 1, "failed": 1}
    assert 'id="retry-form"' in html and "The mail server said: SMTPRecipientsRefused" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("organiser_message_retry", people.contest, pk=message.pk))
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url("organiser_message_retry", people.contest, pk=message.pk))
    assert flashes(second)[-1] == "No copy of this message failed: there is nothing to send again."
    assert [email.to[0] for email in mailoutbox].count("bolat@example.org") == 1
    assert MessageRecipient.objects.get(message=message, address="bolat@example.org").status == DeliveryStatus.SENT


def test_a_draft_can_be_deleted(client, people, organiser):
    message = draft(people, organiser)
    client.force_login(organiser)
    response = client.post(url("organiser_message_delete", people.contest, pk=message.pk))
    assert response["Location"] == url("organiser_messages", people.contest)
    assert Message.objects.count() == 0


def test_the_list_shows_each_message_with_its_counts(
    client, people, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    sent = draft(people, organiser, subject="First")
    with django_capture_on_commit_callbacks(execute=True):
        message_send(actor=organiser, message=sent)
    draft(people, organiser, subject="Second", jurors_behind_round=people.judging.pk)
    client.force_login(organiser)
    response = client.get(url("organiser_messages", people.contest))
    rows = [
        (message.subject_en, summary, message.sent_count, message.queued_count, message.failed_count)
        for message, summary in response.context["rows"]
    ]
    assert rows == [
        ("Second", "jurors with unfinished reviews in Round 3", 0, 0, 0),
        ("First", "participants with submitted entries", 2, 0, 0),
    ]
    assert 'aria-current="page">Messages</a>' in response.content.decode()


def test_the_list_query_count_does_not_grow_with_messages(client, people, organiser, django_assert_num_queries):
    draft(people, organiser)
    client.force_login(organiser)
    client.get(url("organiser_messages", people.contest))
    with django_assert_num_queries(8):
        client.get(url("organiser_messages", people.contest))
    for number in range(5):
        draft(people, organiser, subject=f"Message {number}", jurors=True)
    with django_assert_num_queries(8):
        response = client.get(url("organiser_messages", people.contest))
    assert len(response.context["rows"]) == 6


PAGES = [
    ("get", "organiser_messages", False),
    ("get", "organiser_message_new", False),
    ("post", "organiser_message_new", False),
    ("get", "organiser_message", True),
    ("get", "organiser_message_edit", True),
    ("post", "organiser_message_edit", True),
    ("post", "organiser_message_send", True),
    ("post", "organiser_message_retry", True),
    ("post", "organiser_message_delete", True),
]


@pytest.mark.parametrize(("method", "name", "with_pk"), PAGES)
def test_message_pages_refuse_everyone_but_the_contests_organisers(
    client, people, organiser, juror, mailoutbox, method, name, with_pk
):
    message = draft(people, organiser)
    address = url(name, people.contest, **({"pk": message.pk} if with_pk else {}))
    data = {"jurors": "on", "subject_en": "Changed", "body_en": "Changed"}
    anonymous = getattr(client, method)(address, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/en/accounts/login/")
    stranger = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    for someone in (ProfileFactory().user, people.asel, juror, people.behind.user, stranger):
        client.force_login(someone)
        assert getattr(client, method)(address, data).status_code == 404
    message.refresh_from_db()
    assert (Message.objects.count(), message.state, message.subject_en) == (1, MessageState.DRAFT, "Hello {name}")
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "organiser_message"),
        ("get", "organiser_message_edit"),
        ("post", "organiser_message_send"),
        ("post", "organiser_message_retry"),
        ("post", "organiser_message_delete"),
    ],
)
def test_a_message_of_another_contest_is_not_found_under_this_one(client, people, organiser, method, name):
    elsewhere = ContestFactory()
    theirs = message_save(
        actor=ContestRoleFactory(contest=elsewhere, role=Role.ORGANISER).user,
        contest=elsewhere,
        subjects={"en": "Theirs"},
        bodies={"en": "Theirs"},
        audience=Audience(jurors=True),
    )
    client.force_login(organiser)
    assert getattr(client, method)(url(name, people.contest, pk=theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == MessageState.DRAFT


def test_an_entrys_messages_list_what_its_author_and_coauthors_got(
    people, organiser, mailoutbox, django_capture_on_commit_callbacks, django_assert_num_queries
):
    to_games = draft(people, organiser, subject="Games {name}", submitted=True, nominations=(people.games.pk,))
    to_coauthors = draft(people, organiser, subject="Co {name}", submitted=True, authors=False, coauthors=True)
    draft(people, organiser, subject="Not sent")
    for message in (to_games, to_coauthors):
        with django_capture_on_commit_callbacks(execute=True):
            message_send(actor=organiser, message=message)
    with django_assert_num_queries(2):
        rows = messages_for_entry(people.maps)
    assert [(row.subject, row.recipient.address, row.status) for row in rows] == [
        ("Co Bolat Nurlanov", "bolat@example.org", DeliveryStatus.SENT),
        # Dana reads Kazakh, which the message is not written in: Russian comes first.
        ("Привет, Dana Account", "dana@example.org", DeliveryStatus.SENT),
        ("Co Erlan Plain", "erlan@example.org", DeliveryStatus.SENT),
        ("Games Bolat Nurlanov", "bolat@example.org", DeliveryStatus.SENT),
    ]
    assert [row.subject for row in messages_for_entry(people.draft)] == []
    html = render_to_string("frontend/organiser/_entry_messages.html", {"entry": people.maps})
    assert html.count("<li ") == 4 and "Co Erlan Plain" in html


#: A draft's page finds its people (entries, co-authors, their accounts, jurors) in a fixed number of queries.
QUERIES_DRAFT = 14
#: A sent message's page reads its copies.
QUERIES_SENT = 10


def test_the_detail_query_count_does_not_grow_with_people_or_copies(
    client, people, organiser, contest, mailoutbox, django_capture_on_commit_callbacks, django_assert_num_queries
):
    groups = {"submitted": True, "coauthors": True, "jurors": True}
    message = draft(people, organiser, **groups)
    client.force_login(organiser)
    client.get(url("organiser_message", contest, pk=message.pk))
    with django_assert_num_queries(QUERIES_DRAFT):
        client.get(url("organiser_message", contest, pk=message.pk))
    for number in range(3):
        late = entry(
            contest, person(f"Late {number}", people.abai, "kk", f"late{number}@example.org"), people.games, "L"
        )
        CoAuthor.objects.create(entry=late, full_name=f"Co {number}", email=f"co{number}@example.org")
        juror_in(contest, name=f"Juror {number}")
    with django_assert_num_queries(QUERIES_DRAFT):
        response = client.get(url("organiser_message", contest, pk=message.pk))
    assert response.context["people_count"] == 15
    few = draft(people, organiser, drafts=True)
    for sent in (few, message):
        with django_capture_on_commit_callbacks(execute=True):
            message_send(actor=organiser, message=sent)
    with django_assert_num_queries(QUERIES_SENT):
        client.get(url("organiser_message", contest, pk=few.pk))
    with django_assert_num_queries(QUERIES_SENT):
        response = client.get(url("organiser_message", contest, pk=message.pk))
    assert len(response.context["recipients"]) == 15
