from decimal import Decimal

import pytest
from django.utils import timezone, translation

from contest.enums import EntryStatus
from contest.models import CoAuthor, Contest
from contest.statistics import (
    NO_UNIVERSITY,
    TOTAL,
    Share,
    nomination_table,
    participant_columns,
    platform_table,
    share_label,
    share_percent,
)
from tests.factories import EntryFactory, NominationFactory, PlatformFactory, ProfileFactory, UniversityFactory


def entry_by(author, contest, nomination, platforms, status=EntryStatus.SUBMITTED, title=""):  # type: ignore[no-untyped-def]
    extra = {"title": title} if title else {}
    return EntryFactory(
        contest=contest,
        author=author,
        nomination=nomination,
        platforms=platforms,
        status=status,
        submitted_at=timezone.now() if status != EntryStatus.DRAFT else None,
        **extra,
    )


def statistics_contest(contest: Contest) -> Contest:
    """Three universities, one participant without one, drafts and withdrawn entries that do not count.

    Alpha: a1 (Wordwall + Canva), a2 (two entries with Wordwall), a3 (Other), a4 (a draft only): 3 participants.
    Beta: b1 (Canva), b2 (a withdrawn Wordwall entry and a Genially one): 2 participants.
    Gamma: c1 (Wordwall + Genially): 1 participant. Delta: d1 (a draft only): no column.
    No university: n1 (Canva). a1's entry has a co-author from Gamma, who is not counted.
    """
    alpha = UniversityFactory(slug="alpha", name="Alpha University", name_en="Alpha University")
    beta = UniversityFactory(slug="beta", name="Beta University", name_en="Beta University")
    gamma = UniversityFactory(slug="gamma", name="Gamma University", name_en="Gamma University")
    delta = UniversityFactory(slug="delta", name="Delta University", name_en="Delta University")
    wordwall = PlatformFactory(contest=contest, slug="wordwall", name="Wordwall", name_en="Wordwall", order=1)
    canva = PlatformFactory(contest=contest, slug="canva", name="Canva", name_en="Canva", order=2)
    genially = PlatformFactory(contest=contest, slug="genially", name="Genially", name_en="Genially", order=3)
    other = PlatformFactory(contest=contest, slug="other", name="Other", name_en="Other", order=0, is_other=True)
    quiz = NominationFactory(contest=contest, slug="quiz", name="Best quiz", name_en="Best quiz", order=1)
    game = NominationFactory(contest=contest, slug="game", name="Best game", name_en="Best game", order=2)

    def person(university, email):  # type: ignore[no-untyped-def]
        user = ProfileFactory(university=university, full_name=email.split("@")[0].upper()).user
        user.email = email
        user.save(update_fields=["email"])
        return user

    a1, a2, a3, a4 = (person(alpha, f"a{n}@example.org") for n in range(1, 5))
    b1, b2 = person(beta, "b1@example.org"), person(beta, "b2@example.org")
    c1, d1, n1 = person(gamma, "c1@example.org"), person(delta, "d1@example.org"), person(None, "n1@example.org")
    first = entry_by(a1, contest, quiz, [wordwall, canva], title="A1 quiz")
    CoAuthor.objects.create(entry=first, full_name="Gamma co-author", university=gamma)
    entry_by(a2, contest, quiz, [wordwall], title="A2 quiz")
    entry_by(a2, contest, game, [wordwall], title="A2 game")
    entry_by(a3, contest, game, [other], title="A3 game")
    entry_by(a4, contest, quiz, [canva], status=EntryStatus.DRAFT, title="A4 draft")
    entry_by(b1, contest, quiz, [canva], title="B1 quiz")
    entry_by(b2, contest, quiz, [wordwall], status=EntryStatus.WITHDRAWN, title="B2 withdrawn")
    entry_by(b2, contest, game, [genially], title="B2 game")
    entry_by(c1, contest, quiz, [wordwall, genially], title="C1 quiz")
    entry_by(d1, contest, game, [canva, genially], status=EntryStatus.DRAFT, title="D1 draft")
    entry_by(n1, contest, quiz, [canva], title="N1 quiz")
    return contest


@pytest.fixture
def counted(contest):  # type: ignore[no-untyped-def]
    return statistics_contest(contest)


def cells(table):  # type: ignore[no-untyped-def]
    return [(row.platform.name, [(share.count, str(share.percent)) for share in row.shares]) for row in table.rows]


