"""The organiser's publication of a round's finalised results: a confirmation page, then the blog."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from blog.models import Post, PostStatus
from contest.enums import Role
from judging.enums import RoundStatus
from judging.models import Award, Results
from tests.factories import ContestFactory, ContestRoleFactory
from tests.judging import entry_from, round_of
from tests.judging.test_publication import finalised_round


def url(name, contest, number, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, "number": number})


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


@pytest.fixture
def finalised(contest):  # type: ignore[no-untyped-def]
    # Announced for tomorrow: publishing now is publishing before the announced time.
    contest.results_publish_at = timezone.now() + timedelta(days=1)
    contest.save(update_fields=["results_publish_at"])
    return finalised_round(contest)


@pytest.fixture
def announced_passed(finalised):  # type: ignore[no-untyped-def]
    finalised.contest.results_publish_at = timezone.now() - timedelta(minutes=1)
    finalised.contest.save(update_fields=["results_publish_at"])
    return finalised


def messages_of(response):  # type: ignore[no-untyped-def]
    return [str(message) for message in get_messages(response.wsgi_request)]


def published(finalised):  # type: ignore[no-untyped-def]
    finalised.results.refresh_from_db()
    return (Post.objects.filter(contest=finalised.contest).count(), finalised.results.published_at is not None)


# --- The confirmation page -----------------------------------------------------------------------


def test_results_publish_page_says_what_becomes_public_and_who_is_emailed(client, organiser, finalised):
    client.force_login(organiser)

    response = client.get(url("organiser_results_publish", finalised.contest, 1))

    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.created, preview.updated, preview.unchanged, preview.withdrawn) == (3, 0, 0, 0)
    assert (preview.named, preview.anonymous, preview.authors_emailed) == (2, 1, 4)
    assert (preview.coauthors_emailed, preview.coauthors_without_email) == (0, 1)
    page = response.content.decode()
    assert "3 awards are published on the blog, one post each, in Kazakh, Russian and English." in page
    assert "New posts: 3; updated: 0; unchanged: 0; withdrawn: 0." in page
    assert "Authors named (they consented): 2; anonymous (no consent): 1." in page
    assert "4 authors of the contest's judged entries receive the results by e-mail, in their language." in page
    assert "0 co-authors receive it too, at the addresses the entries give." in page
    assert "1 co-author has no e-mail address and is not told." in page
    assert "<h3>Design <small>(2)</small></h3>" in page
    assert "<h3>Special awards <small>(1)</small></h3>" in page
    # Names as the posts write them: in the site's language.
    assert "named: Aigerim Seitkali, Co-author 0 (Zhetysu University, Abai University)" in page
    assert "named: Saule Abenova (Zhetysu University)" in page
    assert page.count("anonymous: no names, no university") == 1
    assert "Daulet Nurlanov" not in page  # did not consent: the page does not name them either
    assert 'id="early-warning"' in page
    assert 'name="early"' in page and 'name="confirm"' in page
    assert published(finalised) == (0, False)


def test_results_publish_page_queries_do_not_grow_with_awards(client, organiser, finalised):
    client.force_login(organiser)
    address = url("organiser_results_publish", finalised.contest, 1)
    client.get(address)  # the session and the caches are warm
    with CaptureQueriesContext(connection) as three:
        client.get(address)
    for order, entry in enumerate((finalised.loser, finalised.gold), start=4):
        Award.objects.create(
            results=finalised.results, key=f"special/more-{order}", name_en="More", entry=entry, order=order
        )

    with CaptureQueriesContext(connection) as five:
        response = client.get(address)

    assert len(response.context["preview"].awards) == 5
    assert len(five) == len(three)


def test_results_publish_page_after_the_announced_time_has_no_early_warning(client, organiser, announced_passed):
    client.force_login(organiser)

    page = client.get(url("organiser_results_publish", announced_passed.contest, 1)).content.decode()

    assert 'id="early-warning"' not in page
    assert 'name="early"' not in page
    assert 'name="confirm"' in page


def test_results_publish_page_before_submissions_close_refuses_and_offers_no_button(client, organiser, finalised):
    finalised.contest.submissions_close = timezone.now() + timedelta(hours=3)
    finalised.contest.save(update_fields=["submissions_close"])
    client.force_login(organiser)

    response = client.get(url("organiser_results_publish", finalised.contest, 1, "ru"))

    page = response.content.decode()
    assert response.context["refusal"].startswith("Результаты нельзя опубликовать до закрытия приёма работ")
    assert 'id="refusal"' in page and 'id="publish-form"' not in page


# --- Publishing ------------------------------------------------------------------------------------


def test_results_publish_post_without_confirmation_does_nothing(
    client, organiser, announced_passed, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("organiser_results_publish", announced_passed.contest, 1))

    assert response.status_code == 400
    assert response.context["form"].errors == {"confirm": ["Tick the box to confirm the publication."]}
    assert published(announced_passed) == (0, False)
    assert mailoutbox == []


def test_results_publish_before_the_announced_time_refused_without_the_early_box(
    client, organiser, finalised, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("organiser_results_publish", finalised.contest, 1), {"confirm": "on"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "early": ["Tick the box to publish before the announced time, or wait for it."]
    }
    assert 'id="early-warning"' in response.content.decode()
    assert published(finalised) == (0, False)
    assert mailoutbox == []


def test_results_publish_before_the_announced_time_with_both_boxes_publishes_and_emails(
    client, organiser, finalised, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    address = url("organiser_results_publish", finalised.contest, 1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address, {"confirm": "on", "early": "on"})

    assert response.status_code == 302
    assert response["Location"] == url("organiser_results", finalised.contest, 1)
    assert messages_of(response) == ["The results are published: 3 new posts, 0 updated, 0 unchanged, 0 withdrawn."]
    assert Post.objects.filter(contest=finalised.contest, status=PostStatus.PUBLISHED).count() == 3
    assert published(finalised) == (3, True)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        entry.author.email for entry in (finalised.gold, finalised.silver, finalised.special, finalised.loser)
    )


def test_results_publish_after_the_announced_time_with_the_confirmation(client, organiser, announced_passed):
    client.force_login(organiser)

    response = client.post(url("organiser_results_publish", announced_passed.contest, 1), {"confirm": "on"})

    assert response.status_code == 302
    assert published(announced_passed) == (3, True)


def test_results_publish_before_submissions_close_refused_whatever_is_ticked(
    client, organiser, finalised, mailoutbox, django_capture_on_commit_callbacks
):
    finalised.contest.submissions_close = timezone.now() + timedelta(hours=3)
    finalised.contest.save(update_fields=["submissions_close"])
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("organiser_results_publish", finalised.contest, 1, "kk"), {"confirm": "on", "early": "on"}
        )

    assert response.status_code == 400
    assert response.context["refusal"].startswith(
        "Жұмыстарды қабылдау жабылғанға дейін нәтижелерді жариялауға болмайды"
    )
    assert published(finalised) == (0, False)
    assert mailoutbox == []


def test_results_publish_again_changes_nothing_and_emails_nobody(
    client, organiser, announced_passed, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    address = url("organiser_results_publish", announced_passed.contest, 1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(address, {"confirm": "on"})
    before = sorted(Post.objects.values_list("pk", "updated_at"))
    sent = len(mailoutbox)

    page = client.get(address).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address, {"confirm": "on"})

    assert "Nobody: the participants were told their results when the results were first published." in page
    assert "New posts: 0; updated: 0; unchanged: 3; withdrawn: 0." in page
    assert messages_of(response)[-1] == "The results are published: 0 new posts, 0 updated, 3 unchanged, 0 withdrawn."
    assert sorted(Post.objects.values_list("pk", "updated_at")) == before
    assert (sent, len(mailoutbox)) == (4, 4)


def test_results_publish_refused_before_the_results_are_final(client, organiser, contest):
    round_of(contest, [entry_from(contest, None)], [], status=RoundStatus.CLOSED)
    client.force_login(organiser)

    for response in (
        client.get(url("organiser_results_publish", contest, 1)),
        client.post(url("organiser_results_publish", contest, 1), {"confirm": "on", "early": "on"}),
    ):
        assert response["Location"] == url("organiser_results", contest, 1)
        assert messages_of(response)[-1] == "Finalise the results of this round before publishing them."
    assert (Post.objects.count(), Results.objects.count()) == (0, 0)


def test_results_publish_of_an_unknown_round_is_missing(client, organiser, finalised):
    client.force_login(organiser)

    assert client.get(url("organiser_results_publish", finalised.contest, 9)).status_code == 404
    assert client.post(url("organiser_results_publish", finalised.contest, 9)).status_code == 404


# --- Who may not ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ["participant", "juror", "other organiser"])
def test_results_publish_refused_for_anyone_but_the_contests_organisers(client, participant, finalised, role, method):
    user = {
        "participant": participant,
        "juror": ContestRoleFactory(contest=finalised.contest, role=Role.JUROR).user,
        "other organiser": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
    }[role]
    client.force_login(user)

    response = getattr(client, method)(
        url("organiser_results_publish", finalised.contest, 1), {"confirm": "on", "early": "on"}
    )

    assert response.status_code == 403
    assert "Aigerim Seitkali" not in response.content.decode()
    assert published(finalised) == (0, False)


@pytest.mark.parametrize("method", ["get", "post"])
def test_results_publish_asks_an_anonymous_visitor_to_sign_in(client, finalised, method):
    address = url("organiser_results_publish", finalised.contest, 1)

    response = client.get(address) if method == "get" else client.post(address, {"confirm": "on", "early": "on"})

    assert (response.status_code, response["Location"]) == (302, login_url(address))
    assert published(finalised) == (0, False)
