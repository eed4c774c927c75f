import re

from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contest.models import ParticipantProfile
from tests.factories import ProfileFactory, UniversityFactory, UserFactory
from tests.judging import juror_in


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


def test_login_lands_a_juror_on_the_jury_panel_and_others_on_the_contest(client, contest):
    juror = juror_in(contest, name="Panel Juror").user
    participant = UserFactory()

    as_juror = client.post(_url("account_login", "kk"), {"login": juror.email, "password": "correct-horse-9"})
    client.post(_url("account_logout", "kk"))
    as_participant = client.post(
        _url("account_login", "kk"), {"login": participant.email, "password": "correct-horse-9"}
    )
    client.post(_url("account_logout", "kk"))
    with_next = client.post(
        _url("account_login", "kk") + "?next=/kk/entries/", {"login": juror.email, "password": "correct-horse-9"}
    )

    assert as_juror.status_code == 302 and as_juror["Location"] == _url("frontend:jury_home", "kk")
    assert as_participant.status_code == 302 and as_participant["Location"] == _url("frontend:home", "kk")
    assert with_next.status_code == 302 and with_next["Location"] == "/kk/entries/"


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


# --- Failed logins: limits that a stranger cannot turn against a person -----------------------------

STRANGER, PERSON, PROXY = "203.0.113.66", "198.51.100.7", "10.0.0.2"


def _too_many_login_attempts() -> str:
    from allauth.account.adapter import get_adapter

    return str(get_adapter().error_messages["too_many_login_attempts"])


def _log_in(client, email: str, password: str, **request):  # type: ignore[no-untyped-def]
    """One login attempt in a fresh session; returns whether it logged in and the page's text."""
    client.logout()
    response = client.post(_url("account_login"), {"login": email, "password": password}, **request)
    return "_auth_user_id" in client.session, response.content.decode()


def test_login_when_stranger_failed_five_times_still_lets_the_person_in_from_their_address(client, db):
    juror = UserFactory(email="juror@example.org")
    for _attempt in range(5):
        assert _log_in(client, juror.email, "guess", REMOTE_ADDR=STRANGER)[0] is False

    stranger = _log_in(client, juror.email, "correct-horse-9", REMOTE_ADDR=STRANGER)
    person = _log_in(client, juror.email, "correct-horse-9", REMOTE_ADDR=PERSON)

    assert (stranger[0], _too_many_login_attempts() in stranger[1]) == (False, True)
    assert person[0] is True


def test_login_when_behind_trusted_proxy_counts_each_client_address(client, db, settings):
    """Behind a TLS-ending proxy every request comes from the proxy: the forwarded address is the one counted."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    juror = UserFactory(email="juror@example.org")
    for _attempt in range(5):
        _log_in(client, juror.email, "guess", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=STRANGER)
    # The stranger cannot pass for the person by writing the person's address in front of their own.
    spoofed = _log_in(
        client, juror.email, "correct-horse-9", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{PERSON}, {STRANGER}"
    )
    person = _log_in(client, juror.email, "correct-horse-9", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=PERSON)

    assert (spoofed[0], person[0]) == (False, True)


def test_login_when_proxy_not_trusted_everyone_shares_its_address(client, db, settings):
    """Without TRUSTED_PROXIES the header is not believed (anyone could send it): the proxy is the client."""
    settings.TRUSTED_PROXIES = []
    juror = UserFactory(email="juror@example.org")
    for _attempt in range(5):
        _log_in(client, juror.email, "guess", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=STRANGER)

    assert _log_in(client, juror.email, "correct-horse-9", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=PERSON)[0] is False


def test_login_when_one_address_tries_many_accounts_is_stopped(client, db):
    person = UserFactory(email="aru@example.org")
    for number in range(20):
        assert _log_in(client, f"someone{number}@example.org", "guess", REMOTE_ADDR=STRANGER)[0] is False

    refused = _log_in(client, person.email, "correct-horse-9", REMOTE_ADDR=STRANGER)

    assert (refused[0], _too_many_login_attempts() in refused[1]) == (False, True)
    assert _log_in(client, person.email, "correct-horse-9", REMOTE_ADDR=PERSON)[0] is True


def test_login_when_guesses_come_from_many_addresses_stops_at_the_account_limit(client, db):
    """The trade-off: fifty failures an hour from anywhere stop the account, until the person resets their password."""
    juror = UserFactory(email="juror@example.org")
    for number in range(50):
        assert _log_in(client, juror.email, "guess", REMOTE_ADDR=f"203.0.113.{number // 5}")[0] is False

    refused = _log_in(client, juror.email, "correct-horse-9", REMOTE_ADDR=PERSON)
    assert (refused[0], _too_many_login_attempts() in refused[1]) == (False, True)

    client.post(_url("account_reset_password"), {"email": juror.email}, REMOTE_ADDR=PERSON)
    link = re.search(r"https?://[^/\s]+(/en/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True, REMOTE_ADDR=PERSON)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    client.post(action, {"password1": "New-pass-2026!", "password2": "New-pass-2026!"}, REMOTE_ADDR=PERSON)

    assert _log_in(client, juror.email, "New-pass-2026!", REMOTE_ADDR=PERSON)[0] is True


def test_login_when_person_resets_password_after_failing_lets_them_in_from_the_same_address(client, db):
    person = UserFactory(email="aru@example.org")
    for _attempt in range(5):
        _log_in(client, person.email, "forgotten", REMOTE_ADDR=PERSON)
    client.post(_url("account_reset_password"), {"email": person.email}, REMOTE_ADDR=PERSON)
    link = re.search(r"https?://[^/\s]+(/en/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True, REMOTE_ADDR=PERSON)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    client.post(action, {"password1": "New-pass-2026!", "password2": "New-pass-2026!"}, REMOTE_ADDR=PERSON)

    assert _log_in(client, person.email, "New-pass-2026!", REMOTE_ADDR=PERSON)[0] is True


def test_login_when_right_password_comes_between_guesses_does_not_reset_their_count(client, db):
    """Guessing cannot go on forever by logging in to one's own account in between: a success only takes back itself."""
    person = UserFactory(email="aru@example.org")
    for _attempt in range(4):
        _log_in(client, person.email, "guess", REMOTE_ADDR=PERSON)
    assert _log_in(client, person.email, "correct-horse-9", REMOTE_ADDR=PERSON)[0] is True
    _log_in(client, person.email, "guess", REMOTE_ADDR=PERSON)

    assert _log_in(client, person.email, "correct-horse-9", REMOTE_ADDR=PERSON)[0] is False


