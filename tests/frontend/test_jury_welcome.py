import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from contest.enums import Role
from judging.enums import RoundStatus
from judging.models import Assignment, Conflict, Juror
from judging.services.assignments import assignment_add
from judging.services.reviews import review_submit
from tests.factories import ContestFactory, ContestRoleFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

User = get_user_model()


def url(name, contest=None, language="en", **kwargs):  # type: ignore[no-untyped-def]
    if contest is not None:
        kwargs["slug"] = contest.slug
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs=kwargs)


def login_url(next_url, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return f"{reverse('account_login')}?next={next_url}"


@pytest.fixture
def taraz(db):  # type: ignore[no-untyped-def]
    return UniversityFactory(slug="taraz", name="Taraz University", name_en="Taraz University")


@pytest.fixture
def zhetysu(db):  # type: ignore[no-untyped-def]
    return UniversityFactory(slug="zhetysu", name="Zhetysu University", name_en="Zhetysu University")


@pytest.fixture
def knu(db):  # type: ignore[no-untyped-def]
    return UniversityFactory(slug="knu", name="Kyrgyz National University", name_en="Kyrgyz National University")


@pytest.fixture
def seated(contest, taraz, zhetysu, knu):  # type: ignore[no-untyped-def]
    """A juror from Taraz on the contest's jury; Zhetysu and KNU take part in the contest."""
    contest.universities.add(taraz, zhetysu, knu)
    return juror_in(contest, taraz, name="Dana Nurlanova")


@pytest.fixture
def judged(contest, organiser, seated, zhetysu, knu):  # type: ignore[no-untyped-def]
    """An open round in which the juror is assigned an entry from Zhetysu and one from KNU."""
    entries = {"zhetysu": entry_from(contest, zhetysu), "knu": entry_from(contest, knu)}
    round = round_of(contest, list(entries.values()), [seated], k=1)
    for entry in entries.values():
        assignment_add(actor=organiser, round=round, juror=seated, entry=entry)
    return round, entries


def assigned(juror):  # type: ignore[no-untyped-def]
    return sorted(Assignment.objects.filter(juror=juror).values_list("entry__code", flat=True))


def messages_of(response):  # type: ignore[no-untyped-def]
    return [str(m) for m in response.wsgi_request._messages]


def offered(form):  # type: ignore[no-untyped-def]
    """The universities the conflict form offers to tick, by name."""
    return [label for _pk, label in form.fields["universities"].widget.choices]


BLIND_ANSWER = (
    "Your declaration is recorded. The organisers will look at it and adjust your list of entries; "
    "until then your list stays as it is."
)


# The whole journey


def test_invitation_journey_from_invite_to_declared_conflict(
    client, contest, organiser, taraz, zhetysu, knu, django_capture_on_commit_callbacks
):
    contest.universities.add(taraz, zhetysu, knu)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            url("organiser_jury", contest),
            {
                "email": "aru@example.org",
                "full_name": "Aru Sadyk",
                "university": taraz.pk,
                "primary_language": "en",
                "max_load": "",
            },
        )
    assert invited.status_code == 302
    juror = Juror.objects.get(contest=contest, user__email="aru@example.org")
    from_zhetysu, from_knu = entry_from(contest, zhetysu), entry_from(contest, knu)
    round = round_of(contest, [from_zhetysu, from_knu], [juror], k=1)
    assignment_add(actor=organiser, round=round, juror=juror, entry=from_zhetysu)
    assignment_add(actor=organiser, round=round, juror=juror, entry=from_knu)
    client.logout()

    # The e-mail's link: choose a password, then the welcome page (after logging in).
    (message,) = mail.outbox
    link = re.findall(r"http://\S+", message.body)[0].removeprefix("http://127.0.0.1:8000")
    assert link.startswith("/en/accounts/password/reset/key/")
    assert link.endswith("?next=%2Fen%2Fjury%2Fwelcome%2F")
    form_page = client.get(link, follow=True)
    form_path = form_page.redirect_chain[-1][0]
    chosen = client.post(form_path, {"password1": "Tulip-meadow-42", "password2": "Tulip-meadow-42"})
    assert (chosen.status_code, chosen["Location"]) == (302, url("jury_welcome"))
    assert EmailAddress.objects.get(user=juror.user).verified is True
    to_login = client.get(chosen["Location"])
    assert (to_login.status_code, to_login["Location"]) == (302, login_url(url("jury_welcome")))
    logged_in = client.post(
        to_login["Location"], {"login": "aru@example.org", "password": "Tulip-meadow-42", "next": url("jury_welcome")}
    )
    assert (logged_in.status_code, logged_in["Location"]) == (302, url("jury_welcome"))

    welcome = client.get(url("jury_welcome"))
    assert welcome.status_code == 200
    assert [panel["seat"] for panel in welcome.context["panels"]] == [juror]
    # Every university of the contest but the juror's own.
    assert offered(welcome.context["panels"][0]["form"]) == sorted(
        u.name for u in contest.universities.exclude(pk=taraz.pk)
    )
    page = welcome.content.decode()
    assert contest.name in page
    assert "In a blind round you never see who made an entry or their university." in page

    declared = client.post(url("jury_conflicts", contest), {"universities": [zhetysu.pk], "reason": "My students"})
    assert (declared.status_code, declared["Location"]) == (302, url("jury_conflicts", contest))
    # The round is blind: the declaration waits for the organisers and the juror's list stays as it is.
    assert messages_of(declared) == [BLIND_ANSWER]
    assert assigned(juror) == sorted([from_zhetysu.code, from_knu.code])
    assert list(Conflict.objects.values_list("juror", "university", "entry", "reason", "declared_by", "state")) == [
        (juror.pk, zhetysu.pk, None, "My students", juror.user.pk, "pending")
    ]
    listed = client.get(url("jury_conflicts", contest)).content.decode()
    assert "University: Zhetysu University — <small>Waiting for the organisers</small>" in listed

    # The organiser sees the conflict, and that the invitation was accepted.
    client.force_login(organiser)
    jury = client.get(url("organiser_jury", contest))
    assert [([str(c.university) for c in j.conflicts.all()], j.accepted) for j in jury.context["jurors"]] == [
        (["Zhetysu University"], True)
    ]
    assert "University: Zhetysu University" in jury.content.decode()


