"""The jury panel's pages: a juror's rounds, their list of entries, and the entry page with the rubric form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from contest.enums import Role
from contest.models import CoAuthor
from judging.enums import ReviewChangeKind, ReviewStatus, RoundStatus
from judging.models import Assignment, CriterionLevel, Review, ReviewChange, Score
from judging.services.reviews import review_save_draft, review_submit
from media_pipeline.enums import AssetStatus, MediaKind, RenditionKind
from media_pipeline.models import MediaAsset, Rendition
from tests.factories import (
    ContestFactory,
    ContestRoleFactory,
    NominationFactory,
    PlatformFactory,
    UniversityFactory,
)
from tests.judging import criteria_for, entry_from, juror_in, round_of


def url(view, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{view}", kwargs=kwargs)


def entry_url(round, entry, query=""):  # type: ignore[no-untyped-def]
    return url("jury_entry", round_id=round.pk, code=entry.code) + query


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


def with_media(entry, kind):  # type: ignore[no-untyped-def]
    """Give the entry a processed file: a video with its renditions, or a presentation's pages."""
    asset = MediaAsset.objects.create(
        entry=entry,
        original_name="Aigerim_Seitkali_lesson.mp4" if kind == MediaKind.VIDEO else "Aigerim_Seitkali_slides.pptx",
        kind=kind,
        extension="mp4" if kind == MediaKind.VIDEO else "pptx",
        status=AssetStatus.READY,
    )
    asset.original.save("original.bin", ContentFile(b"original"), save=True)
    names = (
        [("video-720", "mp4"), ("video-360", "mp4"), ("poster", "jpg"), ("strip", "jpg")]
        if kind == MediaKind.VIDEO
        else [("pdf", "pdf"), ("cover", "jpg"), ("page-0001", "jpg"), ("page-0002", "jpg")]
    )
    for page, (name, extension) in enumerate(names):
        rendition_kind = RenditionKind.VIDEO if extension == "mp4" else RenditionKind.IMAGE
        rendition = Rendition(
            asset=asset, name=name, kind=rendition_kind, page=page if name.startswith("page") else None
        )
        rendition.file.save(f"{name}.{extension}", ContentFile(f"{name} bytes".encode()), save=True)
    entry.media = asset
    entry.save(update_fields=["media"])
    return asset


@pytest.fixture
def uni(contest):  # type: ignore[no-untyped-def]
    return UniversityFactory(name="Zhetysu University", name_en="Zhetysu University")


@pytest.fixture
def panel(contest, uni, platforms):  # type: ignore[no-untyped-def]
    """An open blind round: a juror assigned a video and a presentation; a colleague assigned a third entry."""
    wordwall, canva = platforms
    criteria = criteria_for(contest, 4, 3)
    CriterionLevel.objects.create(
        criterion=criteria[0], score=0, descriptor="Nothing to see", descriptor_en="Nothing to see"
    )
    CriterionLevel.objects.create(criterion=criteria[0], score=4, descriptor="Outstanding", descriptor_en="Outstanding")
    video = entry_from(contest, uni, coauthors=[uni], platforms=[wordwall], title="Fractions with Wordwall")
    slides = entry_from(contest, uni, platforms=[canva], title="Planets in Canva")
    other = entry_from(contest, uni, platforms=[canva], title="Not yours")
    with_media(video, MediaKind.VIDEO)
    with_media(slides, MediaKind.PRESENTATION)
    juror = juror_in(contest, name="Juror One")
    colleague = juror_in(contest, name="Juror Two")
    round = round_of(contest, [video, slides, other], [juror, colleague], k=1)
    for entry in (video, slides):
        Assignment.objects.create(round=round, juror=juror, entry=entry)
    Assignment.objects.create(round=round, juror=colleague, entry=other)
    # Codes are random: the list's order is by code.
    first, second = sorted([video, slides], key=lambda entry: entry.code)
    return {
        "round": round,
        "juror": juror,
        "colleague": colleague,
        "video": video,
        "slides": slides,
        "other": other,
        "first": first,
        "second": second,
        "criteria": criteria,
    }


