"""Publishing finalised results: a post per award in three languages, once, names only with consent, e-mails once."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from blog.models import Post, PostStatus
from config.exceptions import BaigeError, NotAllowed
from contest.enums import Role
from contest.models import Contest, ContestRole, Entry, Nomination, Platform
from judging.enums import RoundStatus
from judging.models import Award, Results, Round
from judging.services.publication import results_publish, results_publish_due, results_publish_preview
from judging.services.results import award_change
from media_pipeline.enums import MediaKind
from tests.factories import (
    ContestFactory,
    ContestRoleFactory,
    NominationFactory,
    PlatformFactory,
    UniversityFactory,
)
from tests.frontend.test_jury_pages import with_media
from tests.judging import entry_from, round_of

NOW = timezone.now().replace(microsecond=0)
LANGUAGES = ("kk", "ru", "en")


@dataclass
class Finalised:
    """A closed round's finalised results: gold (consented), silver (did not consent), a special award, a loser."""

    contest: Contest
    round: Round
    results: Results
    design: Nomination
    wordwall: Platform
    gold: Entry
    silver: Entry
    special: Entry
    loser: Entry


def named(entry: Entry, full_name: str, *, consent: bool, language: str = "en") -> Entry:
    profile = entry.author.profile
    profile.full_name = full_name
    profile.preferred_language = language
    profile.save(update_fields=["full_name", "preferred_language"])
    entry.consent_to_publish = consent
    entry.live_url = f"https://example.org/{entry.code.lower()}"
    entry.save(update_fields=["consent_to_publish", "live_url"])
    return entry


def finalised_round(contest: Contest, *, number: int = 1) -> Finalised:
    """Results of a closed round of ``contest``, finalised but not published."""
    contest.name_ru = "Самая эффективная платформа"
    contest.name_kk = "Ең тиімді платформа"
    # Results are published only once submissions have closed.
    contest.submissions_close = min(contest.submissions_close, NOW - timedelta(hours=1))
    contest.save()
    zhetysu = UniversityFactory(name="Zhetysu University", name_en="Zhetysu University", name_ru="ЖУ")
    abai = UniversityFactory(name="Abai University", name_en="Abai University", name_ru="Абай")
    design = NominationFactory(
        contest=contest, slug=f"design-{number}", name_en="Design", name_ru="Дизайн", name_kk="Дизайн (kk)"
    )
    wordwall = PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall")
    gold = entry_from(contest, zhetysu, coauthors=[abai], platforms=[wordwall], title="Fractions with Wordwall")
    silver = entry_from(contest, abai, platforms=[wordwall], title="Maps with Canva")
    special = entry_from(contest, zhetysu, platforms=[wordwall], title="Songs in Kazakh")
    loser = entry_from(contest, abai, platforms=[wordwall], title="Not this time")
    for entry in (gold, silver, special, loser):
        entry.nomination = design
        entry.save(update_fields=["nomination"])
    named(gold, "Aigerim Seitkali", consent=True)
    named(silver, "Daulet Nurlanov", consent=False)
    named(special, "Saule Abenova", consent=True, language="ru")
    named(loser, "Yerlan Tokayev", consent=False, language="kk")
    round = round_of(contest, [gold, silver, special, loser], [], status=RoundStatus.CLOSED, number=number)
    results = Results.objects.create(round=round, content_hash="0" * 64, finalised_at=NOW)
    Award.objects.create(
        results=results, key=f"nomination-{design.slug}/place-1/1", nomination=design, place=1, entry=gold, order=1
    )
    Award.objects.create(
        results=results, key=f"nomination-{design.slug}/place-2/1", nomination=design, place=2, entry=silver, order=2
    )
    Award.objects.create(
        results=results,
        key="special/best-song",
        name_en="Best song",
        name_ru="Лучшая песня",
        name_kk="Үздік ән",
        entry=special,
        order=3,
    )
    return Finalised(contest, round, results, design, wordwall, gold, silver, special, loser)


@pytest.fixture
def finalised(contest: Contest) -> Finalised:
    return finalised_round(contest)


def posts_of(contest: Contest) -> dict[str, Post]:
    return {post.key: post for post in Post.objects.filter(contest=contest)}


def in_language(language: str, text: str, **values: str) -> str:
    """``text`` translated as Baige translates it, with ``values`` put in."""
    with translation.override(language):
        return gettext(text) % values


