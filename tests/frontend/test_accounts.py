import re

from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contest.models import ParticipantProfile
from tests.factories import UniversityFactory, UserFactory


def _url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_signup_creates_profile_and_sends_verification(client, db):
    university = UniversityFactory()
    response = client.post(
        _url("account_signup", "ru"),
        {
            "email": "dana@example.org",
            "password1": "Tulpar-2026-kz",
            "password2": "Tulpar-2026-kz",
            "full_name": "Дана Омарова",
            "university": university.pk,
            "programme": "Педагогика",
            "country": "KG",
            "preferred_language": "ru",
        },
    )
    assert response.status_code == 302
    profile = ParticipantProfile.objects.get(user__email="dana@example.org")
    assert (profile.full_name, profile.university, profile.country, profile.preferred_language) == (
        "Дана Омарова",
        university,
        "KG",
        "ru",
    )
    assert len(mail.outbox) == 1
    assert "/ru/accounts/confirm-email/" in mail.outbox[0].body


def test_login_refused_until_email_verified(client, db):
    user = UserFactory(verified=False)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client.post(_url("account_login"), {"login": user.email, "password": "correct-horse-9"})
    assert response.status_code == 302
    assert response["Location"] == _url("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_and_logout(client, db):
    user = UserFactory()
    response = client.post(_url("account_login"), {"login": user.email, "password": "correct-horse-9"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post(_url("account_logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_for_imported_participant(client, db):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.post(_url("account_reset_password", "kk"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/kk/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(action, {"password1": "New-pass-2026!", "password2": "New-pass-2026!"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("New-pass-2026!")


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(client, db):
    """Guessing passwords is slowed down: after five failures for one account the right password waits too."""
    user = UserFactory(email="aru@example.org")
    login = _url("account_login", "ru")
    for _attempt in range(5):
        wrong = client.post(login, {"login": user.email, "password": "not-the-password"})
        assert wrong.status_code == 200
    refused = client.post(login, {"login": user.email, "password": "correct-horse-9"})

    assert refused.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    with translation.override("ru"):
        from allauth.account.adapter import get_adapter

        message = str(get_adapter().error_messages["too_many_login_attempts"])
    assert message in refused.content.decode()


def test_session_when_cache_warm_costs_no_query_and_when_cache_lost_still_signs_in(client, participant):
    client.force_login(participant)
    address = reverse("frontend:profile")
    with CaptureQueriesContext(connection) as warm:
        assert client.get(address).status_code == 200

    cache.clear()  # Redis restarted or flushed: the session is read back from the database
    with CaptureQueriesContext(connection) as cold:
        response = client.get(address)

    assert response.status_code == 200
    assert [query["sql"] for query in warm.captured_queries if "django_session" in query["sql"]] == []
    assert len([query for query in cold.captured_queries if "django_session" in query["sql"]]) == 1
