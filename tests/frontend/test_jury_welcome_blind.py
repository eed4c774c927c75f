"""In a blind round, what a juror sees right after declaring a conflict never depends on what they named.

For every university (their own, the contest's others, one outside the contest) and every entry code
(assigned and reviewed, assigned, assigned to someone else, of no entry, of another contest's entry),
the answer page, the message, the welcome page, the jury panel and the API are the same apart from
the name typed; and each declaration is recorded.
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from judging.models import Conflict
from judging.services.assignments import assignment_add
from judging.services.reviews import review_submit
from tests.factories import ContestFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

BLIND_ANSWER = (
    "Your declaration is recorded. The organisers will look at it and adjust your list of entries; "
    "until then your list stays as it is."
)
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=|name="csrf-token" content=|csrftoken=)"?[A-Za-z0-9]+"?')
DECLARED = re.compile(r'<ul class="declared-conflicts">.*?</ul>', re.S)


def url(name, **kwargs):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return reverse(f"frontend:{name}", kwargs=kwargs)


@pytest.fixture
def blind(contest, organiser):  # type: ignore[no-untyped-def]
    """Dana (Taraz) in a blind open round: A (Zhetysu, reviewed) and B (KNU) are hers, C (KNU) is Arman's."""
    taraz, zhetysu, knu = (UniversityFactory(name=n, name_en=n) for n in ("Taraz", "Zhetysu", "KNU"))
    outsider = UniversityFactory(name="Outside University", name_en="Outside University")
    contest.universities.add(taraz, zhetysu, knu)
    dana = juror_in(contest, taraz, name="Dana Nurlanova")
    arman = juror_in(contest, UniversityFactory(), name="Arman")
    a, b, c = entry_from(contest, zhetysu), entry_from(contest, knu), entry_from(contest, knu)
    foreign = entry_from(ContestFactory(), knu)
    round = round_of(contest, [a, b, c], [dana, arman], k=1)
    for juror, entry in ((dana, a), (dana, b), (arman, c)):
        assignment_add(actor=organiser, round=round, juror=juror, entry=entry)
    (criterion,) = criteria_for(contest, 5)
    review_submit(actor=dana.user, round=round, entry=a, scores={criterion.pk: 3})
    return {
        "juror": dana,
        "round": round,
        "universities": {"own": taraz, "reviewed": zhetysu, "assigned": knu, "outside": outsider},
        "codes": {
            "reviewed": a.code,
            "assigned": b.code,
            "someone else's": c.code,
            "of no entry": "NOPE42",
            "of another contest": foreign.code,
        },
    }


def normalised(html: str, name: str) -> str:
    """The page without its CSRF tokens, and with the typed name blanked in the list of declarations."""
    html = CSRF.sub("CSRF", html)
    return DECLARED.sub(lambda found: found.group(0).replace(name, "NAME"), html)


def observe(client, blind, payload, name):  # type: ignore[no-untyped-def]
    """Declare through the page, look at everything the juror can see, check it is recorded, then undo it all."""
    round = blind["round"]
    with transaction.atomic():
        posted = client.post(url("jury_conflicts", slug=round.contest.slug), {**payload, "reason": "I know them"})
        seen = {
            "status": posted.status_code,
            "location": posted["Location"],
            "messages": [str(m) for m in posted.wsgi_request._messages],
            "answer": normalised(client.get(posted["Location"]).content.decode(), name),
            "welcome": normalised(client.get(url("jury_welcome")).content.decode(), name),
            "panel": normalised(client.get(url("jury_home")).content.decode(), name),
            "round": normalised(client.get(url("jury_round", round_id=round.pk)).content.decode(), name),
            "api": client.get(reverse("judging_api:assignments")).json(),
        }
        recorded = list(Conflict.objects.values_list("juror", "state", "reason"))
        transaction.set_rollback(True)
    assert recorded == [(blind["juror"].pk, "pending", "I know them")]
    return seen


