from datetime import UTC, datetime, timedelta

import pytest

from config.exceptions import BaigeError, NotAllowed
from contest.enums import Role
from contest.models import Contest, Entry, Nomination, Platform
from contest.services import (
    contest_update,
    nomination_delete,
    nomination_save,
    platform_delete,
    platform_save,
)
from contest.slugs import unique_slug
from tests.factories import (
    ContestFactory,
    ContestRoleFactory,
    EntryFactory,
    NominationFactory,
    PlatformFactory,
    UserFactory,
)

ALMATY_OPEN = datetime(2030, 3, 1, 4, 0, tzinfo=UTC)  # 09:00 in Asia/Almaty (UTC+5)
ALMATY_CLOSE = datetime(2030, 4, 30, 18, 59, tzinfo=UTC)  # 23:59
ALMATY_RESULTS = datetime(2030, 5, 15, 7, 0, tzinfo=UTC)  # 12:00


def timeline(**overrides):  # type: ignore[no-untyped-def]
    return {
        "submissions_open": ALMATY_OPEN,
        "submissions_close": ALMATY_CLOSE,
        "results_publish_at": ALMATY_RESULTS,
        **overrides,
    }


def stored(contest):  # type: ignore[no-untyped-def]
    return Contest.objects.get(pk=contest.pk)


# contest_update


def test_contest_update_by_organiser_stores_every_field(contest, organiser):
    contest_update(
        actor=organiser,
        contest=contest,
        name_kk="Ең тиімді цифрлық платформа",
        name_ru="Самая эффективная цифровая платформа",
        name_en="The Most Effective Digital Educational Platform",
        description_en="  For future teachers.  ",
        rules_ru="Одна работа на участника.",
        timezone="Asia/Bishkek",
        max_file_size=512 * 1024 * 1024,
        max_video_duration=15 * 60,
        max_pages=120,
        **timeline(),
    )

    saved = stored(contest)
    assert saved.name_kk == "Ең тиімді цифрлық платформа"
    assert saved.name_ru == "Самая эффективная цифровая платформа"
    assert saved.name_en == "The Most Effective Digital Educational Platform"
    assert saved.description_en == "For future teachers."
    assert saved.rules_ru == "Одна работа на участника."
    assert saved.timezone == "Asia/Bishkek"
    assert saved.submissions_open == ALMATY_OPEN
    assert saved.submissions_close == ALMATY_CLOSE
    assert saved.results_publish_at == ALMATY_RESULTS
    assert (saved.max_file_size, saved.max_video_duration, saved.max_pages) == (536_870_912, 900, 120)


def test_contest_update_by_superuser(contest):
    contest_update(actor=UserFactory(is_superuser=True), contest=contest, name_en="Renamed")

    assert stored(contest).name_en == "Renamed"


def test_contest_update_without_results_time(contest, organiser):
    contest_update(actor=organiser, contest=contest, **timeline(results_publish_at=None))

    assert stored(contest).results_publish_at is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name_kk": "", "name_ru": " ", "name_en": ""}, "Give the contest's name in at least one language."),
        (timeline(submissions_close=ALMATY_OPEN), "Submissions must close after they open."),
        (timeline(submissions_close=ALMATY_OPEN - timedelta(days=1)), "Submissions must close after they open."),
        (timeline(results_publish_at=ALMATY_CLOSE), "Results must be published after submissions close."),
        ({"max_file_size": 0}, "File limits must be positive numbers."),
        ({"max_video_duration": 0}, "File limits must be positive numbers."),
        ({"max_pages": 0}, "File limits must be positive numbers."),
        ({"timezone": "Asia/Nowhere"}, "Unknown time zone: Asia/Nowhere"),
        ({"submissions_open": datetime(2030, 3, 1, 9, 0)}, "Every date and time needs its time zone."),
        ({"slug": "new-slug"}, "These fields cannot be changed: slug"),
    ],
)
def test_contest_update_breaking_a_rule_changes_nothing(contest, organiser, fields, message):
    before = stored(contest)

    with pytest.raises(BaigeError) as refused:
        contest_update(actor=organiser, contest=contest, **fields)

    assert str(refused.value) == message
    after = stored(contest)
    assert (after.name_en, after.timezone, after.submissions_open, after.submissions_close) == (
        before.name_en,
        before.timezone,
        before.submissions_open,
        before.submissions_close,
    )
    assert (after.max_file_size, after.max_video_duration, after.max_pages, after.slug) == (
        before.max_file_size,
        before.max_video_duration,
        before.max_pages,
        before.slug,
    )


