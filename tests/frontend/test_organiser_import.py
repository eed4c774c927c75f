import csv
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from contest.enums import EntryStatus, Role
from contest.models import Entry, ParticipantProfile, University
from exchange.entries_import import ALL_COLUMNS
from frontend.organiser.views.importing import PENDING_KEY
from tests.factories import ContestFactory, ContestRoleFactory, NominationFactory, UserFactory
from tests.outsiders import KINDS, account_state, outsider


def url(name, contest, language="en"):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug})


def csv_upload(rows, name="entries.csv"):  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ALL_COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in ALL_COLUMNS])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def good_rows(nomination):  # type: ignore[no-untyped-def]
    return [
        {
            "email": "aigerim@example.org",
            "full_name": "Aigerim Sadykova",
            "university": "Zhetysu University",
            "country": "KZ",
            "title": "Fractions with Wordwall",
            "nomination": nomination.slug,
            "platforms": "Wordwall; Canva",
            "link": "https://wordwall.net/resource/1",
        },
        {
            "email": "bakyt@example.org",
            "full_name": "Bakyt Osmonov",
            "title": "Geometry in ROQED",
            "nomination": nomination.slug,
            "platforms": "ROQED",
            "status": "draft",
        },
    ]


def stored_imports():  # type: ignore[no-untyped-def]
    if not default_storage.exists("imports"):
        return []
    return default_storage.listdir("imports")[1]


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


def test_import_page_for_organiser(organiser_client, contest):
    response = organiser_client.get(url("organiser_import", contest))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Import participants and entries" in body
    assert 'enctype="multipart/form-data"' in body
    assert url("organiser_import_template", contest) in body


def test_import_pages_carry_the_organiser_tabs_with_import_current(organiser_client, contest, nomination, platforms):
    current = f'<a href="{url("organiser_import", contest)}" aria-current="page">'
    dashboard = f'<a href="{url("organiser_dashboard", contest)}"'

    upload = organiser_client.get(url("organiser_import", contest)).content.decode()
    preview = organiser_client.post(
        url("organiser_import", contest), {"file": csv_upload(good_rows(nomination))}
    ).content.decode()

    for page in (upload, preview):
        assert current in page
        assert dashboard in page


def test_import_preview_then_confirm_for_organiser(organiser_client, contest, nomination, platforms):
    response = organiser_client.post(url("organiser_import", contest), {"file": csv_upload(good_rows(nomination))})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Import preview" in body
    assert "Fractions with Wordwall" in body and "Geometry in ROQED" in body
    assert response.context["result"].entries_created == 2
    assert response.context["result"].participants_created == 2
    assert Entry.objects.filter(contest=contest).count() == 0
    pending = organiser_client.session[PENDING_KEY]
    assert stored_imports() == [f"{pending['token']}.csv"]
    assert f'name="token" value="{pending["token"]}"' in body

    response = organiser_client.post(url("organiser_import_confirm", contest), {"token": pending["token"]})

    assert response.status_code == 302
    assert response["Location"] == url("organiser_import", contest)
    entries = {e.title: e for e in Entry.objects.filter(contest=contest)}
    assert sorted(entries) == ["Fractions with Wordwall", "Geometry in ROQED"]
    assert entries["Fractions with Wordwall"].status == EntryStatus.SUBMITTED
    assert entries["Geometry in ROQED"].status == EntryStatus.DRAFT
    assert entries["Fractions with Wordwall"].author.profile.university.name_en == "Zhetysu University"
    assert stored_imports() == []
    assert PENDING_KEY not in organiser_client.session
    page = organiser_client.get(response["Location"]).content.decode()
    assert "Imported 2 lines. Entries created: 2, updated: 0, unchanged: 0." in page


