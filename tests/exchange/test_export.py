import io
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.utils import translation

from config.exceptions import NotAllowed
from contest.enums import Role
from contest.models import Entry
from exchange.exports import EXPORTERS, ExportRefused, export_file_name, export_table
from exchange.sheet_writers import export_csv_lines, export_write_xlsx
from judging.enums import AssignmentOrigin
from judging.models import Assignment, Criterion
from judging.services.reviews import review_save_draft, review_submit
from tests.factories import ContestFactory, ContestRoleFactory, NominationFactory, ProfileFactory, UniversityFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of

SUBMITTED_AT = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)


def seat(contest, email, name, university=None):  # type: ignore[no-untyped-def]
    juror = juror_in(contest, university, name=name)
    juror.user.email = email
    juror.user.save(update_fields=["email"])
    return juror


def entry_coded(contest, code, title, nomination):  # type: ignore[no-untyped-def]
    entry = entry_from(contest, None, title=title)
    Entry.objects.filter(pk=entry.pk).update(code=code, nomination=nomination)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def hand_made(contest):  # type: ignore[no-untyped-def]
    """Round 1: Dana submitted E1 and has a draft of E2, Erlan has not opened E1; round 2: Dana submitted E1."""
    c1, c2 = criteria_for(contest, 5, 10)
    Criterion.objects.filter(pk=c2.pk).update(weight=Decimal(2))
    nomination = NominationFactory(contest=contest, name="Best quiz", name_en="Best quiz")
    e1 = entry_coded(contest, "E1", "Fractions with Wordwall", nomination)
    e2 = entry_coded(contest, "E2", '=HYPERLINK("http://x")', nomination)
    taraz = UniversityFactory(name="Taraz University", name_en="Taraz University")
    dana = seat(contest, "dana@example.org", "Dana Nurlanova", taraz)
    erlan = seat(contest, "erlan@example.org", "Erlan Bekov")
    first = round_of(contest, [e1, e2], [dana, erlan])
    Assignment.objects.create(round=first, juror=dana, entry=e1, origin=AssignmentOrigin.AUTOMATIC)
    Assignment.objects.create(round=first, juror=dana, entry=e2, origin=AssignmentOrigin.MANUAL)
    Assignment.objects.create(round=first, juror=erlan, entry=e1, origin=AssignmentOrigin.AUTOMATIC)
    review_submit(
        actor=dana.user,
        round=first,
        entry=e1,
        scores={c1.pk: 4, c2.pk: 7},
        comment="Clear, lively.",
        feedback="Good pace; show the rules first.",
        criterion_comments={c2.pk: "Wordwall used well"},
        now=SUBMITTED_AT,
    )
    review_save_draft(
        actor=dana.user,
        round=first,
        entry=e2,
        scores={c1.pk: 2},
        comment="=1+1",
        feedback="@SUM(A1)",
        criterion_comments={c1.pk: "-2"},
        now=SUBMITTED_AT,
    )
    second = round_of(contest, [e1], [dana], number=2)
    Assignment.objects.create(round=second, juror=dana, entry=e1, origin=AssignmentOrigin.MANUAL)
    review_submit(actor=dana.user, round=second, entry=e1, scores={c1.pk: 5, c2.pk: 10}, now=SUBMITTED_AT)
    return contest


ASSIGNMENTS_CSV = (
    "round,entry_code,entry_title,nomination,juror_email,juror_name,juror_university,origin,review_status\r\n"
    "1,E1,Fractions with Wordwall,Best quiz,dana@example.org,Dana Nurlanova,Taraz University,automatic,submitted\r\n"
    "1,E1,Fractions with Wordwall,Best quiz,erlan@example.org,Erlan Bekov,,automatic,not_started\r\n"
    '1,E2,"\'=HYPERLINK(""http://x"")",Best quiz,dana@example.org,Dana Nurlanova,Taraz University,manual,draft\r\n'
    "2,E1,Fractions with Wordwall,Best quiz,dana@example.org,Dana Nurlanova,Taraz University,manual,submitted\r\n"
)
# T = 100 · (1·4/5 + 2·7/10) / 3 = 73.33; 100 · (1·5/5 + 2·10/10) / 3 = 100.
REVIEWS_CSV = (
    "round,entry_code,entry_title,nomination,juror_email,juror_name,status,c1,c2,total,comment,feedback,"
    "c1_comment,c2_comment,submitted_at\r\n"
    '1,E1,Fractions with Wordwall,Best quiz,dana@example.org,Dana Nurlanova,submitted,4,7,73.33,"Clear, lively.",'
    "Good pace; show the rules first.,,Wordwall used well,2030-03-05T14:00:00+05:00\r\n"
    '1,E2,"\'=HYPERLINK(""http://x"")",Best quiz,dana@example.org,Dana Nurlanova,draft,2,,,\'=1+1,\'@SUM(A1),'
    "'-2,,\r\n"
    "2,E1,Fractions with Wordwall,Best quiz,dana@example.org,Dana Nurlanova,submitted,5,10,100.00,,,,,"
    "2030-03-05T14:00:00+05:00\r\n"
)