def test_share_percent_rounds_half_up_to_one_decimal():  # type: ignore[no-untyped-def]
    assert [
        share_percent(1, 3),
        share_percent(2, 3),
        share_percent(1, 16),
        share_percent(3, 16),
        share_percent(0, 5),
        share_percent(6, 26),
        share_percent(0, 0),
    ] == [
        Decimal("33.3"),
        Decimal("66.7"),
        Decimal("6.3"),
        Decimal("18.8"),
        Decimal("0.0"),
        Decimal("23.1"),
        Decimal("0.0"),
    ]


def test_share_label_in_each_language():  # type: ignore[no-untyped-def]
    share = Share(count=6, percent=Decimal("23.1"))

    labels = []
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            labels.append(share_label(share))

    assert labels == ["6 (23.1%)", "6 (23,1%)", "6 (23,1%)"]


def test_participant_columns_count_authors_of_submitted_entries(counted):  # type: ignore[no-untyped-def]
    columns = participant_columns(contest=counted)

    assert [(column.key, column.label) for column in columns] == [
        ("alpha", "Alpha University (3)"),
        ("beta", "Beta University (2)"),
        ("gamma", "Gamma University (1)"),
        (NO_UNIVERSITY, "No university (1)"),
        (TOTAL, "Total (7)"),
    ]


def test_platform_table_counts_each_participant_once(counted):  # type: ignore[no-untyped-def]
    table = platform_table(contest=counted)

    # Total: 3 of 7 is 42.857 → 42.9; 2 of 7 is 28.571 → 28.6; 1 of 7 is 14.286 → 14.3.
    assert cells(table) == [
        ("Wordwall", [(2, "66.7"), (0, "0.0"), (1, "100.0"), (0, "0.0"), (3, "42.9")]),
        ("Canva", [(1, "33.3"), (1, "50.0"), (0, "0.0"), (1, "100.0"), (3, "42.9")]),
        ("Genially", [(0, "0.0"), (1, "50.0"), (1, "100.0"), (0, "0.0"), (2, "28.6")]),
        ("Other", [(1, "33.3"), (0, "0.0"), (0, "0.0"), (0, "0.0"), (1, "14.3")]),
    ]


def test_platform_table_when_nothing_is_submitted(contest):  # type: ignore[no-untyped-def]
    wordwall = PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall")
    entry_by(ProfileFactory().user, contest, NominationFactory(contest=contest), [wordwall], status=EntryStatus.DRAFT)

    table = platform_table(contest=contest)

    assert [(column.key, column.participants) for column in table.columns] == [(TOTAL, 0)]
    assert cells(table) == [("Wordwall", [(0, "0.0")])]


def test_platform_table_ignores_other_contests(counted):  # type: ignore[no-untyped-def]
    before = cells(platform_table(contest=counted))
    elsewhere = NominationFactory()
    alpha = participant_columns(contest=counted)[0].university
    entry_by(
        ProfileFactory(university=alpha).user,
        elsewhere.contest,
        elsewhere,
        [PlatformFactory(contest=elsewhere.contest)],
    )

    assert cells(platform_table(contest=counted)) == before
    assert participant_columns(contest=counted)[0].participants == 3


def test_nomination_table_counts_submitted_entries(counted):  # type: ignore[no-untyped-def]
    table = nomination_table(contest=counted)

    assert [column.key for column in table.columns] == ["alpha", "beta", "gamma", NO_UNIVERSITY, TOTAL]
    assert [(row.nomination.name, row.counts) for row in table.rows] == [
        ("Best quiz", [2, 1, 1, 1, 5]),
        ("Best game", [2, 1, 0, 0, 3]),
    ]
    assert table.totals == [4, 2, 1, 1, 8]


def test_statistics_queries_do_not_grow_with_entries(contest, django_assert_num_queries):  # type: ignore[no-untyped-def]
    wordwall = PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall")
    nomination = NominationFactory(contest=contest)
    university = UniversityFactory()
    entry_by(ProfileFactory(university=university).user, contest, nomination, [wordwall])
    # The participants per university and their universities, then platforms (with the names typed under
    # "Other") and nominations with their counts.
    with django_assert_num_queries(7):
        one = platform_table(contest=contest, columns=participant_columns(contest=contest))
        nomination_table(contest=contest, columns=one.columns)
    for _ in range(30):
        entry_by(ProfileFactory(university=university).user, contest, nomination, [wordwall])

    with django_assert_num_queries(7):
        many = platform_table(contest=contest, columns=participant_columns(contest=contest))
        nominations = nomination_table(contest=contest, columns=many.columns)

    assert cells(many) == [("Wordwall", [(31, "100.0"), (31, "100.0")])]
    assert nominations.totals == [31, 31]