@pytest.fixture
def juror_client(client, panel):  # type: ignore[no-untyped-def]
    client.force_login(panel["juror"].user)
    return client


def body_of(response):  # type: ignore[no-untyped-def]
    return response.content.decode()


def progress_text(scored, total, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return translation.gettext("%(scored)s of %(total)s scored") % {"scored": scored, "total": total}


# --- Home -----------------------------------------------------------------------------------------


def test_home_redirects_to_the_only_round(juror_client, panel):
    response = juror_client.get(url("jury_home"))
    assert response.status_code == 302
    assert response["Location"] == url("jury_round", round_id=panel["round"].pk)


def test_home_lists_opened_rounds_when_several(juror_client, panel, contest):
    closed = round_of(contest, [panel["video"]], [panel["juror"]], status=RoundStatus.CLOSED, number=2)
    round_of(contest, [panel["video"]], [panel["juror"]], status=RoundStatus.DRAFT, number=3)
    Assignment.objects.create(round=closed, juror=panel["juror"], entry=panel["video"])
    response = juror_client.get(url("jury_home"))
    body = body_of(response)
    assert response.status_code == 200
    assert re.findall(r'href="/en/jury/r/(\d+)/"', body) == [str(panel["round"].pk), str(closed.pk)]
    assert "Round 3" not in body
    assert body.count(progress_text(0, 2)) == 1
    assert body.count(progress_text(0, 1)) == 1


def test_home_refuses_who_has_no_jury_seat(client, participant, organiser):
    for user in (participant, organiser):
        client.force_login(user)
        assert client.get(url("jury_home")).status_code == 404


def test_home_sends_anonymous_to_log_in(client, db):
    response = client.get(url("jury_home"))
    assert response.status_code == 302
    assert response["Location"] == login_url(url("jury_home"))


def test_home_queries_do_not_grow_with_rounds(client, contest, uni, django_assert_num_queries):
    """The person, their panels (the check and the menu share one query), their rounds and letters of thanks."""
    juror = juror_in(contest, name="Counting juror")
    entry = entry_from(contest, uni)
    client.force_login(juror.user)

    def add_rounds(numbers):  # type: ignore[no-untyped-def]
        for number in numbers:
            round = round_of(contest, [entry], [juror], k=1, number=number)
            Assignment.objects.create(round=round, juror=juror, entry=entry)

    add_rounds([1, 2])
    with django_assert_num_queries(4):
        response = client.get(url("jury_home"))
    assert len(re.findall(r'href="/en/jury/r/(\d+)/"', body_of(response))) == 2
    add_rounds(range(3, 11))
    with django_assert_num_queries(4):
        response = client.get(url("jury_home"))
    assert len(re.findall(r'href="/en/jury/r/(\d+)/"', body_of(response))) == 10


def test_menu_links_the_panel_for_jurors_only(client, panel, participant):
    client.force_login(panel["juror"].user)
    assert f'href="{url("jury_home")}"' in body_of(client.get(url("profile")))
    client.force_login(participant)
    assert f'href="{url("jury_home")}"' not in body_of(client.get(url("profile")))


# --- The list of entries --------------------------------------------------------------------------


def test_round_page_lists_assigned_entries_with_progress(juror_client, panel):
    review_submit(
        actor=panel["juror"].user,
        round=panel["round"],
        entry=panel["first"],
        scores={panel["criteria"][0].pk: 3, panel["criteria"][1].pk: 2},
    )
    response = juror_client.get(url("jury_round", round_id=panel["round"].pk))
    body = body_of(response)
    assert response.status_code == 200
    assert re.findall(r'data-entry="(\w+)"', body) == [panel["first"].code, panel["second"].code]
    assert re.findall(r'data-review-status="(\w+)"', body) == ["submitted", "none"]
    assert progress_text(1, 2) in body
    assert "Fractions with Wordwall" in body and "Planets in Canva" in body
    assert panel["other"].code not in body and "Not yours" not in body
    assert panel["video"].nomination.name in body
    assert "<li>Wordwall</li>" in body and "<li>Canva</li>" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=video", ["video"]),
        ("?kind=presentation", ["slides"]),
        ("?status=none", ["slides"]),
        ("?status=draft", ["video"]),
        ("?status=submitted", []),
        ("?platform={canva}", ["slides"]),
        ("?nomination={nomination}", ["video"]),
        ("?kind=nonsense", ["first", "second"]),
    ],
)
def test_round_page_filters(juror_client, panel, query, expected):  # type: ignore[no-untyped-def]
    review_save_draft(
        actor=panel["juror"].user, round=panel["round"], entry=panel["video"], scores={panel["criteria"][0].pk: 1}
    )
    canva = panel["slides"].platforms.get()
    query = query.format(canva=canva.pk, nomination=panel["video"].nomination_id)
    body = body_of(juror_client.get(url("jury_round", round_id=panel["round"].pk) + query))
    assert re.findall(r'data-entry="(\w+)"', body) == [panel[name].code for name in expected]
    assert progress_text(0, 2) in body  # the progress counts every assignment, whatever the filters


