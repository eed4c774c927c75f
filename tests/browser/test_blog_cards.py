"""The blog's cards on a phone, in Kazakh: a poster frame with its alt text, a placeholder while none is made."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from media_pipeline.enums import AssetStatus, MediaKind, RenditionKind
from media_pipeline.models import MediaAsset, Rendition
from tests.blog import winner_post
from tests.judging import entry_from

pytestmark = pytest.mark.browser


def poster_jpeg(tmp_path: Path) -> bytes:
    """A real 640×360 JPEG, as ffmpeg makes a poster frame."""
    path = tmp_path / "poster.jpg"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=640x360", "-frames:v", "1", "-y", str(path)],
        check=True,
    )
    return path.read_bytes()


def test_blog_cards_on_a_phone_show_the_poster_or_a_placeholder(live_server, page, shoot, contest, platforms, tmp_path):
    page.set_viewport_size({"width": 375, "height": 740})
    video = entry_from(contest, None, platforms=platforms, title="Бөлшектер викторинасы")
    asset = MediaAsset.objects.create(entry=video, kind=MediaKind.VIDEO, status=AssetStatus.READY, original_name="a")
    poster = Rendition(asset=asset, name="poster", kind=RenditionKind.IMAGE, width=640, height=360)
    poster.file.save("poster.jpg", ContentFile(poster_jpeg(tmp_path)), save=True)
    video.media = asset
    video.save(update_fields=["media"])
    waiting = entry_from(contest, None, platforms=platforms, title="Карта сабағы")
    winner_post(contest, waiting, key="award-2", title="Карта сабағы")
    winner_post(contest, video, key="award-1", title="Бөлшектер викторинасы")

    page.goto(f"{live_server.url}/kk/blog/")

    image = page.locator("img[data-thumbnail]")
    assert image.count() == 1
    assert image.get_attribute("alt") == "«Бөлшектер викторинасы» бейнесінен кадр"
    page.wait_for_function("() => document.querySelector('img[data-thumbnail]').naturalWidth === 640")
    placeholder = page.locator("[data-placeholder]")
    assert placeholder.count() == 1
    image_box, placeholder_box = image.bounding_box(), placeholder.bounding_box()
    assert image_box is not None and placeholder_box is not None
    # The placeholder takes the picture's place: same width and 16:9 height.
    assert (round(placeholder_box["width"]), round(placeholder_box["height"])) == (
        round(image_box["width"]),
        round(image_box["height"]),
    )
    shoot(page, "blog-cards-kk")

    # The title's link covers the card: a tap on the picture opens the post.
    page.mouse.click(image_box["x"] + image_box["width"] / 2, image_box["y"] + image_box["height"] / 2)
    page.wait_for_url("**/kk/blog/**/")
    assert page.locator("h1").inner_text() == "Бөлшектер викторинасы (kk)"
