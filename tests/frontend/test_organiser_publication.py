"""The organiser's click that publishes a round's finalised results to the blog now."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from blog.models import Post, PostStatus
from contest.enums import Role
from judging.enums import RoundStatus
from judging.models import Results
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
    # Announced for tomorrow: the click publishes before the announced time.
    contest.results_publish_at = timezone.now() + timedelta(days=1)
    contest.save(update_fields=["results_publish_at"])
    return finalised_round(contest)


def test_results_publish_click_publishes_now_and_returns_to_the_results(client, organiser, finalised):
    client.force_login(organiser)
    address = url("organiser_results_publish", finalised.contest, 1)

    response = client.post(address)

    assert response.status_code == 302
    assert response["Location"] == url("organiser_results", finalised.contest, 1)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "The results are published: 3 new posts, 0 updated, 0 unchanged, 0 withdrawn."
    ]
    assert Post.objects.filter(contest=finalised.contest, status=PostStatus.PUBLISHED).count() == 3
    finalised.results.refresh_from_db()
    assert finalised.results.published_at is not None


def test_results_publish_click_again_changes_nothing(client, organiser, finalised):
    client.force_login(organiser)
    address = url("organiser_results_publish", finalised.contest, 1)
    client.post(address)
    before = sorted(Post.objects.values_list("pk", "updated_at"))

    response = client.post(address)

    assert [str(message) for message in get_messages(response.wsgi_request)][-1] == (
        "The results are published: 0 new posts, 0 updated, 3 unchanged, 0 withdrawn."
    )
    assert sorted(Post.objects.values_list("pk", "updated_at")) == before


def test_results_publish_click_refused_before_the_results_are_final(client, organiser, contest):
    round_of(contest, [entry_from(contest, None)], [], status=RoundStatus.CLOSED)
    client.force_login(organiser)

    response = client.post(url("organiser_results_publish", contest, 1))

    assert response["Location"] == url("organiser_results", contest, 1)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Finalise the results of this round before publishing them."
    ]
    assert (Post.objects.count(), Results.objects.count()) == (0, 0)


def test_results_publish_click_only_by_post(client, organiser, finalised):
    client.force_login(organiser)

    assert client.get(url("organiser_results_publish", finalised.contest, 1)).status_code == 405
    assert Post.objects.count() == 0


def test_results_publish_click_of_an_unknown_round_is_missing(client, organiser, finalised):
    client.force_login(organiser)

    assert client.post(url("organiser_results_publish", finalised.contest, 9)).status_code == 404


@pytest.mark.parametrize("role", ["participant", "juror", "other organiser"])
def test_results_publish_click_refused_for_anyone_but_the_contests_organisers(client, participant, finalised, role):
    user = {
        "participant": participant,
        "juror": ContestRoleFactory(contest=finalised.contest, role=Role.JUROR).user,
        "other organiser": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
    }[role]
    client.force_login(user)

    response = client.post(url("organiser_results_publish", finalised.contest, 1))

    assert response.status_code == 403
    finalised.results.refresh_from_db()
    assert (Post.objects.count(), finalised.results.published_at) == (0, None)


def test_results_publish_click_asks_an_anonymous_visitor_to_sign_in(client, finalised):
    address = url("organiser_results_publish", finalised.contest, 1)

    response = client.post(address)

    assert (response.status_code, response["Location"]) == (302, login_url(address))
    assert Post.objects.count() == 0
