import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import EntryFactory

LANGUAGES = ["kk", "ru", "en"]


def test_language_switcher_keeps_the_page(client, contest):
    response = client.post(reverse("set_language"), {"language": "kk", "next": f"/en/c/{contest.slug}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/kk/c/{contest.slug}/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_participant_page_in_each_language(participant_client, participant, contest, nomination, language):
    entry = EntryFactory(contest=contest, author=participant, with_media=True)
    with translation.override(language):
        pages = [
            reverse("frontend:contest", kwargs={"slug": contest.slug}),
            reverse("frontend:my_entries"),
            reverse("frontend:profile"),
            reverse("frontend:entry_new", kwargs={"slug": contest.slug}),
            reverse("frontend:entry_detail", kwargs={"slug": contest.slug, "code": entry.code}),
            reverse("frontend:entry_edit", kwargs={"slug": contest.slug, "code": entry.code}),
        ]
        my_entries_title = translation.gettext("My entries")
    for page in pages:
        assert page.startswith(f"/{language}/")
        response = participant_client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        assert f'<html lang="{language}"' in body
        assert my_entries_title in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", ["login", "signup", "reset_password"])
def test_account_pages_in_each_language(client, db, language, page):
    with translation.override(language):
        url = reverse(f"account_{page}")
    response = client.get(url)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_page_titles_translated(client, contest):
    with translation.override("ru"):
        expected = translation.gettext("Timeline")
    assert expected != "Timeline"
    assert expected in client.get(f"/ru/c/{contest.slug}/").content.decode()


def test_language_switcher_remembers_choice(client, contest):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/kk/entries/"})
    assert response["Location"] == "/ru/entries/"
    assert response.cookies["django_language"].value == "ru"


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/"])
def test_language_switcher_refuses_foreign_next(client, db, unsafe):
    response = client.post(reverse("set_language"), {"language": "kk", "next": unsafe})
    assert response["Location"] == "/"
