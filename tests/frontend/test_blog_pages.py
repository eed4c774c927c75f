"""The public blog: published winners for every visitor in kk, ru and en, their media, previews and feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from blog.models import Post
from blog.services import post_publish, post_upsert
from contest.enums import Role
from media_pipeline.enums import MediaKind
from tests.blog import winner_post
from tests.factories import ContestRoleFactory, NominationFactory, ProfileFactory, UniversityFactory
from tests.frontend.test_jury_pages import with_media
from tests.judging import entry_from

ATOM = "{http://www.w3.org/2005/Atom}"
LANGUAGES = ["kk", "ru", "en"]


def url(route, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{route}", kwargs=kwargs)


def post_url(post, language="en"):  # type: ignore[no-untyped-def]
    return url("blog_post", language, contest=post.contest.slug, slug=post.slug)


def media_url(post, name, asset=None, language="en"):  # type: ignore[no-untyped-def]
    asset = asset or post.entry.media
    return url("blog_media", language, contest=post.contest.slug, slug=post.slug, asset=asset.uuid, name=name)


class MetaTags(HTMLParser):
    """The ``<meta>`` and ``<link>`` tags of a page's head."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        found = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in found or "name" in found):
            self.meta.setdefault(found.get("property") or found["name"], []).append(found["content"])
        elif tag == "link":
            self.links.append(found)


def head_of(response) -> MetaTags:  # type: ignore[no-untyped-def]
    parser = MetaTags()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def winners(contest, platforms):  # type: ignore[no-untyped-def]
    """Two published winners (a video, then newer slides) in two nominations, and a draft."""
    wordwall, canva = platforms
    university = UniversityFactory(name="Zhetysu University", name_en="Zhetysu University")
    design = NominationFactory(contest=contest, slug="design", name_en="Design", name_ru="Дизайн", name_kk="Дизайн")
    video = entry_from(contest, university, platforms=[wordwall], title="Fractions with Wordwall")
    slides = entry_from(contest, university, platforms=[canva, wordwall], title="Maps with Canva")
    slides.nomination = design
    slides.save(update_fields=["nomination"])
    hidden = entry_from(contest, university, platforms=[canva], title="Not yet")
    for entry, kind in ((video, MediaKind.VIDEO), (slides, MediaKind.PRESENTATION), (hidden, MediaKind.VIDEO)):
        with_media(entry, kind)
    first = winner_post(
        contest,
        video,
        key="round-2/nomination-1/place-1",
        title="Fractions with Wordwall",
        place=1,
        summary={"en": "A quiz on fractions.", "ru": "Викторина о дробях.", "kk": "Бөлшектер туралы викторина."},
        body={"en": "Pupils play a quiz.", "ru": "Ученики играют в викторину.", "kk": "Оқушылар викторина ойнайды."},
        live_url="https://wordwall.net/resource/1",
    )
    second = winner_post(
        contest,
        slides,
        key="special/best-design",
        title="Maps with Canva",
        award={"en": "Best design", "ru": "Лучший дизайн", "kk": "Үздік дизайн"},
        show_authors=True,
        authors_text="Dana Nurlanovna",
        university_text="Zhetysu University",
    )
    draft = winner_post(contest, hidden, key="round-2/nomination-1/place-2", title="Not yet", published=False)
    return {"video": first, "slides": second, "draft": draft, "hidden_entry": hidden}


@pytest.mark.parametrize("language", LANGUAGES)
def test_blog_list_shows_published_posts_newest_first_in_each_language(client, winners, language):
    response = client.get(url("blog", language))
    assert response.status_code == 200
    assert [card.post.slug for card in response.context["cards"]] == [
        winners["slides"].slug,
        winners["video"].slug,
    ]
    page = response.content.decode()
    suffix = "" if language == "en" else f" ({language})"
    assert f"Maps with Canva{suffix}</a>" in page
    assert f"Fractions with Wordwall{suffix}</a>" in page
    assert "Not yet" not in page
    award = {"en": "Best design", "ru": "Лучший дизайн", "kk": "Үздік дизайн"}[language]
    assert award in page
    assert media_url(winners["slides"], "cover", language=language) in page
    assert media_url(winners["video"], "poster", language=language) in page


