"""The contest page for every visitor: the rubric once submissions open, the results once published, in kk, ru, en."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from blog.models import Post
from blog.services import post_unpublish
from contest.enums import Role
from judging.models import Award, Criterion, CriterionLevel, Rubric
from judging.services.publication import results_publish
from tests.factories import ContestFactory, ContestRoleFactory, NominationFactory, ProfileFactory
from tests.judging import entry_from
from tests.judging.test_publication import NOW, finalised_round

ROLES = ["anonymous", "participant", "other_participant", "juror", "organiser", "other_organiser"]


def page_url(contest, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse("frontend:contest", kwargs={"slug": contest.slug})


def visitor(role, client, request):  # type: ignore[no-untyped-def]
    """The client signed in as ``role`` (an organiser of another contest for ``other_organiser``)."""
    if role == "other_organiser":
        user = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    else:
        user = request.getfixturevalue(role)
    if user is not None:
        client.force_login(user)
    return client


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def criteria_shown(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """``(slug, text)`` of each criterion the page shows, in order."""
    page = response.content.decode()
    found = re.findall(r'<article class="criterion" data-criterion="([^"]+)">(.*?)</article>', page, re.S)
    return [(slug, text_of(body)) for slug, body in found]


def awards_shown(response) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """``(heading, [award line, ...])`` of each group of the results, in order."""
    page = response.content.decode()
    groups = []
    for body in re.findall(r"<article class=\"results-group\" data-results-group>(.*?)</article>", page, re.S):
        heading = text_of(re.search(r"<h3>(.*?)</h3>", body, re.S).group(1))  # type: ignore[union-attr]
        lines = [text_of(item) for item in re.findall(r"<li data-award=\"[^\"]+\">(.*?)</li>", body, re.S)]
        groups.append((heading, lines))
    return groups


@pytest.fixture
def rubric(contest):  # type: ignore[no-untyped-def]
    """Two criteria (weights 3 and 1) with level descriptors in three languages."""
    rubric = Rubric.objects.create(contest=contest)
    idea = Criterion.objects.create(
        rubric=rubric,
        slug="idea",
        name_en="Idea",
        name_ru="Идея",
        name_kk="Идея (kk)",
        description_en="How new the lesson is.",
        description_ru="Насколько урок нов.",
        description_kk="Сабақ қаншалықты жаңа.",
        weight=Decimal(3),
        max_score=2,
        order=1,
    )
    for score, texts in enumerate(
        (("Nothing new", "Ничего нового", "Жаңа ештеңе жоқ"), ("A new idea", "Новая идея", "Жаңа идея"))
    ):
        en, ru, kk = texts
        CriterionLevel.objects.create(criterion=idea, score=score, descriptor_en=en, descriptor_ru=ru, descriptor_kk=kk)
    Criterion.objects.create(
        rubric=rubric, slug="design", name_en="Design", name_ru="Дизайн", name_kk="Дизайн (kk)", weight=1, order=2
    )
    return rubric


RUBRIC = {
    "en": [
        ("idea", "Idea Weight 3 (75% of the total) · scale 0–2 How new the lesson is. 0 Nothing new 1 A new idea"),
        ("design", "Design Weight 1 (25% of the total) · scale 0–5"),
    ],
    "ru": [
        ("idea", "Идея Вес 3 (75% от общего веса) · шкала 0–2 Насколько урок нов. 0 Ничего нового 1 Новая идея"),
        ("design", "Дизайн Вес 1 (25% от общего веса) · шкала 0–5"),
    ],
    "kk": [
        (
            "idea",
            "Идея (kk) Салмағы 3 (жалпы салмақтың 75%) · шкала: 0–2 Сабақ қаншалықты жаңа. "
            "0 Жаңа ештеңе жоқ 1 Жаңа идея",
        ),
        ("design", "Дизайн (kk) Салмағы 1 (жалпы салмақтың 25%) · шкала: 0–5"),
    ],
}


# The rubric --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_contest_page_shows_the_rubric_to_everyone_once_submissions_open(client, request, rubric, contest, role):
    response = visitor(role, client, request).get(page_url(contest))

    assert response.status_code == 200
    assert criteria_shown(response) == RUBRIC["en"]
    assert "data-rubric-private" not in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_contest_page_shows_the_rubric_in_the_pages_language(client, rubric, contest, language):
    response = client.get(page_url(contest, language))

    assert criteria_shown(response) == RUBRIC[language]


def test_contest_page_shows_the_rubric_after_submissions_close(client, rubric, contest):
    contest.submissions_close = timezone.now() - timedelta(hours=1)
    contest.save(update_fields=["submissions_close"])

    assert criteria_shown(client.get(page_url(contest))) == RUBRIC["en"]


@pytest.mark.parametrize("role", [role for role in ROLES if role != "organiser"])
def test_contest_page_hides_the_rubric_before_submissions_open(client, request, rubric, contest, role):
    contest.submissions_open = timezone.now() + timedelta(days=1)
    contest.save(update_fields=["submissions_open"])

    response = visitor(role, client, request).get(page_url(contest, "kk"))

    assert response.status_code == 200
    assert response.context["criteria"] == []
    page = response.content.decode()
    assert "data-rubric" not in page
    assert "Идея" not in page
    assert "Жаңа идея" not in page


def test_contest_page_shows_the_organiser_the_rubric_before_submissions_open(client, organiser, rubric, contest):
    contest.submissions_open = timezone.now() + timedelta(days=1)
    contest.save(update_fields=["submissions_open"])
    client.force_login(organiser)

    response = client.get(page_url(contest, "kk"))

    assert criteria_shown(response) == RUBRIC["kk"]
    notice = re.search(r"<p class=\"notice notice-warning\" data-rubric-private>(.*?)</p>", response.content.decode())
    assert notice is not None
    assert notice.group(1) == (
        "Өтінім қабылдау ашылғанша бағалау критерийлерін тек ұйымдастырушылар көреді; содан кейін бәрі көреді."
    )


def test_contest_page_without_a_rubric_shows_no_rubric(client, contest):
    response = client.get(page_url(contest))

    assert response.context["criteria"] == []
    assert "data-rubric" not in response.content.decode()


# The results -------------------------------------------------------------------------------------------------------


@pytest.fixture
def finalised(contest):  # type: ignore[no-untyped-def]
    """Finalised results with a 1st, 2nd and 3rd place (created in reverse order) and a special award."""
    finalised = finalised_round(contest)
    Award.objects.filter(results=finalised.results, place=1).update(order=30)
    Award.objects.create(
        results=finalised.results,
        key=f"nomination-{finalised.design.slug}/place-3/1",
        nomination=finalised.design,
        place=3,
        entry=finalised.loser,
        order=0,
    )
    return finalised


RESULTS = {
    "en": [
        (
            "Design",
            [
                "1st place Fractions with Wordwall Aigerim Seitkali, Co-author 0 · Zhetysu University, Abai University",
                "2nd place Maps with Canva",
                "3rd place Not this time",
            ],
        ),
        ("Special awards", ["Best song Songs in Kazakh Saule Abenova · Zhetysu University"]),
    ],
    "ru": [
        (
            "Дизайн",
            [
                "1 место Fractions with Wordwall Aigerim Seitkali, Co-author 0 · ЖУ, Абай",
                "2 место Maps with Canva",
                "3 место Not this time",
            ],
        ),
        ("Специальные награды", ["Лучшая песня Songs in Kazakh Saule Abenova · ЖУ"]),
    ],
    # The universities have no Kazakh names: their Russian ones stand in.
    "kk": [
        (
            "Дизайн (kk)",
            [
                "1-орын Fractions with Wordwall Aigerim Seitkali, Co-author 0 · ЖУ, Абай",
                "2-орын Maps with Canva",
                "3-орын Not this time",
            ],
        ),
        ("Арнайы марапаттар", ["Үздік ән Songs in Kazakh Saule Abenova · ЖУ"]),
    ],
}


@pytest.mark.parametrize("role", ROLES)
def test_contest_page_shows_no_results_before_they_are_published(client, request, finalised, role):
    response = visitor(role, client, request).get(page_url(finalised.contest, "kk"))

    assert response.status_code == 200
    assert response.context["results"] == []
    page = response.content.decode()
    assert "data-results" not in page
    for secret in ("Fractions with Wordwall", "Aigerim Seitkali", "ЖУ", "Үздік ән", "Арнайы марапаттар"):
        assert secret not in page


@pytest.mark.parametrize("role", ROLES)
def test_contest_page_shows_the_published_results_per_nomination(client, request, finalised, role):
    results_publish(actor=None, results=finalised.results, now=NOW)

    response = visitor(role, client, request).get(page_url(finalised.contest, "kk"))

    assert response.status_code == 200
    assert awards_shown(response) == RESULTS["kk"]
    page = response.content.decode()
    for post in Post.objects.all():
        with translation.override("kk"):
            link = reverse("frontend:blog_post", kwargs={"contest": post.contest.slug, "slug": post.slug})
        assert f'href="{link}" data-post-link' in page
    # Without consent, neither the name nor the university.
    assert "Daulet Nurlanov" not in page
    assert "Yerlan Tokayev" not in page


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_contest_page_shows_the_published_results_in_the_pages_language(client, finalised, language):
    results_publish(actor=None, results=finalised.results, now=NOW)

    response = client.get(page_url(finalised.contest, language))

    assert awards_shown(response) == RESULTS[language]


def test_contest_page_leaves_out_a_withdrawn_award(client, finalised):
    results_publish(actor=None, results=finalised.results, now=NOW)
    post_unpublish(actor=None, post=Post.objects.get(key__endswith="special/best-song"))

    response = client.get(page_url(finalised.contest))

    assert awards_shown(response) == RESULTS["en"][:1]


def test_contest_page_shows_no_other_contests_results(client, finalised):
    results_publish(actor=None, results=finalised.results, now=NOW)
    elsewhere = ContestFactory()

    response = client.get(page_url(elsewhere))

    assert response.context["results"] == []
    assert "Fractions with Wordwall" not in response.content.decode()


def _published_contest(awards: int):  # type: ignore[no-untyped-def]
    """A contest whose published results have ``awards`` places, in two nominations, and a rubric."""
    contest = ContestFactory(submissions_close=NOW - timedelta(hours=2))
    finalised = finalised_round(contest)
    Award.objects.filter(results=finalised.results).delete()
    other = NominationFactory(contest=contest)
    for number in range(awards):
        entry = entry_from(contest, None, title=f"Entry {number}")
        entry.consent_to_publish = True
        entry.save(update_fields=["consent_to_publish"])
        nomination = finalised.design if number % 2 else other
        Award.objects.create(
            results=finalised.results,
            key=f"nomination-{nomination.slug}/place-{number % 3 + 1}/{number}",
            nomination=nomination,
            place=number % 3 + 1,
            entry=entry,
            order=number,
        )
    rubric = Rubric.objects.create(contest=contest)
    for number in range(awards):
        criterion = Criterion.objects.create(rubric=rubric, slug=f"c{number}", name_en=f"C{number}", order=number)
        CriterionLevel.objects.create(criterion=criterion, score=0, descriptor_en="None")
    results_publish(actor=None, results=finalised.results, now=NOW)
    return contest


@pytest.mark.parametrize("signed_in", [False, True])
def test_contest_page_query_count_does_not_grow_with_awards(client, db, django_assert_num_queries, signed_in):
    one, many = _published_contest(1), _published_contest(8)
    if signed_in:
        client.force_login(ProfileFactory().user)
    client.get(page_url(one))  # sessions, caches and the like are warm

    # The contest with its nominations, platforms and universities; the rubric's criteria and levels; the results'
    # rounds and posts; and when signed in the session, the user and the count of their entries.
    expected = 11 if signed_in else 8
    with django_assert_num_queries(expected):
        assert len(awards_shown(client.get(page_url(one)))) == 1
    with django_assert_num_queries(expected):
        assert len(awards_shown(client.get(page_url(many)))) == 2