def test_round_page_refuses_who_does_not_judge_it(client, panel, contest, participant, organiser):
    other_contest = ContestFactory()
    outsider = ContestRoleFactory(contest=other_contest, role=Role.ORGANISER).user
    not_in_round = juror_in(contest, name="Not in the round").user
    page = url("jury_round", round_id=panel["round"].pk)
    for user in (participant, organiser, outsider, not_in_round):
        client.force_login(user)
        assert client.get(page).status_code == 404


def test_round_page_is_missing_while_being_prepared(juror_client, panel):
    panel["round"].status = RoundStatus.DRAFT
    panel["round"].save(update_fields=["status"])
    assert juror_client.get(url("jury_round", round_id=panel["round"].pk)).status_code == 404
    assert juror_client.get(entry_url(panel["round"], panel["first"])).status_code == 404


def test_round_page_sends_anonymous_to_log_in(client, panel):
    page = url("jury_round", round_id=panel["round"].pk)
    response = client.get(page)
    assert (response.status_code, response["Location"]) == (302, login_url(page))


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # The person, the round, the list with "x of y scored" and the entries' platforms, the menu's panels,
        # the nominations and the platforms to filter by.
        ("", 7),
        # And the chosen platform, looked up to check it.
        ("?platform={platform}&status=draft", 8),
    ],
)
def test_round_page_query_count_does_not_grow_with_entries(
    client, contest, uni, platforms, django_assert_num_queries, query, queries
):
    criteria_for(contest, 4)
    juror = juror_in(contest, name="Counting juror")
    round = round_of(contest, [], [juror], k=1)
    client.force_login(juror.user)

    def add_entries(count):  # type: ignore[no-untyped-def]
        for _ in range(count):
            entry = entry_from(contest, uni, platforms=platforms)
            with_media(entry, MediaKind.VIDEO)
            Assignment.objects.create(round=round, juror=juror, entry=entry)
            review_save_draft(actor=juror.user, round=round, entry=entry, scores={})

    page = url("jury_round", round_id=round.pk) + query.format(platform=platforms[0].pk)
    add_entries(1)
    with django_assert_num_queries(queries):
        response = client.get(page)
    assert len(re.findall(r'data-entry="(\w+)"', body_of(response))) == 1
    add_entries(9)
    juror_in(contest)  # more jurors change nothing either
    with django_assert_num_queries(queries):
        response = client.get(page)
    assert len(re.findall(r'data-entry="(\w+)"', body_of(response))) == 10


# --- The entry page -------------------------------------------------------------------------------


