import csv
import io
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from contest.enums import Country, EntryStatus
from contest.models import Entry, ParticipantProfile, Platform, University
from exchange.entries_import import ALL_COLUMNS, entries_import
from exchange.sheets import LineError
from media_pipeline.enums import MediaKind
from tests.factories import ContestFactory, EntryFactory, NominationFactory, UniversityFactory
from tests.outsiders import KINDS, account_state, outsider

User = get_user_model()
CORPUS_PDF = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "pdf" / "unstructured_fake_memo.pdf"


def line(**cells: str) -> dict[str, str]:
    """One line of an import file: every column empty unless given."""
    return {column: cells.get(column, "") for column in ALL_COLUMNS}


def write_csv(path: Path, rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = False) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(ALL_COLUMNS)
    for row in rows:
        writer.writerow([row[column] for column in ALL_COLUMNS])
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def run(contest, rows, tmp_path, **kwargs):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "entries.csv", rows)
    with path.open("rb") as stream:
        return entries_import(actor=None, contest=contest, stream=stream, media_dir=tmp_path, **kwargs)


@pytest.fixture
def taraz(contest):  # type: ignore[no-untyped-def]
    university = UniversityFactory(slug="taraz", name="M.Kh. Dulaty Taraz University", name_ru="Таразский университет")
    contest.universities.add(university)
    return university


@pytest.fixture
def quiz(contest):  # type: ignore[no-untyped-def]
    return NominationFactory(
        contest=contest, slug="quiz", name="Best quiz", name_en="Best quiz", name_ru="Лучшая викторина"
    )


def good_rows() -> list[dict[str, str]]:
    return [
        line(
            email="Aigerim@Example.org",
            full_name="Aigerim Sadykova",
            university="m.kh. dulaty taraz university",
            programme="Pedagogy",
            country="KZ",
            title="Fractions with Wordwall",
            description="A quiz for the fifth grade.",
            nomination="quiz",
            platforms="wordwall; Canva",
            link="https://wordwall.net/resource/1",
        ),
        line(
            email="aigerim@example.org",
            title="Verbs with Genially",
            nomination="Лучшая викторина",
            platforms="Genially",
            status="draft",
        ),
        line(
            email="bakyt@example.org",
            full_name="Bakyt Osmonov",
            university="Kyrgyz National University",
            programme="Mathematics education",
            country="Кыргызстан",
            title="Geometry in ROQED",
            nomination="Best quiz",
            platforms="ROQED;Wordwall",
            status="withdrawn",
        ),
    ]


def test_import_entries_when_csv_good(contest, taraz, quiz, platforms, tmp_path):
    path = write_csv(tmp_path / "entries.csv", good_rows())
    out = io.StringIO()

    call_command("import_entries", "--contest", contest.slug, str(path), stdout=out)

    assert "Participants created: 2" in out.getvalue()
    assert "Entries created: 3" in out.getvalue()
    assert "Universities created: 1" in out.getvalue()
    assert "Platforms created: 2" in out.getvalue()
    aigerim = User.objects.get(email="Aigerim@Example.org")
    assert aigerim.username == "aigerim@example.org"
    assert aigerim.has_usable_password() is False
    assert list(EmailAddress.objects.filter(user=aigerim).values_list("email", "verified", "primary")) == [
        ("aigerim@example.org", False, True)
    ]
    profile = aigerim.profile
    assert (profile.full_name, profile.university, profile.programme, profile.country, profile.preferred_language) == (
        "Aigerim Sadykova",
        taraz,
        "Pedagogy",
        Country.KZ,
        settings.LANGUAGE_CODE,
    )
    bakyt = ParticipantProfile.objects.get(user__email="bakyt@example.org")
    knu = University.objects.get(slug="kyrgyz-national-university")
    assert (bakyt.full_name, bakyt.university, bakyt.country) == ("Bakyt Osmonov", knu, Country.KG)
    assert (knu.name_en, knu.country) == ("Kyrgyz National University", Country.KG)
    assert set(contest.universities.all()) >= {taraz, knu}
    entries = {e.title: e for e in Entry.objects.filter(contest=contest).prefetch_related("platforms")}
    assert sorted(entries) == ["Fractions with Wordwall", "Geometry in ROQED", "Verbs with Genially"]
    fractions = entries["Fractions with Wordwall"]
    assert (fractions.author, fractions.nomination, fractions.status, fractions.live_url) == (
        aigerim,
        quiz,
        EntryStatus.SUBMITTED,
        "https://wordwall.net/resource/1",
    )
    assert fractions.description == "A quiz for the fifth grade."
    assert fractions.submitted_at is not None
    assert sorted(p.name for p in fractions.platforms.all()) == ["Canva", "Wordwall"]
    verbs = entries["Verbs with Genially"]
    assert (verbs.status, verbs.submitted_at, verbs.author) == (EntryStatus.DRAFT, None, aigerim)
    assert [p.name for p in verbs.platforms.all()] == ["Genially"]
    assert entries["Geometry in ROQED"].status == EntryStatus.WITHDRAWN
    assert sorted(p.name for p in entries["Geometry in ROQED"].platforms.all()) == ["ROQED", "Wordwall"]
    assert sorted(Platform.objects.filter(contest=contest).values_list("slug", flat=True)) == sorted(
        [platforms[0].slug, platforms[1].slug, "genially", "roqed"]
    )