def test_blog_list_filters_by_platform_and_nomination(client, winners):
    def shown(query):  # type: ignore[no-untyped-def]
        response = client.get(url("blog"), query)
        assert response.status_code == 200
        return [card.post.slug for card in response.context["cards"]]

    video, slides = winners["video"].slug, winners["slides"].slug
    wordwall, canva = winners["video"].platforms.get(), winners["slides"].platforms.get(name="Canva")
    assert shown({"platform": wordwall.slug}) == [slides, video]
    assert shown({"platform": canva.slug}) == [slides]
    assert shown({"nomination": "design"}) == [slides]
    assert shown({"nomination": winners["video"].nomination.slug}) == [video]
    assert shown({"platform": canva.slug, "nomination": winners["video"].nomination.slug}) == []
    # A tag no published post carries is not a choice: it filters nothing out.
    assert shown({"platform": "no-such-platform"}) == [slides, video]


def test_blog_list_offers_only_tags_of_published_posts(client, winners, contest):
    NominationFactory(contest=contest, slug="unused", name_en="Unused")
    response = client.get(url("blog"))
    form = response.context["filters"].form
    # In the order the organiser gave them (here: as they were added); "" stands for all.
    assert [slug for slug, _name in form.fields["nomination"].choices] == [
        "",
        "design",
        winners["video"].nomination.slug,
    ]
    assert {slug for slug, _name in form.fields["platform"].choices} == {
        "",
        *(p.slug for p in winners["slides"].platforms.all()),
    }


def test_blog_list_is_paginated(client, contest, monkeypatch):
    monkeypatch.setattr("frontend.blog.views.POSTS_PER_PAGE", 2)
    for number in range(5):
        winner_post(contest, key=f"award-{number}", title=f"Post {number}")
    first = client.get(url("blog"))
    third = client.get(url("blog"), {"page": 3})
    assert [card.post.title for card in first.context["cards"]] == ["Post 4", "Post 3"]
    assert [card.post.title for card in third.context["cards"]] == ["Post 0"]
    assert 'href="?page=2" rel="next"' in first.content.decode()


def test_blog_list_keeps_the_filter_in_page_links(client, contest, platforms, monkeypatch):
    monkeypatch.setattr("frontend.blog.views.POSTS_PER_PAGE", 1)
    for number in range(2):
        winner_post(contest, key=f"award-{number}", title=f"Post {number}", platforms=platforms)
    response = client.get(url("blog"), {"platform": platforms[0].slug})
    assert f'href="?platform={platforms[0].slug}&amp;page=2" rel="next"' in response.content.decode()


def test_blog_list_when_nothing_is_published(client, db):
    response = client.get(url("blog"))
    assert response.status_code == 200
    assert response.context["cards"] == []
    assert "No winners have been published yet." in response.content.decode()


@pytest.mark.parametrize("posts", [1, 8])
def test_blog_list_query_count_does_not_grow_with_posts(client, contest, platforms, django_assert_num_queries, posts):
    for number in range(posts):
        entry = entry_from(contest, None, platforms=platforms)
        with_media(entry, MediaKind.VIDEO if number % 2 else MediaKind.PRESENTATION)
        winner_post(contest, entry, key=f"award-{number}", title=f"Post {number}")
    # The filters' two tag lists, the count, the page, its platforms and thumbnails.
    with django_assert_num_queries(6):
        response = client.get(url("blog"))
    assert len(response.context["cards"]) == posts


@pytest.mark.parametrize("language", LANGUAGES)
def test_blog_post_page_in_each_language(client, winners, language):
    post = winners["video"]
    response = client.get(post_url(post, language))
    assert response.status_code == 200
    page = response.content.decode()
    suffix = "" if language == "en" else f" ({language})"
    body = {"en": "Pupils play a quiz.", "ru": "Ученики играют в викторину.", "kk": "Оқушылар викторина ойнайды."}
    assert f"<h1>Fractions with Wordwall{suffix}</h1>" in page
    assert f"<p>{body[language]}</p>" in page
    assert "Wordwall</li>" in page
    assert 'href="https://wordwall.net/resource/1"' in page
    assert f'<source src="{media_url(post, "video-720", language=language)}" type="video/mp4">' in page
    assert f'data-src="{media_url(post, "video-360", language=language)}"' in page
    assert f'poster="{media_url(post, "poster", language=language)}"' in page
    assert post.entry.code not in page


def test_blog_post_page_shows_the_slides(client, winners):
    post = winners["slides"]
    page = client.get(post_url(post)).content.decode()
    assert f'<img src="{media_url(post, "page-0001")}"' in page
    assert f'<img src="{media_url(post, "page-0002")}"' in page
    assert media_url(post, "pdf") not in page


def test_blog_post_with_consent_names_the_authors(client, winners):
    page = client.get(post_url(winners["slides"])).content.decode()
    assert "<dd data-authors>Dana Nurlanovna</dd>" in page
    assert "<dd data-university>Zhetysu University</dd>" in page