# --- Posts --------------------------------------------------------------------------------------


def test_results_publish_creates_one_published_post_per_award_in_three_languages(finalised):
    report = results_publish(actor=None, results=finalised.results, now=NOW)

    posts = posts_of(finalised.contest)
    assert sorted(posts) == [
        "round-1/nomination-design-1/place-1/1",
        "round-1/nomination-design-1/place-2/1",
        "round-1/special/best-song",
    ]
    assert (len(report.created), report.updated, report.unchanged, report.unpublished) == (3, [], [], [])
    gold = posts["round-1/nomination-design-1/place-1/1"]
    nomination = {"kk": "Дизайн (kk)", "ru": "Дизайн", "en": "Design"}
    for language in LANGUAGES:
        place = in_language(language, "1st place")
        assert getattr(gold, f"title_{language}") == in_language(
            language,
            "%(place)s · %(nomination)s · %(entry)s",
            place=place,
            nomination=nomination[language],
            entry="Fractions with Wordwall",
        )
        assert getattr(gold, f"award_{language}") == place
        assert getattr(gold, f"body_{language}") == "A lesson built with an interactive quiz."
    assert gold.title_en == "1st place · Design · Fractions with Wordwall"
    assert gold.summary_en == (
        f"“Fractions with Wordwall” takes the 1st place in the nomination “Design” of {finalised.contest.name_en}."
    )
    assert (gold.place, gold.nomination, gold.entry, gold.live_url) == (
        1,
        finalised.design,
        finalised.gold,
        finalised.gold.live_url,
    )
    assert list(gold.platforms.all()) == [finalised.wordwall]
    assert (gold.status, gold.published_at) == (PostStatus.PUBLISHED, NOW)
    special = posts["round-1/special/best-song"]
    assert (special.title_en, special.title_ru, special.title_kk) == (
        "Best song · Songs in Kazakh",
        in_language("ru", "%(award)s · %(entry)s", award="Лучшая песня", entry="Songs in Kazakh"),
        in_language("kk", "%(award)s · %(entry)s", award="Үздік ән", entry="Songs in Kazakh"),
    )
    assert (special.place, special.award_en, special.nomination) == (None, "Best song", finalised.design)
    finalised.results.refresh_from_db()
    assert (finalised.results.published_at, finalised.results.participants_notified_at) == (NOW, NOW)


def test_results_publish_names_authors_and_university_only_with_consent(finalised):
    results_publish(actor=None, results=finalised.results, now=NOW)

    posts = posts_of(finalised.contest)
    gold = posts["round-1/nomination-design-1/place-1/1"]
    silver = posts["round-1/nomination-design-1/place-2/1"]
    assert (gold.show_authors, gold.authors_text) == (True, "Aigerim Seitkali, Co-author 0")
    # The author's then the co-author's university, named in each language (Kazakh falls back to Russian).
    assert (gold.university_text_kk, gold.university_text_ru, gold.university_text_en) == (
        "ЖУ, Абай",
        "ЖУ, Абай",
        "Zhetysu University, Abai University",
    )
    assert (silver.show_authors, silver.authors_text, silver.university_text) == (False, "", "")
    assert (silver.university_text_kk, silver.university_text_ru, silver.university_text_en) == ("", "", "")


def test_results_publish_twice_changes_nothing(finalised):
    results_publish(actor=None, results=finalised.results, now=NOW)
    before = {post.key: (post.pk, post.updated_at, post.published_at) for post in Post.objects.all()}

    report = results_publish(actor=None, results=finalised.results, now=NOW + timedelta(hours=1))

    after = {post.key: (post.pk, post.updated_at, post.published_at) for post in Post.objects.all()}
    assert after == before
    assert (report.created, report.updated, report.unpublished, len(report.unchanged)) == ([], [], [], 3)
    assert report.changed == []


