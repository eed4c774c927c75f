import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from contest.models import ContestRole, ParticipantProfile
from frontend.templatetags.organiser_links import entry_link
from judging.models import Assignment, Conflict, Juror
from judging.services.assignments import assignment_add
from monitoring.models import TaskFailure
from tests.factories import ContestFactory, ContestRoleFactory, ProfileFactory, UniversityFactory, UserFactory
from tests.judging import entry_from, juror_in, round_of
from tests.outsiders import KINDS, account_state, outsider

User = get_user_model()


def url(name, contest=None, language="en", **kwargs):  # type: ignore[no-untyped-def]
    if contest is not None:
        kwargs["slug"] = contest.slug
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs=kwargs)


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


@pytest.fixture
def taraz(db):  # type: ignore[no-untyped-def]
    return UniversityFactory(slug="taraz", name="Taraz University", name_en="Taraz University")


@pytest.fixture
def knu(db):  # type: ignore[no-untyped-def]
    return UniversityFactory(slug="knu", name="Kyrgyz National University", name_en="Kyrgyz National University")


@pytest.fixture
def seated(contest, taraz):  # type: ignore[no-untyped-def]
    """A juror of the contest, from Taraz, with a name."""
    return juror_in(contest, taraz, name="Dana Nurlanova", max_load=10)


def invite_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "email": "aru@example.org",
        "full_name": "Aru Sadyk",
        "university": "",
        "primary_language": "ru",
        "languages": ["en"],
        "max_load": "12",
    }
    data.update(overrides)
    return data


def jury_state(contest):  # type: ignore[no-untyped-def]
    """Everything the jury pages can change, to check that a refused request changed nothing."""
    return (
        sorted(
            Juror.objects.filter(contest=contest).values_list(
                "pk", "user__email", "university_id", "languages", "max_load"
            )
        ),
        sorted(Conflict.objects.filter(juror__contest=contest).values_list("juror_id", "entry_id", "university_id")),
        User.objects.count(),
        len(mail.outbox),
    )


def every_request(contest, seated, taraz):  # type: ignore[no-untyped-def]
    """(method, url, data) of every page and form of the organiser's jury pages."""
    seat = {"university": taraz.pk, "primary_language": "en", "languages": [], "max_load": "3"}
    return [
        ("get", url("organiser_jury", contest), None),
        ("post", url("organiser_jury", contest), invite_data(university=taraz.pk)),
        ("get", url("organiser_juror", contest, pk=seated.pk), None),
        ("post", url("organiser_juror", contest, pk=seated.pk), seat),
        ("post", url("organiser_juror_resend", contest, pk=seated.pk), {}),
        ("post", url("organiser_juror_conflicts", contest, pk=seated.pk), {"entry_codes": "", "reason": "x"}),
        ("get", url("organiser_jury_import", contest), None),
        ("post", url("organiser_jury_import", contest), {"file": jury_csv("x@example.org,X,taraz,kk,")}),
        ("post", url("organiser_jury_import_confirm", contest), {"token": "x"}),
        ("post", url("organiser_jury_import_cancel", contest), {}),
        ("get", url("organiser_jury_import_template", contest), None),
    ]


# Permissions


def test_organiser_jury_pages_for_anonymous_redirect_to_login(client, contest, seated, taraz):
    before = jury_state(contest)

    for method, address, data in every_request(contest, seated, taraz):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code, response["Location"]) == (
            method,
            address,
            302,
            login_url(address),
        )

    assert jury_state(contest) == before


@pytest.fixture(params=["participant", "juror", "seated_juror", "organiser_of_another_contest"])
def refused_user(request, contest, seated):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    if request.param == "seated_juror":
        return seated.user
    return request.getfixturevalue(request.param)


def test_organiser_jury_pages_for_others_forbidden(client, contest, seated, taraz, refused_user):
    client.force_login(refused_user)
    before = jury_state(contest)

    for method, address, data in every_request(contest, seated, taraz):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code) == (method, address, 403)

    assert jury_state(contest) == before


def test_organiser_jury_pages_open_for_organiser(organiser_client, contest, seated, taraz):
    statuses = {
        address: organiser_client.get(address).status_code
        for method, address, _data in every_request(contest, seated, taraz)
        if method == "get"
    }

    assert set(statuses.values()) == {200}


