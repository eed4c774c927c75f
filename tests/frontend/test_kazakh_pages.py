"""A Kazakh page holds no Russian: Django's and django-allauth's strings are in Kazakh or, if missing, English."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import allauth
import django
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from tests.frontend.kazakh_text import WORD, catalogue_words

ROOT = Path(__file__).resolve().parent.parent.parent
DJANGO = Path(django.__file__).parent
ALLAUTH = Path(allauth.__file__).parent

# Letters of Russian that Kazakh writing does not use (Baige's Kazakh catalogues hold none of them).
RUSSIAN_ONLY_LETTERS = set("ёъщЁЪЩ")
RUSSIAN_PHRASES = [
    "Убедитесь, что это значение",
    "Введённый пароль",
    "Пароль не должен",
    "Пароль не может",
    "Ваш пароль должен",
    "Обязательное поле",
    "Зарегистрируйтесь",
    "Регистрация",
    "Войти",
    "Сброс пароля",
]


@cache
def _russian_words() -> frozenset[str]:
    """Words of Django's and django-allauth's Russian catalogues that Baige's Kazakh text never uses."""
    russian = set()
    for po in (
        DJANGO / "conf/locale/ru/LC_MESSAGES/django.po",
        DJANGO / "contrib/auth/locale/ru/LC_MESSAGES/django.po",
        ALLAUTH / "locale/ru/LC_MESSAGES/django.po",
    ):
        russian |= catalogue_words(po)
    kazakh = set()
    for folder in ("locale", "locale-django", "locale-accounts"):
        kazakh |= catalogue_words(ROOT / folder / "kk/LC_MESSAGES/django.po")
    # The language switcher names each language in itself.
    kazakh |= {word.lower() for _, name in settings.LANGUAGES for word in WORD.findall(name)}
    return frozenset(russian - kazakh)


class _Text(HTMLParser):
    """The text a person reads: element text and the attributes shown or spoken, not scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [
            value for name, value in attrs if name in ("placeholder", "title", "aria-label", "alt") and value
        ]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def _assert_no_russian(text: str) -> None:
    assert sorted(RUSSIAN_ONLY_LETTERS & set(text)) == []
    assert [phrase for phrase in RUSSIAN_PHRASES if phrase in text] == []
    assert sorted({word for word in WORD.findall(text) if word.lower() in _russian_words()}) == []


def _kk(name: str) -> str:
    with translation.override("kk"):
        return reverse(name)


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_signup", "Тіркелу"),
        ("account_login", "Кіру"),
        ("account_reset_password", "Құпиясөзді қалпына келтіру"),
    ],
)
def test_account_page_when_kazakh_has_no_russian(client, db, name, heading):
    response = client.get(_kk(name))

    assert response.status_code == 200
    text = _text(response)
    assert re.search(r"<h1>\s*(.*?)\s*</h1>", response.content.decode(), re.S).group(1) == heading
    _assert_no_russian(text)


def test_signup_page_when_kazakh_states_the_password_rules_in_kazakh(client, db):
    text = _text(client.get(_kk("account_signup")))

    for rule in (
        "Құпиясөзіңіз басқа жеке деректеріңізге тым ұқсас болмауы керек.",
        "Құпиясөзіңіз кемінде 8 таңбадан тұруы керек.",
        "Құпиясөзіңіз жиі қолданылатын құпиясөз болмауы керек.",
        "Құпиясөзіңіз тек цифрлардан тұрмауы керек.",
    ):
        assert rule in text


def test_password_change_page_when_kazakh_has_no_russian(client, participant):
    client.force_login(participant)

    response = client.get(_kk("account_change_password"))

    assert response.status_code == 200
    _assert_no_russian(_text(response))
    wrong = client.post(
        _kk("account_change_password"),
        {"oldpassword": "not-the-password", "password1": "123", "password2": "1234"},
    )
    assert wrong.status_code == 200
    text = _text(wrong)
    _assert_no_russian(text)
    assert "Құпиясөз тым қысқа. Ол кемінде 8 таңбадан тұруы керек." in text


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"email": "dana@example.org", "password1": "123", "password2": "123", "full_name": "Д" * 300},
            [
                "Құпиясөз тым қысқа. Ол кемінде 8 таңбадан тұруы керек.",
                "Бұл құпиясөз тек цифрлардан тұрады.",
                "Мән 255 таңбадан аспауы керек (қазір 300).",
            ],
        ),
        (
            {"email": "dana@example.org", "password1": "password123", "password2": "password123"},
            ["Бұл құпиясөз тым кең тараған.", "Бұл өрісті толтыру міндетті."],
        ),
        (
            {"email": "dana@example.org", "password1": "98127364509", "password2": "98127364509"},
            ["Бұл құпиясөз тек цифрлардан тұрады."],
        ),
        (
            {"email": "danaomarova@example.org", "password1": "danaomarova", "password2": "danaomarova"},
            ["Құпиясөз мына мәнге тым ұқсас: электрондық пошта мекенжайы."],
        ),
        ({"email": "not-an-address"}, ["Электрондық пошта мекенжайын дұрыс енгізіңіз."]),
        ({}, ["Бұл өрісті толтыру міндетті."]),
    ],
)
def test_signup_when_kazakh_and_refused_explains_in_kazakh(client, db, data, errors):
    response = client.post(_kk("account_signup"), data)

    assert response.status_code == 200
    text = _text(response)
    _assert_no_russian(text)
    assert [error for error in errors if error not in text] == []


def test_password_reset_when_kazakh_and_refused_explains_in_kazakh(client, db):
    response = client.post(_kk("account_reset_password"), {"email": "not-an-address"})

    assert response.status_code == 200
    text = _text(response)
    _assert_no_russian(text)
    assert "Электрондық пошта мекенжайын дұрыс енгізіңіз." in text


def test_logout_and_email_pages_when_kazakh_have_no_russian(client, db):
    client.force_login(UserFactory())

    for name in ("account_logout", "account_email"):
        response = client.get(_kk(name))
        assert response.status_code == 200
        _assert_no_russian(_text(response))


def test_string_without_kazakh_when_kazakh_falls_back_to_english():
    message = "More information is available with DEBUG=True."

    with translation.override("kk"):
        assert translation.gettext(message) == message
    with translation.override("ru"):
        assert translation.gettext(message) == (
            "В отладочном режиме доступно больше информации.  Включить отладочный режим можно, установив значение "
            "переменной DEBUG=True."
        )


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/kk/accounts/confirm-email/", "Электрондық пошта мекенжайыңызды растаңыз"),
        ("/kk/accounts/confirm-email/no-such-key/", "Электрондық пошта мекенжайын растау"),
        ("/kk/accounts/password/reset/done/", "Құпиясөзді қалпына келтіру"),
        ("/kk/accounts/password/reset/key/1-no-such-key/", "Жарамсыз токен"),
        ("/kk/accounts/password/reset/key/done/", "Құпиясөзді өзгерту"),
    ],
)
def test_confirmation_page_when_kazakh_has_no_russian(client, db, path, heading):
    response = client.get(path, follow=True)

    assert response.status_code == 200
    assert re.search(r"<h1>\s*(.*?)\s*</h1>", response.content.decode(), re.S).group(1) == heading
    _assert_no_russian(_text(response))
