"""Jurors' access to an entry's media: only through their assignment, only what the player shows, under blind names."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlparse
from urllib.request import urlopen

import pytest
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from judging.enums import RoundStatus
from judging.models import Assignment
from media_pipeline.enums import MediaKind
from tests.factories import ContestFactory, ContestRoleFactory
from tests.frontend.test_jury_pages import personal_data, with_media
from tests.judging import entry_from, juror_in, round_of


def media_url(round, entry, name, asset=None):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return reverse(
            "frontend:jury_rendition",
            kwargs={"round_id": round.pk, "code": entry.code, "asset": (asset or entry.media).uuid, "name": name},
        )


@pytest.fixture
def setup(contest, platforms):  # type: ignore[no-untyped-def]
    """An open round: a juror assigned a video and a presentation; a colleague assigned a third entry."""
    video = entry_from(contest, None, title="Video lesson")
    slides = entry_from(contest, None, title="Slides lesson")
    other = entry_from(contest, None, title="Someone else's")
    for entry, kind in ((video, MediaKind.VIDEO), (slides, MediaKind.PRESENTATION), (other, MediaKind.VIDEO)):
        with_media(entry, kind)
    juror = juror_in(contest, name="Juror One")
    colleague = juror_in(contest, name="Juror Two")
    round = round_of(contest, [video, slides, other], [juror, colleague], k=1)
    Assignment.objects.create(round=round, juror=juror, entry=video)
    Assignment.objects.create(round=round, juror=juror, entry=slides)
    Assignment.objects.create(round=round, juror=colleague, entry=other)
    return {"round": round, "juror": juror, "video": video, "slides": slides, "other": other}


def content_of(response):  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("entry", "name", "filename", "content_type"),
    [
        ("video", "video-720", "video-720.mp4", "video/mp4"),
        ("video", "video-360", "video-360.mp4", "video/mp4"),
        ("video", "poster", "poster.jpg", "image/jpeg"),
        ("video", "strip", "strip.jpg", "image/jpeg"),
        ("slides", "cover", "cover.jpg", "image/jpeg"),
        ("slides", "page-0002", "page-0002.jpg", "image/jpeg"),
    ],
)
def test_juror_gets_a_viewable_file_under_a_blind_name(client, setup, entry, name, filename, content_type):  # type: ignore[no-untyped-def]
    client.force_login(setup["juror"].user)
    entry = setup[entry]
    response = client.get(media_url(setup["round"], entry, name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{entry.code}-{filename}"'
    assert response["Cache-Control"] == "private, max-age=3600"
    assert content_of(response) == f"{name} bytes".encode()


@pytest.mark.parametrize("name", ["original", "pdf", "original.bin", "page-1x", "..", "video-1080"])
def test_juror_never_gets_the_original_nor_the_pdf(client, setup, name):  # type: ignore[no-untyped-def]
    client.force_login(setup["juror"].user)
    assert client.get(media_url(setup["round"], setup["slides"], name)).status_code == 404


def test_an_older_upload_of_the_entry_is_missing(client, setup):
    client.force_login(setup["juror"].user)
    entry = setup["video"]
    old = entry.media
    with_media(entry, MediaKind.VIDEO)  # the author replaced the file
    assert client.get(media_url(setup["round"], entry, "poster", asset=old)).status_code == 404
    assert client.get(media_url(setup["round"], entry, "poster")).status_code == 200


def test_media_of_an_entry_not_assigned_is_missing(client, setup, participant):
    other_contest = ContestFactory()
    outsider = ContestRoleFactory(contest=other_contest, role=Role.ORGANISER).user
    author = setup["other"].author
    for user in (setup["juror"].user, participant, author, outsider):
        client.force_login(user)
        assert client.get(media_url(setup["round"], setup["other"], "poster")).status_code == 404


def test_media_asks_anonymous_to_log_in(client, setup):
    address = media_url(setup["round"], setup["video"], "poster")
    response = client.get(address)
    assert response.status_code == 302
    with translation.override("en"):
        assert response["Location"] == f"{reverse('account_login')}?next={address}"


def test_media_of_a_round_being_prepared_is_missing_for_jurors_not_organisers(client, setup, organiser):
    round = setup["round"]
    round.status = RoundStatus.DRAFT
    round.save(update_fields=["status"])
    client.force_login(setup["juror"].user)
    assert client.get(media_url(round, setup["video"], "poster")).status_code == 404
    client.force_login(organiser)
    assert client.get(media_url(round, setup["video"], "poster")).status_code == 200


def test_organiser_reaches_every_entry_of_the_round_only(client, setup, organiser, contest):
    client.force_login(organiser)
    assert client.get(media_url(setup["round"], setup["other"], "video-720")).status_code == 200
    outside = entry_from(contest, None)
    with_media(outside, MediaKind.VIDEO)
    assert client.get(media_url(setup["round"], outside, "poster")).status_code == 404
    assert client.get(media_url(setup["round"], setup["slides"], "pdf")).status_code == 404


def test_on_s3_the_juror_is_sent_to_a_signed_url_without_author_data(client, setup, s3_storage):
    entry = entry_from(setup["round"].contest, None, title="Stored on S3")
    with_media(entry, MediaKind.VIDEO)
    Assignment.objects.create(round=setup["round"], juror=setup["juror"], entry=entry)
    client.force_login(setup["juror"].user)
    response = client.get(media_url(setup["round"], entry, "poster"))
    assert response.status_code == 302
    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    contest = setup["round"].contest
    assert unquote(location.path).endswith(f"/entries/{contest.slug}/{entry.code}/{entry.media.uuid}/poster.jpg")
    assert query["response-content-disposition"] == [f'inline; filename="{entry.code}-poster.jpg"']
    assert "X-Amz-Signature" in query
    for text in personal_data(entry):
        assert text not in unquote(response["Location"])
    # The signed URL really serves the file, under the blind name.
    with urlopen(response["Location"], timeout=10) as stored:  # noqa: S310 - the test's own S3 server
        assert stored.read() == b"poster bytes"
        assert stored.headers["Content-Disposition"] == f'inline; filename="{entry.code}-poster.jpg"'
