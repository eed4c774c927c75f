"""A submitted entry keeps who made it: the author's university at submission, and its co-authors."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from config.exceptions import BaigeError, DeadlinePassed
from contest.enums import EntryStatus
from contest.models import CoAuthor, Entry, ParticipantProfile
from contest.services import CoAuthorData, entry_create, entry_submit, entry_update, entry_withdraw
from tests.factories import EntryFactory, UniversityFactory

DEADLINE_MESSAGE = "entries can no longer be created, changed or submitted."
KEPT_MESSAGE = (
    "The co-authors of a submitted entry cannot change: withdraw the entry, change its co-authors "
    "and submit it again before the deadline."
)


@pytest.fixture
def listed(contest):  # type: ignore[no-untyped-def]
    """The contest's first listed university (the contest fixture lists two)."""
    return contest.universities.order_by("pk").first()


@pytest.fixture
def draft(contest, nomination, platforms, participant, listed):  # type: ignore[no-untyped-def]
    """A draft with its file and one co-author from a listed university."""
    entry = EntryFactory(
        contest=contest, author=participant, nomination=nomination, platforms=platforms, with_media=True
    )
    CoAuthor.objects.create(entry=entry, full_name="Dana Omarova", email="dana@example.org", university=listed)
    return entry


@pytest.fixture
def submitted(draft, participant):  # type: ignore[no-untyped-def]
    return entry_submit(actor=participant, entry=draft)


def coauthors_of(entry):  # type: ignore[no-untyped-def]
    return list(entry.coauthors.order_by("order").values_list("full_name", "email", "university"))


def set_university(user, university):  # type: ignore[no-untyped-def]
    ParticipantProfile.objects.filter(user=user).update(university=university)


# The author's university --------------------------------------------------------------------------------------------


def test_submit_records_the_authors_university(draft, participant):
    taken = participant.profile.university
    entry = entry_submit(actor=participant, entry=draft)
    entry.refresh_from_db()
    assert (entry.author_university, entry.university_of_author) == (taken, taken)


def test_profile_change_after_submitting_leaves_the_entry_alone(submitted, participant):
    taken = participant.profile.university
    set_university(participant, UniversityFactory())
    submitted.refresh_from_db()
    assert submitted.author_university == taken
    set_university(participant, None)
    submitted.refresh_from_db()
    assert submitted.author_university == taken


def test_resubmission_before_the_deadline_takes_the_university_again(submitted, participant):
    moved = UniversityFactory()
    set_university(participant, moved)
    entry_withdraw(actor=participant, entry=submitted)
    entry = entry_submit(actor=participant, entry=submitted)
    entry.refresh_from_db()
    assert entry.author_university == moved


def test_resubmission_without_a_university_keeps_the_one_recorded(submitted, participant):
    taken = participant.profile.university
    set_university(participant, None)
    entry_withdraw(actor=participant, entry=submitted)
    entry = entry_submit(actor=participant, entry=submitted)
    entry.refresh_from_db()
    assert entry.author_university == taken


def test_a_draft_shows_the_profiles_university(draft, participant):
    moved = UniversityFactory()
    set_university(participant, moved)
    entry = Entry.objects.select_related("author__profile__university").get(pk=draft.pk)
    assert (entry.author_university, entry.university_of_author) == (None, moved)


# Co-authors of a submitted entry -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        [CoAuthorData(full_name="Dana Omarova", email="other@example.org")],
        [CoAuthorData(full_name="Dana Omarova", email="dana@example.org")],
        [],
        [CoAuthorData(full_name="Dana Omarova", email="dana@example.org"), CoAuthorData(full_name="Erlan")],
    ],
    ids=["email", "university", "removed", "added"],
)
def test_submitted_entry_keeps_its_coauthors(submitted, participant, listed, change):
    with pytest.raises(BaigeError) as refused:
        entry_update(actor=participant, entry=submitted, coauthors=change)
    assert (refused.value.code, str(refused.value)) == ("coauthors_submitted", KEPT_MESSAGE)
    assert coauthors_of(submitted) == [("Dana Omarova", "dana@example.org", listed.pk)]


def test_submitted_entry_coauthor_name_can_be_corrected(submitted, participant, listed):
    entry_update(
        actor=participant,
        entry=submitted,
        coauthors=[CoAuthorData(full_name="Dana Omarovа-Sadyk", email="DANA@example.org", university=listed)],
    )
    assert coauthors_of(submitted) == [("Dana Omarovа-Sadyk", "DANA@example.org", listed.pk)]


def test_withdrawn_entry_coauthors_change_and_resubmit(submitted, participant, contest):
    other = contest.universities.order_by("pk").last()
    entry_withdraw(actor=participant, entry=submitted)
    entry_update(actor=participant, entry=submitted, coauthors=[CoAuthorData(full_name="Erlan", university=other)])
    entry = entry_submit(actor=participant, entry=submitted)
    assert (entry.status, coauthors_of(entry)) == (EntryStatus.SUBMITTED, [("Erlan", "", other.pk)])


def test_coauthors_after_the_deadline_refused_by_the_service(draft, participant, contest, listed):
    after = contest.submissions_close + timedelta(seconds=1)
    with time_machine.travel(after, tick=False), pytest.raises(DeadlinePassed) as refused:
        entry_update(actor=participant, entry=draft, coauthors=[])
    assert (refused.value.code, str(refused.value).endswith(DEADLINE_MESSAGE)) == ("submissions_closed", True)
    assert coauthors_of(draft) == [("Dana Omarova", "dana@example.org", listed.pk)]


# Co-authors' universities -----------------------------------------------------------------------------------------