def test_juror_of_another_contest_not_found(organiser_client, contest, taraz):
    foreign = juror_in(ContestFactory(), taraz, name="Someone Else")
    before = jury_state(foreign.contest)

    responses = [
        organiser_client.get(url("organiser_juror", contest, pk=foreign.pk)),
        organiser_client.post(
            url("organiser_juror", contest, pk=foreign.pk),
            {"university": taraz.pk, "primary_language": "en", "max_load": "1"},
        ),
        organiser_client.post(url("organiser_juror_resend", contest, pk=foreign.pk)),
        organiser_client.post(url("organiser_juror_conflicts", contest, pk=foreign.pk), {"universities": [taraz.pk]}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert jury_state(foreign.contest) == before


# The list


def test_jury_list_shows_jurors_with_seats_conflicts_and_invitation_state(
    organiser_client, contest, seated, taraz, knu
):
    seated.languages = ["kk", "en"]
    seated.save(update_fields=["languages"])
    contest.universities.add(knu)
    Conflict.objects.create(juror=seated, university=knu, reason="My former students")
    pending = juror_in(contest, knu, name="Erlan Bekov")
    pending.user.set_unusable_password()
    pending.user.save()

    response = organiser_client.get(url("organiser_jury", contest))

    assert response.status_code == 200
    rows = [
        (
            str(j),
            j.user.email,
            j.university.name,
            j.languages,
            j.max_load,
            [str(c.university) for c in j.conflicts.all()],
            j.accepted,
        )
        for j in response.context["jurors"]
    ]
    assert rows == [
        (
            "Dana Nurlanova",
            seated.user.email,
            "Taraz University",
            ["kk", "en"],
            10,
            ["Kyrgyz National University"],
            False,
        ),
        ("Erlan Bekov", pending.user.email, "Kyrgyz National University", [], None, [], False),
    ]
    page = response.content.decode()
    assert "University: Kyrgyz National University" in page
    assert '<span lang="kk">Қазақ</span>, <span lang="en">English</span>' in page
    assert url("organiser_juror", contest, pk=seated.pk) in page


def test_jury_list_accepted_once_the_juror_opened_the_welcome_page(client, organiser, contest, seated):
    client.force_login(seated.user)
    client.force_login(organiser)
    assert [j.accepted for j in client.get(url("organiser_jury", contest)).context["jurors"]] == [False]

    client.force_login(seated.user)
    assert client.get(url("jury_welcome")).status_code == 200
    seated.refresh_from_db()
    accepted_at = seated.accepted_at
    assert accepted_at is not None
    client.get(url("jury_welcome"))
    seated.refresh_from_db()
    assert seated.accepted_at == accepted_at  # the first time only
    client.force_login(organiser)

    response = client.get(url("organiser_jury", contest))

    assert [j.accepted for j in response.context["jurors"]] == [True]
    assert "accepted" in response.content.decode()


def _jurors(contest, count, university):  # type: ignore[no-untyped-def]
    jurors = [juror_in(contest, university, name=f"Juror {n}") for n in range(count)]
    for juror in jurors:
        Conflict.objects.create(juror=juror, university=UniversityFactory())
        Conflict.objects.create(juror=juror, entry=entry_from(contest, UniversityFactory()))
    return jurors


def test_jury_list_queries_do_not_grow_with_jurors(organiser_client, contest, taraz):
    _jurors(contest, 1, taraz)
    with CaptureQueriesContext(connection) as one:
        organiser_client.get(url("organiser_jury", contest))
    _jurors(contest, 9, taraz)
    with CaptureQueriesContext(connection) as many:
        response = organiser_client.get(url("organiser_jury", contest))

    assert len(response.context["jurors"]) == 10
    assert len(many.captured_queries) == len(one.captured_queries)


def test_jury_list_queries_with_many_jurors(organiser_client, contest, taraz, django_assert_max_num_queries):
    _jurors(contest, 12, taraz)

    with django_assert_max_num_queries(12):
        response = organiser_client.get(url("organiser_jury", contest))

    assert len(response.context["jurors"]) == 12


# Inviting one juror


def test_invite_new_person_creates_account_seat_and_sends_invitation(
    organiser_client, contest, taraz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url("organiser_jury", contest), invite_data(university=taraz.pk))

    assert (response.status_code, response["Location"]) == (302, url("organiser_jury", contest))
    juror = Juror.objects.select_related("user__profile").get(contest=contest)
    assert (juror.user.email, juror.user.profile.full_name, juror.university, juror.languages, juror.max_load) == (
        "aru@example.org",
        "Aru Sadyk",
        taraz,
        ["ru", "en"],
        12,
    )
    assert juror.user.has_usable_password() is False
    assert ContestRole.objects.filter(contest=contest, user=juror.user, role=Role.JUROR).exists()
    # In the juror's main language, with the link to choose a password and then land on the welcome page.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["aru@example.org"], f"Приглашение в жюри конкурса «{contest.name}»")
    ]
    assert "/ru/accounts/password/reset/key/" in mail.outbox[0].body
    assert "?next=%2Fru%2Fjury%2Fwelcome%2F" in mail.outbox[0].body
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["aru@example.org is on the jury; the invitation is sent."]


def test_invite_participant_keeps_account_and_password(
    organiser_client, contest, taraz, participant, django_capture_on_commit_callbacks
):
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            url("organiser_jury", contest),
            invite_data(email=participant.email.upper(), full_name="", university=taraz.pk, primary_language="en"),
        )

    assert response.status_code == 302
    assert User.objects.count() == users_before
    juror = Juror.objects.get(contest=contest)
    assert (juror.user, juror.languages) == (participant, ["en"])
    participant.refresh_from_db()
    assert participant.check_password("correct-horse-9")
    assert "Log in with your usual password" in mail.outbox[0].body


