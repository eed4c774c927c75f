"""Blind rounds leak nothing: every response a juror can get is searched for the authors and their universities.

The juror's whole reach is crawled end to end, as a browser would: the jury panel in every language
(following every link, image, video and form action found on a page), the jurors' API (reads and
writes) and the media files behind the player and the slide viewer. The entries' real media is
processed by the pipeline from files whose names and embedded metadata name their authors.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from contest.models import CoAuthor
from judging.enums import RoundStatus
from judging.models import Assignment
from media_pipeline.enums import AssetStatus
from media_pipeline.models import MediaAsset
from media_pipeline.pipeline import asset_process
from tests.factories import UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.media_pipeline.helpers import add_asset, corpus_file

pytestmark = pytest.mark.services

AUTHOR_NAME = "Айгерім Нұрланқызы Сейітқали"
AUTHOR_EMAIL = "aigerim.seitkali@tarazu.example.kz"
COAUTHOR_NAME = "Бекжан Ормонбеков"
COAUTHOR_EMAIL = "bekzhan.ormonbekov@knu.example.kg"
UNIVERSITY = {
    "kk": "Тараз Өңірлік Ұлттық Университеті",
    "ru": "Таразский Региональный Университет",
    "en": "Taraz Regional University",
}
COAUTHOR_UNIVERSITY = {
    "kk": "Жусуп Баласағын ұлттық университеті",
    "ru": "Нацуниверситет имени Баласагына",
    "en": "Balasagyn National University",
}
LANGUAGES = ("kk", "ru", "en")
#: Parts of the crawl a juror may follow; the rest of the site (participant pages, organiser pages) is not the panel.
PANEL = re.compile(r"^/(kk|ru|en)/jury/|^/api/v1/jury/")
#: Pages where a juror declares conflicts list every university of the contest (as its public page does), tied to
#: no entry; there only the people themselves must not appear.
UNIVERSITY_CHOICES = re.compile(r"^/(kk|ru|en)/jury/(welcome|c/[^/]+/conflicts)/")


class _Links(HTMLParser):
    """Every URL a page points at: links, media sources, posters, images and form actions."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "src", "poster", "action", "data-src", "data-review-url", "data-submit-url"):
                self.urls.append(value)


def _secrets(*, universities: bool = True) -> list[str]:
    names = [AUTHOR_NAME, AUTHOR_EMAIL, COAUTHOR_NAME, COAUTHOR_EMAIL]
    if universities:
        names += [*UNIVERSITY.values(), *COAUTHOR_UNIVERSITY.values()]
    # The local part of an e-mail and each word of a name alone would give the author away as well.
    extra = [AUTHOR_EMAIL.split("@")[0], "Нұрланқызы", "Сейітқали", "Ормонбеков", "Seitkali"]
    return names + extra


def _forms_of_the_text(text: str) -> Iterator[str]:
    yield text
    yield text.lower()
    # JSON escapes non-ASCII text; so may headers.
    yield text.encode("unicode_escape").decode("ascii")
    yield text.encode("unicode_escape").decode("ascii").lower()


def _find_leaks(where: str, body: bytes, headers: dict[str, str]) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    haystacks = [text, text.lower(), " ".join(f"{k}: {v}" for k, v in headers.items())]
    raw = body.lower()
    leaks = []
    path = where.split(" ")[-1]
    for secret in _secrets(universities=not UNIVERSITY_CHOICES.match(path)):
        for form in _forms_of_the_text(secret):
            if any(form in haystack for haystack in haystacks) or form.lower().encode() in raw:
                leaks.append(f"{where}: {secret!r}")
                break
    return leaks