def test_invitation_in_kazakh_lands_on_kazakh_welcome(
    client, contest, organiser, taraz, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("organiser_jury", contest),
            {"email": "aru@example.org", "full_name": "Aru Sadyk", "university": taraz.pk, "primary_language": "kk"},
        )
    client.logout()
    link = re.findall(r"http://\S+", mail.outbox[0].body)[0].removeprefix("http://127.0.0.1:8000")
    assert link.startswith("/kk/accounts/password/reset/key/")

    form_path = client.get(link, follow=True).redirect_chain[-1][0]
    chosen = client.post(form_path, {"password1": "Tulip-meadow-42", "password2": "Tulip-meadow-42"})
    assert chosen["Location"] == url("jury_welcome", language="kk") == "/kk/jury/welcome/"
    client.post(
        login_url(chosen["Location"], "kk"),
        {"login": "aru@example.org", "password": "Tulip-meadow-42", "next": chosen["Location"]},
    )
    welcome = client.get(chosen["Location"])

    assert welcome.status_code == 200
    assert '<html lang="kk"' in welcome.content.decode()


def test_password_reset_of_participant_has_no_welcome_redirect(client, participant):
    """A participant's own "forgot password" link is unchanged: no jury page after it."""
    client.post(reverse("account_reset_password"), {"email": participant.email})
    link = re.findall(r"http://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body)[0]
    path = re.sub(r"^https?://[^/]+", "", link)

    form_path = client.get(path, follow=True).redirect_chain[-1][0]
    done = client.post(form_path, {"password1": "Tulip-meadow-42", "password2": "Tulip-meadow-42"})

    assert done.status_code == 302
    assert "jury" not in done["Location"]


# The welcome page


def test_welcome_lists_rounds_rubric_and_declared_conflicts(client, contest, seated, judged, taraz, knu):
    criteria_for(contest, 5, 3)
    Conflict.objects.create(juror=seated, university=knu)
    client.force_login(seated.user)

    response = client.get(url("jury_welcome"))

    assert response.status_code == 200
    (panel,) = response.context["panels"]
    assert [(r.name, r.assigned, r.scored) for r in panel["rounds"]] == [("Round 1", 2, 0)]
    assert [c.name for c in panel["rubric"].criteria.all()] == ["Criterion 1", "Criterion 2"]
    # The juror's own university is not offered; the list does not change with what was declared.
    assert offered(panel["form"]) == sorted(u.name for u in contest.universities.exclude(pk=taraz.pk))
    assert "Zhetysu University" in offered(panel["form"])
    page = response.content.decode()
    assert f'<a href="{url("jury_round", round_id=judged[0].pk)}">Round 1</a>' in page
    assert "University: Kyrgyz National University" in page
    assert "Entries from your own university (Taraz University) are never given to you" in page


def test_welcome_shows_only_own_seats(client, contest, seated):
    other = juror_in(ContestFactory(name="Another contest", name_en="Another contest"), None, name="Someone")
    client.force_login(seated.user)

    response = client.get(url("jury_welcome"))

    assert [panel["seat"] for panel in response.context["panels"]] == [seated]
    assert "Another contest" not in response.content.decode()
    assert other.contest.name == "Another contest"


# Declaring conflicts


def test_declare_conflict_with_entry_by_code_in_an_open_round_withdraws_its_assignment(client, contest, seated, judged):
    round, entries = judged
    round.blind = False
    round.save(update_fields=["blind"])
    client.force_login(seated.user)

    response = client.post(url("jury_conflicts", contest), {"entry_codes": entries["knu"].code.lower() + " ,"})

    assert response.status_code == 302
    assert messages_of(response) == [
        "1 conflict of interest is recorded. 1 assignment was withdrawn; "
        "the organisers will give that entry to another juror."
    ]
    assert assigned(seated) == [entries["zhetysu"].code]
    assert list(Conflict.objects.values_list("entry", "code", "university", "state")) == [
        (entries["knu"].pk, entries["knu"].code, None, "resolved")
    ]


def test_declare_conflict_with_entry_by_code_in_a_blind_round_changes_nothing_the_juror_sees(
    client, contest, seated, judged
):
    _round, entries = judged
    client.force_login(seated.user)

    response = client.post(url("jury_conflicts", contest), {"entry_codes": entries["knu"].code.lower()})

    assert messages_of(response) == [BLIND_ANSWER]
    assert assigned(seated) == sorted(entry.code for entry in entries.values())
    assert list(Conflict.objects.values_list("entry", "code", "state")) == [
        (entries["knu"].pk, entries["knu"].code, "pending")
    ]


def test_declare_conflict_without_assignments_says_none_withdrawn(client, contest, seated, knu):
    client.force_login(seated.user)

    response = client.post(url("jury_conflicts", contest), {"universities": [knu.pk]})

    assert messages_of(response) == ["1 conflict of interest is recorded. No assignment had to be withdrawn."]


def test_declare_conflict_with_unknown_codes_records_them_as_typed(client, contest, seated, judged, zhetysu):
    _round, entries = judged
    foreign = entry_from(ContestFactory(), zhetysu)
    client.force_login(seated.user)

    response = client.post(
        url("jury_conflicts", contest),
        {"universities": [zhetysu.pk], "entry_codes": f"zzzzzz, {foreign.code}, {entries['knu'].code}"},
    )

    assert (response.status_code, messages_of(response)) == (302, [BLIND_ANSWER])
    assert list(Conflict.objects.order_by("id").values_list("university", "code", "entry")) == [
        (zhetysu.pk, "", None),
        (None, "ZZZZZZ", None),
        (None, foreign.code, None),
        (None, entries["knu"].code, entries["knu"].pk),
    ]
    assert assigned(seated) == sorted(entry.code for entry in entries.values())


def test_declare_conflict_with_too_long_code_refused(client, contest, seated):
    client.force_login(seated.user)

    response = client.post(url("jury_conflicts", contest), {"entry_codes": "A" * 21})

    assert response.status_code == 400
    assert response.context["form"].errors["entry_codes"] == ["An entry code has at most 20 characters."]
    assert Conflict.objects.count() == 0


def test_declare_conflict_after_submitted_review_is_recorded_in_users_language(client, contest, seated, judged, knu):
    round, entries = judged
    (criterion,) = criteria_for(contest, 5)
    review_submit(actor=seated.user, round=round, entry=entries["knu"], scores={criterion.pk: 4})
    client.force_login(seated.user)

    response = client.post(
        url("jury_conflicts", contest, language="ru"), {"universities": [knu.pk, taraz_free(contest)]}
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        "Ваше заявление записано. Организаторы рассмотрят его и поправят ваш список работ; "
        "до тех пор ваш список не меняется."
    ]
    assert list(Conflict.objects.values_list("state", flat=True)) == ["pending", "pending"]
    assert assigned(seated) == sorted(entry.code for entry in entries.values())


def test_declare_conflict_after_submitted_review_in_an_open_round_waits_for_the_organisers(
    client, contest, seated, judged, knu, zhetysu
):
    round, entries = judged
    round.blind = False
    round.save(update_fields=["blind"])
    (criterion,) = criteria_for(contest, 5)
    review_submit(actor=seated.user, round=round, entry=entries["knu"], scores={criterion.pk: 4})
    client.force_login(seated.user)

    response = client.post(url("jury_conflicts", contest), {"universities": [knu.pk, zhetysu.pk]})

    assert messages_of(response) == [
        "2 conflicts of interest are recorded. The organisers will decide about the reviews already submitted. "
        "1 assignment was withdrawn; the organisers will give that entry to another juror."
    ]
    assert list(Conflict.objects.order_by("id").values_list("university", "state", "withdrawn")) == [
        (knu.pk, "pending", 0),
        (zhetysu.pk, "resolved", 1),
    ]
    assert assigned(seated) == [entries["knu"].code]


def taraz_free(contest):  # type: ignore[no-untyped-def]
    """Another university of the contest, declared together with the refused one."""
    university = UniversityFactory(name="Arkalyk Pedagogical Institute", name_en="Arkalyk Pedagogical Institute")
    contest.universities.add(university)
    return university.pk


def test_declare_nothing_refused(client, contest, seated):
    client.force_login(seated.user)

    response = client.post(url("jury_conflicts", contest), {"reason": "just because"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Tick a university or write an entry's code."]


def test_declare_own_university_not_offered_but_taken(client, contest, seated, judged, taraz):
    client.force_login(seated.user)

    page = client.get(url("jury_conflicts", contest))
    response = client.post(url("jury_conflicts", contest), {"universities": [taraz.pk]})

    assert "Taraz University" not in offered(page.context["form"])
    assert (response.status_code, messages_of(response)) == (302, [BLIND_ANSWER])
    assert list(Conflict.objects.values_list("university", flat=True)) == [taraz.pk]


def test_conflicts_in_closed_round_keep_assignments(client, contest, organiser, seated, zhetysu):
    entry = entry_from(contest, zhetysu)
    round = round_of(contest, [entry], [seated], k=1, status=RoundStatus.CLOSED)
    Assignment.objects.create(round=round, juror=seated, entry=entry)
    client.force_login(seated.user)

    response = client.post(url("jury_conflicts", contest), {"universities": [zhetysu.pk]})

    assert response.status_code == 302
    assert assigned(seated) == [entry.code]


# Permissions


def test_jury_welcome_pages_for_anonymous_redirect_to_login(client, contest, seated, knu):
    responses = [
        ("get", url("jury_welcome"), client.get(url("jury_welcome"))),
        ("get", url("jury_conflicts", contest), client.get(url("jury_conflicts", contest))),
        (
            "post",
            url("jury_conflicts", contest),
            client.post(url("jury_conflicts", contest), {"universities": [knu.pk]}),
        ),
    ]

    assert [(method, r.status_code, r["Location"]) for method, address, r in responses] == [
        (method, 302, login_url(address)) for method, address, _r in responses
    ]
    assert Conflict.objects.count() == 0


@pytest.fixture(params=["participant", "organiser", "juror_role_without_seat", "juror_of_another_contest"])
def seatless_user(request, contest):  # type: ignore[no-untyped-def]
    if request.param == "juror_role_without_seat":
        return ContestRoleFactory(contest=contest, role=Role.JUROR).user
    if request.param == "juror_of_another_contest":
        return juror_in(ContestFactory(), None, name="Elsewhere").user
    return request.getfixturevalue(request.param)


def test_jury_conflicts_for_others_not_found(client, contest, seated, knu, seatless_user):
    client.force_login(seatless_user)

    responses = [
        client.get(url("jury_conflicts", contest)),
        client.post(url("jury_conflicts", contest), {"universities": [knu.pk]}),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert Conflict.objects.count() == 0


@pytest.mark.parametrize("who", ["participant", "organiser", "juror"])
def test_jury_welcome_without_seat_not_found(request, client, contest, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("jury_welcome")).status_code == 404


def test_jury_conflicts_of_unknown_contest_not_found(client, seated):
    client.force_login(seated.user)

    assert client.get(url("jury_conflicts", slug="no-such-contest")).status_code == 404