def test_coauthor_from_a_university_outside_the_contest_refused(contest, nomination, platforms, participant):
    stranger = UniversityFactory(name="Far Away University", name_en="Far Away University")
    with pytest.raises(BaigeError) as refused:
        entry_create(
            actor=participant,
            contest=contest,
            title="T",
            nomination=nomination,
            platforms=platforms,
            coauthors=[CoAuthorData(full_name="Aru", university=stranger)],
        )
    assert (refused.value.code, str(refused.value)) == (
        "coauthor_university",
        "A co-author's university must be one of this contest's universities; not: Far Away University",
    )
    assert Entry.objects.count() == 0


def test_coauthor_from_any_university_when_the_contest_lists_none(contest, nomination, platforms, participant):
    contest.universities.clear()
    anywhere = UniversityFactory()
    entry = entry_create(
        actor=participant,
        contest=contest,
        title="T",
        nomination=nomination,
        platforms=platforms,
        coauthors=[CoAuthorData(full_name="Aru", university=anywhere)],
    )
    assert coauthors_of(entry) == [("Aru", "", anywhere.pk)]


def test_coauthor_university_already_on_the_entry_stays(draft, participant, listed):
    legacy = UniversityFactory()
    CoAuthor.objects.filter(entry=draft).update(university=legacy)
    entry_update(
        actor=participant, entry=draft, title="Renamed", coauthors=[CoAuthorData(full_name="Dana", university=legacy)]
    )
    assert coauthors_of(draft) == [("Dana", "", legacy.pk)]


# The API ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def author_api(participant):  # type: ignore[no-untyped-def]
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(participant)
    return api


def test_api_refuses_changing_a_submitted_entrys_coauthors(author_api, submitted, listed):
    response = author_api.patch(
        f"/api/v1/entries/{submitted.code}/",
        {"coauthors": [{"full_name": "Dana Omarova", "email": "dana@example.org", "university": None}]},
        format="json",
    )
    assert (response.status_code, response.json()) == (400, {"detail": KEPT_MESSAGE, "code": "coauthors_submitted"})
    assert coauthors_of(submitted) == [("Dana Omarova", "dana@example.org", listed.pk)]


def test_api_refuses_coauthors_after_the_deadline(author_api, draft, contest, listed):
    with time_machine.travel(contest.submissions_close + timedelta(seconds=1), tick=False):
        response = author_api.patch(
            f"/api/v1/entries/{draft.code}/",
            {"coauthors": [{"full_name": "Erlan", "email": "", "university": None}]},
            format="json",
        )
    assert (response.status_code, response.json()["code"]) == (409, "submissions_closed")
    assert coauthors_of(draft) == [("Dana Omarova", "dana@example.org", listed.pk)]


def test_api_refuses_a_coauthor_from_outside_the_contest(author_api, draft):
    UniversityFactory(slug="far-away", name="Far Away University", name_en="Far Away University")
    response = author_api.patch(
        f"/api/v1/entries/{draft.code}/",
        {"coauthors": [{"full_name": "Aru", "email": "", "university": "far-away"}]},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (400, "coauthor_university")


# The participant's page -------------------------------------------------------------------------------------------


def edit_url(entry):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return reverse("frontend:entry_edit", kwargs={"slug": entry.contest.slug, "code": entry.code})


def page_data(entry, coauthors):  # type: ignore[no-untyped-def]
    data = {
        "title": entry.title,
        "nomination": entry.nomination_id,
        "platforms": [p.pk for p in entry.platforms.all()],
        "coauthors-TOTAL_FORMS": str(len(coauthors)),
        "coauthors-INITIAL_FORMS": "0",
    }
    for index, (name, email, university) in enumerate(coauthors):
        data |= {
            f"coauthors-{index}-full_name": name,
            f"coauthors-{index}-email": email,
            f"coauthors-{index}-university": university.pk if university else "",
        }
    return data


def test_page_refuses_changing_a_submitted_entrys_coauthors(participant_client, submitted, listed):
    response = participant_client.post(edit_url(submitted), page_data(submitted, [("Erlan", "", None)]))
    assert response.status_code == 400
    assert KEPT_MESSAGE in response.content.decode()
    assert coauthors_of(submitted) == [("Dana Omarova", "dana@example.org", listed.pk)]


def test_page_keeps_a_submitted_entrys_coauthors_when_saved_unchanged(participant_client, submitted, listed):
    data = page_data(submitted, [("Dana Omarova", "dana@example.org", listed)]) | {"title": "Renamed"}
    response = participant_client.post(edit_url(submitted), data)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.title, coauthors_of(submitted)) == ("Renamed", [("Dana Omarova", "dana@example.org", listed.pk)])


def test_page_refuses_coauthors_after_the_deadline(participant_client, draft, contest, listed):
    with time_machine.travel(contest.submissions_close + timedelta(seconds=1), tick=False):
        response = participant_client.post(edit_url(draft), page_data(draft, [("Erlan", "", None)]))
    assert response.status_code == 409
    assert DEADLINE_MESSAGE in response.content.decode()
    assert coauthors_of(draft) == [("Dana Omarova", "dana@example.org", listed.pk)]


def test_page_offers_only_the_contests_universities(participant_client, draft, contest):
    UniversityFactory(name="Far Away University", name_en="Far Away University")
    body = participant_client.get(edit_url(draft)).content.decode()
    assert "Far Away University" not in body
    assert all(university.name in body for university in contest.universities.all())
    assert "data-coauthors-kept" not in body


def test_page_says_a_submitted_entry_keeps_its_coauthors(participant_client, submitted):
    body = participant_client.get(edit_url(submitted)).content.decode()
    assert "data-coauthors-kept" in body