def test_blog_post_without_consent_never_names_the_authors(client, contest, platforms):
    profile = ProfileFactory(full_name="Aigerim Seitkali", university=UniversityFactory(name="Kokshetau University"))
    entry = entry_from(contest, None, platforms=platforms)
    entry.author = profile.user
    entry.save(update_fields=["author"])
    with_media(entry, MediaKind.VIDEO)
    post = winner_post(
        contest,
        entry,
        key="a",
        title="A lesson",
        show_authors=False,
        authors_text="Aigerim Seitkali",
        university_text="Kokshetau University",
    )
    stored = Post.objects.filter(pk=post.pk).values().get()
    assert not [value for value in stored.values() if isinstance(value, str) and "Seitkali" in value]
    assert not [value for value in stored.values() if isinstance(value, str) and "Kokshetau" in value]
    for address in (post_url(post), url("blog"), url("blog_feed")):
        page = client.get(address).content.decode()
        for text in ("Aigerim", "Seitkali", "Kokshetau", profile.user.email, "data-authors"):
            assert text not in page


@pytest.mark.parametrize("role", ["anonymous", "participant", "juror", "organiser", "author"])
def test_blog_draft_post_is_missing_for_everyone(client, winners, role, participant, juror, organiser):
    users = {"participant": participant, "juror": juror, "organiser": organiser}
    users["author"] = winners["hidden_entry"].author
    if role in users:
        client.force_login(users[role])
    draft = winners["draft"]
    assert client.get(post_url(draft)).status_code == 404
    assert client.get(media_url(draft, "poster")).status_code == 404
    assert client.get(url("blog_post", contest=draft.contest.slug, slug="no-such-post")).status_code == 404
    assert client.get(url("blog_post", contest="no-such-contest", slug=winners["video"].slug)).status_code == 404


def test_blog_post_link_preview_tags_are_absolute(client, winners):
    post = winners["video"]
    response = client.get(post_url(post, "ru"))
    head = head_of(response)
    address = f"http://testserver{post_url(post, 'ru')}"
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:title"] == ["Fractions with Wordwall (ru)"]
    assert head.meta["og:description"] == ["Викторина о дробях."]
    assert head.meta["og:url"] == [address]
    assert head.meta["og:image"] == [f"http://testserver{media_url(post, 'poster', language='ru')}"]
    assert head.meta["og:locale"] == ["ru_RU"]
    assert head.meta["og:locale:alternate"] == ["kk_KZ", "en_GB"]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["twitter:image"] == head.meta["og:image"]
    assert head.meta["article:tag"] == ["Wordwall"]
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == [address]
    assert [(link["hreflang"], link["href"]) for link in head.links if "hreflang" in link] == [
        (language, f"http://testserver{post_url(post, language)}") for language in LANGUAGES
    ]
    # The image is really there for a crawler that is not signed in.
    assert client.get(head.meta["og:image"][0]).status_code == 200


def test_blog_presentation_preview_image_is_its_cover(client, winners):
    post = winners["slides"]
    head = head_of(client.get(post_url(post)))
    assert head.meta["og:image"] == [f"http://testserver{media_url(post, 'cover')}"]
    # Without a summary or description the preview describes the post by its title.
    assert head.meta["og:description"] == ["Maps with Canva"]


def test_blog_feed_escapes_the_organisers_text(client, contest):
    winner_post(contest, key="a", title="Tags", summary={"en": "<script>alert(1)</script>\n\nSecond"})
    feed = ET.fromstring(client.get(url("blog_feed")).content)  # noqa: S314 - Baige's own feed
    summary = feed.find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    assert summary == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n\n<p>Second</p>"


@pytest.mark.parametrize("language", LANGUAGES)
def test_blog_feed_is_atom_in_each_language(client, winners, language):
    response = client.get(url("blog_feed", language))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)  # noqa: S314 - Baige's own feed
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert feed.findtext(f"{ATOM}id") == f"http://testserver{url('blog', language)}"
    entries = feed.findall(f"{ATOM}entry")
    suffix = "" if language == "en" else f" ({language})"
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        f"Maps with Canva{suffix}",
        f"Fractions with Wordwall{suffix}",
    ]
    for entry, post in zip(entries, (winners["slides"], winners["video"]), strict=True):
        address = f"http://testserver{post_url(post, language)}"
        assert entry.find(f"{ATOM}link").get("href") == address
        assert entry.findtext(f"{ATOM}id") == address
        post.refresh_from_db()
        assert entry.findtext(f"{ATOM}updated") == post.updated_at.isoformat()
        assert entry.findtext(f"{ATOM}published") == post.published_at.isoformat()
    summary = {"en": "A quiz on fractions.", "ru": "Викторина о дробях.", "kk": "Бөлшектер туралы викторина."}
    assert [entry.findtext(f"{ATOM}summary") for entry in entries] == ["", f"<p>{summary[language]}</p>"]
    categories = [c.get("term") for c in entries[1].findall(f"{ATOM}category")]
    assert categories == [str(winners["video"].nomination.name), "Wordwall"]