@pytest.mark.parametrize("who", ["participant", "juror", "organiser_of_another_contest", "anonymous"])
def test_contest_update_by_others_refused(request, contest, who):
    if who == "organiser_of_another_contest":
        actor = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    elif who == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        actor = AnonymousUser()
    else:
        actor = request.getfixturevalue(who)

    with pytest.raises(NotAllowed):
        contest_update(actor=actor, contest=contest, name_en="Taken over")

    assert stored(contest).name_en == contest.name_en


# Slugs


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("LearningApps.org", "learningappsorg"),
        ("Классная доска", "klassnaya-doska"),
        ("Қазақ тілі сабағы", "qazaq-tili-sabagy"),
        ("Искусственный интеллект", "iskusstvennyy-intellekt"),
        ("!!!", "platform"),
    ],
)
def test_unique_slug_transliterates(text, slug):
    assert unique_slug(text, taken=set(), max_length=80, fallback="platform") == slug


def test_unique_slug_when_taken_adds_a_number():
    taken = {"wordwall", "wordwall-2"}

    assert unique_slug("Wordwall", taken=taken, max_length=80, fallback="platform") == "wordwall-3"
    assert "wordwall-3" in taken


# Platforms


def test_platform_save_new_takes_slug_from_english_name(contest, organiser):
    platform = platform_save(
        actor=organiser, contest=contest, name_kk="Жасанды интеллект", name_ru="Искусственный интеллект",
        name_en="AI tools", order=3,
    )  # fmt: skip

    saved = Platform.objects.get(pk=platform.pk)
    assert (saved.contest_id, saved.slug, saved.order, saved.is_other) == (contest.pk, "ai-tools", 3, False)
    assert (saved.name_kk, saved.name_ru, saved.name_en) == ("Жасанды интеллект", "Искусственный интеллект", "AI tools")


def test_platform_save_new_takes_slug_from_russian_name_when_no_english(contest, organiser):
    platform = platform_save(actor=organiser, contest=contest, name_ru="Классная доска", is_other=True)

    saved = Platform.objects.get(pk=platform.pk)
    assert (saved.slug, saved.is_other, saved.name_en) == ("klassnaya-doska", True, "")


def test_platform_save_new_slug_kept_unique_in_contest(contest, organiser):
    PlatformFactory(contest=contest, slug="wordwall")
    PlatformFactory(contest=ContestFactory(), slug="wordwall-2")

    platform = platform_save(actor=organiser, contest=contest, name_en="Wordwall")

    assert platform.slug == "wordwall-2"


def test_platform_save_with_taken_slug_refused(contest, organiser):
    PlatformFactory(contest=contest, slug="canva")

    with pytest.raises(BaigeError, match="The short name “canva” is already used in this contest."):
        platform_save(actor=organiser, contest=contest, name_en="Canva 2", slug="canva")

    assert Platform.objects.filter(contest=contest).count() == 1


def test_platform_save_without_any_name_refused(contest, organiser):
    with pytest.raises(BaigeError, match="Give the name in at least one language."):
        platform_save(actor=organiser, contest=contest, name_kk=" ", slug="nameless")

    assert Platform.objects.filter(contest=contest).count() == 0


def test_platform_save_existing_changes_it(contest, organiser):
    platform = PlatformFactory(contest=contest, slug="wordwal", name_en="Wordwal", order=5)

    platform_save(
        actor=organiser, contest=contest, platform=platform, name_en="Wordwall", name_ru="Вордвол", slug="wordwal",
        order=1,
    )  # fmt: skip

    saved = Platform.objects.get(pk=platform.pk)
    assert (saved.name_en, saved.name_ru, saved.slug, saved.order) == ("Wordwall", "Вордвол", "wordwal", 1)


def test_platform_save_existing_with_empty_slug_makes_a_new_one(contest, organiser):
    platform = PlatformFactory(contest=contest, slug="old")

    platform_save(actor=organiser, contest=contest, platform=platform, name_en="Spin the Wheel", slug="")

    assert Platform.objects.get(pk=platform.pk).slug == "spin-the-wheel"