def _video_naming_its_author(tmp_path: Path) -> Path:
    """A corpus video copied with its author's name in the file name and in the container's metadata."""
    target = tmp_path / f"{AUTHOR_NAME} {AUTHOR_EMAIL}.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-i", str(corpus_file("videos/exoplayer_sample_h264_aac.mp4")),
            "-c", "copy", "-metadata", f"title={AUTHOR_NAME}", "-metadata", f"artist={AUTHOR_EMAIL}",
            "-metadata", f"comment={UNIVERSITY['en']}", str(target),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    assert AUTHOR_NAME.encode() in target.read_bytes()
    return target


def _pdf_naming_its_author(tmp_path: Path) -> Path:
    """A one-page corpus PDF with its author in the document information and in its file name."""
    source = corpus_file("pdf/unstructured_fake_memo.pdf").read_bytes()
    info = f"<< /Author ({AUTHOR_EMAIL}) /Title ({UNIVERSITY['en']}) >>".encode()
    # An incremental update would need a new xref; a comment inside the file is read by nothing but grep, and the
    # file name alone already names the author: both are enough to prove that neither reaches the juror.
    target = tmp_path / f"{AUTHOR_NAME}.pdf"
    target.write_bytes(source + b"\n%" + info + b"\n")
    return target


@pytest.fixture
def blind_round(contest, tmp_path):  # type: ignore[no-untyped-def]
    university = UniversityFactory(
        name=UNIVERSITY["en"], name_en=UNIVERSITY["en"], name_ru=UNIVERSITY["ru"], name_kk=UNIVERSITY["kk"]
    )
    other = UniversityFactory(
        name=COAUTHOR_UNIVERSITY["en"],
        name_en=COAUTHOR_UNIVERSITY["en"],
        name_ru=COAUTHOR_UNIVERSITY["ru"],
        name_kk=COAUTHOR_UNIVERSITY["kk"],
    )
    jury_university = UniversityFactory()
    contest.universities.add(university, other, jury_university)
    criteria_for(contest, 5, 3)
    video_entry = entry_from(contest, university, title="Wordwall on a phone")
    slides_entry = entry_from(contest, university, title="Genially quiz")
    for entry in (video_entry, slides_entry):
        profile = entry.author.profile
        profile.full_name = AUTHOR_NAME
        profile.save(update_fields=["full_name"])
        entry.author.email = AUTHOR_EMAIL if entry is video_entry else "x" + AUTHOR_EMAIL
        entry.author.save(update_fields=["email"])
        CoAuthor.objects.create(entry=entry, full_name=COAUTHOR_NAME, email=COAUTHOR_EMAIL, university=other, order=0)
    for entry, path in (
        (video_entry, _video_naming_its_author(tmp_path)),
        (slides_entry, _pdf_naming_its_author(tmp_path)),
    ):
        asset = add_asset(entry, path)
        asset_process(asset_id=asset.pk)
        assert MediaAsset.objects.get(pk=asset.pk).status == AssetStatus.READY
    juror = juror_in(contest, jury_university, name="Juror Jury")
    round = round_of(contest, [video_entry, slides_entry], [juror], k=1, status=RoundStatus.OPEN)
    round.blind = True
    round.save(update_fields=["blind"])
    for entry in (video_entry, slides_entry):
        Assignment.objects.create(round=round, juror=juror, entry=entry)
    return round, juror, [video_entry, slides_entry]


def _crawl(client: Client, starts: list[str]) -> dict[str, tuple[int, bytes, dict[str, str]]]:
    """Follow every panel URL reachable from ``starts``; each answer is kept with its headers."""
    seen: dict[str, tuple[int, bytes, dict[str, str]]] = {}
    queue = list(starts)
    while queue:
        url = queue.pop()
        path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        if path in seen or not PANEL.match(urlsplit(url).path):
            continue
        response = client.get(path, follow=False)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        seen[path] = (response.status_code, body, dict(response.headers))
        if response.status_code in (301, 302) and response.headers.get("Location", "").startswith("/"):
            queue.append(response.headers["Location"])
        if response.headers.get("Content-Type", "").startswith("text/html"):
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            queue.extend(
                urljoin(path, link)
                for link in parser.urls
                if not link.startswith(("http:", "https:", "data:", "#", "mailto:"))
            )
    return seen