def csv_of(contest, what, round_number=None):  # type: ignore[no-untyped-def]
    return "".join(export_csv_lines(export_table(actor=None, contest=contest, what=what, round_number=round_number)))


def test_export_assignments_csv_exact(hand_made):  # type: ignore[no-untyped-def]
    assert csv_of(hand_made, "assignments") == ASSIGNMENTS_CSV


def test_export_reviews_csv_exact(hand_made):  # type: ignore[no-untyped-def]
    assert csv_of(hand_made, "reviews") == REVIEWS_CSV


def test_export_one_round(hand_made):  # type: ignore[no-untyped-def]
    lines = REVIEWS_CSV.splitlines(keepends=True)

    assert csv_of(hand_made, "reviews", 1) == "".join(lines[:3])
    assert csv_of(hand_made, "reviews", 2) == lines[0] + lines[3]


def test_export_reviews_xlsx_read_back(hand_made, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "reviews.xlsx"

    export_write_xlsx(export_table(actor=None, contest=hand_made, what="reviews"), str(path))

    workbook = openpyxl.load_workbook(path)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert rows == [
        [
            "round",
            "entry_code",
            "entry_title",
            "nomination",
            "juror_email",
            "juror_name",
            "status",
            "c1",
            "c2",
            "total",
            "comment",
            "feedback",
            "c1_comment",
            "c2_comment",
            "submitted_at",
        ],
        [
            1,
            "E1",
            "Fractions with Wordwall",
            "Best quiz",
            "dana@example.org",
            "Dana Nurlanova",
            "submitted",
            4,
            7,
            73.33,
            "Clear, lively.",
            "Good pace; show the rules first.",
            None,
            "Wordwall used well",
            "2030-03-05T14:00:00+05:00",
        ],
        [1, "E2", '=HYPERLINK("http://x")', "Best quiz", "dana@example.org", "Dana Nurlanova", "draft", 2]
        + [None, None, "=1+1", "@SUM(A1)", "-2", None, None],
        [2, "E1", "Fractions with Wordwall", "Best quiz", "dana@example.org", "Dana Nurlanova", "submitted", 5, 10]
        + [100, None, None, None, None, "2030-03-05T14:00:00+05:00"],
    ]
    # Text that looks like a formula stays text.
    assert workbook.active["C3"].data_type == "s"
    assert [workbook.active[cell].data_type for cell in ("K3", "L3", "M3")] == ["s", "s", "s"]


def test_export_xlsx_drops_control_characters(hand_made, tmp_path):  # type: ignore[no-untyped-def]
    Entry.objects.filter(code="E1").update(title="Bell\x07 lesson")
    path = tmp_path / "assignments.xlsx"

    export_write_xlsx(export_table(actor=None, contest=hand_made, what="assignments", round_number=2), str(path))

    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1][2] == "Bell lesson"


def test_export_nomination_in_active_language(hand_made):  # type: ignore[no-untyped-def]
    nomination = Entry.objects.get(code="E1").nomination
    nomination.name_ru = "Лучшая викторина"
    nomination.save(update_fields=["name_ru"])

    with translation.override("ru"):
        table = export_table(actor=None, contest=hand_made, what="assignments", round_number=2)
    # The rows are read later, as a streamed response reads them, in the language asked for.
    assert list(table.rows)[0][3] == "Лучшая викторина"