def test_import_entries_when_xlsx_good(contest, taraz, quiz, platforms, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([" Email ", "FULL_NAME", "University", "programme", "country", "Title", "description"]
                 + ["nomination", "platforms", "link", "Status", "code"])  # fmt: skip
    sheet.append(["dana@example.org", "Дана Ержанова", "Жетісу университеті", "", "Қазақстан", "Сабақ", ""]
                 + ["quiz", "Wordwall", "", "", 20251])  # fmt: skip
    sheet.append([None] * 12)
    sheet.append(["erlan@example.org", "Erlan Abenov", "Таразский университет", "History", "kz", "Quiz", "Text"]
                 + ["Best quiz", "canva", "http://example.org/a", "Submitted", None])  # fmt: skip
    path = tmp_path / "entries.xlsx"
    workbook.save(path)

    with path.open("rb") as stream:
        result = entries_import(actor=None, contest=contest, stream=stream)

    assert result.errors == []
    assert (result.rows, result.participants_created, result.entries_created, result.universities_created) == (
        2,
        2,
        2,
        1,
    )
    dana = Entry.objects.get(contest=contest, code="20251")
    assert (dana.title, dana.author.profile.full_name, dana.author.profile.country) == ("Сабақ", "Дана Ержанова", "KZ")
    zhetysu = dana.author.profile.university
    assert (zhetysu.slug, zhetysu.name_kk, zhetysu.name_ru, zhetysu.name_en) == (
        "zhetisu-universiteti",
        "Жетісу университеті",
        None,
        None,
    )
    erlan = Entry.objects.get(contest=contest, author__email="erlan@example.org")
    assert (erlan.title, erlan.author.profile.university, erlan.status, erlan.live_url) == (
        "Quiz",
        taraz,
        EntryStatus.SUBMITTED,
        "http://example.org/a",
    )
    assert [p.name for p in erlan.platforms.all()] == ["Canva"]
    assert [row.line for row in result.preview] == [2, 4]


def test_import_entries_when_semicolons_and_bom(contest, quiz, platforms, tmp_path):
    rows = [line(email="a@example.org", full_name="A, B", title="T; one", nomination="quiz", platforms="Canva")]
    path = write_csv(tmp_path / "entries.csv", rows, delimiter=";", bom=True)

    with path.open("rb") as stream:
        result = entries_import(actor=None, contest=contest, stream=stream)

    assert result.errors == []
    entry = Entry.objects.get(contest=contest)
    assert (entry.title, entry.author.profile.full_name) == ("T; one", "A, B")


def test_import_entries_when_unknown_nomination_on_line_4_imports_nothing(contest, taraz, quiz, platforms, tmp_path):
    rows = [*good_rows(), line(email="c@example.org", full_name="C", title="T", nomination="Best video", platforms="X")]
    rows[2]["nomination"] = "no such nomination"
    rows[3]["nomination"] = "quiz"
    path = write_csv(tmp_path / "entries.csv", rows)
    counts = (User.objects.count(), Entry.objects.count(), University.objects.count(), Platform.objects.count())

    with pytest.raises(CommandError) as refused:
        call_command("import_entries", "--contest", contest.slug, str(path), stdout=io.StringIO())

    message = str(refused.value)
    assert message.startswith("Nothing was imported: 1 problem in entries.csv.\n")
    assert "Line 4, nomination: Unknown nomination “no such nomination”; this contest has: quiz." in message
    assert (User.objects.count(), Entry.objects.count(), University.objects.count(), Platform.objects.count()) == counts


def test_import_entries_when_several_bad_lines_reports_all(contest, quiz, platforms, tmp_path):
    ok = {"full_name": "A", "nomination": "quiz", "platforms": "Canva"}
    rows = [
        line(email="not-an-email", title="T1", **ok),
        line(email="b@example.org", title="T2", link="ftp://example.org/x", **ok),
        line(email="c@example.org", title="T3", **ok),
        line(email="d@example.org", title="", status="sent", country="Atlantis", **ok),
        line(email="e@example.org", title="T5", full_name="E", nomination="quiz", platforms=" ; "),
        line(email="f@example.org", title="T6", nomination="quiz", platforms="Canva"),
    ]

    result = run(contest, rows, tmp_path)

    assert [(e.line, e.column) for e in result.errors] == [
        (2, "email"),
        (3, "link"),
        (5, "country"),
        (5, "title"),
        (5, "status"),
        (6, "platforms"),
        (7, "full_name"),
    ]
    assert result.errors[1].message == "Enter a link that starts with http:// or https://."
    assert result.errors[4].message == "Unknown status “sent”; use one of: draft, submitted, withdrawn."
    assert result.errors[6].message == "A new participant needs a full name."
    assert (result.entries_created, result.participants_created, result.preview) == (0, 0, [])
    assert Entry.objects.count() == 0
    assert User.objects.filter(email="c@example.org").exists() is False


def test_import_entries_when_header_wrong(contest, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_text("E-mail,full_name,title,Shoe size\nx@example.org,X,T,42\n", encoding="utf-8")

    with path.open("rb") as stream:
        result = entries_import(actor=None, contest=contest, stream=stream)

    assert [str(e) for e in result.errors] == [
        "Line 1, e-mail, shoe size: Unknown columns: e-mail, shoe size. The columns are: "
        + ", ".join(ALL_COLUMNS)
        + ".",
        "Line 1, email, university, programme, country, description, nomination, platforms, link: "
        "Missing columns: email, university, programme, country, description, nomination, platforms, link.",
    ]


def test_import_entries_when_not_utf8(contest, tmp_path):
    path = tmp_path / "entries.csv"
    path.write_bytes(",".join(ALL_COLUMNS).encode() + "\nПривет\n".encode("cp1251"))

    with path.open("rb") as stream:
        result = entries_import(actor=None, contest=contest, stream=stream)

    assert result.errors == [LineError(0, "", "The file is not UTF-8 text: save it as “CSV UTF-8” or as XLSX.")]


def test_import_entries_when_upsert_by_code(contest, quiz, platforms, participant, tmp_path):
    entry = EntryFactory(contest=contest, author=participant, title="Old title", platforms=[platforms[0]])
    entry.code = "ABC123"
    entry.save(update_fields=["code"])
    row = line(email=participant.email.upper(), title="New title", nomination="quiz", platforms="Canva", code="abc123")

    result = run(contest, [row], tmp_path)

    assert result.errors == []
    assert (result.entries_created, result.entries_updated, result.participants_created) == (0, 1, 0)
    entry.refresh_from_db()
    assert (entry.title, entry.nomination, entry.status) == ("New title", quiz, EntryStatus.SUBMITTED)
    assert entry.submitted_at is not None
    assert [p.name for p in entry.platforms.all()] == ["Canva"]
    assert Entry.objects.filter(contest=contest).count() == 1


def test_import_entries_when_new_code_given(contest, quiz, platforms, tmp_path):
    row = line(email="a@example.org", full_name="A", title="T", nomination="quiz", platforms="Canva", code="imp-001")

    result = run(contest, [row], tmp_path)

    assert result.errors == []
    assert list(Entry.objects.filter(contest=contest).values_list("code", flat=True)) == ["IMP-001"]


def test_import_entries_when_code_of_another_participant(contest, quiz, platforms, participant, tmp_path):
    entry = EntryFactory(contest=contest, author=participant, title="Mine")
    row = line(email="intruder@example.org", full_name="I", title="Mine", nomination="quiz", platforms="Canva")
    row["code"] = entry.code

    result = run(contest, [row], tmp_path)

    assert [str(e) for e in result.errors] == [f"Line 2, code: The entry {entry.code} belongs to another participant."]
    entry.refresh_from_db()
    assert entry.author == participant


def test_import_entries_when_upsert_by_email_and_title(contest, quiz, platforms, tmp_path):
    row = line(email="a@example.org", full_name="A", title="Fractions", nomination="quiz", platforms="Canva")
    assert run(contest, [row], tmp_path).entries_created == 1
    entry = Entry.objects.get(contest=contest)
    submitted_at = entry.submitted_at

    again = run(contest, [row], tmp_path)
    row.update(title="  FRACTIONS ", description="Now with a description", full_name="A. Aliyeva")
    changed = run(contest, [row], tmp_path)

    assert (again.entries_created, again.entries_updated, again.entries_unchanged, again.participants_existing) == (
        0,
        0,
        1,
        1,
    )
    assert (changed.entries_created, changed.entries_updated, changed.participants_existing) == (0, 1, 1)
    assert [p.action for p in again.preview + changed.preview] == ["unchanged", "update"]
    entry.refresh_from_db()
    assert (entry.title, entry.description, entry.submitted_at) == ("FRACTIONS", "Now with a description", submitted_at)
    # The account exists by then: the import links it and leaves its name as it is.
    assert entry.author.profile.full_name == "A"
    assert Entry.objects.filter(contest=contest).count() == 1
    assert User.objects.filter(email__iexact="a@example.org").count() == 1


def test_import_entries_when_same_entry_twice_in_file(contest, quiz, platforms, tmp_path):
    row = line(email="a@example.org", full_name="A", title="Fractions", nomination="quiz", platforms="Canva")

    result = run(contest, [row, {**row, "email": "A@example.org", "title": "fractions"}], tmp_path)

    assert [str(e) for e in result.errors] == ["Line 3, title: This line is the same entry as line 2."]


def test_import_entries_when_participant_lines_disagree(contest, taraz, quiz, platforms, tmp_path):
    row = line(email="a@example.org", full_name="A", title="One", nomination="quiz", platforms="Canva", country="KZ")

    result = run(contest, [row, {**row, "title": "Two", "country": "Kyrgyzstan"}], tmp_path)

    assert [str(e) for e in result.errors] == ["Line 3, country: This differs from line 2 for the same e-mail."]


def test_import_entries_when_dry_run(contest, quiz, platforms, tmp_path):
    row = line(email="a@example.org", full_name="A", title="T", nomination="quiz", platforms="Padlet", university="U")

    result = run(contest, [row], tmp_path, dry_run=True)

    assert (result.dry_run, result.participants_created, result.entries_created) == (True, 1, 1)
    assert (result.universities_created, result.platforms_created) == (1, 1)
    assert [(p.line, p.email, p.title, p.platforms, p.action) for p in result.preview] == [
        (2, "a@example.org", "T", ("Padlet",), "create")
    ]
    assert (User.objects.filter(email="a@example.org").exists(), Entry.objects.count()) == (False, 0)
    assert Platform.objects.filter(name="Padlet").exists() is False


def test_import_entries_when_deadline_passed(db, tmp_path):
    now = timezone.now()
    contest = ContestFactory(submissions_open=now - timedelta(days=20), submissions_close=now - timedelta(days=1))
    NominationFactory(contest=contest, slug="quiz")
    row = line(email="a@example.org", full_name="A", title="T", nomination="quiz", platforms="Canva")

    result = run(contest, [row], tmp_path)

    assert (result.errors, result.entries_created) == ([], 1)


def test_import_entries_when_media_absolute_path(contest, quiz, platforms, tmp_path):
    assert CORPUS_PDF.is_file(), f"the test corpus must sit beside the repository: {CORPUS_PDF}"
    row = line(email="a@example.org", full_name="A", title="T", nomination="quiz", platforms="Canva")
    row["media"] = str(CORPUS_PDF)

    result = run(contest, [row], tmp_path)

    assert (result.errors, result.media_attached) == ([], 1)
    entry = Entry.objects.select_related("media").get(contest=contest)
    assert (entry.media.kind, entry.media.original_name, entry.media.size) == (
        MediaKind.PDF,
        "unstructured_fake_memo.pdf",
        CORPUS_PDF.stat().st_size,
    )
    assert entry.media.uploaded_by == entry.author
    assert entry.media.original.read() == CORPUS_PDF.read_bytes()
    assert run(contest, [row], tmp_path).media_attached == 0


def test_import_entries_when_media_relative_to_current_directory(contest, quiz, platforms, tmp_path, monkeypatch):
    assert CORPUS_PDF.is_file(), f"the test corpus must sit beside the repository: {CORPUS_PDF}"
    monkeypatch.chdir(settings.BASE_DIR)
    row = line(email="a@example.org", full_name="A", title="T", nomination="quiz", platforms="Canva")
    row["media"] = "../shared/corpus/pdf/unstructured_fake_memo.pdf"
    path = write_csv(tmp_path / "entries.csv", [row])

    call_command("import_entries", "--contest", contest.slug, str(path), stdout=io.StringIO())

    entry = Entry.objects.select_related("media").get(contest=contest)
    assert (entry.media.kind, entry.media.original_name) == (MediaKind.PDF, "unstructured_fake_memo.pdf")


def test_import_entries_when_media_not_video_or_presentation(contest, quiz, platforms, tmp_path):
    (tmp_path / "notes.txt").write_text("Just some notes, not a lesson.", encoding="utf-8")
    rows = [
        line(email="a@example.org", full_name="A", title="T", nomination="quiz", platforms="Canva", media="notes.txt"),
        line(email="b@example.org", full_name="B", title="T", nomination="quiz", platforms="Canva", media="gone.mp4"),
    ]

    result = run(contest, rows, tmp_path)

    assert [str(e) for e in result.errors] == [
        "Line 2, media: This file is neither a video nor a presentation. "
        "Upload a video (MP4, MOV, WebM, MKV, AVI, 3GP) or a presentation (PPTX, ODP, PPT, PDF).",
        "Line 3, media: There is no file at gone.mp4.",
    ]
    assert Entry.objects.count() == 0


def test_import_entries_when_media_without_media_dir(contest, quiz, platforms, tmp_path):
    row = line(
        email="a@example.org", full_name="A", title="T", nomination="quiz", platforms="Canva", media="/etc/hosts"
    )
    path = write_csv(tmp_path / "entries.csv", [row])

    with path.open("rb") as stream:
        result = entries_import(actor=None, contest=contest, stream=stream)

    assert [str(e) for e in result.errors] == [
        "Line 2, media: Files can only be attached by the import command on the server."
    ]


def test_import_entries_when_500_rows_queries_bounded(
    contest, quiz, platforms, tmp_path, django_assert_max_num_queries
):
    existing = UniversityFactory(name="Zhetysu University", name_en="Zhetysu University")
    rows = [
        line(
            email=f"student{n // 2}@example.org",
            full_name=f"Student {n // 2}",
            university="zhetysu university" if n % 4 < 2 else f"New University {(n // 2) % 3}",
            programme="Pedagogy",
            country="KZ",
            title=f"Lesson {n}",
            description="A lesson.",
            nomination="quiz",
            platforms="Wordwall; Canva" if n % 2 else f"Platform {n % 5}",
            link=f"https://example.org/{n}",
        )
        for n in range(500)
    ]
    path = write_csv(tmp_path / "entries.csv", rows)
    out = io.StringIO()

    with django_assert_max_num_queries(25):
        call_command("import_entries", "--contest", contest.slug, str(path), stdout=out)

    assert "Entries created: 500" in out.getvalue()
    assert "Participants created: 250" in out.getvalue()
    assert "Took " in out.getvalue()
    assert Entry.objects.filter(contest=contest).count() == 500
    assert ParticipantProfile.objects.filter(university=existing).count() == 125
    assert University.objects.filter(name_en__startswith="New University").count() == 3
    assert Entry.platforms.through.objects.filter(entry__contest=contest).count() == 750

    for row in rows:
        row.update(description="Changed.", platforms="Canva", full_name=row["full_name"].upper())
    path = write_csv(tmp_path / "entries.csv", rows)
    with django_assert_max_num_queries(25):
        call_command("import_entries", "--contest", contest.slug, str(path), stdout=out)

    assert "Entries updated: 500" in out.getvalue()
    assert "Existing accounts linked: 250" in out.getvalue()
    assert ParticipantProfile.objects.filter(full_name__startswith="STUDENT").count() == 0
    assert Entry.platforms.through.objects.filter(entry__contest=contest).count() == 500


@pytest.mark.parametrize("kind", KINDS)
def test_import_entries_command_when_email_of_existing_account_changes_nothing_of_it(
    contest, taraz, quiz, platforms, tmp_path, kind
):
    person = outsider(kind)
    before = account_state(person)
    profiles = ParticipantProfile.objects.count()
    row = line(
        email=person.email.upper(),
        full_name="Renamed By Organiser",
        university="Таразский университет",
        programme="Programme From File",
        country="KZ",
        title="Fractions",
        nomination="quiz",
        platforms="Canva",
    )
    path = write_csv(tmp_path / "entries.csv", [row])
    out = io.StringIO()

    call_command("import_entries", "--contest", contest.slug, str(path), stdout=out)

    assert account_state(person) == before
    assert "Participants created: 0" in out.getvalue()
    assert "Existing accounts linked: 1" in out.getvalue()
    assert ParticipantProfile.objects.count() == profiles
    entry = Entry.objects.get(contest=contest)
    assert (entry.author_id, entry.author_university, entry.title) == (person.pk, taraz, "Fractions")


@pytest.mark.parametrize("kind", KINDS)
def test_import_entries_preview_of_existing_account_shows_only_the_file(contest, quiz, platforms, tmp_path, kind):
    person = outsider(kind)
    row = line(email=person.email, title="Fractions", nomination="quiz", platforms="Canva")

    result = run(contest, [row], tmp_path, dry_run=True)

    assert result.errors == []
    assert (result.participants_created, result.participants_existing) == (0, 1)
    assert [(p.email, p.full_name, p.university, p.existing_account) for p in result.preview] == [
        (person.email, "", "", True)
    ]


def test_import_entries_of_existing_account_keeps_university_on_each_entry(
    contest, taraz, quiz, platforms, participant, tmp_path
):
    before = account_state(participant)
    entry = EntryFactory(contest=contest, author=participant, title="Mine", nomination=quiz)
    rows = [
        line(email=participant.email, university="taraz", title="Mine", nomination="quiz", platforms="Canva"),
        line(email=participant.email, title="Second", nomination="quiz", platforms="Canva"),
    ]

    result = run(contest, rows, tmp_path)

    assert (result.errors, result.entries_created, result.entries_updated) == ([], 1, 1)
    assert [(p.title, p.university, p.existing_account) for p in result.preview] == [
        ("Mine", "taraz", True),
        ("Second", "taraz", True),
    ]
    assert sorted(Entry.objects.filter(contest=contest).values_list("title", "author_university")) == [
        ("Mine", taraz.pk),
        ("Second", taraz.pk),
    ]
    entry.refresh_from_db()
    assert entry.author_university == taraz
    assert account_state(participant) == before


def test_import_entries_new_account_gets_profile_and_entry_university(contest, quiz, platforms, tmp_path):
    row = line(
        email="new@example.org",
        full_name="New Person",
        university="Fresh University",
        title="T",
        nomination="quiz",
        platforms="Canva",
    )

    result = run(contest, [row], tmp_path)

    assert (result.errors, result.participants_created, result.participants_existing) == ([], 1, 0)
    entry = Entry.objects.select_related("author__profile").get(contest=contest)
    fresh = University.objects.get(name_en="Fresh University")
    assert (entry.author.profile.full_name, entry.author.profile.university, entry.author_university) == (
        "New Person",
        fresh,
        fresh,
    )