def test_invite_someone_already_on_the_jury_refused(organiser_client, contest, seated, taraz):
    before = jury_state(contest)

    response = organiser_client.post(
        url("organiser_jury", contest), invite_data(email=seated.user.email, university=taraz.pk)
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        f"{seated.user.email} is already on this contest's jury; send the invitation again from the list instead."
    ]
    assert jury_state(contest) == before


def test_invite_new_person_without_name_refused(organiser_client, contest, taraz):
    before = jury_state(contest)

    response = organiser_client.post(url("organiser_jury", contest), invite_data(full_name="", university=taraz.pk))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["A new juror needs a full name."]
    assert jury_state(contest) == before


def test_invite_with_bad_fields_refused(organiser_client, contest, taraz):
    before = jury_state(contest)

    response = organiser_client.post(
        url("organiser_jury", contest),
        invite_data(email="not-an-email", university="", primary_language="de", max_load="0"),
    )

    assert response.status_code == 400
    assert sorted(response.context["form"].errors) == ["email", "max_load", "primary_language", "university"]
    assert jury_state(contest) == before


# Changing a seat, sending again


def test_juror_edit_changes_seat(organiser_client, contest, seated, knu):
    response = organiser_client.post(
        url("organiser_juror", contest, pk=seated.pk),
        {"university": knu.pk, "primary_language": "en", "languages": ["kk", "en"], "max_load": ""},
    )

    assert (response.status_code, response["Location"]) == (302, url("organiser_jury", contest))
    seated.refresh_from_db()
    assert (seated.university, seated.languages, seated.max_load) == (knu, ["en", "kk"], None)


def test_juror_edit_page_shows_current_seat(organiser_client, contest, seated):
    seated.languages = ["ru", "kk"]
    seated.save(update_fields=["languages"])

    response = organiser_client.get(url("organiser_juror", contest, pk=seated.pk))

    assert response.context["form"].initial == {
        "university": seated.university,
        "primary_language": "ru",
        "languages": ["kk"],
        "max_load": 10,
    }


def test_juror_edit_with_bad_load_refused(organiser_client, contest, seated, knu):
    response = organiser_client.post(
        url("organiser_juror", contest, pk=seated.pk),
        {"university": knu.pk, "primary_language": "en", "max_load": "-1"},
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["max_load"]
    seated.refresh_from_db()
    assert (seated.university.slug, seated.max_load) == ("taraz", 10)


def test_resend_sends_the_invitation_again(organiser_client, contest, seated, django_capture_on_commit_callbacks):
    seated.languages = ["en"]
    seated.save(update_fields=["languages"])

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url("organiser_juror_resend", contest, pk=seated.pk))

    assert (response.status_code, response["Location"]) == (302, url("organiser_jury", contest))
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([seated.user.email], f"Invitation to the jury of {contest.name}")
    ]
    assert "/en/accounts/password/reset/key/" in mail.outbox[0].body


