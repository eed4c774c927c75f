"""The jurors' API: assignments, assigned entries (blind or not), their own reviews, and everyone refused."""

import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from contest.models import CoAuthor
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Review, Score
from judging.services.reviews import review_save_draft, review_submit
from media_pipeline.enums import AssetStatus
from media_pipeline.models import Rendition
from tests.factories import ContestFactory, MediaAssetFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

#: Who must not reach an entry: (fixture, status). Without a login nothing is answered at all.
REFUSED = [
    ("anonymous", 403),
    ("participant", 404),
    ("entry_author", 404),
    ("unassigned_juror", 404),
    ("foreign_juror", 404),
]


def client_as(user):  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def setting(contest):  # type: ignore[no-untyped-def]
    """Criteria 0..4 and 0..2, an entry with a co-author and a ready file, a blind open round, two assigned jurors."""
    university = UniversityFactory(name="Abai University", name_en="Abai University")
    criteria = criteria_for(contest, 4, 2)
    entry = entry_from(contest, university, coauthors=[UniversityFactory(name="Narxoz", name_en="Narxoz")])
    entry.author.profile.full_name = "Aigerim Sadykova"
    entry.author.profile.save(update_fields=["full_name"])
    entry.author.email = "aigerim@example.kz"
    entry.author.save(update_fields=["email"])
    CoAuthor.objects.filter(entry=entry).update(full_name="Bolat Nurlanov", email="bolat@example.kz")
    asset = MediaAssetFactory(entry=entry, status=AssetStatus.READY)
    Rendition.objects.create(asset=asset, name="page-1", kind="image", file="r/page-1.png")
    entry.media = asset
    entry.save(update_fields=["media"])
    jurors = [juror_in(contest, name="Dana"), juror_in(contest, name="Arman")]
    round = round_of(contest, [entry], jurors, k=2)
    for juror in jurors:
        Assignment.objects.create(round=round, juror=juror, entry=entry)
    return {"criteria": criteria, "entry": entry, "jurors": jurors, "round": round}


@pytest.fixture
def assigned(setting):  # type: ignore[no-untyped-def]
    return setting["jurors"][0].user


@pytest.fixture
def entry_author(setting):  # type: ignore[no-untyped-def]
    return setting["entry"].author


@pytest.fixture
def unassigned_juror(contest, setting):  # type: ignore[no-untyped-def]
    """A juror of the same round with no assignment to the entry."""
    juror = juror_in(contest, name="Unassigned")
    setting["round"].round_jurors.create(juror=juror)
    return juror.user


@pytest.fixture
def foreign_juror(setting):  # type: ignore[no-untyped-def]
    """A juror assigned to an entry of another contest."""
    other = ContestFactory()
    juror = juror_in(other, name="Foreign")
    round = round_of(other, [entry_from(other, None)], [juror])
    Assignment.objects.create(round=round, juror=juror, entry=round.entries.get())
    return juror.user


def entry_url(setting, suffix=""):  # type: ignore[no-untyped-def]
    return f"/api/v1/jury/rounds/{setting['round'].pk}/entries/{setting['entry'].code}/{suffix}"


# --- Assignments --------------------------------------------------------------------------------------------------


def test_assignments_list_shows_open_rounds_with_progress(contest, setting, assigned):
    round, entry = setting["round"], setting["entry"]
    other = entry_from(contest, None, title="Second lesson")
    round.round_entries.create(entry=other)
    Assignment.objects.create(round=round, juror=setting["jurors"][0], entry=other)
    closed = round_of(contest, [other], [setting["jurors"][0]], number=2, status=RoundStatus.CLOSED)
    Assignment.objects.create(round=closed, juror=setting["jurors"][0], entry=other)
    c1, c2 = setting["criteria"]
    review_submit(actor=assigned, round=round, entry=entry, scores={c1.pk: 3, c2.pk: 1})
    response = client_as(assigned).get("/api/v1/jury/assignments/")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["scored"], body["total"]) == (2, 1, 2)
    by_code = {row["code"]: row for row in body["results"]}
    assert by_code == {
        entry.code: {
            "code": entry.code,
            "title": entry.title,
            "round": {
                "id": round.pk,
                "number": 1,
                "name": "Round 1",
                "blind": True,
                "opens_at": None,
                "closes_at": None,
            },
            "review_status": "submitted",
        },
        other.code: {
            "code": other.code,
            "title": "Second lesson",
            "round": by_code[entry.code]["round"],
            "review_status": "none",
        },
    }


