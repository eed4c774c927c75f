import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from contest.enums import Role
from contest.models import Entry
from judging.enums import ParticipantView, RoundStatus
from judging.models import Assignment, Award, AwardChange, Criterion, Results, Round, RoundEntry
from judging.ranking import round_ranking
from judging.services.results import results_finalise
from judging.services.reviews import review_submit
from tests.factories import ContestFactory, ContestRoleFactory, UserFactory
from tests.judging import entry_from, juror_in, round_of
from tests.judging.test_publication import finalised_round
from tests.judging.test_results import EARLY, judged_round


def url(name, contest, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, **kwargs})


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


def page_url(contest, number=1):  # type: ignore[no-untyped-def]
    return url("organiser_results", contest, number=number)


@pytest.fixture
def judged(contest):  # type: ignore[no-untyped-def]
    return judged_round(contest)


@pytest.fixture
def organiser_client(client, judged):  # type: ignore[no-untyped-def]
    client.force_login(judged["organiser"])
    return client


def state(contest):  # type: ignore[no-untyped-def]
    """Everything the results pages can change, to check that a refused request changed nothing."""
    return (
        sorted(Round.objects.filter(contest=contest).values_list("pk", "ranking_method", "tie_breakers")),
        sorted(Results.objects.filter(round__contest=contest).values_list("pk", "content_hash")),
        sorted(Award.objects.filter(results__round__contest=contest).values_list("key", "entry_id", "place", "name")),
        AwardChange.objects.count(),
    )


def finalise_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "special-TOTAL_FORMS": "3",
        "special-INITIAL_FORMS": "0",
        "special-MIN_NUM_FORMS": "0",
        "special-MAX_NUM_FORMS": "50",
        "confirm": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def every_request(contest, judged):  # type: ignore[no-untyped-def]
    """Every page and form of the results; the award's form needs finalised results, which the fixture has not."""
    number = {"number": judged["round"].number}
    return [
        ("get", page_url(contest), None),
        ("post", url("organiser_results_ranking", contest, **number), {"method": "median"}),
        ("post", url("organiser_results_finalise", contest, **number), finalise_data()),
        (
            "post",
            url("organiser_results_award_add", contest, **number),
            {"add-name_en": "Prize", "add-entry": "QUIZ04", "add-reason": "Why"},
        ),
    ]


def award_requests(contest, judged):  # type: ignore[no-untyped-def]
    award = Award.objects.get(key="nomination-quiz/place-1/1")
    return [
        (
            "post",
            url("organiser_results_award_change", contest, number=1, pk=award.pk),
            {f"award-{award.pk}-entry": "QUIZ02", f"award-{award.pk}-place": "1", f"award-{award.pk}-reason": "Why"},
        ),
        (
            "post",
            url("organiser_results_award_add", contest, number=1),
            {"add-name_en": "Prize", "add-entry": "QUIZ04", "add-reason": "Why"},
        ),
    ]


# Permissions


def test_results_pages_for_anonymous_redirect_to_login(client, contest, judged):
    before = state(contest)

    for method, address, data in every_request(contest, judged):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code, response["Location"]) == (
            method,
            address,
            302,
            login_url(address),
        )

    assert state(contest) == before


@pytest.fixture(params=["participant", "assigned_juror", "unassigned_juror", "organiser_of_another_contest"])
def refused_user(request, contest, judged):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    if request.param == "assigned_juror":
        return judged["jurors"][0].user
    if request.param == "unassigned_juror":
        return juror_in(contest).user
    return request.getfixturevalue(request.param)


def test_results_pages_for_others_forbidden(client, contest, judged, refused_user):
    client.force_login(refused_user)
    before = state(contest)

    for method, address, data in every_request(contest, judged):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code) == (method, address, 403)

    assert state(contest) == before


def test_award_forms_for_others_forbidden(client, contest, judged, refused_user):
    results_finalise(actor=judged["organiser"], round=judged["round"])
    client.force_login(refused_user)
    before = state(contest)

    for method, address, data in award_requests(contest, judged):
        response = getattr(client, method)(address, data)
        assert (address, response.status_code) == (address, 403)

    assert state(contest) == before


def test_award_forms_for_anonymous_redirect_to_login(client, contest, judged):
    results_finalise(actor=judged["organiser"], round=judged["round"])
    before = state(contest)

    for method, address, data in award_requests(contest, judged):
        response = getattr(client, method)(address, data)
        assert (response.status_code, response["Location"]) == (302, login_url(address))

    assert state(contest) == before


