# modeltranslation adds the name_kk/name_ru/name_en columns at run time.
# mypy: disable-error-code="attr-defined"
"""A new contest as a copy of another (next year's edition), and the certificates part of definitions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import translation

from certificates.models import CertificateDesign, CertificateText
from config.exceptions import BaigeError, NotAllowed
from contest.enums import Role
from contest.models import Contest, ContestRole
from exchange.contest_copy import contest_copy, moment_shift
from exchange.definitions import contest_definition_dump, contest_definition_load, definition_parse
from exchange.definitions.files import definition_read
from exchange.definitions.schema import DefinitionInvalid
from judging.enums import RoundStatus
from judging.models import Criterion, Juror, Round
from tests.factories import ContestRoleFactory, EntryFactory, UserFactory

FIXTURE = Path(__file__).resolve().parents[2] / "exchange" / "demo" / "demo_contest.yaml"
ALMATY = ZoneInfo("Asia/Almaty")
RUBRIC = [{"slug": "clarity", "name": "Clarity", "weight": 1, "max_score": 4}]
ROUNDS = [
    {
        "number": 1,
        "name": "Screening",
        "opens": "2024-02-29T09:00",
        "closes": "2024-03-10T18:00",
        "reviews_per_entry": 2,
    },
    {"number": 2, "name": "Final", "reviews_per_entry": "all", "blind": False, "from_round": 1},
]
CERTIFICATES = {
    "signatory": {"kk": "Айгүл Серікқызы", "ru": "Айгуль Серикова", "en": "Aigul Serikova"},
    "texts": [{"kind": "juror", "language": "en", "title": "Thank you", "body": "Thank you, {name}."}],
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def source(db) -> Contest:  # type: ignore[no-untyped-def]
    data = definition_read(FIXTURE.read_text(encoding="utf-8"), source=FIXTURE.name, fmt="yaml")
    data.update(rubric=RUBRIC, rounds=ROUNDS, certificates=CERTIFICATES)
    contest = contest_definition_load(definition=definition_parse(data)).contest
    design = CertificateDesign.objects.get(contest=contest)
    design.logo.name = default_storage.save(f"certificates/{contest.slug}/design/logo-test.png", ContentFile(b"png"))
    design.save()
    # People and work of the old edition, none of which may be copied.
    ContestRoleFactory(contest=contest, role=Role.ORGANISER)
    Juror.objects.create(contest=contest, user=ContestRoleFactory(contest=contest, role=Role.JUROR).user)
    EntryFactory(contest=contest)
    Round.objects.filter(contest=contest, number=1).update(
        status=RoundStatus.CLOSED, closed_at=datetime(2024, 3, 11, tzinfo=ALMATY)
    )
    return contest


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    return UserFactory(is_staff=True)


def copy(actor: Any, source: Contest, **overrides: Any) -> Contest:
    arguments: dict[str, Any] = {
        "actor": actor,
        "source": source,
        "slug": "edition-2",
        "names": {"kk": "Байқау 2", "ru": "Конкурс 2", "en": "Contest 2"},
        "organiser_emails": ["Lead@Example.org"],
        "language": "ru",
    }
    arguments.update(overrides)
    return contest_copy(**arguments)


def test_moment_shift_moves_a_leap_day_to_the_28th() -> None:
    assert moment_shift(datetime(2024, 2, 29, 9, 0), years=1) == datetime(2025, 2, 28, 9, 0)
    assert moment_shift(datetime(2024, 2, 29, 9, 0), days=-1) == datetime(2024, 2, 28, 9, 0)


def test_certificates_part_dumps_and_loads_back_unchanged(source):  # type: ignore[no-untyped-def]
    dumped = contest_definition_dump(contest=source)

    assert dumped["certificates"] == CERTIFICATES
    assert contest_definition_load(definition=definition_parse(dumped)).changes == []


def test_a_round_from_a_later_round_is_refused(db):  # type: ignore[no-untyped-def]
    data = definition_read(FIXTURE.read_text(encoding="utf-8"), source=FIXTURE.name, fmt="yaml")
    data["rounds"] = [{"number": 1, "name": "One", "from_round": 2}, {"number": 2, "name": "Two"}]

    with pytest.raises(DefinitionInvalid) as refused:
        definition_parse(data)

    assert refused.value.errors == ["rounds[0].from_round: must be the number of an earlier round"]


def test_certificates_part_with_a_wrong_kind_and_placeholder_is_refused_with_paths(db):  # type: ignore[no-untyped-def]
    data = definition_read(FIXTURE.read_text(encoding="utf-8"), source=FIXTURE.name, fmt="yaml")
    data["certificates"] = {"texts": [{"kind": "mayor", "language": "en", "title": "T", "body": "B"}]}

    with pytest.raises(DefinitionInvalid) as refused:
        definition_parse(data)

    assert refused.value.errors == [
        "certificates.texts[0].kind: unknown kind (use winner, finalist, participant, juror)"
    ]


def test_contest_copy_takes_everything_but_people_and_work_with_dates_a_year_later(
    source, staff, mailoutbox, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        contest = copy(staff, source)

    assert (contest.slug, contest.name_kk, contest.name_ru, contest.name_en) == (
        "edition-2",
        "Байқау 2",
        "Конкурс 2",
        "Contest 2",
    )
    assert contest.description_en == source.description_en
    assert contest.submissions_open == moment_shift(source.submissions_open.astimezone(ALMATY), years=1)
    assert contest.submissions_close == moment_shift(source.submissions_close.astimezone(ALMATY), years=1)
    assert (contest.max_file_size, contest.max_pages) == (source.max_file_size, source.max_pages)
    assert sorted(contest.universities.values_list("slug", flat=True)) == sorted(
        source.universities.values_list("slug", flat=True)
    )
    assert list(contest.nominations.values_list("slug", "name_en")) == list(
        source.nominations.values_list("slug", "name_en")
    )
    assert list(contest.platforms.values_list("slug", "is_other")) == list(
        source.platforms.values_list("slug", "is_other")
    )
    assert list(Criterion.objects.filter(rubric__contest=contest).values_list("slug", "max_score")) == [("clarity", 4)]
    rounds = list(Round.objects.filter(contest=contest).order_by("number"))
    assert [(r.number, r.name_en, r.status, r.reviews_per_entry, r.blind) for r in rounds] == [
        (1, "Screening", RoundStatus.DRAFT, 2, True),
        (2, "Final", RoundStatus.DRAFT, None, False),
    ]
    assert (rounds[0].source_round, rounds[1].source_round) == (None, rounds[0])
    assert rounds[0].opens_at == datetime(2025, 2, 28, 9, 0, tzinfo=ALMATY)
    assert rounds[0].closes_at == datetime(2025, 3, 10, 18, 0, tzinfo=ALMATY)
    assert (rounds[0].entries.count(), rounds[0].jurors.count()) == (0, 0)
    design = CertificateDesign.objects.get(contest=contest)
    assert (design.signatory_kk, design.signatory_en) == ("Айгүл Серікқызы", "Aigul Serikova")
    assert design.logo.name.startswith("certificates/edition-2/design/logo-")
    assert default_storage.open(design.logo.name).read() == b"png"
    assert list(CertificateText.objects.filter(contest=contest).values_list("kind", "title")) == [
        ("juror", "Thank you")
    ]
    assert (contest.entries.count(), Juror.objects.filter(contest=contest).count()) == (0, 0)
    roles = list(ContestRole.objects.filter(contest=contest).values_list("user__email", "role"))
    assert roles == [("Lead@Example.org", Role.ORGANISER)]
    assert [message.to for message in mailoutbox] == [["Lead@Example.org"]]
    assert mailoutbox[0].subject == "Вы организатор конкурса «Конкурс 2»"


def test_contest_copy_by_days_moves_every_date_by_that_many_days(source, staff):  # type: ignore[no-untyped-def]
    contest = copy(staff, source, years=0, days=7)

    first = Round.objects.get(contest=contest, number=1)
    assert first.opens_at == datetime(2024, 3, 7, 9, 0, tzinfo=ALMATY)


def test_contest_copy_to_a_taken_slug_is_refused_and_creates_nothing(source, staff):  # type: ignore[no-untyped-def]
    before = (Contest.objects.count(), CertificateDesign.objects.count())

    with pytest.raises(BaigeError) as refused:
        copy(staff, source, slug=source.slug.upper())

    assert refused.value.code == "slug_taken"
    assert str(refused.value) == f"Another contest already has the address “{source.slug.upper()}”: choose another one."
    assert (Contest.objects.count(), CertificateDesign.objects.count()) == before


def test_contest_copy_with_a_bad_organiser_address_is_refused_and_creates_nothing(source, staff):  # type: ignore[no-untyped-def]
    before = Contest.objects.count()

    with pytest.raises(BaigeError) as refused:
        copy(staff, source, organiser_emails=["lead@example.org", "not an address"])

    assert str(refused.value) == "These are not e-mail addresses: not an address"
    assert Contest.objects.count() == before


@pytest.mark.parametrize("kind", ["organiser", "juror", "participant"])
def test_contest_copy_is_refused_to_anyone_but_staff(source, kind):  # type: ignore[no-untyped-def]
    user = UserFactory()
    if kind != "participant":
        ContestRoleFactory(contest=source, user=user, role=kind)
    before = Contest.objects.count()

    with pytest.raises(NotAllowed):
        copy(user, source)

    assert Contest.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_contest_copy_twice_at_once_to_the_same_slug_makes_one_contest(source, staff):  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            copy(staff, source)
            outcomes.append("made")
        except BaigeError as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["made", "slug_taken"]
    assert Contest.objects.filter(slug="edition-2").count() == 1