def test_assignments_list_shows_draft_status(setting, assigned):
    review_save_draft(
        actor=assigned, round=setting["round"], entry=setting["entry"], scores={setting["criteria"][0].pk: 2}
    )
    body = client_as(assigned).get("/api/v1/jury/assignments/").json()
    assert [row["review_status"] for row in body["results"]] == ["draft"]
    assert (body["scored"], body["total"]) == (0, 1)


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 403), ("participant", 403), ("entry_author", 403)])
def test_assignments_list_by_non_jurors_refused(request, setting, role, expected):
    response = client_as(request.getfixturevalue(role)).get("/api/v1/jury/assignments/")
    assert response.status_code == expected
    assert setting["entry"].code not in response.content.decode()


@pytest.mark.parametrize("role", ["unassigned_juror", "foreign_juror"])
def test_assignments_list_by_other_jurors_leaves_out_the_entry(request, setting, role):
    response = client_as(request.getfixturevalue(role)).get("/api/v1/jury/assignments/")
    assert response.status_code == 200
    assert setting["entry"].code not in response.content.decode()


def test_assignments_list_same_queries_for_one_and_ten(contest, setting, assigned, django_assert_num_queries):
    client = client_as(assigned)
    client.get("/api/v1/jury/assignments/")  # the session is warm from here on
    with django_assert_num_queries(5) as one:
        assert client.get("/api/v1/jury/assignments/").json()["total"] == 1
    for _index in range(9):
        extra = entry_from(contest, None)
        setting["round"].round_entries.create(entry=extra)
        Assignment.objects.create(round=setting["round"], juror=setting["jurors"][0], entry=extra)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/api/v1/jury/assignments/").json()["total"] == 10


# --- An assigned entry --------------------------------------------------------------------------------------------

SECRETS = ["Aigerim Sadykova", "aigerim@example.kz", "Abai University", "Bolat Nurlanov", "bolat@example.kz", "Narxoz"]


def test_entry_in_blind_round_hides_who_made_it(setting, assigned):
    entry = setting["entry"]
    response = client_as(assigned).get(entry_url(setting))
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    assert [secret for secret in SECRETS if secret in text] == []
    assert body["authors"] is None
    assert body["university"] is None
    assert body["title"] == entry.title
    assert body["description"] == entry.description
    assert body["nomination"] == {"id": entry.nomination_id, "name": entry.nomination.name}
    assert body["platforms"] == [{"id": p.pk, "name": p.name} for p in entry.platforms.all()]
    assert body["live_url"] == entry.live_url
    assert body["media"] == {"kind": "pdf", "status": "ready", "renditions": ["page-1"]}
    assert [c["slug"] for c in body["criteria"]] == ["c1", "c2"]
    assert [c["max_score"] for c in body["criteria"]] == [4, 2]
    assert body["round"]["blind"] is True


def test_entry_in_open_round_shows_authors_and_university(setting, assigned):
    setting["round"].blind = False
    setting["round"].save(update_fields=["blind"])
    body = client_as(assigned).get(entry_url(setting)).json()
    narxoz = CoAuthor.objects.get(entry=setting["entry"]).university
    abai = setting["entry"].author.profile.university
    assert body["authors"] == {
        "full_name": "Aigerim Sadykova",
        "coauthors": [
            {"full_name": "Bolat Nurlanov", "university": {"id": narxoz.pk, "slug": narxoz.slug, "name": "Narxoz"}}
        ],
    }
    assert body["university"] == {"id": abai.pk, "slug": abai.slug, "name": "Abai University"}
    assert "aigerim@example.kz" not in json.dumps(body)


def test_entry_media_being_processed_has_no_renditions(setting, assigned):
    setting["entry"].media.status = AssetStatus.PROCESSING
    setting["entry"].media.save(update_fields=["status"])
    body = client_as(assigned).get(entry_url(setting)).json()
    assert body["media"] == {"kind": "pdf", "status": "preparing", "renditions": []}


@pytest.mark.parametrize(("role", "expected"), REFUSED)
def test_entry_by_others_refused(request, setting, role, expected):
    response = client_as(request.getfixturevalue(role)).get(entry_url(setting))
    assert response.status_code == expected
    assert setting["entry"].title not in response.content.decode()


def test_entry_of_round_being_prepared_is_missing(setting, assigned):
    setting["round"].status = RoundStatus.DRAFT
    setting["round"].save(update_fields=["status"])
    assert client_as(assigned).get(entry_url(setting)).status_code == 404


# --- Reviews ------------------------------------------------------------------------------------------------------


def test_review_before_any_save_is_empty(setting, assigned):
    response = client_as(assigned).get(entry_url(setting, "review/"))
    assert response.status_code == 200
    assert response.json() == {
        "review_status": "none",
        "scores": {},
        "comments": {},
        "feedback": "",
        "comment": "",
        "submitted_at": None,
        "updated_at": None,
    }