@pytest.mark.parametrize("who", ["organiser", "superuser"])
def test_results_page_opens_for_organiser_and_superuser(client, judged, contest, who):
    client.force_login(UserFactory(is_superuser=True) if who == "superuser" else judged["organiser"])

    response = client.get(page_url(contest))

    assert response.status_code == 200


def test_results_of_a_round_of_another_contest_not_found(organiser_client, contest, judged):
    foreign = round_of(ContestFactory(), [], [], number=7, status=RoundStatus.CLOSED)

    responses = [
        organiser_client.get(page_url(contest, number=7)),
        organiser_client.post(url("organiser_results_ranking", contest, number=7), {"method": "median"}),
        organiser_client.post(url("organiser_results_finalise", contest, number=7), finalise_data()),
        organiser_client.post(url("organiser_results_award_add", contest, number=7), {}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert Round.objects.get(pk=foreign.pk).ranking_method == "mean"


def test_award_of_another_round_not_found(organiser_client, contest, judged):
    results_finalise(actor=judged["organiser"], round=judged["round"])
    award = Award.objects.get(key="nomination-quiz/place-1/1")
    round_of(contest, [], [], number=2, status=RoundStatus.CLOSED)

    response = organiser_client.post(
        url("organiser_results_award_change", contest, number=2, pk=award.pk),
        {f"award-{award.pk}-entry": "QUIZ02", f"award-{award.pk}-place": "1", f"award-{award.pk}-reason": "Why"},
    )

    assert response.status_code == 404
    assert Award.objects.get(pk=award.pk).entry.code == "QUIZ01"


# The page before finalising


def cells(page, code):  # type: ignore[no-untyped-def]
    """The text of each cell of an entry's line of the ranking."""
    row = re.search(rf'<tr id="rank-{code}">(.*?)</tr>', page, re.S)
    assert row is not None
    return [
        re.sub(r"<[^>]+>|\s+", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


def test_results_page_shows_every_method_side_by_side_with_ranks_and_places(organiser_client, contest, judged):
    ranking = round_ranking(judged["round"])
    normalised = {row.code: f"{row.normalised:.2f}" for row in ranking.rows() if row.normalised is not None}

    page = organiser_client.get(page_url(contest)).content.decode()

    # Place, code, title, reviews, mean, median, trimmed, normalised (each with its rank), move, decided by.
    assert cells(page, "QUIZ01")[:7] == [
        ["1"],
        ["QUIZ01"],
        ["Lesson", "QUIZ01"],
        ["2"],
        ["100.00", "(1)"],
        ["100.00", "(1)"],
        ["100.00", "(1)"],
    ]
    assert cells(page, "QUIZ02")[:7] == [
        ["2", "shared"],
        ["QUIZ02"],
        ["Lesson", "QUIZ02"],
        ["2"],
        ["75.00", "(2)"],
        ["75.00", "(2)"],
        ["75.00", "(2)"],
    ]
    assert cells(page, "QUIZ02")[9] == ["a", "shared", "place"]
    assert cells(page, "QUIZ05") == [
        ["—"],
        ["QUIZ05"],
        ["Lesson", "QUIZ05"],
        ["0"],
        ["—"],
        ["—"],
        ["—"],
        ["—"],
        ["—"],
        ["—"],
    ]
    assert cells(page, "GAME03")[4:6] == [["56.25", "(2)"], ["56.25", "(2)"]]
    for code, value in normalised.items():
        assert cells(page, code)[7][0] == value
    order = sorted(["GAME01", "GAME02", "GAME03"], key=lambda code: page.index(f'id="rank-{code}"'))
    assert order == ["GAME02", "GAME03", "GAME01"]


def test_results_page_shows_how_ranks_move_once_normalised(organiser_client, contest, judged):
    ranking = round_ranking(judged["round"])
    moves = {row.code: row.ranks["mean"] - row.ranks["normalised"] for row in ranking.rows() if row.ranks}

    page = organiser_client.get(page_url(contest)).content.decode()

    for code, move in moves.items():
        expected = ["="] if move == 0 else (["↑", str(move)] if move > 0 else ["↓", str(-move)])
        assert cells(page, code)[8] == expected


def test_results_page_when_jurors_are_harsh_and_lenient_shows_normalised_moves(organiser_client, contest, judged):
    # Dana gives 50 and 25, Arman 75 and 100: per juror, the better entry is 1σ above, the other 1σ below.
    entries = {code: entry_from(contest, None) for code in ("HARSH1", "HARSH2", "SOFT01", "SOFT02")}
    for code, entry in entries.items():
        Entry.objects.filter(pk=entry.pk).update(code=code, nomination=judged["nominations"]["quiz"])
        entry.code = code
    dana, arman = judged["jurors"]
    round = round_of(contest, list(entries.values()), [dana, arman], k=1, number=2)
    c1, c2 = Criterion.objects.filter(rubric__contest=contest).order_by("order")
    for juror, code, scores in (
        (dana, "HARSH1", (2, 1)),  # 50
        (dana, "HARSH2", (4, 0)),  # 25
        (arman, "SOFT01", (0, 2)),  # 75
        (arman, "SOFT02", (4, 2)),  # 100
    ):
        Assignment.objects.create(round=round, juror=juror, entry=entries[code])
        review_submit(actor=juror.user, round=round, entry=entries[code], scores={c1.pk: scores[0], c2.pk: scores[1]})

    page = organiser_client.get(page_url(contest, number=2)).content.decode()

    # Raw ranks 3, 4, 2, 1; normalised (mean z of +1, −1, −1, +1) ranks 1, 3, 3, 1.
    assert [(cells(page, code)[4], cells(page, code)[8]) for code in ("HARSH1", "HARSH2", "SOFT01", "SOFT02")] == [
        (["50.00", "(3)"], ["↑", "2"]),
        (["25.00", "(4)"], ["↑", "1"]),
        (["75.00", "(2)"], ["↓", "1"]),
        (["100.00", "(1)"], ["="]),
    ]


def test_results_page_tells_which_tie_breaker_placed_an_entry(organiser_client, contest, judged):
    # QUIZ02 and QUIZ03 tie on every figure; only QUIZ02's earlier submission separates them.
    Entry.objects.filter(code="QUIZ03").update(submitted_at=EARLY + timedelta(hours=1))

    page = organiser_client.get(page_url(contest)).content.decode()

    breakers = "Higher median, Higher mean of the heaviest criterion, Earlier submission"
    assert f"Places by: Mean. Ties are broken by, in order: {breakers}." in re.sub(r"\s+", " ", page)
    assert (cells(page, "QUIZ02")[0], cells(page, "QUIZ02")[9]) == (["2"], ["Earlier", "submission"])
    assert (cells(page, "QUIZ03")[0], cells(page, "QUIZ03")[9]) == (["3"], ["Earlier", "submission"])
    assert cells(page, "QUIZ01")[9] == ["—"]


def test_results_page_shows_the_agreement_of_the_jury(organiser_client, contest, judged):
    page = organiser_client.get(page_url(contest)).content.decode()

    total = re.search(r'<tr id="agreement-total">(.*?)</tr>', page, re.S)
    assert total is not None
    # Both jurors scored the same seven entries: Kendall's W = 12·104 / (4·336 − 2·12) = 0.945…
    assert re.findall(r"<td>(.*?)</td>", total.group(1)) == ["Kendall&#x27;s W", "0.95", "7", "2"]
    assert 'id="agreement-c1"' in page
    assert 'id="agreement-c2"' in page
    assert 'id="flagged-jurors"' not in page


def test_results_page_warns_of_jurors_against_the_consensus_before_finalising(organiser_client, contest, judged):
    entries = [entry_from(contest, None) for _ in range(3)]
    dana, arman = judged["jurors"]
    contrary = juror_in(contest, name="Zarina")
    round = round_of(contest, entries, [dana, arman, contrary], k=None, number=2)
    criteria = list(Criterion.objects.filter(rubric__contest=contest))
    for juror, values in ((dana, (4, 2, 0)), (arman, (4, 2, 0)), (contrary, (0, 2, 4))):
        for entry, value in zip(entries, values, strict=True):
            Assignment.objects.create(round=round, juror=juror, entry=entry)
            review_submit(actor=juror.user, round=round, entry=entry, scores={criteria[0].pk: value, criteria[1].pk: 1})

    page = organiser_client.get(page_url(contest, number=2)).content.decode()

    warning = re.search(r'<div class="notice notice-warning" role="status" id="flagged-jurors">(.*?)</div>', page, re.S)
    assert warning is not None
    assert re.findall(r"<li>(.*?)</li>", warning.group(1)) == ["Zarina: -1.00 (3 entries)"]
    assert 'id="not-closed"' in page
    assert 'id="finalise-form"' not in page


def test_results_page_draws_a_histogram_per_nomination_without_scripts_or_styles(organiser_client, contest, judged):
    page = organiser_client.get(page_url(contest)).content.decode()

    quiz = re.search(r'<svg class="histogram" id="histogram-quiz"(.*?)</svg>', page, re.S)
    assert quiz is not None
    assert re.findall(r"<title>(.*?)</title>", quiz.group(1)) == [
        "0–10: 0", "10–20: 0", "20–30: 0", "30–40: 2", "40–50: 0", "50–60: 0", "60–70: 2", "70–80: 0", "80–90: 2",
        "90–100: 2",
    ]  # fmt: skip
    assert 'id="histogram-game"' in page
    assert "style=" not in page[page.index('id="histograms"') :]
    assert "frontend/results.css" in page


def test_results_page_links_to_the_shortlist(organiser_client, contest, judged):
    page = organiser_client.get(page_url(contest)).content.decode()

    assert f'href="{url("organiser_round_shortlist", contest, number=1)}" id="to-shortlist"' in page


# Ranking method


def test_results_ranking_form_saves_method_and_tie_breakers_in_order(organiser_client, contest, judged):
    response = organiser_client.post(
        url("organiser_results_ranking", contest, number=1),
        {"method": "normalised", "tie_breaker_1": "earlier_submission", "tie_breaker_3": "median"},
    )

    assert (response.status_code, response["Location"]) == (302, page_url(contest))
    assert Round.objects.values_list("ranking_method", "tie_breakers").get(pk=judged["round"].pk) == (
        "normalised",
        ["earlier_submission", "median"],
    )


def test_results_ranking_form_with_a_tie_breaker_twice_is_refused(organiser_client, contest, judged):
    response = organiser_client.post(
        url("organiser_results_ranking", contest, number=1),
        {"method": "median", "tie_breaker_1": "median", "tie_breaker_2": "median"},
    )

    assert response.status_code == 400
    assert "Each tie-breaker may be given only once." in response.content.decode()
    assert Round.objects.get(pk=judged["round"].pk).ranking_method == "mean"


def test_results_ranking_form_once_finalised_is_refused(organiser_client, contest, judged):
    results_finalise(actor=judged["organiser"], round=judged["round"])

    response = organiser_client.post(url("organiser_results_ranking", contest, number=1), {"method": "median"})

    assert response.status_code == 409
    assert "The results of round “Round 1” are already final; change an award instead." in response.content.decode()
    assert Round.objects.get(pk=judged["round"].pk).ranking_method == "mean"


# Finalising


def test_results_finalise_form_fixes_the_awards_and_shows_them(organiser_client, contest, judged):
    expected = round_ranking(judged["round"]).content_hash()

    response = organiser_client.post(
        url("organiser_results_finalise", contest, number=1),
        finalise_data(**{"special-0-name_en": "Jury's choice", "special-0-entry": " quiz04 "}),
    )

    assert (response.status_code, response["Location"]) == (302, page_url(contest))
    results = Results.objects.get(round=judged["round"])
    assert (results.content_hash, results.finalised_by) == (expected, judged["organiser"])
    assert list(Award.objects.filter(results=results).values_list("key", "entry__code")) == [
        ("nomination-quiz/place-1/1", "QUIZ01"),
        ("nomination-quiz/place-2/1", "QUIZ02"),
        ("nomination-quiz/place-2/2", "QUIZ03"),
        ("nomination-game/place-1/1", "GAME02"),
        ("nomination-game/place-2/1", "GAME03"),
        ("nomination-game/place-3/1", "GAME01"),
        ("special/jurys-choice", "QUIZ04"),
    ]
    page = organiser_client.get(page_url(contest)).content.decode()
    assert f'<code id="content-hash">{expected}</code>' in page
    assert "The ranking below still gives the same fingerprint." in page
    assert '<details id="fingerprint-explained"><summary>What is the fingerprint?</summary>' in page
    assert "any change afterwards, such as a revised review or a review set aside, gives another one" in page
    assert page.count('<tr id="award-') == 7
    assert "Quiz: place 2" in page
    assert 'id="finalise-form"' not in page
    assert 'id="ranking-form"' not in page


def test_results_finalise_form_without_the_confirmation_is_refused(organiser_client, contest, judged):
    response = organiser_client.post(url("organiser_results_finalise", contest, number=1), finalise_data(confirm=None))

    assert response.status_code == 400
    assert "Tick the box to confirm that the results are final." in response.content.decode()
    assert Results.objects.count() == 0


def test_results_finalise_form_with_an_unknown_entry_is_refused(organiser_client, contest, judged):
    response = organiser_client.post(
        url("organiser_results_finalise", contest, number=1),
        finalise_data(**{"special-0-name_en": "Prize", "special-0-entry": "NOPE99"}),
    )

    assert response.status_code == 400
    assert "The round has no entry with the code NOPE99." in response.content.decode()
    assert Results.objects.count() == 0


def test_results_finalise_form_of_an_open_round_is_refused_with_the_reason(organiser_client, contest, judged):
    Round.objects.filter(pk=judged["round"].pk).update(status=RoundStatus.OPEN, closed_at=None)

    response = organiser_client.post(url("organiser_results_finalise", contest, number=1), finalise_data())

    assert response.status_code == 409
    assert "Close round “Round 1” before finalising its results." in response.content.decode()
    assert Results.objects.count() == 0


# Changing awards


def test_award_change_form_keeps_the_history_and_shows_it(organiser_client, contest, judged):
    results_finalise(actor=judged["organiser"], round=judged["round"])
    award = Award.objects.get(key="nomination-quiz/place-2/2")
    prefix = f"award-{award.pk}"

    response = organiser_client.post(
        url("organiser_results_award_change", contest, number=1, pk=award.pk),
        {f"{prefix}-entry": "QUIZ04", f"{prefix}-place": "3", f"{prefix}-reason": "QUIZ03 was withdrawn."},
    )

    assert (response.status_code, response["Location"]) == (302, page_url(contest))
    assert list(AwardChange.objects.values_list("award_id", "reason", "old__entry", "new__entry", "new__place")) == [
        (award.pk, "QUIZ03 was withdrawn.", "QUIZ03", "QUIZ04", 3)
    ]
    page = organiser_client.get(page_url(contest)).content.decode()
    assert "QUIZ03 (2) → QUIZ04 (3) — QUIZ03 was withdrawn." in page


def test_award_change_form_without_a_reason_is_refused(organiser_client, contest, judged):
    results_finalise(actor=judged["organiser"], round=judged["round"])
    award = Award.objects.get(key="nomination-quiz/place-1/1")
    prefix = f"award-{award.pk}"

    response = organiser_client.post(
        url("organiser_results_award_change", contest, number=1, pk=award.pk),
        {f"{prefix}-entry": "QUIZ04", f"{prefix}-place": "1", f"{prefix}-reason": ""},
    )

    assert response.status_code == 400
    assert AwardChange.objects.count() == 0
    assert Award.objects.get(pk=award.pk).entry.code == "QUIZ01"


def test_award_add_form_adds_a_special_award_with_its_reason(organiser_client, contest, judged):
    results_finalise(actor=judged["organiser"], round=judged["round"])

    response = organiser_client.post(
        url("organiser_results_award_add", contest, number=1),
        {"add-name_ru": "Приз зрителей", "add-entry": "GAME01", "add-reason": "The audience voted."},
    )

    assert response.status_code == 302
    added = Award.objects.get(key="special/priz-zriteley")
    assert (added.entry.code, added.name_ru, list(added.history.values_list("reason", flat=True))) == (
        "GAME01",
        "Приз зрителей",
        ["The audience voted."],
    )


def test_award_add_form_before_finalising_is_refused(organiser_client, contest, judged):
    response = organiser_client.post(
        url("organiser_results_award_add", contest, number=1),
        {"add-name_en": "Prize", "add-entry": "GAME01", "add-reason": "Why"},
        follow=True,
    )

    assert "Finalise the results before adding awards to them." in response.content.decode()
    assert Award.objects.count() == 0


# Query counts


def grow(contest, judged, extra):  # type: ignore[no-untyped-def]
    """``extra`` more entries in the quiz nomination, each reviewed by both jurors."""
    round = judged["round"]
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.OPEN, closed_at=None)
    criteria = list(Criterion.objects.filter(rubric__contest=contest))
    for index in range(extra):
        entry = entry_from(contest, None)
        entry.nomination = judged["nominations"]["quiz"]
        entry.save(update_fields=["nomination"])
        RoundEntry.objects.create(round=round, entry=entry)
        for juror in judged["jurors"]:
            Assignment.objects.create(round=round, juror=juror, entry=entry)
            review_submit(
                actor=juror.user,
                round=round,
                entry=entry,
                scores={criteria[0].pk: index % 5, criteria[1].pk: (index + juror.pk) % 3},
            )
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED, closed_at=timezone.now())


def test_results_page_query_count_does_not_grow_with_entries(
    organiser_client, contest, judged, django_assert_max_num_queries, django_assert_num_queries
):
    round = round_of(contest, [judged["entries"]["QUIZ01"]], judged["jurors"], number=2)
    criteria = list(Criterion.objects.filter(rubric__contest=contest))
    dana = judged["jurors"][0]
    Assignment.objects.create(round=round, juror=dana, entry=judged["entries"]["QUIZ01"])
    review_submit(actor=dana.user, round=round, entry=judged["entries"]["QUIZ01"], scores={c.pk: 1 for c in criteria})
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED, closed_at=timezone.now())
    address = page_url(contest, number=2)
    with django_assert_max_num_queries(25) as one:
        organiser_client.get(address)
    RoundEntry.objects.bulk_create(
        RoundEntry(round=round, entry=entry) for code, entry in judged["entries"].items() if code != "QUIZ01"
    )
    grow(contest, {**judged, "round": round}, 6)

    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.get(address)

    assert response.content.decode().count('<tr id="rank-') == 14


def test_finalised_results_page_query_count_does_not_grow_with_awards_and_changes(
    organiser_client, contest, judged, django_assert_max_num_queries, django_assert_num_queries
):
    round = round_of(contest, [judged["entries"]["QUIZ01"]], judged["jurors"], number=2, status=RoundStatus.OPEN)
    criteria = list(Criterion.objects.filter(rubric__contest=contest))
    dana = judged["jurors"][0]
    Assignment.objects.create(round=round, juror=dana, entry=judged["entries"]["QUIZ01"])
    review_submit(actor=dana.user, round=round, entry=judged["entries"]["QUIZ01"], scores={c.pk: 1 for c in criteria})
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED, closed_at=timezone.now())
    address = page_url(contest, number=2)
    results_finalise(actor=judged["organiser"], round=round)
    with django_assert_max_num_queries(30) as one:
        organiser_client.get(address)
    results_finalise(actor=judged["organiser"], round=judged["round"])
    for award in Award.objects.filter(results__round=judged["round"]):
        AwardChange.objects.create(award=award, changed_by=judged["organiser"], reason="Checked", old={}, new={})

    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.get(page_url(contest, number=1))

    assert response.content.decode().count('<tr id="award-') == 6
    assert response.content.decode().count(" — Checked</li>") == 6


