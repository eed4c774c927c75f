"""The public results API: every published award of a contest, names only with the authors' consent."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework import serializers

from blog.models import Post
from contest.enums import Role
from judging.models import Award
from judging.services.publication import results_publish
from tests.factories import ContestRoleFactory
from tests.judging.test_publication import NOW, finalised_round


def results_url(contest) -> str:  # type: ignore[no-untyped-def]
    return reverse("judging_api:results", kwargs={"slug": contest.slug})


def post_address(post: Post, language: str = "en") -> str:
    with translation.override(language):
        path = reverse("frontend:blog_post", kwargs={"contest": post.contest.slug, "slug": post.slug})
    return f"http://testserver{path}"


@pytest.fixture
def published(contest):  # type: ignore[no-untyped-def]
    finalised = finalised_round(contest)
    results_publish(actor=None, results=finalised.results, now=NOW)
    return finalised


def test_results_api_lists_the_published_awards_for_anonymous(api_client, published):
    posts = {post.key: post for post in Post.objects.all()}

    response = api_client.get(results_url(published.contest), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    nomination = {"id": published.design.pk, "name": "Design"}
    platforms = [{"id": published.wordwall.pk, "name": "Wordwall"}]
    round = {"number": 1, "name": "Round 1"}
    published_at = serializers.DateTimeField().to_representation(NOW)
    assert response.json() == [
        {
            "round": round,
            "nomination": nomination,
            "place": 1,
            "award": "1st place",
            "entry_title": "Fractions with Wordwall",
            "platforms": platforms,
            "live_url": published.gold.live_url,
            "post_url": post_address(posts["round-1/nomination-design-1/place-1/1"]),
            "authors": "Aigerim Seitkali, Co-author 0",
            "university": "Zhetysu University, Abai University",  # named in the language asked for
            "published_at": published_at,
        },
        {
            "round": round,
            "nomination": nomination,
            "place": 2,
            "award": "2nd place",
            "entry_title": "Maps with Canva",
            "platforms": platforms,
            "live_url": published.silver.live_url,
            "post_url": post_address(posts["round-1/nomination-design-1/place-2/1"]),
            "authors": None,
            "university": None,
            "published_at": published_at,
        },
        {
            "round": round,
            "nomination": nomination,
            "place": None,
            "award": "Best song",
            "entry_title": "Songs in Kazakh",
            "platforms": platforms,
            "live_url": published.special.live_url,
            "post_url": post_address(posts["round-1/special/best-song"]),
            "authors": "Saule Abenova",
            "university": "Zhetysu University",
            "published_at": published_at,
        },
    ]


def test_results_api_speaks_the_requested_language(api_client, published):
    response = api_client.get(results_url(published.contest), HTTP_ACCEPT_LANGUAGE="ru")

    special = response.json()[2]
    assert (special["award"], special["nomination"]["name"]) == ("Лучшая песня", "Дизайн")
    assert special["post_url"] == post_address(Post.objects.get(key="round-1/special/best-song"), "ru")


def test_results_api_never_names_an_author_without_consent(api_client, published):
    content = api_client.get(results_url(published.contest)).content.decode()

    assert "Daulet Nurlanov" not in content
    assert published.silver.author.email not in content
    assert "Aigerim Seitkali" in content


def test_results_api_is_empty_before_publication(api_client, contest):
    finalised_round(contest)

    response = api_client.get(results_url(contest))

    assert (response.status_code, response.json()) == (200, [])


def test_results_api_leaves_out_a_withdrawn_award(api_client, published):
    Award.objects.filter(key="special/best-song").delete()
    results_publish(actor=None, results=published.results)

    response = api_client.get(results_url(published.contest), HTTP_ACCEPT_LANGUAGE="en")

    assert [award["award"] for award in response.json()] == ["1st place", "2nd place"]


def test_results_api_of_an_unknown_contest_is_missing(api_client, db):
    response = api_client.get(reverse("judging_api:results", kwargs={"slug": "no-such-contest"}))

    assert response.status_code == 404


def test_results_api_answers_the_same_to_signed_in_users(api_client, published):
    anonymous = api_client.get(results_url(published.contest), HTTP_ACCEPT_LANGUAGE="en").json()
    api_client.force_authenticate(ContestRoleFactory(contest=published.contest, role=Role.JUROR).user)

    assert api_client.get(results_url(published.contest), HTTP_ACCEPT_LANGUAGE="en").json() == anonymous


@pytest.mark.parametrize("rounds", [1, 4])
def test_results_api_query_count_does_not_grow_with_awards(api_client, contest, rounds, django_assert_num_queries):
    for number in range(1, rounds + 1):
        results_publish(actor=None, results=finalised_round(contest, number=number).results)

    with django_assert_num_queries(4):
        response = api_client.get(results_url(contest))

    assert len(response.json()) == 3 * rounds


def test_results_api_is_in_the_openapi_schema(api_client, db):
    schema = api_client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/contests/{slug}/results/"]["get"]
    assert (operation["summary"], operation["tags"], sorted(operation["responses"])) == (
        "Published results of a contest",
        ["results"],
        ["200", "400", "401", "403", "404", "406"],
    )
    award = schema["components"]["schemas"]["PublishedAward"]
    assert sorted(award["properties"]) == [
        "authors",
        "award",
        "entry_title",
        "live_url",
        "nomination",
        "place",
        "platforms",
        "post_url",
        "published_at",
        "round",
        "university",
    ]
    assert award["properties"]["authors"]["nullable"] is True