def test_review_put_saves_draft_and_get_reads_it(setting, assigned):
    client = client_as(assigned)
    response = client.put(entry_url(setting, "review/"), {"scores": {"c1": 3}, "comment": " Clear "}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["review_status"], body["scores"], body["comment"], body["submitted_at"]) == (
        "draft",
        {"c1": 3},
        "Clear",
        None,
    )
    assert client.get(entry_url(setting, "review/")).json() == body
    review = Review.objects.get()
    assert (review.juror, review.status) == (setting["jurors"][0], ReviewStatus.DRAFT)
    assert list(review.scores.values_list("criterion__slug", "value")) == [("c1", 3)]


def test_review_put_score_outside_scale_refused_and_nothing_saved(setting, assigned):
    response = client_as(assigned).put(entry_url(setting, "review/"), {"scores": {"c1": 3, "c2": 7}}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "“Criterion 2” is scored with a whole number from 0 to 2.",
        "code": "score_out_of_range",
    }
    assert (Review.objects.count(), Score.objects.count()) == (0, 0)


def test_review_put_unknown_criterion_refused(setting, assigned):
    response = client_as(assigned).put(entry_url(setting, "review/"), {"scores": {"nope": 1}}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "scores: Unknown criteria: nope.",
        "code": "invalid",
        "errors": {"scores": ["Unknown criteria: nope."]},
    }
    assert Review.objects.count() == 0


def test_review_submit_with_every_score(setting, assigned):
    client = client_as(assigned)
    client.put(entry_url(setting, "review/"), {"scores": {"c1": 4}}, format="json")
    response = client.post(
        entry_url(setting, "review/submit/"), {"scores": {"c2": 0}, "comment": "Good"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["review_status"], body["scores"], body["comment"]) == ("submitted", {"c1": 4, "c2": 0}, "Good")
    assert body["submitted_at"] is not None
    assert Review.objects.get().status == ReviewStatus.SUBMITTED


def test_review_submit_incomplete_refused(setting, assigned):
    response = client_as(assigned).post(entry_url(setting, "review/submit/"), {"scores": {"c1": 1}}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Score every criterion before submitting; missing: Criterion 2",
        "code": "review_incomplete",
    }
    assert Review.objects.count() == 0


def test_review_put_in_closed_round_refused(setting, assigned):
    round = setting["round"]
    round.status = RoundStatus.CLOSED
    round.closed_at = timezone.now()
    round.save(update_fields=["status", "closed_at"])
    response = client_as(assigned).put(entry_url(setting, "review/"), {"scores": {"c1": 1}}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "round_not_open"
    assert Review.objects.count() == 0


def test_review_of_another_juror_never_shown(setting, assigned):
    other = setting["jurors"][1].user
    c1, c2 = setting["criteria"]
    review_submit(
        actor=other, round=setting["round"], entry=setting["entry"], scores={c1.pk: 4, c2.pk: 2}, comment="Mine"
    )
    body = client_as(assigned).get(entry_url(setting, "review/")).json()
    assert body == {
        "review_status": "none",
        "scores": {},
        "comments": {},
        "feedback": "",
        "comment": "",
        "submitted_at": None,
        "updated_at": None,
    }


@pytest.mark.parametrize(("role", "expected"), REFUSED)
@pytest.mark.parametrize(("method", "suffix"), [("get", "review/"), ("put", "review/"), ("post", "review/submit/")])
def test_review_by_others_refused(request, setting, role, expected, method, suffix):
    client = client_as(request.getfixturevalue(role))
    response = getattr(client, method)(entry_url(setting, suffix), {"scores": {"c1": 1, "c2": 1}}, format="json")
    assert response.status_code == expected
    assert (Review.objects.count(), Score.objects.count()) == (0, 0)


def _submit_queries(contest, scales):  # type: ignore[no-untyped-def]
    """How many queries a revision of a submitted review takes through the API with this rubric."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    criteria = criteria_for(contest, *scales)
    entry = entry_from(contest, UniversityFactory())
    juror = juror_in(contest, UniversityFactory())
    round = round_of(contest, [entry], [juror], k=1, number=contest.rounds.count() + 1)
    Assignment.objects.create(round=round, juror=juror, entry=entry)
    client = client_as(juror.user)
    url = f"/api/v1/jury/rounds/{round.pk}/entries/{entry.code}/review/submit/"
    assert client.post(url, {"scores": {c.slug: 1 for c in criteria}}, format="json").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"scores": {c.slug: 0 for c in criteria}, "comment": "Less"}, format="json")
    assert response.status_code == 200
    assert response.json()["scores"] == {c.slug: 0 for c in criteria}
    return len(queries)


def test_review_submit_queries_do_not_grow_with_criteria(db):  # type: ignore[no-untyped-def]
    few = _submit_queries(ContestFactory(), [5])
    many = _submit_queries(ContestFactory(), [5, 3, 10, 4, 2, 7])
    assert few == many
    assert many <= 15  # session and user, the assignment, the locked round and review, scores, history, activity log