def test_entry_page_shows_the_entry_and_the_rubric(juror_client, panel):
    response = juror_client.get(entry_url(panel["round"], panel["video"]))
    body = body_of(response)
    assert response.status_code == 200
    assert f"<title>{panel['video'].code} · Fractions with Wordwall · Baige</title>" in body
    assert '<video controls preload="metadata" playsinline data-player' in body
    asset = panel["video"].media
    poster = url(
        "jury_rendition", round_id=panel["round"].pk, code=panel["video"].code, asset=asset.uuid, name="poster"
    )
    assert f'poster="{poster}"' in body
    assert "/en/c/" not in body  # never the author's own routes to the file
    assert "Criterion 1" in body and "Criterion 2" in body
    assert "weight 1 · 0 to 4" in body
    assert "Nothing to see" in body and "Outstanding" in body
    assert re.findall(r'<input type="radio" name="score-c1" value="(\d+)"', body) == ["0", "1", "2", "3", "4"]
    assert re.findall(r'<input type="radio" name="score-c2" value="(\d+)"', body) == ["0", "1", "2", "3"]
    assert 'data-action="submit">Submit the review<' in body
    assert 'data-action="draft">Save draft<' in body
    assert f'data-api="/api/v1/jury/rounds/{panel["round"].pk}/entries/{panel["video"].code}/review/"' in body
    assert progress_text(0, 2) in body


def test_entry_page_shows_slides_of_a_presentation(juror_client, panel):
    body = body_of(juror_client.get(entry_url(panel["round"], panel["slides"])))
    asset = panel["slides"].media
    pages = [
        url("jury_rendition", round_id=panel["round"].pk, code=panel["slides"].code, asset=asset.uuid, name=name)
        for name in ("page-0001", "page-0002")
    ]
    assert re.findall(r'<img src="([^"]+)"\s+alt="Slide', body) == pages


def test_entry_page_links_previous_and_next_in_list_order(juror_client, panel):
    round = panel["round"]
    first = body_of(juror_client.get(entry_url(round, panel["first"])))
    assert "data-previous" not in first
    assert f'href="{entry_url(round, panel["second"])}" rel="next"' in first
    second = body_of(juror_client.get(entry_url(round, panel["second"])))
    assert f'href="{entry_url(round, panel["first"])}" rel="prev"' in second
    assert "data-next" not in second


def test_entry_page_next_keeps_the_list_filters(juror_client, panel, contest, uni):
    round = panel["round"]
    third = entry_from(contest, uni, title="Third video")
    with_media(third, MediaKind.VIDEO)
    Assignment.objects.create(round=round, juror=panel["juror"], entry=third)
    videos = sorted([panel["video"], third], key=lambda entry: entry.code)
    body = body_of(juror_client.get(entry_url(round, videos[0], "?kind=video")))
    assert f'href="{entry_url(round, videos[1], "?kind=video")}" rel="next"' in body
    assert "data-previous" not in body


def test_entry_page_refuses_who_is_not_assigned(client, panel, contest, participant, organiser):
    other_contest = ContestFactory()
    outsider = ContestRoleFactory(contest=other_contest, role=Role.ORGANISER).user
    author = panel["video"].author
    page = entry_url(panel["round"], panel["other"])  # assigned to the colleague, not to the juror
    for user in (panel["juror"].user, participant, author, organiser, outsider):
        client.force_login(user)
        assert client.get(page).status_code == 404
        response = client.post(page, {"score-c1": "2", "comment": "Mine now", "action": "draft"})
        assert response.status_code == 404
    assert not Review.objects.filter(entry=panel["other"]).exists()


def test_entry_page_sends_anonymous_to_log_in(client, panel):
    page = entry_url(panel["round"], panel["video"])
    assert client.get(page)["Location"] == login_url(page)
    response = client.post(page, {"score-c1": "2", "action": "draft"})
    assert (response.status_code, response["Location"]) == (302, login_url(page))
    assert not Review.objects.exists()


def test_entry_page_unknown_code_is_missing(juror_client, panel):
    assert juror_client.get(url("jury_entry", round_id=panel["round"].pk, code="NOPE1234")).status_code == 404


# --- Scoring without a script ---------------------------------------------------------------------