# --- Django admin's login: the same protected login -------------------------------------------------


def test_admin_login_when_anonymous_sends_to_allauth_login(client, db):
    response = client.get("/admin/login/?next=/admin/contest/")

    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/login/?next=%2Fadmin%2Fcontest%2F"


def test_admin_login_when_password_posted_logs_nobody_in(client, db):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    for _attempt in range(10):
        response = client.post("/admin/login/?next=/admin/", {"username": admin.username, "password": "guess"})
        assert (response.status_code, response["Location"]) == (302, "/ru/accounts/login/?next=%2Fadmin%2F")
    right = client.post("/admin/login/?next=/admin/", {"username": admin.username, "password": "correct-horse-9"})

    assert (right.status_code, right["Location"]) == (302, "/ru/accounts/login/?next=%2Fadmin%2F")
    assert "_auth_user_id" not in client.session


def test_admin_when_staff_logs_in_through_allauth_reaches_admin(client, db):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    first = client.get("/admin/")
    login_page = client.get(first["Location"])
    logged_in = client.post(login_page["Location"], {"login": admin.email, "password": "correct-horse-9"})

    assert (first["Location"], login_page["Location"]) == (
        "/admin/login/?next=/admin/",
        "/ru/accounts/login/?next=%2Fadmin%2F",
    )
    assert (logged_in.status_code, logged_in["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/?next=/admin/contest/")["Location"] == "/admin/contest/"


def test_admin_when_staff_and_next_elsewhere_stays_on_the_site(client, db):
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/admin/"


def test_admin_when_logged_in_without_staff_is_refused(client, db):
    client.force_login(UserFactory(email="aru@example.org"))

    assert client.get("/admin/login/?next=/admin/").status_code == 403
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


# --- People are addressed by their name, and the site by its own -----------------------------------


def test_password_reset_email_when_sent_names_the_site_and_greets_the_full_name(client, db):
    user = ProfileFactory(
        full_name="Aigerim Seitkali", user__username="aigerim.test", user__email="a.s@example.kz"
    ).user
    client.post(_url("account_reset_password"), {"email": user.email})

    (message,) = mail.outbox
    assert message.subject == "[Baige] Password Reset Email"
    assert message.body.startswith("Dear Aigerim Seitkali,\n\n")
    assert message.body.endswith("Thank you for using Baige!\n127.0.0.1:8000")
    assert "aigerim.test" not in message.body
    assert "example.com" not in message.subject + message.body


def test_password_reset_email_when_in_kazakh_greets_in_kazakh(client, db):
    ProfileFactory(full_name="Әйгерім Сейітқали", user__email="a.s@example.kz")
    client.post(_url("account_reset_password", "kk"), {"email": "a.s@example.kz"})

    (message,) = mail.outbox
    assert message.body.startswith("Құрметті Әйгерім Сейітқали,\n\n")


def test_password_reset_email_when_account_unknown_says_hello_from_the_site(client, db):
    client.post(_url("account_reset_password"), {"email": "nobody@example.kz"})

    (message,) = mail.outbox
    assert message.subject == "[Baige] Unknown Account"
    assert message.body.startswith("Hello from Baige!\n\n")


def test_login_message_when_logged_in_greets_the_full_name(client, db):
    user = ProfileFactory(full_name="Aigerim Seitkali", user__username="aigerim.test").user
    response = client.post(_url("account_login"), {"login": user.email, "password": "correct-horse-9"}, follow=True)

    assert [str(message) for message in response.context["messages"]] == ["Successfully signed in as Aigerim Seitkali."]


def test_juror_invitation_email_when_sent_greets_the_full_name(contest):
    from judging.models import Juror
    from judging.services.invitations import juror_invitation_send

    profile = ProfileFactory(full_name="Aigerim Seitkali", user__username="aigerim.test", user__email="a.s@example.kz")
    user = profile.user
    juror_invitation_send(juror=Juror.objects.create(contest=contest, user=user, languages=["en"]))

    (message,) = mail.outbox
    assert message.body.startswith("Dear Aigerim Seitkali,\n\n")
    assert "aigerim.test" not in message.body
