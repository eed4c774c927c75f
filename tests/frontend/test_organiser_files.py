"""The organiser's ZIPs of entries' files: the page, asking for one with the dashboard's filters, downloading it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from media_pipeline.enums import FilesArchiveState
from media_pipeline.models import FilesArchive
from tests.exchange.test_entry_files import SLIDES, VIDEO, build, entry_with
from tests.factories import ContestFactory, ContestRoleFactory, ProfileFactory


def url(name: str, contest, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, **kwargs})


@pytest.fixture
def two(contest, nomination):  # type: ignore[no-untyped-def]
    return [
        entry_with(contest, nomination, code="VID001", original=VIDEO),
        entry_with(contest, nomination, code="SLD002", original=SLIDES, name="deck.pptx"),
    ]


@pytest.fixture
def ready(contest, organiser, two):  # type: ignore[no-untyped-def]
    return build(contest, organiser, "originals", two)


def _addresses(contest, archive):  # type: ignore[no-untyped-def]
    return [
        ("get", url("organiser_files", contest)),
        ("post", url("organiser_files", contest)),
        ("get", url("organiser_files_download", contest, pk=archive.pk)),
    ]


def test_files_pages_refuse_everyone_but_the_contests_organisers(client, contest, ready, participant, juror):
    stranger = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    for method, address in _addresses(contest, ready):
        anonymous = getattr(client, method)(address, {"kind": "originals"} if method == "post" else None)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/en/accounts/login/")
        for person in (participant, juror, stranger):
            client.force_login(person)
            response = getattr(client, method)(address, {"kind": "originals"} if method == "post" else None)
            assert response.status_code == 403, (address, person)
            client.logout()
    assert FilesArchive.objects.count() == 1


def test_another_contests_zip_is_not_found_through_ones_own_contest(client, contest, ready):
    other = ContestFactory()
    client.force_login(ContestRoleFactory(contest=other, role=Role.ORGANISER).user)

    response = client.get(url("organiser_files_download", other, pk=ready.pk))

    assert response.status_code == 404


def test_files_page_prefills_the_dashboards_filters(client, contest, organiser, two):
    client.force_login(organiser)

    response = client.get(url("organiser_files", contest) + f"?status=submitted&nomination={two[0].nomination_id}")

    assert response.status_code == 200
    form = response.context["filter"]
    assert (form["status"].value(), str(form["nomination"].value())) == ("submitted", str(two[0].nomination_id))
    assert response.context["archives"] == []


def test_asking_for_a_zip_builds_it_and_the_page_links_it(
    client, contest, organiser, two, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("organiser_files", contest), {"kind": "originals", "q": "VID001"})

    assert response.status_code == 302 and response["Location"] == url("organiser_files", contest)
    archive = FilesArchive.objects.get()
    assert (archive.state, archive.entry_ids, archive.filters) == (
        FilesArchiveState.READY,
        [two[0].pk],
        {"q": "VID001"},
    )
    page = client.get(url("organiser_files", contest))
    html = page.content.decode()
    assert url("organiser_files_download", contest, pk=archive.pk) in html
    assert page.context["archives"] == [(archive, "Title or code: VID001")]
    assert 'http-equiv="refresh"' not in html
    download = client.get(url("organiser_files_download", contest, pk=archive.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert f'filename="{contest.slug}-originals-' in download["Content-Disposition"]
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert zipped.namelist() == ["VID001.mp4", "index.csv"]


def test_a_zip_under_way_refreshes_the_page_and_has_no_link(client, contest, organiser, two):
    archive = FilesArchive.objects.create(
        contest=contest, kind="jury", state=FilesArchiveState.RUNNING, total=10, done=4, requested_by=organiser
    )
    archive.started_at = archive.created_at
    archive.save(update_fields=["started_at"])
    client.force_login(organiser)

    html = client.get(url("organiser_files", contest)).content.decode()

    assert '<meta http-equiv="refresh" content="5">' in html
    assert f'id="archive-{archive.pk}" data-state="running" data-done="4" data-total="10"' in html
    assert client.get(url("organiser_files_download", contest, pk=archive.pk)).status_code == 404


def test_an_unknown_kind_is_refused_in_the_users_language(client, contest, organiser, two):
    client.force_login(organiser)

    response = client.post(url("organiser_files", contest), {"kind": "everything"})

    assert response.status_code == 400
    assert response.context["form"].errors["kind"]
    assert FilesArchive.objects.count() == 0


def test_files_page_query_count_does_not_grow_with_zips(
    client, contest, organiser, two, nomination, django_assert_num_queries
):
    build(contest, organiser, "originals", two, filters={"nomination": str(nomination.pk)})
    client.force_login(organiser)
    client.get(url("organiser_files", contest))
    with django_assert_num_queries(9) as one:
        client.get(url("organiser_files", contest))
    for index in range(5):
        FilesArchive.objects.create(
            contest=contest,
            kind="jury",
            state=FilesArchiveState.FAILED,
            filters_key=str(index),
            filters={"nomination": str(nomination.pk), "status": "submitted"},
            requested_by=ProfileFactory().user,
        )
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url("organiser_files", contest))
    assert len(response.context["archives"]) == 6


def test_dashboard_links_to_the_zip_with_its_filters(client, contest, organiser, two):
    client.force_login(organiser)

    html = client.get(url("organiser_dashboard", contest) + "?status=submitted").content.decode()

    assert f'href="{url("organiser_files", contest)}?status=submitted" id="download-files"' in html


def test_on_s3_the_download_is_a_signed_url(client, s3_storage, contest, organiser, two):
    archive = build(contest, organiser, "originals", two)
    client.force_login(organiser)

    response = client.get(url("organiser_files_download", contest, pk=archive.pk))

    assert response.status_code == 302
    assert "Signature" in response["Location"] and archive.file.name.split("/")[-1] in response["Location"]