def test_blind_round_names_no_author_anywhere_a_juror_looks(blind_round):  # type: ignore[no-untyped-def]
    round, juror, entries = blind_round
    client = Client()
    client.force_login(juror.user)
    starts = [f"/{language}/jury/" for language in LANGUAGES]
    starts += [f"/{language}/jury/r/{round.pk}/" for language in LANGUAGES]
    # The list's filters are a form, not links: ask for each kind and state as the form would.
    filters = ["status=none", "status=draft", "status=submitted", "kind=video", "kind=presentation"]
    starts += [f"/ru/jury/r/{round.pk}/?{query}" for query in filters]
    starts += [f"/ru/jury/r/{round.pk}/{entries[0].code}/?{query}" for query in filters]
    starts += [f"/{language}/jury/r/{round.pk}/{entry.code}/" for language in LANGUAGES for entry in entries]
    starts += ["/api/v1/jury/assignments/"]
    for entry in entries:
        starts += [
            f"/api/v1/jury/rounds/{round.pk}/entries/{entry.code}/",
            f"/api/v1/jury/rounds/{round.pk}/entries/{entry.code}/review/",
        ]
    responses = _crawl(client, starts)

    # Writes answer too: a draft, then a submission of each entry.
    criteria = list(round.contest.rubric.criteria.order_by("order"))
    for entry in entries:
        base = f"/api/v1/jury/rounds/{round.pk}/entries/{entry.code}/review/"
        draft = client.put(base, {"scores": {criteria[0].slug: 2}}, content_type="application/json")
        submit = client.post(
            base + "submit/",
            {"scores": {c.slug: 1 for c in criteria}, "comment": "Fine"},
            content_type="application/json",
        )
        responses[f"PUT {base}"] = (draft.status_code, draft.content, dict(draft.headers))
        responses[f"POST {base}submit/"] = (submit.status_code, submit.content, dict(submit.headers))
    # After submitting, the pages show the submitted state: crawl them again.
    for path, answer in _crawl(client, starts).items():
        responses[f"after {path}"] = answer

    media = [path for path in responses if "/media/" in path]
    assert len(media) >= 4, f"the crawl found too few media files: {media}"
    kinds = {responses[path][2].get("Content-Type", "") for path in media}
    assert {"video/mp4", "image/jpeg"} <= kinds | {k.split(";")[0] for k in kinds}, kinds
    # A form's action that takes only POST (declaring a conflict from the entry's page) answers a GET with 405.
    refused = {path: answer[0] for path, answer in responses.items() if answer[0] >= 400}
    assert all(status == 405 and urlsplit(path).path.endswith("/conflict/") for path, status in refused.items()), (
        refused
    )
    assert any(UNIVERSITY_CHOICES.match(path) for path in responses), "the conflicts page is linked from the panel"
    pages = [path for path in responses if responses[path][2].get("Content-Type", "").startswith("text/html")]
    assert len(pages) >= 3 * (2 + len(entries)), pages

    leaks = [leak for path, (_status, body, headers) in responses.items() for leak in _find_leaks(path, body, headers)]
    assert leaks == []


def test_open_round_names_the_authors(blind_round):  # type: ignore[no-untyped-def]
    """The search above can fail: the same crawl of an open (not blind) round finds the author."""
    round, juror, entries = blind_round
    round.blind = False
    round.save(update_fields=["blind"])
    client = Client()
    client.force_login(juror.user)
    responses = _crawl(client, [f"/en/jury/r/{round.pk}/{entries[0].code}/"])
    leaks = [leak for path, (_status, body, headers) in responses.items() for leak in _find_leaks(path, body, headers)]
    assert any(AUTHOR_NAME in leak for leak in leaks)
    assert any(UNIVERSITY["en"] in leak for leak in leaks)