def test_results_page_when_finalised_from_the_command_line_names_nobody(client, contest, organiser):
    finalised = finalised_round(contest)
    assert finalised.results.finalised_by is None
    client.force_login(organiser)

    response = client.get(reverse("frontend:organiser_results", kwargs={"slug": contest.slug, "number": 1}))

    assert response.status_code == 200
    assert "Finalised by — on" in response.content.decode()


def test_results_finalise_form_stores_what_entrants_see(organiser_client, contest, judged):

    response = organiser_client.post(
        url("organiser_results_finalise", contest, number=1), finalise_data(share=ParticipantView.SCORES.value)
    )

    assert response.status_code == 302
    assert Results.objects.get(round=judged["round"]).participant_view == ParticipantView.SCORES
    page = organiser_client.get(response["Location"]).content.decode()
    assert "The outcome, the total and each criterion&#x27;s mean" in page


def test_results_page_offers_what_entrants_see_with_the_rounds_setting_chosen(organiser_client, contest, judged):
    Round.objects.filter(pk=judged["round"].pk).update(participant_view=ParticipantView.FEEDBACK)

    body = organiser_client.get(page_url(contest)).content.decode()

    assert re.findall(r'<input[^>]*name="share"[^>]*>', body) == [
        '<input type="radio" name="share" value="nothing" id="id_share_0">',
        '<input type="radio" name="share" value="outcome" id="id_share_1">',
        '<input type="radio" name="share" value="scores" id="id_share_2">',
        '<input type="radio" name="share" value="feedback" id="id_share_3" checked>',
    ]
