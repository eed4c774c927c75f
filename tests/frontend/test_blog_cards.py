"""Blog cards: the poster frame or first slide with its alt text, else a placeholder; universities by language."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from blog.models import Post
from judging.services.publication import results_publish
from media_pipeline.enums import AssetStatus, MediaKind
from media_pipeline.models import MediaAsset, Rendition
from tests.blog import winner_post
from tests.factories import ContestRoleFactory, UniversityFactory
from tests.frontend.test_jury_pages import with_media
from tests.judging import entry_from
from tests.judging.test_publication import NOW, finalised_round

LANGUAGES = ["kk", "ru", "en"]


def url(route, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{route}", kwargs=kwargs)


def media_url(post, name, language="en"):  # type: ignore[no-untyped-def]
    asset = post.entry.media
    return url("blog_media", language, contest=post.contest.slug, slug=post.slug, asset=asset.uuid, name=name)


def cards_of(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each card's picture by post slug: ``img <src> | <alt>``, or ``placeholder``."""
    found = {}
    page = response.content.decode()
    for slug, body in re.findall(r'<article data-post="([^"]+)">(.*?)</article>', page, re.S):
        image = re.search(r'<img class="card-image" src="([^"]+)" alt="([^"]*)" loading="lazy" data-thumbnail>', body)
        if image is not None:
            found[slug] = f"img {image.group(1)} | {image.group(2)}"
        else:
            assert '<div class="card-image card-placeholder" aria-hidden="true" data-placeholder>' in body
            found[slug] = "placeholder"
    return found


@pytest.fixture
def cards(contest, platforms):  # type: ignore[no-untyped-def]
    """Published winners: a video, slides, an entry whose file is being processed, one without a file."""
    video = entry_from(contest, None, platforms=platforms, title="Fractions with Wordwall")
    with_media(video, MediaKind.VIDEO)
    slides = entry_from(contest, None, platforms=platforms, title="Maps with Canva")
    with_media(slides, MediaKind.PRESENTATION)
    processing = entry_from(contest, None, platforms=platforms, title="Songs in Kazakh")
    with_media(processing, MediaKind.VIDEO)
    # A newer upload became the entry's file and is still being processed: the old poster is not its picture.
    newer = MediaAsset.objects.create(entry=processing, original_name="new.mp4", status=AssetStatus.PROCESSING)
    processing.media = newer
    processing.save(update_fields=["media"])
    bare = entry_from(contest, None, platforms=platforms, title="No file")
    posts = {
        name: winner_post(contest, entry, key=f"award-{name}", title=name)
        for name, entry in (("video", video), ("slides", slides), ("processing", processing), ("bare", bare))
    }
    return posts


ALT = {
    "en": ("A frame of the video “Fractions with Wordwall”", "The first slide of “Maps with Canva”"),
    "ru": ("Кадр из видео «Fractions with Wordwall»", "Первый слайд «Maps with Canva»"),
    "kk": ("«Fractions with Wordwall» бейнесінен кадр", "«Maps with Canva» алғашқы слайды"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_blog_cards_show_the_poster_frame_or_first_slide_with_alt_text(client, cards, language):
    response = client.get(url("blog", language))

    video_alt, slides_alt = ALT[language]
    assert cards_of(response) == {
        cards["video"].slug: f"img {media_url(cards['video'], 'poster', language)} | {video_alt}",
        cards["slides"].slug: f"img {media_url(cards['slides'], 'cover', language)} | {slides_alt}",
        cards["processing"].slug: "placeholder",
        cards["bare"].slug: "placeholder",
    }


@pytest.mark.parametrize("role", ["anonymous", "participant", "juror", "organiser"])
def test_blog_card_thumbnails_open_for_everyone(client, cards, contest, participant, role):
    users = {"participant": participant}
    users["juror"] = ContestRoleFactory(contest=contest, role="juror").user
    users["organiser"] = ContestRoleFactory(contest=contest, role="organiser").user
    if role in users:
        client.force_login(users[role])

    assert client.get(media_url(cards["video"], "poster")).status_code == 200
    assert client.get(media_url(cards["slides"], "cover")).status_code == 200


def test_blog_card_of_slides_without_a_cover_shows_the_first_page(client, cards):
    Rendition.objects.filter(asset=cards["slides"].entry.media, name="cover").delete()

    response = client.get(url("blog"))

    slides = cards["slides"]
    assert cards_of(response)[slides.slug] == (
        f"img {media_url(slides, 'page-0001')} | The first slide of “Maps with Canva”"
    )


def test_blog_card_of_a_draft_is_not_listed(client, contest, platforms):
    entry = entry_from(contest, None, platforms=platforms, title="Not yet")
    with_media(entry, MediaKind.VIDEO)
    draft = winner_post(contest, entry, key="draft", title="Not yet", published=False)

    response = client.get(url("blog"))

    assert cards_of(response) == {}
    assert client.get(media_url(draft, "poster")).status_code == 404


def test_blog_post_preview_image_has_alt_text(client, cards):
    page = client.get(url("blog_post", "kk", contest=cards["video"].contest.slug, slug=cards["video"].slug))

    assert '<meta property="og:image:alt" content="«Fractions with Wordwall» бейнесінен кадр">' in page.content.decode()


# Universities in the page's language -------------------------------------------------------------------------------


@pytest.fixture
def published(contest):  # type: ignore[no-untyped-def]
    finalised = finalised_round(contest)
    zhetysu = finalised.gold.author_university
    zhetysu.name_kk = "Жетісу университеті"
    zhetysu.save(update_fields=["name_kk"])
    results_publish(actor=None, results=finalised.results, now=NOW)
    return finalised


NAMED = {
    "en": ("Aigerim Seitkali, Co-author 0", "Zhetysu University, Abai University"),
    "ru": ("Aigerim Seitkali, Co-author 0", "ЖУ, Абай"),
    # Abai University has no Kazakh name: its Russian one stands in.
    "kk": ("Aigerim Seitkali, Co-author 0", "Жетісу университеті, Абай"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_blog_post_names_the_university_in_the_pages_language(client, published, language):
    post = Post.objects.get(entry=published.gold)

    page = client.get(url("blog_post", language, contest=post.contest.slug, slug=post.slug)).content.decode()

    authors, university = NAMED[language]
    # People's names stay as they typed them, in every language.
    assert f"<dd data-authors>{authors}</dd>" in page
    assert f"<dd data-university>{university}</dd>" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_results_api_names_the_university_in_the_language_asked_for(api_client, published, language):
    address = reverse("judging_api:results", kwargs={"slug": published.contest.slug})
    response = api_client.get(address, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    special = {"en": "Zhetysu University", "ru": "ЖУ", "kk": "Жетісу университеті"}[language]
    assert [award["university"] for award in response.json()] == [NAMED[language][1], None, special]


def test_blog_post_of_an_author_who_changed_university_keeps_the_entrys(client, published):
    # The university the entry recorded is published, not the author's profile now.
    profile = published.gold.author.profile
    profile.university = UniversityFactory(name_en="Elsewhere", name_ru="Где-то")
    profile.save(update_fields=["university"])
    post = Post.objects.get(entry=published.gold)

    page = client.get(url("blog_post", "ru", contest=post.contest.slug, slug=post.slug)).content.decode()

    assert "<dd data-university>ЖУ, Абай</dd>" in page
    assert "Где-то" not in page
