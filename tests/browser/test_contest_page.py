"""The public contest page in Kazakh, on a phone and on a desktop: the published results and the rubric."""

from __future__ import annotations

from decimal import Decimal

import pytest

from judging.models import Criterion, CriterionLevel, Rubric
from judging.services.publication import results_publish
from tests.judging.test_publication import NOW, finalised_round

pytestmark = pytest.mark.browser

LEVELS = [
    ("Идея жоқ", "Жаңа ештеңе жоқ, белгілі тапсырма қайталанады"),
    ("Ішінара жаңа", "Белгілі тапсырма жаңа платформада ұсынылған"),
    ("Жаңа идея", "Сабақ тақырыбына жаңаша, өз идеясымен келген"),
]


def kazakh_contest(contest):  # type: ignore[no-untyped-def]
    """Published results with Kazakh names, and a rubric of two criteria with level descriptors."""
    finalised = finalised_round(contest)
    contest.name_kk = "Педагогикалық технологиялар байқауы"
    contest.save(update_fields=["name_kk"])
    finalised.design.name_kk = "Сабақ дизайны"
    finalised.design.save(update_fields=["name_kk"])
    for entry, name in ((finalised.gold, "Жетісу университеті"), (finalised.special, "Жетісу университеті")):
        university = entry.author_university
        university.name_kk = name
        university.save(update_fields=["name_kk"])
    abai = finalised.gold.coauthors.get().university
    abai.name_kk = "Абай атындағы ҚазҰПУ"
    abai.save(update_fields=["name_kk"])
    rubric = Rubric.objects.create(contest=contest)
    idea = Criterion.objects.create(
        rubric=rubric,
        slug="idea",
        name_kk="Идеяның жаңалығы",
        name_en="Novelty",
        description_kk="Сабақ оқушыларға не жаңа ұсынады.",
        weight=Decimal(2),
        max_score=2,
        order=1,
    )
    for score, (_short, descriptor) in enumerate(LEVELS):
        CriterionLevel.objects.create(criterion=idea, score=score, descriptor_kk=descriptor, descriptor_en=descriptor)
    Criterion.objects.create(
        rubric=rubric,
        slug="design",
        name_kk="Безендіру",
        name_en="Design",
        description_kk="Слайдтар мен бейненің сапасы, оқуға ыңғайлылығы.",
        weight=Decimal(1),
        max_score=5,
        order=2,
    )
    results_publish(actor=None, results=finalised.results, now=NOW)
    return finalised


@pytest.mark.parametrize(("size", "viewport"), [("phone", (375, 740)), ("desktop", (1280, 900))])
def test_contest_page_in_kazakh_shows_the_results_and_the_rubric(live_server, page, shoot, contest, size, viewport):
    finalised = kazakh_contest(contest)
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})

    page.goto(f"{live_server.url}/kk/c/{contest.slug}/")

    assert page.locator("h1").inner_text() == "Педагогикалық технологиялар байқауы"
    groups = page.locator("[data-results-group]")
    assert groups.count() == 2
    assert groups.nth(0).locator("h3").inner_text() == "Сабақ дизайны"
    lines = groups.nth(0).locator("li")
    assert [lines.nth(n).locator(".award").inner_text() for n in range(lines.count())] == ["1-орын", "2-орын"]
    assert lines.nth(0).locator("[data-named]").inner_text() == (
        "Aigerim Seitkali, Co-author 0 · Жетісу университеті, Абай атындағы ҚазҰПУ"
    )
    assert groups.nth(1).locator("h3").inner_text() == "Арнайы марапаттар"
    assert page.locator("#rubric h2").inner_text() == "Жұмыстар қалай бағаланады"
    assert page.locator("[data-criterion=idea] [data-weight]").inner_text() == (
        "Салмағы 2 (жалпы салмақтың 66,7%) · шкала: 0–2"
    )
    # Every line fits the screen: nothing runs off to the right.
    for item in page.locator("#results li, .criterion .levels dd").all():
        box = item.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    page.locator("#results").scroll_into_view_if_needed()
    shoot(page, f"contest-kk-{size}")

    lines.nth(0).locator("a").click()
    page.wait_for_url("**/kk/blog/**")
    assert page.locator("[data-university]").inner_text() == "Жетісу университеті, Абай атындағы ҚазҰПУ"
    assert finalised.gold.title in page.locator("h1").inner_text()