def content_of(response):  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("post", "name", "filename", "content_type"),
    [
        ("video", "video-720", "video-720.mp4", "video/mp4"),
        ("video", "video-360", "video-360.mp4", "video/mp4"),
        ("video", "poster", "poster.jpg", "image/jpeg"),
        ("video", "strip", "strip.jpg", "image/jpeg"),
        ("slides", "cover", "cover.jpg", "image/jpeg"),
        ("slides", "page-0002", "page-0002.jpg", "image/jpeg"),
    ],
)
def test_blog_media_of_a_published_winner_is_served_to_anonymous(client, winners, post, name, filename, content_type):
    post = winners[post]
    response = client.get(media_url(post, name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{post.slug}-{filename}"'
    assert response["Cache-Control"] == "public, max-age=86400"
    assert content_of(response) == f"{name} bytes".encode()


@pytest.mark.parametrize("name", ["original", "pdf", "original.bin", "page-1x", "..", "video-1080"])
def test_blog_media_never_serves_the_original_nor_the_pdf(client, winners, name):
    assert client.get(media_url(winners["slides"], name)).status_code == 404


def test_blog_media_of_entries_without_a_published_post_is_missing(client, winners, contest):
    published = winners["video"]
    hidden = winners["hidden_entry"]
    # The asset of an unpublished entry, asked for under a published post's address.
    assert client.get(media_url(published, "poster", asset=hidden.media)).status_code == 404
    unposted = entry_from(contest, None)
    with_media(unposted, MediaKind.VIDEO)
    assert client.get(media_url(published, "poster", asset=unposted.media)).status_code == 404
    # An older upload of the published entry.
    old = published.entry.media
    with_media(published.entry, MediaKind.VIDEO)
    assert client.get(media_url(published, "poster", asset=old)).status_code == 404
    assert client.get(media_url(published, "poster")).status_code == 200


def test_blog_media_becomes_private_when_the_post_is_withdrawn(client, winners, organiser):
    from blog.services import post_unpublish

    post = winners["video"]
    assert client.get(media_url(post, "poster")).status_code == 200
    post_unpublish(actor=organiser, post=post)
    assert client.get(media_url(post, "poster")).status_code == 404
    assert client.get(post_url(post)).status_code == 404


def test_blog_media_on_s3_sends_anyone_to_a_signed_url(client, contest, platforms, s3_storage):
    entry = entry_from(contest, None, platforms=platforms)
    with_media(entry, MediaKind.VIDEO)
    post = winner_post(contest, entry, key="a", title="Stored on S3")
    response = client.get(media_url(post, "poster"))
    assert response.status_code == 302
    assert response["Cache-Control"] == "public, max-age=60"
    location = urlparse(response["Location"])
    assert unquote(location.path).endswith(f"/entries/{contest.slug}/{entry.code}/{entry.media.uuid}/poster.jpg")
    assert parse_qs(location.query)["response-content-disposition"] == [f'inline; filename="{post.slug}-poster.jpg"']


def test_blog_corrected_post_shows_the_correction(client, winners, contest):
    post = winners["video"]
    post_upsert(actor=None, contest=contest, key=post.key, title={"en": "Fractions, corrected"})
    page = client.get(post_url(post)).content.decode()
    assert "<h1>Fractions, corrected</h1>" in page
    assert re.search(r'<link rel="canonical" href="http://testserver/en/blog/[^"]+/fractions-with-wordwall/">', page)


def test_blog_pages_are_the_same_for_signed_in_people(client, winners, contest):
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    client.force_login(organiser)
    response = client.get(url("blog"))
    assert [card.post.slug for card in response.context["cards"]] == [winners["slides"].slug, winners["video"].slug]
    assert client.get(media_url(winners["video"], "poster")).status_code == 200


def test_blog_list_shows_the_places_of_one_publication_in_order(client, contest):
    moment = timezone.now()
    for key, place in (("special/best-design", None), ("n/place-3", 3), ("n/place-1", 1), ("n/place-2", 2)):
        post, _created = post_upsert(actor=None, contest=contest, key=key, title={"en": key}, place=place)
        post_publish(actor=None, post=post, now=moment)
    response = client.get(url("blog", "en"))
    assert [card.post.key for card in response.context["cards"]] == [
        "n/place-1",
        "n/place-2",
        "n/place-3",
        "special/best-design",
    ]