def scores_of(review):  # type: ignore[no-untyped-def]
    return dict(review.scores.values_list("criterion__slug", "value"))


def test_post_saves_a_draft(juror_client, panel):
    page = entry_url(panel["round"], panel["video"])
    response = juror_client.post(page, {"score-c1": "3", "comment": "  Good pace  ", "action": "draft"})
    assert (response.status_code, response["Location"]) == (302, page)
    review = Review.objects.get(entry=panel["video"], juror=panel["juror"])
    assert (review.status, review.comment, scores_of(review)) == (ReviewStatus.DRAFT, "Good pace", {"c1": 3})
    body = body_of(juror_client.get(page))
    assert "Your draft is saved." in body
    assert '<input type="radio" name="score-c1" value="3" checked>' in body
    assert ">Good pace</textarea>" in body


def test_post_submits_the_review(juror_client, panel):
    page = entry_url(panel["round"], panel["video"])
    response = juror_client.post(page, {"score-c1": "4", "score-c2": "0", "comment": "Clear", "action": "submit"})
    assert response.status_code == 302
    review = Review.objects.get(entry=panel["video"], juror=panel["juror"])
    assert (review.status, scores_of(review)) == (ReviewStatus.SUBMITTED, {"c1": 4, "c2": 0})
    assert list(review.history.values_list("kind", flat=True)) == [ReviewChangeKind.SUBMITTED]
    body = body_of(juror_client.get(page))
    assert "Your review is submitted." in body
    assert 'data-action="submit">Submit changes<' in body
    assert 'data-action="draft"' not in body
    assert progress_text(1, 2) in body


def test_revising_a_submitted_review_keeps_its_history(juror_client, panel):
    page = entry_url(panel["round"], panel["video"])
    juror_client.post(page, {"score-c1": "4", "score-c2": "1", "comment": "First look", "action": "submit"})
    response = juror_client.post(page, {"score-c1": "2", "score-c2": "1", "comment": "Second look", "action": "submit"})
    assert response.status_code == 302
    review = Review.objects.get(entry=panel["video"], juror=panel["juror"])
    c1, c2 = (str(criterion.pk) for criterion in panel["criteria"])
    history = list(ReviewChange.objects.filter(review=review).values_list("kind", "old", "new"))
    assert history == [
        (
            ReviewChangeKind.SUBMITTED,
            None,
            {"scores": {c1: 4, c2: 1}, "comment": "First look", "comments": {}, "feedback": ""},
        ),
        (
            ReviewChangeKind.REVISED,
            {"scores": {c1: 4, c2: 1}, "comment": "First look", "comments": {}, "feedback": ""},
            {"scores": {c1: 2, c2: 1}, "comment": "Second look", "comments": {}, "feedback": ""},
        ),
    ]
    assert "Your changes to the review are submitted." in body_of(juror_client.get(page))


def test_post_score_outside_the_scale_is_refused_and_the_form_kept(juror_client, panel):
    page = entry_url(panel["round"], panel["video"])
    response = juror_client.post(page, {"score-c1": "9", "score-c2": "2", "comment": "Keep me", "action": "draft"})
    body = body_of(response)
    assert response.status_code == 400
    assert "“Criterion 1” is scored with a whole number from 0 to 4." in body
    assert '<input type="radio" name="score-c2" value="2" checked>' in body
    assert ">Keep me</textarea>" in body
    assert not Score.objects.exists()
    assert not Review.objects.exists()


def test_post_score_that_is_not_a_number_is_refused(juror_client, panel):
    response = juror_client.post(
        entry_url(panel["round"], panel["video"]), {"score-c2": "two", "comment": "x", "action": "submit"}
    )
    assert response.status_code == 400
    assert "“Criterion 2” is scored with a whole number from 0 to 3." in body_of(response)
    assert not Review.objects.exists()


