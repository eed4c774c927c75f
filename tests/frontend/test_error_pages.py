"""Error pages: the site's layout, the visitor's language, a way back; no detail about what was asked for."""

import re

import pytest
from django.test import Client

from frontend.errors import server_error
from tests.factories import EntryFactory

HEADINGS = {
    400: {"kk": "Сұрау қате", "ru": "Неверный запрос", "en": "Bad request"},
    403: {"kk": "Кіруге рұқсат жоқ", "ru": "Доступ запрещён", "en": "Access denied"},
    404: {"kk": "Бет табылмады", "ru": "Страница не найдена", "en": "Page not found"},
    500: {"kk": "Бірдеңе дұрыс болмады", "ru": "Что-то пошло не так", "en": "Something went wrong"},
}
HOME_LINK = {"kk": "Басты бетке өту", "ru": "На главную страницу", "en": "Go to the home page"}
LAYOUT_FOOTER = {
    "kk": "Baige — студенттік байқауларға арналған ашық бастапқы кодты платформа.",
    "ru": "Baige — платформа с открытым исходным кодом для студенческих конкурсов.",
    "en": "Baige — an open-source platform for student contests.",
}


def _heading(html: str) -> str:
    return re.search(r"<h1>\s*(.*?)\s*</h1>", html, re.S).group(1)


def _assert_error_page(response, status: int, language: str) -> None:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}"' in html
    assert _heading(html) == HEADINGS[status][language]
    assert f'<a href="/{language}/" role="button">{HOME_LINK[language]}</a>' in html
    assert LAYOUT_FOOTER[language] in html


@pytest.mark.urls("tests.frontend.error_urls")
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_error_page_when_failing_shows_layout_in_language(client, db, settings, status, language):
    settings.DEBUG = False
    client.raise_request_exception = False
    path = f"/{language}/no-such-page/" if status == 404 else f"/{language}/failing/{status}/"

    response = client.get(path)

    _assert_error_page(response, status, language)


def _main(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def test_404_when_kazakh_object_exists_or_not_reads_the_same(client, participant, other_participant):
    entry = EntryFactory(author=other_participant)
    client.force_login(participant)

    hidden = client.get(f"/kk/c/{entry.contest.slug}/entries/{entry.code}/")
    missing = client.get(f"/kk/c/{entry.contest.slug}/entries/NO-SUCH-CODE/")

    _assert_error_page(hidden, 404, "kk")
    _assert_error_page(missing, 404, "kk")
    assert _main(hidden.content.decode()) == _main(missing.content.decode())
    assert entry.title not in hidden.content.decode()


def test_404_when_under_api_stays_json(client, db):
    response = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_csrf_failure_when_kazakh_form_posted_without_token_explains_in_kazakh(db):
    client = Client(enforce_csrf_checks=True, HTTP_REFERER="http://testserver/kk/accounts/login/")

    response = client.post("/kk/accounts/login/", {"login": "dana@example.org", "password": "x"})

    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="kk"' in html
    assert _heading(html) == "Форма жіберілмеді"
    assert '<a href="http://testserver/kk/accounts/login/" class="secondary" role="button">Артқа</a>' in html
    assert f'<a href="/kk/" role="button">{HOME_LINK["kk"]}</a>' in html
    assert LAYOUT_FOOTER["kk"] in html


def test_csrf_failure_when_referer_is_another_site_offers_no_back_link(db):
    client = Client(enforce_csrf_checks=True, HTTP_REFERER="https://elsewhere.example/")

    response = client.post("/kk/accounts/login/", {"login": "dana@example.org", "password": "x"})

    assert response.status_code == 403
    assert "elsewhere.example" not in response.content.decode()
    assert 'role="button">Артқа</a>' not in response.content.decode()


def test_500_page_when_its_template_fails_answers_plain_500(settings, tmp_path, rf):
    (tmp_path / "500.html").write_text("{% url 'no-such-page' %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    response = server_error(rf.get("/kk/failing/500/"))

    assert response.status_code == 500
    assert response.content.decode() == '<!doctype html><title>500</title><h1>500</h1><p><a href="/">Baige</a></p>'