def test_results_publish_updates_the_post_of_a_changed_award_and_withdraws_the_post_of_one_gone(finalised):
    results_publish(actor=None, results=finalised.results, now=NOW)
    before = posts_of(finalised.contest)
    first = Award.objects.get(key="nomination-design-1/place-1/1")
    first.entry = finalised.loser
    first.save(update_fields=["entry"])
    Award.objects.filter(key="special/best-song").delete()

    report = results_publish(actor=None, results=finalised.results, now=NOW + timedelta(hours=1))

    after = posts_of(finalised.contest)
    gold = after["round-1/nomination-design-1/place-1/1"]
    assert gold.pk == before["round-1/nomination-design-1/place-1/1"].pk
    assert (gold.entry, gold.title_en, gold.show_authors, gold.authors_text) == (
        finalised.loser,
        "1st place · Design · Not this time",
        False,
        "",
    )
    assert gold.published_at == NOW  # a correction keeps the date it was first published
    assert after["round-1/special/best-song"].status == PostStatus.DRAFT
    assert [post.key for post in report.updated] == ["round-1/nomination-design-1/place-1/1"]
    assert [post.key for post in report.unpublished] == ["round-1/special/best-song"]
    assert [post.key for post in report.unchanged] == ["round-1/nomination-design-1/place-2/1"]


def test_results_publish_leaves_the_posts_of_other_rounds_alone(finalised, contest):
    second = finalised_round(contest, number=2)
    results_publish(actor=None, results=finalised.results, now=NOW)
    results_publish(actor=None, results=second.results, now=NOW)
    Award.objects.filter(results=second.results).delete()

    results_publish(actor=None, results=second.results, now=NOW)

    statuses = {post.key: post.status for post in Post.objects.filter(contest=contest)}
    assert sorted(key for key, status in statuses.items() if status == PostStatus.PUBLISHED) == [
        "round-1/nomination-design-1/place-1/1",
        "round-1/nomination-design-1/place-2/1",
        "round-1/special/best-song",
    ]
    assert len(statuses) == 6


@pytest.mark.django_db(transaction=True)
def test_results_publish_by_two_workers_at_once_makes_one_post_per_award(contest):
    finalised = finalised_round(contest)
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def publish() -> None:
        try:
            barrier.wait()
            results_publish(actor=None, results=finalised.results)
        except BaseException as failed:  # noqa: BLE001 - reported by the test below
            failures.append(failed)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert Post.objects.filter(contest=contest).count() == 3
    assert Post.objects.filter(contest=contest, status=PostStatus.PUBLISHED).count() == 3


@pytest.mark.parametrize("role", ["participant", "juror", "other organiser"])
def test_results_publish_refused_for_anyone_but_the_contests_organisers(finalised, participant, role):
    actor = {
        "participant": participant,
        "juror": ContestRoleFactory(contest=finalised.contest, role=Role.JUROR).user,
        "other organiser": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
    }[role]

    with pytest.raises(NotAllowed):
        results_publish(actor=actor, results=finalised.results)

    finalised.results.refresh_from_db()
    assert (Post.objects.count(), finalised.results.published_at) == (0, None)


def test_results_publish_by_an_organiser(finalised, organiser):
    report = results_publish(actor=organiser, results=finalised.results)

    assert len(report.created) == 3
    assert Post.objects.filter(status=PostStatus.PUBLISHED).count() == 3


def test_results_publish_by_an_organiser_checks_them_once_for_every_post(finalised, organiser):
    roles = ContestRole._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        report = results_publish(actor=organiser, results=finalised.results)

    assert len(report.created) == 3
    assert sum(roles in query["sql"] for query in queries.captured_queries) == 1


# --- Publishing is deliberate: not while submissions are open, early only when confirmed ------------


def test_results_publish_refused_before_submissions_close_in_the_users_language(finalised, organiser, mailoutbox):
    contest = finalised.contest
    contest.submissions_close = NOW + timedelta(hours=2)
    contest.save(update_fields=["submissions_close"])

    for language, expected in (
        ("en", "The results cannot be published before submissions close on"),
        ("ru", "Результаты нельзя опубликовать до закрытия приёма работ"),
        ("kk", "Жұмыстарды қабылдау жабылғанға дейін нәтижелерді жариялауға болмайды"),
    ):
        with translation.override(language), pytest.raises(BaigeError) as refused:
            results_publish(actor=organiser, results=finalised.results, now=NOW, confirm_early=True)
        assert refused.value.code == "submissions_open"
        assert str(refused.value).startswith(expected)

    finalised.results.refresh_from_db()
    assert (Post.objects.count(), finalised.results.published_at, len(mailoutbox)) == (0, None, 0)