def test_declaring_in_a_blind_round_shows_the_same_pages_whatever_is_named(client, blind):
    client.force_login(blind["juror"].user)
    round = blind["round"]
    before = {
        "panel": normalised(client.get(url("jury_home")).content.decode(), ""),
        "round": normalised(client.get(url("jury_round", round_id=round.pk)).content.decode(), ""),
        "api": client.get(reverse("judging_api:assignments")).json(),
    }

    by_university = {
        kind: observe(client, blind, {"universities": [university.pk]}, university.name)
        for kind, university in blind["universities"].items()
    }
    by_code = {
        kind: observe(client, blind, {"entry_codes": code.lower()}, code) for kind, code in blind["codes"].items()
    }

    everything = {**{f"university {k}": v for k, v in by_university.items()}, **by_code}
    first = by_university["own"]
    assert first["messages"] == [BLIND_ANSWER]
    assert BLIND_ANSWER in first["answer"]
    assert "University: NAME — <small>Waiting for the organisers</small>" in first["answer"]
    assert "Entry NAME — <small>Waiting for the organisers</small>" in by_code["reviewed"]["answer"]
    # The juror's list of entries is exactly what it was before declaring.
    for what in ("panel", "round", "api"):
        assert {kind: seen[what] for kind, seen in everything.items()} == {kind: before[what] for kind in everything}
    for kind, seen in everything.items():
        assert (kind, seen["status"], seen["location"], seen["messages"]) == (
            kind,
            302,
            first["location"],
            [BLIND_ANSWER],
        )
    for group in (by_university, by_code):
        reference = next(iter(group.values()))
        for kind, seen in group.items():
            assert (kind, seen["answer"], seen["welcome"]) == (kind, reference["answer"], reference["welcome"])
    assert Conflict.objects.count() == 0


def test_declaring_through_the_api_in_a_blind_round_answers_the_same_whatever_is_named(api_client, blind):
    api_client.force_authenticate(blind["juror"].user)
    api_client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    address = reverse("judging_api:conflicts", kwargs={"slug": blind["round"].contest.slug})
    before = api_client.get(reverse("judging_api:assignments")).json()
    answers = []
    named = [{"universities": [u.pk]} for u in blind["universities"].values()] + [
        {"entry_codes": [code]} for code in blind["codes"].values()
    ]
    for payload in named:
        with transaction.atomic():
            response = api_client.post(address, {**payload, "reason": "I know them"}, format="json")
            after = api_client.get(reverse("judging_api:assignments")).json()
            listed = api_client.get(address).json()
            transaction.set_rollback(True)
        body = response.json()
        assert listed == body["conflicts"]  # the answer lists the juror's declarations, as GET does
        (declared,) = body["conflicts"]
        assert declared.pop("university" if "universities" in payload else "entry_code") is not None
        answers.append((response.status_code, body["detail"], "university" in declared, declared, after, listed))

    for kind, answer in zip(["university"] * 4 + ["code"] * 5, answers, strict=True):
        status, detail, is_code, declared, after, listed = answer
        assert (status, detail, after) == (201, BLIND_ANSWER, before)
        assert declared == (
            {"entry_code": "", "reason": "I know them", "state": "pending"}
            if kind == "university"
            else {"university": None, "reason": "I know them", "state": "pending"}
        )
        assert is_code == (kind == "code")
        assert len(listed) == 1


@pytest.fixture(params=["participant", "organiser", "juror_of_another_contest"])
def seatless(request, blind):  # type: ignore[no-untyped-def]
    if request.param == "juror_of_another_contest":
        return juror_in(ContestFactory(), None, name="Elsewhere").user
    return request.getfixturevalue(request.param)


def test_conflicts_api_for_someone_without_a_seat_not_found(api_client, blind, seatless):
    address = reverse("judging_api:conflicts", kwargs={"slug": blind["round"].contest.slug})
    api_client.force_authenticate(seatless)

    refused = [api_client.get(address), api_client.post(address, {"entry_codes": ["NOPE42"]}, format="json")]

    assert [r.status_code for r in refused] == [404, 404]
    assert Conflict.objects.count() == 0


def test_conflicts_api_for_anonymous_refused(api_client, blind):
    address = reverse("judging_api:conflicts", kwargs={"slug": blind["round"].contest.slug})

    refused = [api_client.get(address), api_client.post(address, {"entry_codes": ["NOPE42"]}, format="json")]

    assert [r.status_code for r in refused] == [403, 403]
    assert Conflict.objects.count() == 0


@pytest.mark.parametrize("size", [1, 10])
def test_conflicts_api_list_queries_do_not_grow(api_client, blind, django_assert_num_queries, size):
    from judging.conflicts import conflict_declare

    juror = blind["juror"]
    for n in range(size):
        conflict_declare(actor=juror.user, juror=juror, code=f"CODE{n}")
        conflict_declare(actor=juror.user, juror=juror, university=UniversityFactory())
    api_client.force_authenticate(juror.user)

    # The seat, then the declarations with their universities and entries.
    with django_assert_num_queries(2):
        response = api_client.get(reverse("judging_api:conflicts", kwargs={"slug": juror.contest.slug}))

    assert len(response.json()) == 2 * size