def test_resend_when_mail_server_is_down_answers_at_once_and_the_failure_is_listed(
    organiser_client, contest, seated, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nobody listens there

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = organiser_client.post(url("organiser_juror_resend", contest, pk=seated.pk), follow=True)

    assert (response.status_code, len(queued)) == (200, 1)
    assert f"The invitation is sent again to {seated.user.email}." in response.content.decode()
    # The worker tried again (at once, as tasks run inline in tests), then gave up and recorded it.
    failure = TaskFailure.objects.get()
    assert (failure.task_name, failure.contest_id, failure.exception, failure.arguments) == (
        "judging.send_juror_invitation",
        contest.pk,
        "ConnectionRefusedError",
        {"juror_id": seated.pk},
    )


# Conflicts on a juror's behalf


def test_organiser_records_conflict_for_juror_and_assignment_is_withdrawn(
    organiser_client, organiser, contest, seated, knu
):
    contest.universities.add(knu)
    from_knu = entry_from(contest, knu)
    other = entry_from(contest, UniversityFactory())
    round = round_of(contest, [from_knu, other], [seated], k=1)
    assignment_add(actor=organiser, round=round, juror=seated, entry=from_knu)
    assignment_add(actor=organiser, round=round, juror=seated, entry=other)

    response = organiser_client.post(
        url("organiser_juror_conflicts", contest, pk=seated.pk),
        {"universities": [knu.pk], "reason": "Told us by phone"},
    )

    assert (response.status_code, response["Location"]) == (302, url("organiser_juror", contest, pk=seated.pk))
    assert list(Conflict.objects.values_list("juror_id", "university_id", "reason", "declared_by_id")) == [
        (seated.pk, knu.pk, "Told us by phone", organiser.pk)
    ]
    assert list(Assignment.objects.filter(juror=seated).values_list("entry_id", flat=True)) == [other.pk]
    # Nobody else sits in the round: the assignment is withdrawn all the same.
    assert [str(m) for m in response.wsgi_request._messages] == [
        "1 conflict of interest is recorded. 1 assignment was withdrawn; 0 of them went to another juror."
    ]


def test_organiser_conflict_with_nothing_chosen_refused(organiser_client, contest, seated):
    response = organiser_client.post(url("organiser_juror_conflicts", contest, pk=seated.pk), {"reason": "?"})

    assert response.status_code == 400
    assert response.context["conflict_form"].non_field_errors() == ["Tick a university or write an entry's code."]
    assert Conflict.objects.count() == 0


# Bulk import


def jury_csv(*lines: str) -> SimpleUploadedFile:
    body = "email,full_name,university,languages,max_load\n" + "".join(line + "\n" for line in lines)
    return SimpleUploadedFile("jury.csv", body.encode(), content_type="text/csv")


def test_jury_import_preview_then_confirm(organiser_client, contest, taraz, knu, django_capture_on_commit_callbacks):
    preview = organiser_client.post(
        url("organiser_jury_import", contest),
        {"file": jury_csv("dana@example.org,Dana Nurlanova,taraz,kk;ru,", "erlan@example.org,Erlan Bekov,KNU,en,5")},
    )

    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.ok, result.rows, result.jurors_created, result.invitations) == (True, 2, 2, 2)
    assert Juror.objects.count() == 0
    token = preview.context["token"]

    with django_capture_on_commit_callbacks(execute=True):
        done = organiser_client.post(url("organiser_jury_import_confirm", contest), {"token": token})

    assert (done.status_code, done["Location"]) == (302, url("organiser_jury", contest))
    assert sorted(Juror.objects.filter(contest=contest).values_list("user__email", "languages", "max_load")) == [
        ("dana@example.org", ["kk", "ru"], None),
        ("erlan@example.org", ["en"], 5),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["dana@example.org", "erlan@example.org"]
    assert [str(m) for m in done.wsgi_request._messages] == [
        "Imported 2 lines. Jurors added: 2, updated: 0, unchanged: 0. Accounts created: 2, "
        "existing accounts linked: 0. "
        "Invitations sent: 2."
    ]


def test_jury_import_bad_file_lists_every_problem(organiser_client, contest, taraz):
    response = organiser_client.post(
        url("organiser_jury_import", contest),
        {"file": jury_csv("not-an-email,A,taraz,kk,", "b@example.org,B,Nowhere,kk,")},
    )

    assert response.status_code == 200
    assert [str(e) for e in response.context["result"].errors] == [
        "Line 2, email: “not-an-email” is not an e-mail address.",
        "Line 3, university: Unknown university “Nowhere”: write its short name or its name in any language.",
    ]
    assert "baige_pending_jury_import" not in organiser_client.session
    assert Juror.objects.count() == 0


def test_jury_import_confirm_without_preview_refused(organiser_client, contest):
    response = organiser_client.post(url("organiser_jury_import_confirm", contest), {"token": "nothing"})

    assert (response.status_code, response["Location"]) == (302, url("organiser_jury_import", contest))
    assert Juror.objects.count() == 0


def test_jury_import_cancel_drops_the_file(organiser_client, contest, taraz):
    organiser_client.post(url("organiser_jury_import", contest), {"file": jury_csv("a@example.org,A,taraz,kk,")})
    assert "baige_pending_jury_import" in organiser_client.session

    response = organiser_client.post(url("organiser_jury_import_cancel", contest))

    assert response.status_code == 302
    assert "baige_pending_jury_import" not in organiser_client.session
    assert Juror.objects.count() == 0


def test_jury_import_template_has_the_columns(organiser_client, contest):
    response = organiser_client.get(url("organiser_jury_import_template", contest))

    lines = io.StringIO(response.content.decode("utf-8-sig")).read().splitlines()
    assert lines[0] == "email,full_name,university,languages,max_load"
    assert response["Content-Disposition"] == f'attachment; filename="{contest.slug}-jury.csv"'


def test_superuser_can_invite(client, contest, taraz, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("organiser_jury", contest), invite_data(university=taraz.pk))

    assert response.status_code == 302
    assert list(Juror.objects.values_list("user__email", flat=True)) == ["aru@example.org"]
    assert len(mail.outbox) == 1


def test_invite_participant_of_profile_keeps_their_name(
    organiser_client, contest, taraz, django_capture_on_commit_callbacks
):
    profile = ProfileFactory(full_name="Aigerim Sadykova", university=taraz)

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            url("organiser_jury", contest), invite_data(email=profile.user.email, full_name="", university=taraz.pk)
        )

    profile.refresh_from_db()
    assert profile.full_name == "Aigerim Sadykova"
    assert str(Juror.objects.get(contest=contest)) == "Aigerim Sadykova"


