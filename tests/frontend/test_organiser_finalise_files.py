"""Before finalising, the organiser's page warns of awards going to entries whose file is not ready."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from judging.models import Results
from judging.ranking import round_ranking
from judging.selectors.results import FILE_FAILED, FILE_MISSING, FILE_PROCESSING, awards_without_ready_file
from media_pipeline.enums import AssetStatus
from tests.factories import ContestFactory, ContestRoleFactory
from tests.judging.test_results import judged_round
from tests.judging.test_results_commands import file_of


def page_url(contest, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse("frontend:organiser_results", kwargs={"slug": contest.slug, "number": 1})


def finalise_url(contest):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return reverse("frontend:organiser_results_finalise", kwargs={"slug": contest.slug, "number": 1})


def warning_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The warning's lines: its message, then an award a line; empty without a warning."""
    found = re.search(
        r'<div class="notice notice-warning" role="alert" id="files-not-ready"[^>]*>(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    if found is None:
        return []
    body = found.group(1)
    lines = [" ".join(re.sub(r"<[^>]+>", " ", re.search(r"<p>(.*?)</p>", body, re.S).group(1)).split())]  # type: ignore[union-attr]
    lines += [
        " ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li[^>]*>(.*?)</li>", body, re.S)
    ]
    return [unescape(line) for line in lines]


@pytest.fixture
def judged(contest):  # type: ignore[no-untyped-def]
    """The closed round of ``judged_round``: QUIZ01 processing, QUIZ03 failed, GAME01 without a file, others ready."""
    judged = judged_round(contest)
    entries = judged["entries"]
    for code, entry in entries.items():
        if code not in ("QUIZ01", "QUIZ03", "GAME01"):
            file_of(entry, AssetStatus.READY)
    file_of(entries["QUIZ01"], AssetStatus.PROCESSING)
    file_of(entries["QUIZ03"], AssetStatus.FAILED)
    return judged


def test_awards_without_ready_file_lists_places_then_special_awards(contest, judged):
    round = judged["round"]

    found = awards_without_ready_file(round, round_ranking(round), places=3, special={" game01 ": "Jury's choice"})

    assert [
        (item.entry.code, item.place, item.nomination.slug if item.nomination else None, item.name, item.file)
        for item in found
    ] == [
        ("QUIZ01", 1, "quiz", "", FILE_PROCESSING),
        ("QUIZ03", 2, "quiz", "", FILE_FAILED),
        ("GAME01", 3, "game", "", FILE_MISSING),
        ("GAME01", None, None, "Jury's choice", FILE_MISSING),
    ]


def test_awards_without_ready_file_ignores_a_special_award_to_an_entry_of_another_round(contest, judged):
    round = judged["round"]
    elsewhere = judged_round(ContestFactory())["entries"]["QUIZ04"]

    found = awards_without_ready_file(round, round_ranking(round), places=1, special={elsewhere.code: "Prize"})

    assert [(item.entry.code, item.place) for item in found] == [("QUIZ01", 1)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "3 awards would go to entries without a ready file: their posts would show no video or slides.",
                "1st place · Quiz: QUIZ01 Lesson QUIZ01 — its file is still being processed",
                "2nd place · Quiz: QUIZ03 Lesson QUIZ03 — its file could not be processed",
                "3rd place · Game: GAME01 Lesson GAME01 — no file",
            ],
        ),
        (
            "kk",
            [
                "3 марапат файлы дайын емес жұмыстарға берілмек: олардың жазбаларында бейне де, слайдтар да "
                "көрсетілмейді.",
                "1-орын · Quiz: QUIZ01 Lesson QUIZ01 — файлы әлі өңделуде",
                "2-орын · Quiz: QUIZ03 Lesson QUIZ03 — файлын өңдеу мүмкін болмады",
                "3-орын · Game: GAME01 Lesson GAME01 — файл жоқ",
            ],
        ),
    ],
)
def test_results_page_warns_of_awards_to_entries_without_a_ready_file(client, contest, judged, language, expected):
    client.force_login(judged["organiser"])

    response = client.get(page_url(contest, language))

    assert response.status_code == 200
    assert warning_of(response) == expected
    # Inside the form, before the confirmation.
    page = response.content.decode()
    assert page.index('id="finalise-form"') < page.index('id="files-not-ready"') < page.index('name="confirm"')


def test_results_page_without_a_warning_when_every_file_is_ready(client, contest, judged):
    for code in ("QUIZ01", "QUIZ03", "GAME01"):
        file_of(judged["entries"][code], AssetStatus.READY)
    client.force_login(judged["organiser"])

    response = client.get(page_url(contest))

    assert warning_of(response) == []
    assert 'id="finalise-form"' in response.content.decode()


def test_results_page_refused_finalise_warns_of_the_special_awards_typed(client, contest, judged):
    client.force_login(judged["organiser"])
    data = {
        "special-TOTAL_FORMS": "1",
        "special-INITIAL_FORMS": "0",
        "special-MIN_NUM_FORMS": "0",
        "special-MAX_NUM_FORMS": "50",
        "special-0-name_en": "Jury's choice",
        "special-0-entry": "game01",
    }

    response = client.post(finalise_url(contest), data)  # without the confirmation

    assert response.status_code == 400
    assert warning_of(response)[-1] == "Jury's choice: GAME01 Lesson GAME01 — no file"
    assert Results.objects.count() == 0


def test_results_page_warning_does_not_stop_finalising(client, contest, judged):
    client.force_login(judged["organiser"])
    data = {
        "special-TOTAL_FORMS": "0",
        "special-INITIAL_FORMS": "0",
        "special-MIN_NUM_FORMS": "0",
        "special-MAX_NUM_FORMS": "50",
        "confirm": "on",
    }

    response = client.post(finalise_url(contest), data)

    assert response.status_code == 302
    assert Results.objects.get().awards.count() == 6
    # Once final, the finalise form and its warning are gone.
    assert warning_of(client.get(page_url(contest))) == []


@pytest.mark.parametrize("who", ["anonymous", "participant", "juror", "other_organiser"])
def test_results_page_warning_is_for_the_contests_organisers_only(client, contest, judged, participant, who):
    users = {
        "participant": participant,
        "juror": judged["jurors"][0].user,
        "other_organiser": ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user,
    }
    if who in users:
        client.force_login(users[who])

    response = client.get(page_url(contest))

    assert response.status_code == (302 if who == "anonymous" else 403)
    assert "files-not-ready" not in response.content.decode()