def test_results_publish_by_baige_refused_before_submissions_close(finalised):
    contest = finalised.contest
    contest.submissions_close = NOW + timedelta(hours=2)
    contest.save(update_fields=["submissions_close"])

    with pytest.raises(BaigeError) as refused:
        results_publish(actor=None, results=finalised.results, now=NOW)

    assert refused.value.code == "submissions_open"
    assert Post.objects.count() == 0


def test_results_publish_before_the_announced_time_refused_without_the_early_confirmation(finalised, organiser):
    contest = finalised.contest
    contest.results_publish_at = NOW + timedelta(days=1)
    contest.save(update_fields=["results_publish_at"])

    with translation.override("en"), pytest.raises(BaigeError) as refused:
        results_publish(actor=organiser, results=finalised.results, now=NOW)

    assert refused.value.code == "before_announced_time"
    assert str(refused.value).startswith("The results are announced for ")
    assert str(refused.value).endswith(
        "(Asia/Almaty). To publish them before that, confirm that you publish before the announced time."
    )
    finalised.results.refresh_from_db()
    assert (Post.objects.count(), finalised.results.published_at, finalised.results.participants_notified_at) == (
        0,
        None,
        None,
    )


def test_results_publish_before_the_announced_time_with_the_early_confirmation(finalised, organiser):
    contest = finalised.contest
    contest.results_publish_at = NOW + timedelta(days=1)
    contest.save(update_fields=["results_publish_at"])

    report = results_publish(actor=organiser, results=finalised.results, now=NOW, confirm_early=True)

    assert (len(report.created), report.notified) == (3, True)
    # Once published, bringing the posts up to date needs no second confirmation.
    again = results_publish(actor=None, results=finalised.results, now=NOW + timedelta(minutes=5))
    assert (len(again.unchanged), again.notified) == (3, False)


def test_results_publish_at_or_after_the_announced_time_needs_no_early_confirmation(finalised, organiser):
    contest = finalised.contest
    contest.results_publish_at = NOW
    contest.save(update_fields=["results_publish_at"])

    report = results_publish(actor=organiser, results=finalised.results, now=NOW)

    assert len(report.created) == 3


def test_results_publish_preview_counts_what_becomes_public_and_who_is_emailed(finalised):
    contest = finalised.contest
    contest.results_publish_at = NOW + timedelta(days=1)
    contest.save(update_fields=["results_publish_at"])

    preview = results_publish_preview(finalised.results, now=NOW)

    assert [
        (group.nomination, [(item.award.entry.code, item.named, item.authors, item.post) for item in group.awards])
        for group in preview.nominations
    ] == [
        (
            finalised.design,
            [
                (finalised.gold.code, True, "Aigerim Seitkali, Co-author 0", "new"),
                (finalised.silver.code, False, "", "new"),
            ],
        ),
        (None, [(finalised.special.code, True, "Saule Abenova", "new")]),
    ]
    assert (preview.created, preview.updated, preview.unchanged, preview.withdrawn) == (3, 0, 0, 0)
    assert (preview.named, preview.anonymous) == (2, 1)
    assert (preview.authors_emailed, preview.coauthors_emailed, preview.coauthors_without_email) == (4, 0, 1)
    assert preview.participants_notified is False
    assert (preview.refusal, preview.early) == (None, True)
    assert (Post.objects.count(), len(mail.outbox)) == (0, 0)  # a preview changes nothing


# --- Publication at the announced time ---------------------------------------------------------------


def test_results_publish_due_publishes_only_finalised_results_whose_time_has_come(finalised, contest):
    later = finalised_round(ContestFactory(results_publish_at=NOW + timedelta(minutes=1)))
    contest.results_publish_at = NOW
    contest.save(update_fields=["results_publish_at"])

    assert results_publish_due(now=NOW) == 1
    assert results_publish_due(now=NOW) == 0  # published results are not published again

    finalised.results.refresh_from_db()
    later.results.refresh_from_db()
    assert (finalised.results.published_at, later.results.published_at) == (NOW, None)
    assert Post.objects.filter(contest=contest, status=PostStatus.PUBLISHED).count() == 3
    assert Post.objects.filter(contest=later.contest).count() == 0


def test_results_publish_due_waits_for_submissions_to_close(finalised, contest):
    contest.results_publish_at = NOW - timedelta(minutes=1)
    contest.submissions_close = NOW + timedelta(hours=1)
    contest.save(update_fields=["results_publish_at", "submissions_close"])

    assert results_publish_due(now=NOW) == 0
    assert results_publish_due(now=NOW + timedelta(hours=1)) == 1
    finalised.results.refresh_from_db()
    assert finalised.results.published_at == NOW + timedelta(hours=1)


