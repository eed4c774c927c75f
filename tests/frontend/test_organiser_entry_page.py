"""The organisers' page of one entry, its files, the search by code, and the links to it from their tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from certificates.enums import CertificateKind
from certificates.models import Certificate
from contest.enums import EntryStatus, Role
from contest.models import CoAuthor, ContestRole, Entry
from judging.enums import AssignmentOrigin, ReviewChangeKind, ReviewStatus
from judging.models import Assignment, Award, Results, Review, ReviewChange, Score
from media_pipeline.enums import AssetStatus, MediaKind, RenditionKind
from media_pipeline.models import MediaAsset, Rendition
from monitoring.models import TaskFailure
from tests.factories import (
    ContestFactory,
    EntryFactory,
    MediaAssetFactory,
    PlatformFactory,
    ProfileFactory,
    UniversityFactory,
)
from tests.judging import criteria_for, juror_in, round_of

SUBMITTED = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
CREATED = datetime(2026, 2, 27, 8, 30, tzinfo=UTC)


def page_url(entry, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse("frontend:organiser_entry", kwargs={"slug": entry.contest.slug, "code": entry.code})


def find_url(contest, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse("frontend:organiser_entry_find", kwargs={"slug": contest.slug})


def html_of(response):  # type: ignore[no-untyped-def]
    return response.content.decode()


def part(html, start, end="</section>"):  # type: ignore[no-untyped-def]
    return html.split(start, 1)[1].split(end, 1)[0]


def rendition(asset, name, kind, **fields):  # type: ignore[no-untyped-def]
    size = fields.pop("size", 10)
    file = ContentFile(b"x" * size, name=f"{name}.bin")
    return Rendition.objects.create(asset=asset, name=name, kind=kind, file=file, size=size, **fields)


def entry_with_files(contest, **fields):  # type: ignore[no-untyped-def]
    """A submitted entry whose current video is ready (two renditions) after an earlier upload failed."""
    entry = EntryFactory(contest=contest, status=EntryStatus.SUBMITTED, submitted_at=SUBMITTED, **fields)
    failed = MediaAssetFactory(
        entry=entry,
        original_name="first try.mp4",
        kind=MediaKind.VIDEO,
        status=AssetStatus.FAILED,
        reason_code="unreadable_video",
        attempts=3,
    )
    MediaAsset.objects.filter(pk=failed.pk).update(created_at=datetime(2026, 2, 28, 9, 0, tzinfo=UTC))
    current = MediaAssetFactory(
        entry=entry,
        original_name="урок.mp4",
        kind=MediaKind.VIDEO,
        extension="mp4",
        status=AssetStatus.READY,
        duration=125.0,
        attempts=1,
        size=3 * 1024 * 1024,
    )
    MediaAsset.objects.filter(pk=current.pk).update(created_at=datetime(2026, 2, 28, 11, 0, tzinfo=UTC))
    rendition(current, "video-720", RenditionKind.VIDEO, size=2048, duration=125.0, width=1280, height=720)
    rendition(current, "poster", RenditionKind.IMAGE, size=512)
    Entry.objects.filter(pk=entry.pk).update(media=current, created_at=CREATED)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def entry(contest):  # type: ignore[no-untyped-def]
    university = UniversityFactory(name="Abai University", name_en="Abai University")
    author = ProfileFactory(full_name="Aigerim Sadykova", university=university, user__email="aigerim@example.org").user
    other = PlatformFactory(contest=contest, name="Other", name_en="Other", is_other=True)
    wordwall = PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall")
    entry = entry_with_files(
        contest, author=author, title="Fractions with Wordwall", platforms=[wordwall, other], other_platform="Quizizz"
    )
    Entry.objects.filter(pk=entry.pk).update(author_university=university)
    CoAuthor.objects.create(entry=entry, full_name="Dana Bekova", email="dana@example.org", university=university)
    entry.refresh_from_db()
    return entry


def judge(entry):  # type: ignore[no-untyped-def]
    """Round 1 with Anna's submitted (then revised) review, Boris's draft; the entry won place 1."""
    contest = entry.contest
    c1, c2 = criteria_for(contest, 5, 10)
    anna, boris = juror_in(contest, name="Anna Juror"), juror_in(contest, name="Boris Juror")
    round = round_of(contest, [entry], [anna, boris])
    for juror in (anna, boris):
        Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)
    review = Review.objects.create(
        round=round,
        juror=anna,
        entry=entry,
        status=ReviewStatus.SUBMITTED,
        submitted_at=SUBMITTED,
        comment="Strong, but long.",
        feedback="Clear steps.",
    )
    Score.objects.create(review=review, criterion=c1, value=4, max_score=5, comment="Good pace")
    Score.objects.create(review=review, criterion=c2, value=8, max_score=10)
    first = {"scores": {str(c1.pk): 3, str(c2.pk): 8}, "comment": "Strong.", "feedback": "Clear steps."}
    ReviewChange.objects.create(
        review=review, kind=ReviewChangeKind.SUBMITTED, changed_by=anna.user, changed_at=SUBMITTED, new=first
    )
    ReviewChange.objects.create(
        review=review,
        kind=ReviewChangeKind.REVISED,
        changed_by=anna.user,
        changed_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        old=first,
        new={**first, "scores": {str(c1.pk): 4, str(c2.pk): 8}, "comment": "Strong, but long."},
    )
    Review.objects.create(round=round, juror=boris, entry=entry, status=ReviewStatus.DRAFT, comment="thinking")
    results = Results.objects.create(round=round, content_hash="abc", finalised_at=SUBMITTED)
    award = Award.objects.create(results=results, key="n/p1", nomination=entry.nomination, place=1, entry=entry)
    Certificate.objects.create(
        contest=contest,
        kind=CertificateKind.WINNER,
        key="winner/1",
        language="kk",
        full_name="Aigerim Sadykova",
        user=entry.author,
        entry=entry,
        award=award,
        fingerprint="f",
        issued_at=datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
    )
    return round


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


# The page


def test_entry_page_shows_the_entry_its_people_and_history_in_the_contest_time_zone(organiser_client, entry):
    response = organiser_client.get(page_url(entry))

    assert response.status_code == 200
    html = html_of(response)
    facts = part(html, 'id="entry-facts"', "</dl>")
    assert 'Aigerim Sadykova · <a href="mailto:aigerim@example.org">aigerim@example.org</a>' in facts
    assert "<small>Abai University</small>" in facts
    assert (
        'Dana Bekova · <a href="mailto:dana@example.org">dana@example.org</a> <small>(Abai University)</small>'
    ) in facts
    assert "<dd data-platforms>Wordwall, Other: Quizizz</dd>" in facts
    assert f"<dd>{entry.nomination.name}</dd>" in facts
    # Asia/Almaty is UTC+5.
    assert "1 March 2026, 15:00 (Asia/Almaty)" in part(facts, "data-submitted>", "</dd>")
    assert "27 February 2026, 13:30 (Asia/Almaty)" in part(facts, "data-created>", "</dd>")
    history = part(html, 'id="entry-history">', "</ol>")
    events = [item.split("</time> · ")[1].split("</li>")[0] for item in history.split("<li>")[1:]]
    assert events == ["Created", "File uploaded: first try.mp4", "File uploaded: урок.mp4", "Submitted"]
    assert '<time datetime="2026-02-27T08:30:00+00:00">27.02.2026 13:30</time>' in history


def test_entry_page_tells_a_withdrawal(organiser_client, entry):
    Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.WITHDRAWN)

    history = part(html_of(organiser_client.get(page_url(entry))), 'id="entry-history">', "</ol>")

    assert history.split("<li>")[-1].split("</time> · ")[1] == "Withdrawn</li>\n      "


def test_entry_page_lists_every_upload_with_its_renditions_and_processing(organiser_client, entry):
    html = html_of(organiser_client.get(page_url(entry)))

    files = part(html, 'id="entry-files"', "</section>")
    uploads = files.split("data-asset>")[1:]
    assert [upload.split("<strong>")[1].split("</strong>")[0] for upload in uploads] == ["урок.mp4", "first try.mp4"]
    current, failed = uploads
    assert "current file" in current and "current file" not in failed
    assert "<dd>3.0\xa0MB</dd>" in current and "<dd>2:05</dd>" in current
    rows = part(current, "<tbody>", "</tbody>").split("<tr>")[1:]
    cells = [[cell.split("</td>")[0] for cell in row.split("<td>")[1:]] for row in rows]
    assert cells == [
        ["<code>poster</code>", "Image", "512\xa0bytes", "—", "Ready"],
        ["<code>video-720</code>", "Video", "2.0\xa0KB", "2:05", "Ready"],
    ]
    from media_pipeline.reasons import reason_text

    assert f"<span data-reason>{reason_text('unreadable_video')}</span>" in failed
    assert "3 attempts — the last one failed" in failed
    assert "No processed file: processing failed." in failed
    asset = entry.media
    original = reverse("frontend:organiser_entry_original", args=[entry.contest.slug, entry.code, asset.uuid])
    assert f'href="{original}"' in current


def test_entry_page_plays_the_video_as_jurors_see_it(organiser_client, entry):
    html = html_of(organiser_client.get(page_url(entry)))

    player = part(html, 'id="entry-as-jurors"', "</section>")
    video = reverse(
        "frontend:organiser_entry_media", args=[entry.contest.slug, entry.code, entry.media.uuid, "video-720"]
    )
    assert f'<source src="{video}" type="video/mp4">' in player
    assert organiser_client.get(video).status_code == 200


def test_entry_page_pages_through_slides_as_jurors_see_them(organiser_client, contest):
    entry = EntryFactory(contest=contest, with_media=True)
    MediaAsset.objects.filter(pk=entry.media_id).update(status=AssetStatus.READY, pages=2)
    for number in (1, 2):
        rendition(entry.media, f"page-{number}", RenditionKind.IMAGE, page=number, width=1280, height=720)

    viewer = part(html_of(organiser_client.get(page_url(entry))), 'id="entry-as-jurors"')

    slides = [
        reverse("frontend:organiser_entry_media", args=[contest.slug, entry.code, entry.media.uuid, f"page-{n}"])
        for n in (1, 2)
    ]
    assert "data-slides" in viewer
    assert [viewer.count(f'<img src="{slide}"') for slide in slides] == [1, 1]
    assert [organiser_client.get(slide).status_code for slide in slides] == [200, 200]


def test_entry_page_shows_each_round_with_its_jurors_reviews_scores_and_history(organiser_client, entry):
    round = judge(entry)

    html = html_of(organiser_client.get(page_url(entry)))

    judging = part(html, 'id="entry-judging"', '<section aria-labelledby="entry-awards">')
    assert [r.split("</a>")[0].split(">")[-1] for r in judging.split("data-round>")[1:]] == [round.name]
    assert "Anna Juror</a>, <a" in judging and "Boris Juror</a></p>" in judging
    anna = judging.split('data-review="')[1]
    assert "Submitted" in anna and "<small data-total>total 80.00 of 100</small>" in anna
    scores = part(anna, "<tbody>", "</tbody>")
    assert scores == (
        "\n        <tr><td>Criterion 1</td><td>4 / 5</td><td>Good pace</td></tr>"
        "<tr><td>Criterion 2</td><td>8 / 10</td><td>—</td></tr>\n      "
    )
    assert "<dd data-feedback>Clear steps.</dd>" in anna and "<dd data-comment>Strong, but long.</dd>" in anna
    assert "2 recorded changes" in anna
    assert "Revised · Anna Juror\n             · 70.00 → 80.00" in anna
    assert "<small>Criterion 1: 3 → 4</small>" in anna and "The note for the organisers changed." in anna
    boris = judging.split('data-review="')[2]
    assert "Draft" in boris and "<dd data-comment>thinking</dd>" in boris and "data-total" not in boris
    awards = part(html, 'id="entry-awards"', "</section>")
    assert f"{entry.nomination.name}: place 1 · {round.name} <small>(not published yet)</small>" in awards
    certificate = Certificate.objects.get()
    assert f'<tr data-code="{certificate.code}">' in awards and "Winner&#x27;s diploma" in awards


def test_entry_page_without_files_rounds_or_awards_says_so(organiser_client, contest):
    entry = EntryFactory(contest=contest)

    html = html_of(organiser_client.get(page_url(entry)))

    assert "No file is uploaded." in part(html, 'id="entry-as-jurors"')
    assert "The entry is in no round yet." in html
    assert "No award." in html and "No certificate is issued for this entry." in html


def test_entry_page_lists_the_tasks_that_failed_for_the_entry_only(organiser_client, entry):
    TaskFailure.objects.create(
        task_name="media_pipeline.process_asset",
        contest=entry.contest,
        entry_code=entry.code,
        exception="TimeoutError",
        message="ffmpeg hung",
        failed_at=SUBMITTED,
    )
    TaskFailure.objects.create(
        task_name="media_pipeline.process_asset",
        contest=ContestFactory(),
        entry_code=entry.code,
        exception="OtherContest",
        failed_at=SUBMITTED,
    )

    failures = part(html_of(organiser_client.get(page_url(entry))), 'id="entry-task-failures">', "</ul>")

    assert "<code>TimeoutError</code>: ffmpeg hung" in failures and "OtherContest" not in failures


def test_entry_page_in_kazakh(organiser_client, entry):
    html = html_of(organiser_client.get(page_url(entry, "kk")))

    assert '<h2 id="entry-files">Файлдар</h2>' in html


@pytest.mark.parametrize("rounds", [1, 3])
def test_entry_page_runs_in_a_fixed_number_of_queries(organiser_client, entry, rounds, django_assert_num_queries):
    judge(entry)
    for number in range(2, rounds + 1):
        others = [juror_in(entry.contest, name=f"Juror {number}-{index}") for index in range(3)]
        later = round_of(entry.contest, [entry], others, number=number)
        for juror in others:
            Assignment.objects.create(round=later, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)
            Review.objects.create(round=later, juror=juror, entry=entry, status=ReviewStatus.DRAFT)

    with django_assert_num_queries(QUERIES):
        response = organiser_client.get(page_url(entry))

    assert response.status_code == 200


# The messages section reads the messages its people received in two more.
QUERIES = 20


# Files


def test_original_downloads_for_the_organiser_only(client, organiser_client, entry, participant):
    asset = entry.media
    address = reverse("frontend:organiser_entry_original", args=[entry.contest.slug, entry.code, asset.uuid])

    response = organiser_client.get(address)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{entry.code}-original.mp4"'
    client.force_login(entry.author)
    assert client.get(address).status_code == 404


def test_organiser_media_refuses_the_pdf_and_unknown_names(organiser_client, entry):
    rendition(entry.media, "pdf", RenditionKind.PDF)
    for name in ("pdf", "original", "video-720x"):
        address = reverse(
            "frontend:organiser_entry_media", args=[entry.contest.slug, entry.code, entry.media.uuid, name]
        )
        assert (name, organiser_client.get(address).status_code) == (name, 404)


# Who may see it


def test_entry_page_for_anonymous_redirects_to_login(client, entry):
    address = page_url(entry)

    response = client.get(address)

    with translation.override("en"):
        login = reverse("account_login")
    assert (response.status_code, response["Location"]) == (302, f"{login}?next={address}")


@pytest.fixture(params=["author", "participant", "juror", "organiser_of_another_contest"])
def refused_user(request, entry):  # type: ignore[no-untyped-def]
    if request.param == "author":
        return entry.author
    if request.param == "participant":
        return ProfileFactory().user
    if request.param == "juror":
        juror = juror_in(entry.contest, name="Assigned Juror")
        round = round_of(entry.contest, [entry], [juror])
        Assignment.objects.create(round=round, juror=juror, entry=entry, origin=AssignmentOrigin.MANUAL)
        return juror.user
    other = ProfileFactory().user
    ContestRole.objects.create(contest=ContestFactory(), user=other, role=Role.ORGANISER)
    return other


def test_entry_page_files_and_search_answer_404_to_everyone_else(client, entry, refused_user):
    client.force_login(refused_user)
    slug, code, asset = entry.contest.slug, entry.code, entry.media.uuid
    addresses = [
        page_url(entry),
        reverse("frontend:organiser_entry_original", args=[slug, code, asset]),
        reverse("frontend:organiser_entry_media", args=[slug, code, asset, "video-720"]),
        f"{find_url(entry.contest)}?code={code}",
    ]

    for address in addresses:
        response = client.get(address)
        assert (address, response.status_code, entry.title in html_of(response)) == (address, 404, False)


def test_entry_page_of_another_contests_entry_under_this_contest_is_404(organiser_client, contest):
    elsewhere = entry_with_files(ContestFactory())

    address = reverse("frontend:organiser_entry", kwargs={"slug": contest.slug, "code": elsewhere.code})
    media = reverse(
        "frontend:organiser_entry_media", args=[contest.slug, elsewhere.code, elsewhere.media.uuid, "poster"]
    )

    assert [organiser_client.get(address).status_code, organiser_client.get(media).status_code] == [404, 404]


def test_entry_page_for_a_superuser(client, entry, user_factory):
    client.force_login(user_factory(is_superuser=True))

    assert client.get(page_url(entry)).status_code == 200


# The search


def test_search_goes_straight_to_the_entry_whatever_the_case_and_spaces(organiser_client, entry):
    response = organiser_client.get(find_url(entry.contest), {"code": f"  {entry.code.lower()} "})

    assert (response.status_code, response["Location"]) == (302, page_url(entry))


def test_search_of_an_unknown_code_or_another_contests_says_so(organiser_client, contest):
    elsewhere = EntryFactory(contest=ContestFactory())

    response = organiser_client.get(find_url(contest), {"code": elsewhere.code})

    dashboard = reverse("frontend:organiser_dashboard", kwargs={"slug": contest.slug})
    assert (response.status_code, response["Location"]) == (302, dashboard)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"No entry of this contest has the code “{elsewhere.code}”."
    ]


def test_search_form_is_in_the_organisers_menu(organiser_client, contest):
    html = html_of(organiser_client.get(reverse("frontend:organiser_dashboard", kwargs={"slug": contest.slug})))

    form = part(html, 'role="search" class="entry-find"', "</form>")
    assert f'action="{find_url(contest)}"' in html and 'name="code"' in form


# Links from the organisers' tables


def link_to(entry):  # type: ignore[no-untyped-def]
    return f'<a class="code" href="{page_url(entry)}">{entry.code}</a>'


def test_every_organiser_table_links_the_code_to_the_entry_page(organiser_client, entry):
    from judging.enums import ConflictState
    from judging.models import Conflict

    round = judge(entry)
    anna = Review.objects.get(status=ReviewStatus.SUBMITTED).juror
    Conflict.objects.create(juror=anna, entry=entry, code=entry.code, state=ConflictState.PENDING, reason="Cousin")
    broken = entry_with_files(entry.contest)
    MediaAsset.objects.filter(pk=broken.media_id).update(status=AssetStatus.FAILED, reason_code="empty")
    slug, number = entry.contest.slug, round.number
    pages = {
        "dashboard": reverse("frontend:organiser_dashboard", args=[slug]),
        "progress": reverse("frontend:organiser_progress", args=[slug, number]),
        "juror": reverse("frontend:organiser_progress_juror", args=[slug, number, anna.pk]),
        "assignment": reverse("frontend:organiser_round_assign", args=[slug, number]),
        "results": reverse("frontend:organiser_results", args=[slug, number]),
        "certificates": reverse("frontend:organiser_certificates", args=[slug]),
        "jury": reverse("frontend:organiser_jury", args=[slug]),
        "shortlist": reverse("frontend:organiser_round_shortlist", args=[slug, number]),
        "publication": reverse("frontend:organiser_results_publish", args=[slug, number]),
    }

    # A juror who also wrote an entry: the jury's page names it.
    own = entry_with_files(entry.contest, author=anna.user)
    linked = {name: link_to(entry) in html_of(organiser_client.get(address)) for name, address in pages.items()}
    processing = html_of(organiser_client.get(reverse("frontend:organiser_processing", args=[slug])))

    assert linked == dict.fromkeys(pages, True)
    assert link_to(broken) in processing
    entrants = part(html_of(organiser_client.get(pages["jury"])), "data-entrants>")
    assert f"entry {link_to(own)}</li>" in entrants
