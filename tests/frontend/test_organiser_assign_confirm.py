"""Saving an automatic assignment again in an open round asks first, with how many assignments it replaces."""

import pytest
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from judging.assignment import assignment_run
from judging.enums import RoundStatus
from judging.models import Assignment, Round
from judging.services.assignments import assignment_change, assignment_preview
from tests.factories import ContestFactory, ContestRoleFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of


def assign_url(contest, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse("frontend:organiser_round_assign", kwargs={"slug": contest.slug, "number": 1})


def pairs(round):  # type: ignore[no-untyped-def]
    return sorted(Assignment.objects.filter(round=round).values_list("entry_id", "juror_id"))


@pytest.fixture
def assigned(contest, organiser):  # type: ignore[no-untyped-def]
    """An open round of six entries and four jurors, assigned automatically with two jurors an entry (seed 1)."""
    criteria_for(contest, 4)
    unis = [UniversityFactory() for _ in range(3)]
    entries = [entry_from(contest, unis[n % 2]) for n in range(6)]
    jurors = [juror_in(contest, unis[2], name=f"Juror {n}") for n in range(4)]
    round = round_of(contest, entries, jurors, k=2, status=RoundStatus.DRAFT)
    assignment_run(actor=organiser, round=round, k=2, seed=1)
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.OPEN)
    round.refresh_from_db()
    return round


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


def test_change_counts_what_the_save_would_replace(organiser, assigned):
    before = set(pairs(assigned))
    after = set(assignment_preview(actor=organiser, round=assigned, k=1, seed=5).pairs)
    change = assignment_change(actor=organiser, round=assigned, k=1, seed=5)
    assert (change.removed, change.added, change.kept) == (
        len(before - after),
        len(after - before),
        len(before & after),
    )
    assert change.removed >= 6  # from two jurors an entry down to one: at least one goes from each
    assert set(pairs(assigned)) == before  # nothing saved


def test_save_in_an_open_round_asks_first_with_the_count(organiser_client, organiser, contest, assigned):
    before = pairs(assigned)
    change = assignment_change(actor=organiser, round=assigned, k=1, seed=5)
    response = organiser_client.post(assign_url(contest), {"action": "save", "k": "1", "seed": "5"})
    page = response.content.decode()
    assert response.status_code == 200
    assert pairs(assigned) == before
    assert (
        f"The round is open: saving this assignment takes {change.removed} current assignments away from their jurors."
        in page
    )
    assert f"{change.added} new assignments are made." in page or f"{change.added} new assignment is made." in page
    assert '<input type="hidden" name="confirm" value="1">' in page
    assert '<input type="hidden" name="k" value="1">' in page
    assert '<input type="hidden" name="seed" value="5">' in page


def test_confirmed_save_replaces_exactly_as_previewed(organiser_client, organiser, contest, assigned):
    preview = assignment_preview(actor=organiser, round=assigned, k=1, seed=5)
    response = organiser_client.post(assign_url(contest), {"action": "save", "k": "1", "seed": "5", "confirm": "1"})
    assert (response.status_code, response["Location"]) == (302, assign_url(contest))
    assert pairs(assigned) == sorted(preview.pairs)


def test_save_that_removes_nothing_saves_at_once(organiser_client, contest, assigned):
    before = pairs(assigned)
    response = organiser_client.post(assign_url(contest), {"action": "save", "k": "2", "seed": "1"})
    assert response.status_code == 302
    assert pairs(assigned) == before


def test_confirm_page_speaks_kazakh(organiser_client, contest, assigned):
    response = organiser_client.post(assign_url(contest, "kk"), {"action": "save", "k": "1", "seed": "5"})
    page = response.content.decode()
    with translation.override("kk"):
        title = translation.gettext("Replace the assignments?")
    assert title != "Replace the assignments?"
    assert f"<h1>{title}</h1>" in page


def test_confirmed_save_is_refused_to_others(client, contest, assigned, participant):
    before = pairs(assigned)
    other_organiser = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    juror = Assignment.objects.filter(round=assigned).first().juror.user
    data = {"action": "save", "k": "1", "seed": "5", "confirm": "1"}
    # The organiser's round pages answer 403 to anyone who does not organise the contest, as they always have.
    for user in (participant, juror, other_organiser):
        client.force_login(user)
        assert client.post(assign_url(contest), data).status_code == 403
    client.logout()
    response = client.post(assign_url(contest), data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert pairs(assigned) == before


def test_preview_keeps_its_summary_and_save_in_the_bar_at_the_top(organiser_client, organiser, contest, assigned):
    run = assignment_preview(actor=organiser, round=assigned, k=1, seed=5).run
    page = organiser_client.post(assign_url(contest), {"action": "preview", "k": "1", "seed": "5"}).content.decode()
    bar = page[page.index('<nav class="page-bar"') : page.index("</nav>", page.index('<nav class="page-bar"'))]
    assert page.index('<nav class="page-bar"') < page.index('id="automatic-title"')
    assert "6 entries, 12 assignments now." in bar
    assert f"Preview: {run.created} new, {run.kept} kept, {run.dropped} replaced." in bar
    assert [link for link in ("#automatic-title", "#preview", "#current-title", "#assign-by-hand") if link in bar] == [
        "#automatic-title",
        "#preview",
        "#current-title",
        "#assign-by-hand",
    ]
    assert '<button type="submit" name="action" value="save">Save this assignment</button>' in bar
    assert '<input type="hidden" name="k" value="1">' in bar
    assert '<input type="hidden" name="seed" value="5">' in bar


def test_progress_page_keeps_its_summary_and_reminder_at_the_top(organiser_client, contest, assigned):
    with translation.override("en"):
        page_url = reverse("frontend:organiser_progress", kwargs={"slug": contest.slug, "number": 1})
    page = organiser_client.get(page_url).content.decode()
    start = page.index('<nav class="page-bar"')
    bar = page[start : page.index("</nav>", start)]
    assert "0 of 12 reviews submitted (0%)." in bar
    assert 'form="remind-behind"' in bar
    assert start < page.index('id="totals"')
