import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.http import int_to_base36

from contest.enums import Role
from contest.models import ContestRole, ParticipantProfile
from exchange.jurors_import import JUROR_COLUMNS, jurors_import
from judging.models import Juror
from tests.factories import ProfileFactory, UniversityFactory
from tests.outsiders import KINDS, account_state, outsider

User = get_user_model()

HEADER = ",".join(JUROR_COLUMNS)


@pytest.fixture
def taraz(db):  # type: ignore[no-untyped-def]
    return UniversityFactory(slug="taraz", name="M.Kh. Dulaty Taraz University", name_ru="Таразский университет")


@pytest.fixture
def knu(db):  # type: ignore[no-untyped-def]
    return UniversityFactory(slug="knu", name="Kyrgyz National University")


def write_csv(path: Path, lines: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(JUROR_COLUMNS)
    writer.writerows(lines)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


GOOD = [
    ["Dana@Example.org", "Dana Nurlanova", "Таразский университет", "ru; kk", ""],
    ["erlan@example.org", "Erlan Bekov", "KNU", "en,ru", "12"],
]


def import_file(contest, path: Path, *, execute: bool, capture, **kwargs):  # type: ignore[no-untyped-def]
    with capture(execute=execute), path.open("rb") as stream:
        return jurors_import(actor=None, contest=contest, stream=stream, **kwargs)


def jury(contest) -> list[tuple[str, str, str, list[str], int | None]]:  # type: ignore[no-untyped-def]
    return [
        (j.user.email, j.user.profile.full_name, j.university.slug, j.languages, j.max_load)
        for j in Juror.objects.filter(contest=contest).select_related("user__profile", "university").order_by("pk")
    ]


EXPECTED_JURY = [
    ("Dana@Example.org", "Dana Nurlanova", "taraz", ["ru", "kk"], None),
    ("erlan@example.org", "Erlan Bekov", "knu", ["en", "ru"], 12),
]


def test_import_jurors_csv_creates_users_profiles_jurors_and_invitations(
    contest, taraz, knu, tmp_path, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "jury.csv", GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_jurors", str(path), contest=contest.slug, stdout=io.StringIO())
    assert jury(contest) == EXPECTED_JURY
    dana = User.objects.get(email="Dana@Example.org")
    assert dana.username == "dana@example.org"
    assert not dana.has_usable_password()
    assert list(EmailAddress.objects.filter(user=dana).values_list("email", "verified", "primary")) == [
        ("dana@example.org", False, True)
    ]
    profile = ParticipantProfile.objects.get(user=dana)
    assert (profile.university, profile.preferred_language, profile.country) == (taraz, "ru", taraz.country)
    assert set(ContestRole.objects.filter(contest=contest, role=Role.JUROR).values_list("user__email", flat=True)) == {
        "Dana@Example.org",
        "erlan@example.org",
    }
    # Each in the juror's first language: Russian for Dana, English for Erlan.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["Dana@Example.org"], f"Приглашение в жюри конкурса «{contest.name}»"),
        (["erlan@example.org"], f"Invitation to the jury of {contest.name}"),
    ]
    assert f"http://127.0.0.1:8000/ru/accounts/password/reset/key/{int_to_base36(dana.pk)}-" in mail.outbox[0].body
    erlan = User.objects.get(email="erlan@example.org")
    assert f"http://127.0.0.1:8000/en/accounts/password/reset/key/{int_to_base36(erlan.pk)}-" in mail.outbox[1].body


def test_import_jurors_xlsx(contest, taraz, knu, tmp_path, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(JUROR_COLUMNS))
    sheet.append(["Dana@Example.org", "Dana Nurlanova", "Таразский университет", "ru; kk", None])
    sheet.append(["erlan@example.org", "Erlan Bekov", "KNU", "en,ru", 12])
    path = tmp_path / "jury.xlsx"
    workbook.save(path)
    result = import_file(contest, path, execute=True, capture=django_capture_on_commit_callbacks)
    assert (result.ok, result.rows, result.users_created, result.jurors_created, result.invitations) == (
        True,
        2,
        2,
        2,
        2,
    )
    assert jury(contest) == EXPECTED_JURY
    assert len(mail.outbox) == 2


def test_import_jurors_one_bad_line_imports_nothing(contest, taraz, knu, tmp_path, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "jury.csv", [*GOOD, ["zhan@example.org", "Zhan Ali", "Nowhere University", "kk", ""]])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CommandError) as raised:
        call_command("import_jurors", str(path), contest=contest.slug, stdout=io.StringIO())
    assert str(raised.value) == (
        "Nothing was imported: 1 problem in jury.csv.\n"
        "Line 4, university: Unknown university “Nowhere University”: write its short name or its name in any language."
    )
    assert Juror.objects.count() == 0
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_import_jurors_reports_every_bad_line(contest, taraz, tmp_path, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    path = write_csv(
        tmp_path / "jury.csv",
        [
            ["not-an-email", "A", "taraz", "kk", ""],
            ["b@example.org", "B", "taraz", "kk; de", "0"],
            ["c@example.org", "", "taraz", "", "two"],
            ["d@example.org", "D", "taraz", "en", "3"],
            ["D@example.org", "D", "taraz", "en", "3"],
        ],
    )
    result = import_file(contest, path, execute=True, capture=django_capture_on_commit_callbacks)
    assert [str(error) for error in result.errors] == [
        "Line 2, email: “not-an-email” is not an e-mail address.",
        "Line 3, languages: Unknown languages: de; use kk, ru, en.",
        "Line 3, max_load: Write a whole number above zero, or leave it empty for no limit.",
        "Line 4, full_name: A new juror needs a full name.",
        "Line 4, languages: Name at least one language the juror reads (kk, ru, en).",
        "Line 4, max_load: Write a whole number above zero, or leave it empty for no limit.",
        "Line 6, email: This e-mail is already on line 5.",
    ]
    assert (result.jurors_created, result.invitations) == (0, 0)
    assert Juror.objects.count() == 0
    assert mail.outbox == []


def test_import_jurors_wrong_header(contest, tmp_path, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    path = tmp_path / "jury.csv"
    path.write_text("email,full_name,university,languages\nx@example.org,X,taraz,kk\n", encoding="utf-8")
    result = import_file(contest, path, execute=True, capture=django_capture_on_commit_callbacks)
    assert [str(error) for error in result.errors] == ["Line 1, max_load: Missing columns: max_load."]


def test_import_jurors_rerun_updates_without_duplicates_or_second_email(
    contest, taraz, knu, tmp_path, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    import_file(contest, write_csv(tmp_path / "a.csv", GOOD), execute=True, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    changed = [
        ["dana@example.org", "Dana Nurlanqyzy", "knu", "kk", "5"],
        ["erlan@example.org", "Erlan Bekov", "KNU", "en,ru", "12"],
    ]
    result = import_file(
        contest, write_csv(tmp_path / "b.csv", changed), execute=True, capture=django_capture_on_commit_callbacks
    )
    assert (
        result.users_created,
        result.jurors_created,
        result.jurors_updated,
        result.jurors_unchanged,
        result.invitations,
    ) == (0, 0, 1, 1, 0)
    # Dana's account exists by then: her seat changes, her name stays as it is.
    assert jury(contest) == [
        ("Dana@Example.org", "Dana Nurlanova", "knu", ["kk"], 5),
        ("erlan@example.org", "Erlan Bekov", "knu", ["en", "ru"], 12),
    ]
    assert User.objects.count() == 2
    assert ContestRole.objects.filter(contest=contest, role=Role.JUROR).count() == 2
    assert mail.outbox == []


def test_import_jurors_dry_run_changes_nothing(contest, taraz, knu, tmp_path, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "jury.csv", GOOD)
    result = import_file(contest, path, execute=True, capture=django_capture_on_commit_callbacks, dry_run=True)
    assert (result.ok, result.jurors_created, result.invitations) == (True, 2, 2)
    assert Juror.objects.count() == 0
    assert mail.outbox == []


def test_import_jurors_existing_user_keeps_password(contest, taraz, tmp_path, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    profile = ProfileFactory(full_name="Old Name", university=taraz, preferred_language="en")
    email = profile.user.email
    path = write_csv(tmp_path / "jury.csv", [[email.upper(), "", "taraz", "en", ""]])
    result = import_file(contest, path, execute=True, capture=django_capture_on_commit_callbacks)
    assert (result.users_created, result.jurors_created) == (0, 1)
    assert jury(contest) == [(email, "Old Name", "taraz", ["en"], None)]
    profile.user.refresh_from_db()
    assert profile.user.check_password("correct-horse-9")
    assert "Log in with your usual password" in mail.outbox[0].body


def test_invitation_link_sets_password_and_logs_in(
    contest, taraz, tmp_path, client, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "jury.csv", [["aru@example.org", "Aru Sadyk", "taraz", "en", ""]])
    import_file(contest, path, execute=True, capture=django_capture_on_commit_callbacks)
    user = User.objects.get(email="aru@example.org")
    (message,) = mail.outbox
    assert message.subject == f"Invitation to the jury of {contest.name}"
    links = re.findall(r"http://\S+", message.body)
    prefix = "http://127.0.0.1:8000/en/accounts/password/reset/key/" + f"{int_to_base36(user.pk)}-"
    assert [link.startswith(prefix) for link in links] == [True, False]
    link_path = links[0].removeprefix("http://127.0.0.1:8000")

    page = client.get(link_path, follow=True)
    assert page.status_code == 200
    form_path = page.redirect_chain[-1][0] if page.redirect_chain else link_path
    done = client.post(form_path, {"password1": "Tulip-meadow-42", "password2": "Tulip-meadow-42"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Tulip-meadow-42")
    # Following the link proved the address: no second confirmation before the first login.
    assert EmailAddress.objects.get(user=user).verified is True

    client.logout()
    login = client.post(reverse("account_login"), {"login": "aru@example.org", "password": "Tulip-meadow-42"})
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    # The link works once.
    client.logout()
    again = client.get(link_path, follow=True)
    assert again.context["token_fail"] is True


@pytest.mark.parametrize("kind", KINDS)
def test_import_jurors_command_when_email_of_existing_account_changes_nothing_of_it(
    contest, taraz, tmp_path, django_capture_on_commit_callbacks, kind
):  # type: ignore[no-untyped-def]
    person = outsider(kind)
    before = account_state(person)
    profiles = ParticipantProfile.objects.count()
    path = write_csv(tmp_path / "jury.csv", [[person.email.upper(), "Renamed By Organiser", "taraz", "ru;en", "7"]])
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_jurors", str(path), contest=contest.slug, stdout=out)

    assert account_state(person) == before
    assert "Accounts created: 0" in out.getvalue()
    assert "Existing accounts linked: 1" in out.getvalue()
    assert ParticipantProfile.objects.count() == profiles
    seat = Juror.objects.get(contest=contest)
    assert (seat.user_id, seat.university, seat.languages, seat.max_load) == (person.pk, taraz, ["ru", "en"], 7)
    assert ContestRole.objects.filter(contest=contest, user=person, role=Role.JUROR).count() == 1
    assert [m.to for m in mail.outbox] == [[person.email]]


@pytest.mark.parametrize("kind", KINDS)
def test_import_jurors_preview_of_existing_account_shows_only_the_file(
    contest, taraz, tmp_path, django_capture_on_commit_callbacks, kind
):  # type: ignore[no-untyped-def]
    person = outsider(kind)
    path = write_csv(tmp_path / "jury.csv", [[person.email, "", "taraz", "kk", ""]])

    result = import_file(contest, path, execute=True, capture=django_capture_on_commit_callbacks, dry_run=True)

    assert (result.errors, result.users_created, result.users_existing, result.jurors_created) == ([], 0, 1, 1)
    assert [(p.email, p.full_name, p.university, p.languages, p.existing_account) for p in result.preview] == [
        (person.email, "", "taraz", ("kk",), True)
    ]