def test_results_publish_due_skips_contests_without_an_announced_time(finalised):
    assert results_publish_due(now=NOW) == 0
    assert Post.objects.count() == 0


# --- E-mails to participants -------------------------------------------------------------------


def test_results_publish_emails_every_participant_once_after_commit(
    finalised, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = results_publish(actor=None, results=finalised.results, now=NOW)
        assert mailoutbox == []  # nothing leaves before the commit
    with django_capture_on_commit_callbacks(execute=True):
        again = results_publish(actor=None, results=finalised.results, now=NOW)

    assert (report.notified, again.notified) == (True, False)
    recipients = sorted(message.to[0] for message in mailoutbox)
    entries = (finalised.gold, finalised.silver, finalised.special, finalised.loser)
    assert recipients == sorted(entry.author.email for entry in entries)


# --- Media of winners and of everybody else --------------------------------------------------------


def test_results_publish_makes_only_the_winners_media_public(finalised, client):
    gold_media = with_media(finalised.gold, MediaKind.VIDEO)
    loser_media = with_media(finalised.loser, MediaKind.VIDEO)
    with translation.override("en"):
        gold_before = reverse(
            "frontend:rendition",
            kwargs={
                "slug": finalised.contest.slug,
                "code": finalised.gold.code,
                "asset": gold_media.uuid,
                "name": "poster",
            },
        )
        loser_private = reverse(
            "frontend:rendition",
            kwargs={
                "slug": finalised.contest.slug,
                "code": finalised.loser.code,
                "asset": loser_media.uuid,
                "name": "poster",
            },
        )

    results_publish(actor=None, results=finalised.results, now=NOW)

    post = Post.objects.get(key="round-1/nomination-design-1/place-1/1")

    def blog_media(asset) -> str:  # type: ignore[no-untyped-def]
        with translation.override("en"):
            return reverse(
                "frontend:blog_media",
                kwargs={"contest": finalised.contest.slug, "slug": post.slug, "asset": asset.uuid, "name": "poster"},
            )

    public = client.get(blog_media(gold_media))
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == b"poster bytes"
    assert client.get(blog_media(loser_media)).status_code == 404
    for private in (gold_before, loser_private):
        assert client.get(private).status_code == 302  # the author's own address still asks to sign in


# --- Nothing names an author who did not consent --------------------------------------------------


def test_an_author_without_consent_is_named_nowhere_on_the_public_site(finalised, client):
    results_publish(actor=None, results=finalised.results, now=NOW)
    posts = posts_of(finalised.contest)
    silver = posts["round-1/nomination-design-1/place-2/1"]
    gold = posts["round-1/nomination-design-1/place-1/1"]
    hidden = ("Daulet Nurlanov", finalised.silver.author.email)

    pages = []
    for language in LANGUAGES:
        with translation.override(language):
            pages += [
                reverse("frontend:blog"),
                reverse("frontend:blog_feed"),
                reverse("frontend:blog_post", kwargs={"contest": finalised.contest.slug, "slug": silver.slug}),
                reverse("frontend:blog_post", kwargs={"contest": finalised.contest.slug, "slug": gold.slug}),
            ]
    pages.append(reverse("judging_api:results", kwargs={"slug": finalised.contest.slug}))
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        content = response.content.decode()
        for text in hidden:
            assert text not in content, page
    gold_page = client.get(pages[3]).content.decode()
    assert "Aigerim Seitkali" in gold_page  # the consented author is named
    assert "Maps with Canva" in client.get(pages[0]).content.decode()


def test_an_award_changed_after_publication_updates_its_post(finalised, organiser, django_capture_on_commit_callbacks):
    results_publish(actor=None, results=finalised.results, now=NOW)
    post = Post.objects.get(key="round-1/nomination-design-1/place-1/1")

    with django_capture_on_commit_callbacks(execute=True):
        award_change(
            actor=organiser,
            award=Award.objects.get(key="nomination-design-1/place-1/1"),
            entry=finalised.loser,
            reason="The jury recounted the scores.",
        )

    post.refresh_from_db()
    assert (post.entry, post.title_en, post.status) == (
        finalised.loser,
        "1st place · Design · Not this time",
        PostStatus.PUBLISHED,
    )