def test_platform_save_of_another_contest_refused(contest, organiser):
    foreign = PlatformFactory(contest=ContestFactory(), name_en="Theirs")

    with pytest.raises(NotAllowed):
        platform_save(actor=organiser, contest=contest, platform=foreign, name_en="Mine")

    assert Platform.objects.get(pk=foreign.pk).name_en == "Theirs"


@pytest.mark.parametrize("who", ["participant", "juror"])
def test_platform_save_by_others_refused(request, contest, who):
    with pytest.raises(NotAllowed):
        platform_save(actor=request.getfixturevalue(who), contest=contest, name_en="Zoom")

    assert Platform.objects.filter(contest=contest).count() == 0


def test_platform_delete_unused(contest, organiser):
    platform = PlatformFactory(contest=contest)

    platform_delete(actor=organiser, platform=platform)

    assert not Platform.objects.filter(pk=platform.pk).exists()


def test_platform_delete_when_used_refused(contest, organiser):
    platform = PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall")
    entries = [EntryFactory(contest=contest, platforms=[platform]) for _ in range(2)]

    with pytest.raises(BaigeError) as refused:
        platform_delete(actor=organiser, platform=platform)

    assert str(refused.value) == "“Wordwall” cannot be deleted: 2 entries use it."
    assert refused.value.code == "in_use"
    assert Platform.objects.filter(pk=platform.pk).exists()
    assert [list(e.platforms.all()) for e in entries] == [[platform], [platform]]


def test_platform_delete_by_juror_refused(contest, juror):
    platform = PlatformFactory(contest=contest)

    with pytest.raises(NotAllowed):
        platform_delete(actor=juror, platform=platform)

    assert Platform.objects.filter(pk=platform.pk).exists()


# Nominations


def test_nomination_save_new(contest, organiser):
    nomination = nomination_save(
        actor=organiser, contest=contest, name_kk="Үздік сабақ", name_ru="Лучший урок",
        description_ru=" Урок целиком. ", order=2,
    )  # fmt: skip

    saved = Nomination.objects.get(pk=nomination.pk)
    assert (saved.slug, saved.order, saved.name_en) == ("luchshiy-urok", 2, "")
    assert (saved.name_kk, saved.name_ru, saved.description_ru) == ("Үздік сабақ", "Лучший урок", "Урок целиком.")


def test_nomination_save_new_from_kazakh_name_only(contest, organiser):
    nomination = nomination_save(actor=organiser, contest=contest, name_kk="Үздік ойын")

    assert nomination.slug == "uzdik-oyyn"


def test_nomination_save_existing_changes_it(contest, organiser, nomination):
    nomination_save(actor=organiser, contest=contest, nomination=nomination, name_en="Best game", slug="best-game")

    saved = Nomination.objects.get(pk=nomination.pk)
    assert (saved.name_en, saved.slug, saved.description_en) == ("Best game", "best-game", "")


def test_nomination_save_with_taken_slug_refused(contest, organiser, nomination):
    other = NominationFactory(contest=contest, slug="taken")

    with pytest.raises(BaigeError, match="already used"):
        nomination_save(actor=organiser, contest=contest, nomination=nomination, name_en="X", slug="taken")

    assert Nomination.objects.get(pk=nomination.pk).slug == nomination.slug
    assert Nomination.objects.get(pk=other.pk).slug == "taken"


def test_nomination_save_by_participant_refused(contest, participant):
    with pytest.raises(NotAllowed):
        nomination_save(actor=participant, contest=contest, name_en="Mine")

    assert Nomination.objects.filter(contest=contest).count() == 0


def test_nomination_delete_unused(contest, organiser, nomination):
    nomination_delete(actor=organiser, nomination=nomination)

    assert not Nomination.objects.filter(pk=nomination.pk).exists()


def test_nomination_delete_when_used_refused(contest, organiser, nomination):
    entry = EntryFactory(contest=contest, nomination=nomination)

    with pytest.raises(BaigeError) as refused:
        nomination_delete(actor=organiser, nomination=nomination)

    assert str(refused.value) == f"“{nomination.name}” cannot be deleted: 1 entry uses it."
    assert Nomination.objects.filter(pk=nomination.pk).exists()
    assert Entry.objects.get(pk=entry.pk).nomination_id == nomination.pk


def test_nomination_delete_by_organiser_of_another_contest_refused(contest, nomination):
    stranger = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user

    with pytest.raises(NotAllowed):
        nomination_delete(actor=stranger, nomination=nomination)

    assert Nomination.objects.filter(pk=nomination.pk).exists()
