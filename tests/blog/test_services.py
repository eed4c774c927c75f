"""Blog posts: one per award whoever publishes it and however often, names only with consent."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from blog.models import Post, PostStatus
from blog.services import post_publish, post_unpublish, post_upsert
from config.exceptions import BaigeError, NotAllowed
from contest.enums import Role
from tests.blog import winner_post
from tests.factories import ContestFactory, ContestRoleFactory, NominationFactory, PlatformFactory
from tests.judging import entry_from

TITLE = {"kk": "Жеңімпаз", "ru": "Победитель", "en": "The winner"}


def test_post_key_is_unique_per_contest_in_the_database(contest):
    Post.objects.create(contest=contest, key="round-2/nomination-5/place-1", slug="first", title="First")
    Post.objects.create(contest=ContestFactory(), key="round-2/nomination-5/place-1", slug="first", title="First")
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(contest=contest, key="round-2/nomination-5/place-1", slug="second", title="Second")
    assert Post.objects.filter(contest=contest).count() == 1


def test_post_slug_is_unique_per_contest_in_the_database(contest):
    Post.objects.create(contest=contest, key="a", slug="winner", title="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(contest=contest, key="b", slug="winner", title="B")


def test_post_without_consent_cannot_hold_a_name_in_the_database(contest):
    for fields in ({"authors_text": "Aigerim Seitkali"}, {"university_text": "Zhetysu University"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Post.objects.create(contest=contest, key="a", slug="a", title="A", show_authors=False, **fields)
    assert Post.objects.count() == 0


def test_published_post_needs_its_date_in_the_database(contest):
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(contest=contest, key="a", slug="a", title="A", status=PostStatus.PUBLISHED)


def test_post_upsert_twice_keeps_one_post_and_updates_it(contest, platforms):
    entry = entry_from(contest, None, platforms=platforms)
    post, created = post_upsert(
        actor=None, contest=contest, key="special/best-design", title=TITLE, entry=entry, place=1, platforms=platforms
    )
    again, created_again = post_upsert(
        actor=None,
        contest=contest,
        key="special/best-design",
        title={"en": "The best design"},
        award={"en": "Best design", "ru": "Лучший дизайн"},
        platforms=platforms[:1],
    )
    assert (created, created_again) == (True, False)
    assert again.pk == post.pk
    assert Post.objects.count() == 1
    again.refresh_from_db()
    assert (again.title_en, again.title_ru, again.title_kk) == ("The best design", "Победитель", "Жеңімпаз")
    assert (again.award_en, again.award_ru, again.award_kk) == ("Best design", "Лучший дизайн", None)
    assert again.slug == "the-winner"  # its address never changes with a correction
    assert (again.place, again.entry, again.status) == (1, entry, PostStatus.DRAFT)
    assert list(again.platforms.all()) == platforms[:1]


def test_post_upsert_makes_a_distinct_slug_for_the_same_title(contest):
    first, _ = post_upsert(actor=None, contest=contest, key="a", title=TITLE)
    second, _ = post_upsert(actor=None, contest=contest, key="b", title=TITLE)
    kazakh, _ = post_upsert(actor=None, contest=contest, key="c", title={"kk": "Ең үздік сабақ"})
    assert (first.slug, second.slug, kazakh.slug) == ("the-winner", "the-winner-2", "eng-uzdik-sabaq")


def test_post_upsert_refuses_a_slug_taken_in_the_contest(contest):
    post_upsert(actor=None, contest=contest, key="a", title=TITLE, slug="winner")
    with pytest.raises(BaigeError) as refused:
        post_upsert(actor=None, contest=contest, key="b", title=TITLE, slug="winner")
    assert str(refused.value) == "The short name “winner” is already used in this contest."
    assert Post.objects.count() == 1


def test_post_upsert_never_stores_names_without_consent(contest):
    post, _ = post_upsert(
        actor=None,
        contest=contest,
        key="a",
        title=TITLE,
        show_authors=False,
        authors_text="Aigerim Seitkali",
        university_text="Zhetysu University",
    )
    post.refresh_from_db()
    assert (post.authors_text, post.university_text) == ("", "")


def test_post_upsert_forgets_names_when_consent_is_withdrawn(contest):
    post, _ = post_upsert(
        actor=None, contest=contest, key="a", title=TITLE, show_authors=True, authors_text="Aigerim Seitkali"
    )
    assert post.authors_text == "Aigerim Seitkali"
    post_upsert(actor=None, contest=contest, key="a", show_authors=False)
    post.refresh_from_db()
    assert (post.show_authors, post.authors_text, post.university_text) == (False, "", "")


def test_post_upsert_refuses_what_belongs_to_another_contest(contest):
    other = ContestFactory()
    cases = [
        ({"nomination": NominationFactory(contest=other)}, "The nomination belongs to another contest."),
        ({"entry": entry_from(other, None)}, "The entry belongs to another contest."),
        ({"platforms": [PlatformFactory(contest=other)]}, "A platform belongs to another contest."),
    ]
    for fields, message in cases:
        with pytest.raises(BaigeError) as refused:
            post_upsert(actor=None, contest=contest, key="a", title=TITLE, **fields)
        assert str(refused.value) == message
    assert Post.objects.count() == 0


def test_post_upsert_refuses_bad_input(contest):
    cases = [
        ({"key": " ", "title": TITLE}, "A post needs the key of the award it publishes."),
        ({"key": "a", "title": {"en": " "}}, "Give the post's title in at least one language."),
        ({"key": "a", "title": TITLE, "status": "published"}, "These fields cannot be changed: status"),
        (
            {"key": "a", "title": TITLE, "live_url": "ftp://example.org/lesson"},
            "Enter a link that starts with http:// or https://.",
        ),
    ]
    for fields, message in cases:
        with pytest.raises(BaigeError) as refused:
            post_upsert(actor=None, contest=contest, **fields)
        assert str(refused.value) == message
    assert Post.objects.count() == 0


def test_post_upsert_by_the_contest_organiser(contest, organiser):
    post, created = post_upsert(actor=organiser, contest=contest, key="a", title=TITLE)
    assert (created, post.title_en) == (True, "The winner")


def test_post_writes_are_refused_to_everyone_but_organisers(contest, juror, participant, user_factory):
    from django.contrib.auth.models import AnonymousUser

    post, _ = post_upsert(actor=None, contest=contest, key="a", title=TITLE)
    outsider = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    for actor in (juror, participant, outsider, AnonymousUser()):
        with pytest.raises(NotAllowed):
            post_upsert(actor=actor, contest=contest, key="b", title=TITLE)
        with pytest.raises(NotAllowed):
            post_publish(actor=actor, post=post)
        with pytest.raises(NotAllowed):
            post_unpublish(actor=actor, post=post)
    assert list(Post.objects.values_list("key", "status")) == [("a", PostStatus.DRAFT)]


def test_post_publish_keeps_the_first_publication_date(contest, organiser):
    first = timezone.now() - timedelta(days=3)
    post = winner_post(contest, key="a", title="Winner", published=False)
    published = post_publish(actor=organiser, post=post, now=first)
    assert (published.status, published.published_at) == (PostStatus.PUBLISHED, first)
    hidden = post_unpublish(actor=organiser, post=post)
    assert (hidden.status, hidden.published_at) == (PostStatus.DRAFT, first)
    again = post_publish(actor=None, post=post)
    assert (again.status, again.published_at) == (PostStatus.PUBLISHED, first)


def test_post_upsert_keeps_a_published_post_published(contest):
    post = winner_post(contest, key="a", title="Winner")
    corrected, created = post_upsert(actor=None, contest=contest, key="a", summary={"en": "Corrected."})
    assert (created, corrected.status, corrected.summary_en) == (False, PostStatus.PUBLISHED, "Corrected.")
    assert corrected.published_at == post.published_at


@pytest.mark.django_db(transaction=True)
def test_post_upsert_from_two_workers_at_once_makes_one_post():
    contest = ContestFactory()
    platform = PlatformFactory(contest=contest)
    start = threading.Barrier(2)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def publish(award: str) -> None:
        try:
            start.wait(timeout=10)
            post, created = post_upsert(
                actor=None,
                contest=contest,
                key="round-2/nomination-5/place-1",
                title=TITLE,
                award={"en": award},
                platforms=[platform],
            )
            results.append((post.pk, created))
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(award,)) for award in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Post.objects.count() == 1
    post = Post.objects.get()
    assert sorted(results) == [(post.pk, False), (post.pk, True)]
    assert post.award_en in ("First", "Second")
    assert list(post.platforms.all()) == [platform]