def test_post_submit_with_a_criterion_missing_names_it(juror_client, panel):
    page = entry_url(panel["round"], panel["video"])
    response = juror_client.post(page, {"score-c1": "3", "comment": "Half done", "action": "submit"})
    body = body_of(response)
    assert response.status_code == 400
    assert "Score every criterion before submitting; missing: Criterion 2" in body
    assert '<input type="radio" name="score-c1" value="3" checked>' in body
    assert not Review.objects.filter(status=ReviewStatus.SUBMITTED).exists()
    assert not Score.objects.exists()


def test_post_in_a_closed_round_is_refused(juror_client, panel):
    round = panel["round"]
    round.status, round.closed_at = RoundStatus.CLOSED, timezone.now()
    round.save(update_fields=["status", "closed_at"])
    page = entry_url(round, panel["video"])
    response = juror_client.post(page, {"score-c1": "3", "score-c2": "1", "comment": "Late", "action": "submit"})
    assert response.status_code == 409
    assert "Round “Round 1” is closed: its reviews can no longer change." in body_of(response)
    assert not Review.objects.exists()


def test_closed_round_pages_are_read_only(juror_client, panel):
    review_submit(
        actor=panel["juror"].user,
        round=panel["round"],
        entry=panel["video"],
        scores={panel["criteria"][0].pk: 3, panel["criteria"][1].pk: 1},
        comment="Done",
    )
    round = panel["round"]
    round.status, round.closed_at = RoundStatus.CLOSED, timezone.now()
    round.save(update_fields=["status", "closed_at"])
    body = body_of(juror_client.get(entry_url(round, panel["video"])))
    assert "This round is closed: its reviews can be read but no longer changed." in body
    assert '<fieldset class="rubric-criteria" disabled>' in body
    assert '<input type="radio" name="score-c1" value="3" checked>' in body
    assert "data-action" not in body
    listing = body_of(juror_client.get(url("jury_round", round_id=round.pk)))
    assert "This round is closed: its reviews can be read but no longer changed." in listing


def test_post_after_the_closing_time_is_refused(juror_client, panel):
    round = panel["round"]
    round.closes_at = timezone.now() - timedelta(minutes=1)
    round.opens_at = round.closes_at - timedelta(days=3)
    round.save(update_fields=["opens_at", "closes_at"])
    response = juror_client.post(entry_url(round, panel["video"]), {"score-c1": "1", "action": "draft"})
    assert response.status_code == 409
    assert "Round “Round 1” closed on" in body_of(response)
    assert not Review.objects.exists()


def test_post_speaks_the_page_language(juror_client, panel):
    with translation.override("ru"):
        expected = translation.gettext("“%(criterion)s” is scored with a whole number from 0 to %(max)d.") % {
            "criterion": "Criterion 1",
            "max": 4,
        }
    page = url("jury_entry", language="ru", round_id=panel["round"].pk, code=panel["video"].code)
    response = juror_client.post(page, {"score-c1": "7", "action": "draft"})
    assert response.status_code == 400
    assert expected in body_of(response)


# --- Blind and open rounds ------------------------------------------------------------------------


def personal_data(entry):  # type: ignore[no-untyped-def]
    profile = entry.author.profile
    found = [profile.full_name, entry.author.email, entry.author.username]
    found += [profile.university.name] if profile.university else []
    found += [person.full_name for person in CoAuthor.objects.filter(entry=entry)]
    return found + [entry.media.original_name, "Aigerim", "Seitkali"]


def test_blind_round_pages_never_name_the_authors(juror_client, panel):
    round = panel["round"]
    assert round.blind
    for page in (
        url("jury_round", round_id=round.pk),
        entry_url(round, panel["video"]),
        entry_url(round, panel["slides"]),
    ):
        body = body_of(juror_client.get(page))
        title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
        for text in personal_data(panel["video"]) + personal_data(panel["slides"]):
            assert text not in body, f"{text!r} shown on {page}"
            assert text not in title
    assert "data-authors" not in body