@pytest.mark.parametrize("what", ["assignments", "reviews"])
def test_export_queries_do_not_grow_with_rows(contest, what, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    (c1,) = criteria_for(contest, 5)
    jurors = [juror_in(contest, name=f"Juror {n}") for n in range(3)]
    entries = [entry_from(contest, UniversityFactory()) for _ in range(8)]
    round = round_of(contest, entries[:1], jurors[:1])
    Assignment.objects.create(round=round, juror=jurors[0], entry=entries[0])
    review_submit(actor=jurors[0].user, round=round, entry=entries[0], scores={c1.pk: 3})
    with django_assert_max_num_queries(3) as one:
        assert len(list(export_table(actor=None, contest=contest, what=what).rows)) == 1
    big = round_of(contest, entries, jurors, number=2)
    for juror in jurors:
        for entry in entries:
            Assignment.objects.create(round=big, juror=juror, entry=entry)
            review_submit(actor=juror.user, round=big, entry=entry, scores={c1.pk: 2})

    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(list(export_table(actor=None, contest=contest, what=what).rows)) == 25


def test_export_refusals(hand_made):  # type: ignore[no-untyped-def]
    juror = ContestRoleFactory(contest=hand_made, role=Role.JUROR).user
    participant = ProfileFactory().user
    stranger = ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    organiser = ContestRoleFactory(contest=hand_made, role=Role.ORGANISER).user

    with pytest.raises(ExportRefused) as unknown:
        export_table(actor=organiser, contest=hand_made, what="gossip")
    with pytest.raises(ExportRefused) as no_round:
        export_table(actor=organiser, contest=hand_made, what="reviews", round_number=3)
    for refused in (juror, participant, stranger, AnonymousUser()):
        with pytest.raises(NotAllowed):
            export_table(actor=refused, contest=hand_made, what="reviews")

    assert str(unknown.value) == f"Unknown export “gossip”; choose one of: {', '.join(EXPORTERS)}."
    assert str(no_round.value) == f"Contest “{hand_made.slug}” has no round 3; its rounds are: 1, 2."


def test_export_file_name(contest):  # type: ignore[no-untyped-def]
    assert export_file_name(contest=contest, what="reviews", round_number=2, file_format="xlsx") == (
        f"{contest.slug}-reviews-round-2.xlsx"
    )
    assert export_file_name(contest=contest, what="assignments", round_number=None, file_format="csv") == (
        f"{contest.slug}-assignments.csv"
    )


# The command


def test_export_command_csv_to_stdout(hand_made):  # type: ignore[no-untyped-def]
    out = io.StringIO()

    call_command("export", contest=hand_made.slug, what="reviews", format="csv", stdout=out)

    assert out.getvalue() == REVIEWS_CSV


def test_export_command_csv_to_file(hand_made, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "assignments.csv"
    out = io.StringIO()

    call_command("export", contest=hand_made.slug, what="assignments", output=str(path), stdout=out)

    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert path.read_bytes().decode("utf-8-sig") == ASSIGNMENTS_CSV
    assert out.getvalue() == f"Written to {path}.\n"


def test_export_command_xlsx_one_round(hand_made, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "a.xlsx"

    call_command(
        "export",
        "-o",
        str(path),
        contest=hand_made.slug,
        what="assignments",
        format="xlsx",
        round=2,
        stdout=io.StringIO(),
    )

    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1:] == [
        (2, "E1", "Fractions with Wordwall", "Best quiz", "dana@example.org", "Dana Nurlanova")
        + ("Taraz University", "manual", "submitted")
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"contest": "nowhere", "what": "reviews"}, "There is no contest “nowhere”."),
        ({"what": "reviews", "round": 9}, "has no round 9; its rounds are: 1, 2."),
        ({"what": "reviews", "format": "xlsx"}, "An XLSX workbook is written to a file: name it with -o FILE."),
        ({"what": "reviews", "output": "/nonexistent/folder/x.csv"}, "There is no folder /nonexistent/folder."),
        ({"what": "gossip"}, "Error: argument --what: invalid choice: 'gossip'"),
    ],
)
def test_export_command_refusals(hand_made, options, message):  # type: ignore[no-untyped-def]
    options = {"contest": hand_made.slug, **options}

    with pytest.raises(CommandError) as raised:
        call_command("export", stdout=io.StringIO(), **options)

    assert message in str(raised.value)