#: How a preview names a line whose e-mail has an account, in each language.
EXISTING_ACCOUNT = {"en": "existing account", "ru": "существующая учётная запись", "kk": "бар тіркелгі"}
#: Pieces of what the other people have stored; none may appear on another contest's previews.
STORED = ("Stored-Name", "Secret Institute", "Stored programme")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_jury_import_preview_of_existing_account_shows_only_the_file(organiser_client, contest, taraz, kind, language):
    person = outsider(kind)

    response = organiser_client.post(
        url("organiser_jury_import", contest, language), {"file": jury_csv(f"{person.email.upper()},,taraz,kk,")}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert [piece for piece in STORED if piece in body] == []
    assert f"<td>{EXISTING_ACCOUNT[language]}</td>" in body
    assert [(p.full_name, p.university, p.existing_account) for p in response.context["result"].preview] == [
        ("", "taraz", True)
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_jury_import_confirm_links_existing_account_and_changes_nothing_of_it(
    organiser_client, contest, taraz, kind, django_capture_on_commit_callbacks
):
    person = outsider(kind)
    before = account_state(person)
    profiles = ParticipantProfile.objects.count()
    preview = organiser_client.post(
        url("organiser_jury_import", contest), {"file": jury_csv(f"{person.email},Renamed By Organiser,taraz,ru;en,4")}
    )
    body = preview.content.decode()
    assert [piece for piece in STORED if piece in body] == []
    assert "<td>Renamed By Organiser</td>" in body and "<td>existing account</td>" in body

    with django_capture_on_commit_callbacks(execute=True):
        done = organiser_client.post(url("organiser_jury_import_confirm", contest), {"token": preview.context["token"]})

    assert done.status_code == 302
    assert account_state(person) == before
    assert ParticipantProfile.objects.count() == profiles
    seat = Juror.objects.get(contest=contest)
    assert (seat.user_id, seat.university, seat.languages, seat.max_load) == (person.pk, taraz, ["ru", "en"], 4)
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert [str(m) for m in done.wsgi_request._messages] == [
        "Imported 1 lines. Jurors added: 1, updated: 0, unchanged: 0. Accounts created: 0, "
        "existing accounts linked: 1. "
        "Invitations sent: 1."
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_invite_existing_account_keeps_it_and_seats_them(
    organiser_client, contest, taraz, kind, django_capture_on_commit_callbacks
):
    person = outsider(kind)
    before = account_state(person)
    profiles = ParticipantProfile.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            url("organiser_jury", contest),
            invite_data(
                email=person.email.upper(),
                full_name="Renamed By Organiser",
                university=taraz.pk,
                primary_language="en",
                languages=["ru"],
            ),
        )

    assert (response.status_code, response["Location"]) == (302, url("organiser_jury", contest))
    assert account_state(person) == before
    assert ParticipantProfile.objects.count() == profiles
    seat = Juror.objects.get(contest=contest)
    assert (seat.user_id, seat.university, seat.languages, seat.max_load) == (person.pk, taraz, ["en", "ru"], 12)
    assert ContestRole.objects.filter(contest=contest, user=person, role=Role.JUROR).count() == 1
    # The invitation goes to the person's own mailbox; the organiser never sees a link or sets a password.
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "Log in with your usual password" in mail.outbox[0].body


# Declarations waiting for the organisers


@pytest.fixture
def pending(contest, organiser, seated, knu):  # type: ignore[no-untyped-def]
    """In a blind open round, Dana (seated) has submitted a review of a KNU entry, then declared KNU."""
    from judging.conflicts import conflict_declare
    from judging.services.reviews import review_submit
    from tests.judging import criteria_for

    contest.universities.add(knu)
    reviewed, other = entry_from(contest, knu), entry_from(contest, knu)
    arman = juror_in(contest, UniversityFactory(), name="Arman Sadykov")
    round = round_of(contest, [reviewed, other], [seated, arman], k=1)
    assignment_add(actor=organiser, round=round, juror=seated, entry=reviewed)
    assignment_add(actor=organiser, round=round, juror=seated, entry=other)
    (criterion,) = criteria_for(contest, 5)
    review_submit(actor=seated.user, round=round, entry=reviewed, scores={criterion.pk: 5})
    conflict = conflict_declare(actor=seated.user, juror=seated, university=knu, reason="My cousin studies there")
    return {"conflict": conflict, "round": round, "reviewed": reviewed, "other": other, "arman": arman}


def resolve_url(contest, conflict):  # type: ignore[no-untyped-def]
    return url("organiser_conflict_resolve", contest, pk=conflict.pk)


def conflict_state(contest):  # type: ignore[no-untyped-def]
    return (
        sorted(Conflict.objects.filter(juror__contest=contest).values_list("pk", "state", "review_decision")),
        sorted(Assignment.objects.filter(round__contest=contest).values_list("juror_id", "entry_id")),
    )


def test_jury_list_shows_pending_declarations_with_what_they_touch(organiser_client, contest, pending):
    response = organiser_client.get(url("organiser_jury", contest))

    page = response.content.decode()
    assert [c.pk for c in response.context["pending_conflicts"]] == [pending["conflict"].pk]
    assert "1 declaration of a conflict waits for you" in page
    assert "Reason: My cousin studies there" in page
    assert f"Round 1 · {entry_link(contest, pending['reviewed'].code)}" in page
    assert 'value="set_aside" required' in page
    assert f'action="{resolve_url(contest, pending["conflict"])}"' in page


def test_resolve_sets_the_review_aside_and_gives_the_entries_to_another_juror(
    organiser_client, organiser, contest, seated, pending
):
    from judging.models import Review

    response = organiser_client.post(
        resolve_url(contest, pending["conflict"]),
        {"reviews": "set_aside", "reason": "Scored her cousin's work", "next": url("organiser_jury", contest)},
    )

    conflict = Conflict.objects.get(pk=pending["conflict"].pk)
    review = Review.objects.get(juror=seated)
    assert (response.status_code, response["Location"]) == (302, url("organiser_jury", contest))
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The declaration of Dana Nurlanova is resolved: 2 assignments withdrawn, 2 given to other jurors."
    ]
    assert (conflict.state, conflict.resolved_by, conflict.review_decision, conflict.resolution_reason) == (
        "resolved",
        organiser,
        "set_aside",
        "Scored her cousin's work",
    )
    assert (review.status, review.set_aside_reason) == ("set_aside", "Scored her cousin's work")
    assert sorted(Assignment.objects.values_list("juror_id", flat=True)) == [pending["arman"].pk] * 2
    assert list(organiser_client.get(url("organiser_jury", contest)).context["pending_conflicts"]) == []


def test_resolve_without_a_decision_about_the_review_changes_nothing(organiser_client, contest, pending):
    before = conflict_state(contest)

    response = organiser_client.post(resolve_url(contest, pending["conflict"]), {"reason": ""})

    assert (response.status_code, response["Location"]) == (302, url("organiser_jury", contest))
    assert [str(m) for m in response.wsgi_request._messages] == [
        "The juror has submitted 1 review this declaration touches: keep it or set it aside."
    ]
    assert conflict_state(contest) == before


def test_resolve_never_redirects_to_another_site(organiser_client, contest, pending):
    response = organiser_client.post(
        resolve_url(contest, pending["conflict"]), {"reviews": "kept", "reason": "ok", "next": "https://evil.example/"}
    )

    assert response["Location"] == url("organiser_jury", contest)


def test_resolve_for_anonymous_redirects_to_login(client, contest, pending):
    before = conflict_state(contest)
    address = resolve_url(contest, pending["conflict"])

    response = client.post(address, {"reviews": "kept", "reason": "x"})

    assert (response.status_code, response["Location"]) == (302, login_url(address))
    assert conflict_state(contest) == before


def test_resolve_for_others_forbidden(client, contest, pending, refused_user):
    client.force_login(refused_user)
    before = conflict_state(contest)

    response = client.post(resolve_url(contest, pending["conflict"]), {"reviews": "kept", "reason": "x"})

    assert response.status_code == 403
    assert conflict_state(contest) == before


def test_resolve_a_declaration_of_another_contest_not_found(client, contest, pending):
    other = ContestFactory()
    client.force_login(ContestRoleFactory(contest=other, role=Role.ORGANISER).user)
    before = conflict_state(contest)

    response = client.post(resolve_url(other, pending["conflict"]), {"reviews": "kept", "reason": "x"})

    assert response.status_code == 404
    assert conflict_state(contest) == before


def _pending_declarations(contest, count):  # type: ignore[no-untyped-def]
    from judging.conflicts import conflict_declare

    entries = [entry_from(contest, UniversityFactory()) for _ in range(count)]
    jurors = [juror_in(contest, UniversityFactory(), name=f"Juror {n}") for n in range(count)]
    round = round_of(contest, entries, jurors, k=1, number=Juror.objects.filter(contest=contest).count())
    for juror, entry in zip(jurors, entries, strict=True):
        Assignment.objects.create(round=round, juror=juror, entry=entry)
        conflict_declare(actor=juror.user, juror=juror, code=entry.code, reason="Knows the author")
        conflict_declare(actor=juror.user, juror=juror, university=UniversityFactory())


def test_pending_declarations_queries_do_not_grow(organiser_client, contest):
    _pending_declarations(contest, 1)
    with CaptureQueriesContext(connection) as one:
        organiser_client.get(url("organiser_jury", contest))
    _pending_declarations(contest, 6)
    with CaptureQueriesContext(connection) as many:
        response = organiser_client.get(url("organiser_jury", contest))

    assert len(response.context["pending_conflicts"]) == 14
    assert len(many.captured_queries) == len(one.captured_queries)


def test_dashboard_counts_pending_declarations(organiser_client, contest, pending):
    response = organiser_client.get(url("organiser_dashboard", contest))

    assert response.context["pending_conflicts"] == 1
    assert "1 declaration of a conflict of interest waits for you." in response.content.decode()


def test_juror_page_shows_their_pending_declarations_only(organiser_client, contest, seated, pending):
    from judging.conflicts import conflict_declare

    arman = pending["arman"]
    conflict_declare(actor=arman.user, juror=arman, code="NOPE42")

    response = organiser_client.get(url("organiser_juror", contest, pk=seated.pk))

    assert [c.pk for c in response.context["pending_conflicts"]] == [pending["conflict"].pk]
    assert f'action="{resolve_url(contest, pending["conflict"])}"' in response.content.decode()


def test_organiser_conflict_with_an_unknown_code_is_told_so(organiser_client, contest, seated):
    response = organiser_client.post(
        url("organiser_juror_conflicts", contest, pk=seated.pk), {"entry_codes": "nope42", "reason": "?"}
    )

    assert response.status_code == 400
    assert response.context["conflict_form"].errors["entry_codes"] == [
        "No entry of this contest has the code NOPE42. Check it against the jury panel."
    ]
    assert Conflict.objects.count() == 0