def test_import_preview_of_xlsx_for_organiser(organiser_client, contest, nomination, platforms):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(list(ALL_COLUMNS))
    workbook.active.append(["a@example.org", "A", "", "", "", "T", "", nomination.slug, "Canva", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("entries.xlsx", buffer.getvalue())

    response = organiser_client.post(url("organiser_import", contest), {"file": upload})

    assert response.context["result"].entries_created == 1
    assert stored_imports() == [f"{organiser_client.session[PENDING_KEY]['token']}.xlsx"]


def test_import_preview_lists_bad_lines_and_keeps_nothing(organiser_client, contest, nomination, platforms):
    rows = good_rows(nomination)
    rows.append({**rows[0], "title": "Another", "nomination": "no such nomination", "link": "javascript:alert(1)"})

    response = organiser_client.post(url("organiser_import", contest), {"file": csv_upload(rows)})

    assert response.status_code == 200
    body = response.content.decode()
    assert "The file cannot be imported" in body
    assert [(e.line, e.column) for e in response.context["result"].errors] == [(4, "nomination"), (4, "link")]
    assert "Unknown nomination “no such nomination”" in body
    assert 'name="token"' not in body
    assert stored_imports() == []
    assert PENDING_KEY not in organiser_client.session
    assert Entry.objects.count() == 0


def test_import_confirm_with_wrong_token_imports_nothing(organiser_client, contest, nomination, platforms):
    organiser_client.post(url("organiser_import", contest), {"file": csv_upload(good_rows(nomination))})

    response = organiser_client.post(url("organiser_import_confirm", contest), {"token": "../../etc/passwd"})

    assert response.status_code == 302
    assert Entry.objects.count() == 0
    assert len(stored_imports()) == 1


def test_import_cancel_deletes_the_file(organiser_client, contest, nomination, platforms):
    organiser_client.post(url("organiser_import", contest), {"file": csv_upload(good_rows(nomination))})

    response = organiser_client.post(url("organiser_import_cancel", contest))

    assert response.status_code == 302
    assert stored_imports() == []
    assert PENDING_KEY not in organiser_client.session
    assert Entry.objects.count() == 0


def test_import_refuses_other_file_types(organiser_client, contest):
    upload = SimpleUploadedFile("entries.pdf", b"%PDF-1.4\n")

    response = organiser_client.post(url("organiser_import", contest), {"file": upload})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert stored_imports() == []


def test_import_template_for_organiser(organiser_client, contest):
    response = organiser_client.get(url("organiser_import_template", contest))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig").splitlines()[0] == ",".join(ALL_COLUMNS)


def test_import_for_superuser(client, contest):
    client.force_login(UserFactory(is_superuser=True))

    assert client.get(url("organiser_import", contest)).status_code == 200


@pytest.mark.parametrize("name", ["organiser_import", "organiser_import_template"])
def test_import_pages_for_anonymous_redirect_to_login(client, contest, name):
    response = client.get(url(name, contest))

    assert response.status_code == 302
    with translation.override("en"):
        login = reverse("account_login")
    assert response["Location"] == f"{login}?next={url(name, contest)}"


def test_import_upload_for_anonymous_imports_nothing(client, contest, nomination, platforms):
    response = client.post(url("organiser_import", contest), {"file": csv_upload(good_rows(nomination))})

    assert response.status_code == 302
    assert Entry.objects.count() == 0
    assert stored_imports() == []


@pytest.fixture(params=["participant", "juror", "organiser_of_another_contest"])
def refused_user(request, contest):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    return request.getfixturevalue(request.param)


def test_import_pages_for_others_forbidden(client, contest, nomination, platforms, refused_user):
    client.force_login(refused_user)

    responses = [
        client.get(url("organiser_import", contest)),
        client.get(url("organiser_import_template", contest)),
        client.post(url("organiser_import", contest), {"file": csv_upload(good_rows(nomination))}),
        client.post(url("organiser_import_confirm", contest), {"token": "0" * 32}),
        client.post(url("organiser_import_cancel", contest)),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403, 403]
    assert Entry.objects.count() == 0
    assert stored_imports() == []


def test_import_confirm_of_another_contests_file_refused(client, contest, nomination, platforms):
    """A file previewed for one contest cannot be imported into another one."""
    other = ContestFactory()
    NominationFactory(contest=other, slug=nomination.slug)
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    ContestRoleFactory(contest=other, user=organiser, role=Role.ORGANISER)
    client.force_login(organiser)
    client.post(url("organiser_import", contest), {"file": csv_upload(good_rows(nomination))})
    token = client.session[PENDING_KEY]["token"]

    response = client.post(url("organiser_import_confirm", other), {"token": token})

    assert response.status_code == 302
    assert Entry.objects.count() == 0


#: How a preview names a line whose e-mail has an account, in each language.
EXISTING_ACCOUNT = {"en": "existing account", "ru": "существующая учётная запись", "kk": "бар тіркелгі"}
#: Pieces of what the other people have stored; none may appear on another contest's pages.
STORED = ("Stored-Name", "Secret Institute", "Stored programme")


def outsider_row(person, nomination):  # type: ignore[no-untyped-def]
    return {
        "email": person.email.upper(),
        "full_name": "Renamed By Organiser",
        "university": "Zhetysu University",
        "programme": "Programme From File",
        "country": "KZ",
        "title": "Fractions with Wordwall",
        "nomination": nomination.slug,
        "platforms": "Wordwall",
    }


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_import_preview_of_existing_account_shows_only_the_file(
    organiser_client, contest, nomination, platforms, kind, language
):
    person = outsider(kind)
    row = {**outsider_row(person, nomination), "full_name": "", "university": ""}

    response = organiser_client.post(url("organiser_import", contest, language), {"file": csv_upload([row])})

    assert response.status_code == 200
    body = response.content.decode()
    assert [piece for piece in STORED if piece in body] == []
    assert f"<td>{EXISTING_ACCOUNT[language]}</td>" in body
    assert [(p.full_name, p.university, p.existing_account) for p in response.context["result"].preview] == [
        ("", "", True)
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_import_confirm_links_existing_account_and_changes_nothing_of_it(
    organiser_client, contest, nomination, platforms, kind
):
    person = outsider(kind)
    before = account_state(person)
    profiles = ParticipantProfile.objects.count()
    preview = organiser_client.post(
        url("organiser_import", contest), {"file": csv_upload([outsider_row(person, nomination)])}
    )
    body = preview.content.decode()
    assert [piece for piece in STORED if piece in body] == []
    assert "<td>Renamed By Organiser</td>" in body and "<td>existing account</td>" in body

    response = organiser_client.post(
        url("organiser_import_confirm", contest), {"token": organiser_client.session[PENDING_KEY]["token"]}
    )

    assert response.status_code == 302
    assert account_state(person) == before
    assert ParticipantProfile.objects.count() == profiles
    entry = Entry.objects.get(contest=contest)
    assert (entry.author_id, entry.author_university) == (person.pk, University.objects.get(name="Zhetysu University"))
    page = organiser_client.get(response["Location"]).content.decode()
    assert "Participants created: 0, existing accounts linked: 1." in page