def test_open_round_page_names_the_authors_and_university(juror_client, panel):
    round = panel["round"]
    round.blind = False
    round.save(update_fields=["blind"])
    body = body_of(juror_client.get(entry_url(round, panel["video"])))
    profile = panel["video"].author.profile
    assert f"<dd data-authors>{profile.full_name} (Zhetysu University)</dd>" in body
    assert "Co-author 0 (Zhetysu University)" in body
    assert panel["video"].media.original_name not in body  # the file's own name stays hidden all the same


# --- Queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blind", "queries"),
    [
        # The person; the assignment with its round, contest and entry; the criteria and their levels; the review
        # and its scores; the entry's platforms; the juror's list (neighbours and "x of y scored"); whether they
        # organise the contest; the file's renditions; the menu's panels.
        (True, 11),
        # And who made the entry: the author with their profile, their university as the entry recorded it, and
        # the co-authors.
        (False, 14),
    ],
)
def test_entry_page_query_count_does_not_grow_with_criteria_entries_or_jurors(
    client, contest, uni, platforms, django_assert_num_queries, blind, queries
):
    juror = juror_in(contest, name="Counting juror")
    round = round_of(contest, [], [juror], k=1)
    round.blind = blind
    round.save(update_fields=["blind"])
    client.force_login(juror.user)
    entry = entry_from(contest, uni, coauthors=[uni], platforms=platforms)
    with_media(entry, MediaKind.PRESENTATION)
    Assignment.objects.create(round=round, juror=juror, entry=entry)
    criteria = criteria_for(contest, 4)
    CriterionLevel.objects.create(criterion=criteria[0], score=1, descriptor="Weak", descriptor_en="Weak")
    review_save_draft(actor=juror.user, round=round, entry=entry, scores={criteria[0].pk: 2}, comment="so far")
    page = entry_url(round, entry)
    with django_assert_num_queries(queries):
        assert client.get(page).status_code == 200

    # Adding criteria to a frozen rubric is refused by the services; the rows are made directly here.
    from judging.models import Criterion

    rubric = criteria[0].rubric
    for index in range(2, 12):
        criterion = Criterion.objects.create(
            rubric=rubric, slug=f"more{index}", name=f"More {index}", name_en=f"More {index}", max_score=5, order=index
        )
        for score in range(6):
            CriterionLevel.objects.create(
                criterion=criterion, score=score, descriptor=f"L{score}", descriptor_en=f"L{score}"
            )
    for _ in range(6):
        other = entry_from(contest, uni, coauthors=[uni, uni], platforms=platforms)
        with_media(other, MediaKind.VIDEO)
        Assignment.objects.create(round=round, juror=juror, entry=other)
    for _ in range(3):
        colleague = juror_in(contest)
        Assignment.objects.create(round=round, juror=colleague, entry=entry)
    CoAuthor.objects.create(entry=entry, full_name="Another co-author", university=uni, order=5)
    with django_assert_num_queries(queries):
        response = client.get(page)
    assert response.content.decode().count('type="radio"') == 5 + 10 * 6


def test_entry_page_with_a_wide_scale_takes_a_number(juror_client, panel, contest):
    criterion = panel["criteria"][1]
    criterion.max_score = 20
    criterion.save(update_fields=["max_score"])
    body = body_of(juror_client.get(entry_url(panel["round"], panel["video"])))
    assert '<input type="number" name="score-c2" min="0" max="20" step="1" inputmode="numeric" value=""' in body
    response = juror_client.post(
        entry_url(panel["round"], panel["video"]), {"score-c1": "1", "score-c2": "17", "action": "submit"}
    )
    assert response.status_code == 302
    assert scores_of(Review.objects.get()) == {"c1": 1, "c2": 17}


def test_nominations_and_platforms_of_another_contest_do_not_filter(juror_client, panel):
    other = ContestFactory()
    foreign = PlatformFactory(contest=other)
    nomination = NominationFactory(contest=other)
    page = url("jury_round", round_id=panel["round"].pk)
    body = body_of(juror_client.get(page + f"?platform={foreign.pk}&nomination={nomination.pk}"))
    assert re.findall(r'data-entry="(\w+)"', body) == [panel["first"].code, panel["second"].code]
