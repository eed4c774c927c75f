import copy
import json
import re
import zoneinfo
from collections.abc import Callable
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from contest.models import Contest, Nomination, Platform, University
from exchange.definitions import contest_definition_dump, contest_definition_load, definition_parse
from exchange.definitions.contest import DefinitionLoadReport
from exchange.definitions.files import definition_read, definition_render
from exchange.definitions.schema import DefinitionInvalid, format_duration, format_size, parse_duration, parse_size
from tests.factories import EntryFactory, UniversityFactory

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "exchange" / "demo" / "demo_contest.yaml"
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
SLUG = "effective-digital-platform"
PLATFORM_SLUGS = [
    "wordwall", "educaplay", "classroom-screen", "learningapps", "roqed", "genially", "interacty", "ai-tools",
    "spin-the-wheel", "magicschool", "google-classroom", "zoom", "flippity", "clideo", "powerpoint", "canva", "other",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """Messages are asserted in English, whatever the default language is."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo_data() -> dict[str, Any]:
    return definition_read(FIXTURE.read_text(encoding="utf-8"), source=FIXTURE.name, fmt="yaml")


def _fixture_without_comments() -> str:
    return "".join(line for line in FIXTURE.read_text(encoding="utf-8").splitlines(True) if not line.startswith("#"))


def _load(data: dict[str, Any], **options: Any) -> DefinitionLoadReport:
    return contest_definition_load(definition=definition_parse(data), **options)


def _write(tmp_path: Path, name: str, data: dict[str, Any] | str) -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _db_state() -> dict[str, Any]:
    return {
        "contests": list(Contest.objects.values().order_by("id")),
        "universities": list(University.objects.values().order_by("id")),
        "links": list(Contest.universities.through.objects.values().order_by("id")),
        "nominations": list(Nomination.objects.values().order_by("id")),
        "platforms": list(Platform.objects.values().order_by("id")),
    }


def test_contest_load_when_valid_file_creates_exact_rows(db):
    out = StringIO()
    call_command("contest_load", str(FIXTURE), stdout=out)

    assert out.getvalue().splitlines()[0] == f"Created contest {SLUG}."
    contest = Contest.objects.get()
    assert contest.slug == SLUG
    assert (contest.name_kk, contest.name_ru, contest.name_en) == (
        "Ең тиімді цифрлық білім беру платформасы",
        "Самая эффективная цифровая образовательная платформа",
        "The Most Effective Digital Educational Platform",
    )
    assert contest.description_en.startswith("An international online contest for future teachers")
    assert contest.description_en.endswith(
        'published on the "Pedagogical Technologies" blog of the consortium\'s portal.'
    )
    assert contest.rules_ru.splitlines()[0].startswith("1. В конкурсе участвуют студенты")
    assert len(contest.rules_kk.splitlines()) == 6
    assert contest.timezone == "Asia/Almaty"
    assert contest.submissions_open == datetime(2025, 3, 3, 9, 0, tzinfo=ALMATY)
    assert contest.submissions_close == datetime(2025, 4, 30, 18, 0, tzinfo=ALMATY)
    assert contest.results_publish_at == datetime(2025, 5, 15, 12, 0, tzinfo=ALMATY)
    assert (contest.max_file_size, contest.max_video_duration, contest.max_pages) == (2 * 1024**3, 20 * 60, 200)

    links = Contest.universities.through.objects.filter(contest=contest).order_by("id")
    assert [(link.university.slug, link.university.country, link.university.name_en) for link in links] == [
        ("dulaty", "KZ", "M.Kh. Dulaty Taraz University"),
        ("zhetysu", "KZ", "Zhetysu University named after I. Zhansugurov"),
        ("kokshetau", "KZ", "Kokshetau University named after Sh. Ualikhanov"),
        ("knu-balasagyn", "KG", "Kyrgyz National University named after J. Balasagyn"),
        ("arkalyk-altynsarin", "KZ", "Arkalyk Pedagogical Institute named after I. Altynsarin"),
    ]
    assert (
        University.objects.get(slug="knu-balasagyn").name_ru
        == "Кыргызский национальный университет имени Ж. Баласагына"
    )

    assert list(contest.nominations.values_list("slug", "order", "name_en", "name_kk")) == [
        ("interactive-lesson", 1, "Best interactive lesson", "Үздік интерактивті сабақ"),
        ("game-activity", 2, "Best game-based activity", "Үздік ойын тапсырмасы"),
        ("artificial-intelligence", 3, "Best use of artificial intelligence", "Жасанды интеллектіні үздік қолдану"),
        ("video-lesson", 4, "Best video lesson", "Үздік бейнесабақ"),
    ]
    platforms = list(contest.platforms.order_by("order"))
    assert [p.slug for p in platforms] == PLATFORM_SLUGS
    assert [p.order for p in platforms] == list(range(1, 18))
    assert [p.slug for p in platforms if p.is_other] == ["other"]
    wordwall, ai_tools, other = platforms[0], platforms[7], platforms[16]
    assert (wordwall.name_kk, wordwall.name_ru, wordwall.name_en) == ("Wordwall", "Wordwall", "Wordwall")
    assert (ai_tools.name_kk, ai_tools.name_ru, ai_tools.name_en) == (
        "Жасанды интеллект құралдары",
        "Инструменты искусственного интеллекта",
        "Artificial-intelligence tools",
    )
    assert (other.name_kk, other.name_ru, other.name_en) == ("Басқа платформа", "Другая платформа", "Other platform")


def test_contest_load_when_loaded_twice_changes_nothing(db):
    call_command("contest_load", str(FIXTURE), stdout=StringIO())
    before = _db_state()
    out = StringIO()

    call_command("contest_load", str(FIXTURE), stdout=out)

    assert out.getvalue() == f"Contest {SLUG}: no changes.\n"
    assert _db_state() == before


def test_contest_load_when_fields_change_updates_only_them(db, demo_data):
    _load(demo_data)
    before = Contest.objects.get().updated_at
    demo_data["platforms"][11]["name"] = {"kk": "Zoom", "en": "Zoom Workplace"}
    demo_data["nominations"][3]["order"] = 10
    demo_data["limits"]["max_pages"] = 150

    report = _load(demo_data)

    assert report.created is False
    assert report.changes == [
        f"updated contest {SLUG}: max_pages",
        "updated nomination video-lesson: order",
        "updated platform zoom: name_ru, name_en",
    ]
    zoom = Platform.objects.get(slug="zoom")
    assert (zoom.name_kk, zoom.name_ru, zoom.name_en) == ("Zoom", "", "Zoom Workplace")
    assert Nomination.objects.get(slug="video-lesson").order == 10
    contest = Contest.objects.get()
    assert contest.max_pages == 150
    assert contest.updated_at > before


def test_contest_load_when_items_missing_keeps_them_and_reports(db, demo_data):
    contest = _load(demo_data).contest
    EntryFactory(
        contest=contest,
        nomination=Nomination.objects.get(slug="video-lesson"),
        platforms=[Platform.objects.get(slug="zoom")],
    )
    demo_data["platforms"] = [p for p in demo_data["platforms"] if p["slug"] not in ("zoom", "clideo")]
    demo_data["nominations"] = demo_data["nominations"][:3]
    demo_data["universities"] = demo_data["universities"][:4]

    report = _load(demo_data)

    assert report.kept == [
        "university arkalyk-altynsarin",
        "nomination video-lesson (used by 1 entry)",
        "platform clideo",
        "platform zoom (used by 1 entry)",
    ]
    assert report.removed == []
    assert Platform.objects.filter(slug__in=["zoom", "clideo"]).count() == 2
    assert contest.universities.count() == 5


def test_contest_load_when_pruning_deletes_only_unused(db, demo_data):
    contest = _load(demo_data).contest
    EntryFactory(
        contest=contest,
        nomination=Nomination.objects.get(slug="video-lesson"),
        platforms=[Platform.objects.get(slug="zoom")],
    )
    demo_data["platforms"] = [p for p in demo_data["platforms"] if p["slug"] not in ("zoom", "clideo")]
    demo_data["nominations"] = demo_data["nominations"][:3]
    demo_data["universities"] = demo_data["universities"][:4]

    report = _load(demo_data, prune=True)

    assert report.removed == [
        "removed university arkalyk-altynsarin from the contest",
        "deleted platform clideo",
    ]
    assert report.kept == ["nomination video-lesson (used by 1 entry)", "platform zoom (used by 1 entry)"]
    assert not Platform.objects.filter(slug="clideo").exists()
    assert Platform.objects.filter(slug="zoom").exists()
    assert University.objects.filter(slug="arkalyk-altynsarin").exists()
    assert sorted(contest.universities.values_list("slug", flat=True)) == [
        "dulaty",
        "knu-balasagyn",
        "kokshetau",
        "zhetysu",
    ]


def test_contest_load_when_dry_run_saves_nothing(db):
    out = StringIO()
    call_command("contest_load", str(FIXTURE), "--dry-run", stdout=out)

    assert out.getvalue().splitlines()[:3] == [
        "Dry run: nothing was saved.",
        f"Created contest {SLUG}.",
        f"  created contest {SLUG}",
    ]
    assert Contest.objects.count() == 0
    assert University.objects.count() == 0


def test_contest_load_when_university_exists_updates_and_links_it(db, demo_data):
    UniversityFactory(slug="dulaty", name="Dulaty", name_en="Dulaty", country="KZ")

    report = _load(demo_data)

    assert report.changes[:3] == [
        f"created contest {SLUG}",
        "updated university dulaty: name_kk, name_ru, name_en",
        "added university dulaty to the contest",
    ]
    assert University.objects.count() == 5


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to the demo data: ``path`` such as ``nominations.2.name.kk``; ``value=...`` deletes the key."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        index = int(last) if isinstance(target, list) else last
        if value is ...:
            del target[index]
        else:
            target[index] = value

    return change


BAD_DEFINITIONS = [
    (_set("nominations.2.name.kk", 5), ["nominations[2].name.kk: must be a string"]),
    (
        _set("timeline.submissions_close", "2025-03-01T09:00"),
        ["timeline.submissions_close: must be after submissions_open"],
    ),
    (_set("platforms.0.colour", "red"), ["platforms[0].colour: unknown field"]),
    (_set("timline", {}), ['timline: unknown field (did you mean "timeline"?)']),
    (_set("slug", ...), ["slug: required field is missing"]),
    (_set("slug", "digital platform"), ["slug: may contain only Latin letters, digits, hyphens and underscores"]),
    (
        _set("name", {"kk": "", "de": "Plattform"}),
        ["name.de: unknown language (use kk, ru or en)", "name: must not be empty"],
    ),
    (
        _set("limits.max_file_size", "2XB"),
        ['limits.max_file_size: must be a number of bytes or a size such as "500MB" or "2GiB"'],
    ),
    (
        _set("limits.max_video_duration", "forever"),
        ['limits.max_video_duration: must be a number of seconds or a duration such as "20min" or "1h30min"'],
    ),
    (_set("limits.max_pages", True), ["limits.max_pages: must be a whole number"]),
    (_set("limits.max_pages", 0), ["limits.max_pages: must be at least 1"]),
    (_set("timeline.timezone", "Asia/Almat"), ['timeline.timezone: unknown time zone "Asia/Almat"']),
    (
        _set("timeline.submissions_open", "2025-03-03"),
        ["timeline.submissions_open: must be a date and time such as 2025-03-01T09:00"],
    ),
    (
        _set("timeline.results_publish_at", "2025-04-01T12:00"),
        ["timeline.results_publish_at: must not be before submissions_close"],
    ),
    (
        _set("universities.3.country", "XX"),
        ['universities[3].country: unknown country code "XX" (use one of KZ, KG, UZ, TJ, TM, RU, AZ, MN, CN, TR, ZZ)'],
    ),
    (_set("universities.1.name", ...), ["universities[1].name: required field is missing"]),
    (_set("platforms.3.slug", "wordwall"), ['platforms[3].slug: "wordwall" is already used by platforms[0]']),
    (_set("platforms.16.is_other", "yes"), ["platforms[16].is_other: must be true or false"]),
    (_set("platforms.0.name", "W" * 121), ["platforms[0].name: must be at most 120 characters long"]),
    (_set("nominations.0.order", 2**31), ["nominations[0].order: must be at most 2147483647"]),
    (
        _set("nominations.0.slug", "video\n"),
        ["nominations[0].slug: may contain only Latin letters, digits, hyphens and underscores"],
    ),
    (_set("nominations", []), ["nominations: must list at least one item"]),
    (_set("nominations.1", "game-activity"), ["nominations[1]: must be a mapping of fields"]),
    (
        _set("rubric", [{"criterion": "Clarity"}]),
        [
            'rubric[0].criterion: unknown field (did you mean "description"?)',
            "rubric[0].slug: required field is missing",
            "rubric[0].name: required field is missing",
        ],
    ),
]


@pytest.mark.parametrize(("change", "errors"), BAD_DEFINITIONS)
def test_contest_load_when_definition_invalid_names_the_field_and_writes_nothing(
    db, tmp_path, demo_data, change, errors
):
    change(demo_data)
    path = _write(tmp_path, "bad.yaml", demo_data)

    with pytest.raises(CommandError) as refused:
        call_command("contest_load", str(path), stdout=StringIO())

    assert str(refused.value) == "\n".join(["The contest definition is invalid:", *(f"  {e}" for e in errors)])
    assert _db_state() == {"contests": [], "universities": [], "links": [], "nominations": [], "platforms": []}


def test_contest_load_when_definition_invalid_leaves_existing_contest_unchanged(db, tmp_path, demo_data):
    _load(copy.deepcopy(demo_data))
    before = _db_state()
    demo_data["name"]["en"] = "Renamed"
    demo_data["platforms"].append({"slug": "kahoot", "name": "Kahoot!"})
    demo_data["nominations"][0]["order"] = -1
    demo_data["platforms"][0]["colour"] = "green"
    path = _write(tmp_path, "bad.yaml", demo_data)

    with pytest.raises(CommandError) as refused:
        call_command("contest_load", str(path), stdout=StringIO())

    assert str(refused.value).splitlines()[1:] == [
        "  nominations[0].order: must be at least 0",
        "  platforms[0].colour: unknown field",
    ]
    assert _db_state() == before


def test_contest_load_when_every_problem_is_listed(db, demo_data):
    demo_data["timline"] = 1
    demo_data["nominations"][2]["name"]["kk"] = 5
    demo_data["platforms"][0]["colour"] = "red"
    demo_data["timeline"]["submissions_close"] = "2025-03-01T09:00"

    with pytest.raises(DefinitionInvalid) as refused:
        definition_parse(demo_data)

    assert refused.value.errors == [
        'timline: unknown field (did you mean "timeline"?)',
        "timeline.submissions_close: must be after submissions_open",
        "nominations[2].name.kk: must be a string",
        "platforms[0].colour: unknown field",
    ]


def test_contest_load_when_top_level_not_mapping_refused(db, tmp_path):
    path = _write(tmp_path, "list.yaml", "- slug: x\n")

    with pytest.raises(CommandError) as refused:
        call_command("contest_load", str(path))

    assert str(refused.value) == "The contest definition is invalid:\n  definition: must be a mapping of fields"


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        (
            "dup.yaml",
            "slug: a\nname: b\nslug: c\n",
            'dup.yaml: not valid YAML: duplicate key "slug" (line 3, column 1)',
        ),
        (
            "bad.yaml",
            "slug: a\n  name: b: c\n",
            "bad.yaml: not valid YAML: mapping values are not allowed here (line 2, column 7)",
        ),
        (
            "bad.json",
            '{"slug": "a",}',
            "bad.json: not valid JSON: Expecting property name enclosed in double quotes (line 1, column 14)",
        ),
    ],
)
def test_contest_load_when_file_unreadable_says_where(db, tmp_path, name, text, error):
    path = _write(tmp_path, name, text)

    with pytest.raises(CommandError) as refused:
        call_command("contest_load", str(path))

    assert str(refused.value) == f"The contest definition is invalid:\n  {error}"
    assert Contest.objects.count() == 0


def test_contest_load_when_extension_unknown_reads_json_by_content(db, tmp_path, demo_data):
    path = _write(tmp_path, "definition.txt", json.dumps(demo_data, ensure_ascii=False))

    call_command("contest_load", str(path), stdout=StringIO())

    assert Contest.objects.get().slug == SLUG


def test_contest_load_when_time_has_offset_keeps_the_moment(db, demo_data):
    demo_data["timeline"]["submissions_open"] = "2025-03-03T09:00+03:00"
    demo_data["timeline"]["submissions_close"] = "2025-04-30T12:00:00Z"

    contest = _load(demo_data).contest

    assert contest.submissions_open == datetime(2025, 3, 3, 6, 0, tzinfo=UTC)
    assert contest.submissions_close == datetime(2025, 4, 30, 12, 0, tzinfo=UTC)
    dumped = contest_definition_dump(contest=contest)["timeline"]
    assert dumped["submissions_open"] == datetime(2025, 3, 3, 6, 0, tzinfo=UTC).astimezone(ALMATY).strftime(
        "%Y-%m-%dT%H:%M"
    )
    assert dumped["submissions_close"] == datetime(2025, 4, 30, 12, 0, tzinfo=UTC).astimezone(ALMATY).strftime(
        "%Y-%m-%dT%H:%M"
    )


def test_contest_load_when_local_time_skipped_by_clocks_refused(db, demo_data):
    demo_data["timeline"]["timezone"] = "Europe/Berlin"
    demo_data["timeline"]["submissions_open"] = "2025-03-30T02:30"

    with pytest.raises(DefinitionInvalid) as refused:
        definition_parse(demo_data)

    assert refused.value.errors == ["timeline.submissions_open: does not exist in Europe/Berlin (the clocks skip it)"]


def test_contest_load_when_texts_partial_and_orders_explicit(db, demo_data):
    demo_data["description"] = {"en": "  English only.  "}
    demo_data.pop("rules")
    demo_data["limits"] = {"max_file_size": "500MB", "max_video_duration": "1h30min"}
    demo_data["platforms"][0]["order"] = 40

    contest = _load(demo_data).contest

    assert (contest.description_kk, contest.description_ru, contest.description_en) == ("", "", "English only.")
    assert (contest.rules_kk, contest.rules_ru, contest.rules_en) == ("", "", "")
    assert (contest.max_file_size, contest.max_video_duration, contest.max_pages) == (500_000_000, 5400, 200)
    assert Platform.objects.get(slug="wordwall").order == 40
    dumped = contest_definition_dump(contest=contest)
    assert dumped["description"] == {"en": "English only."}
    assert "rules" not in dumped
    assert dumped["limits"] == {"max_file_size": "500MB", "max_video_duration": "90min", "max_pages": 200}
    # Moving one platform to the end gives every other one an order that differs from its position.
    assert dumped["platforms"][:2] == [
        {"slug": "educaplay", "name": "Educaplay", "order": 2},
        {"slug": "classroom-screen", "name": "Classroom Screen", "order": 3},
    ]
    assert dumped["platforms"][16] == {"slug": "wordwall", "name": "Wordwall", "order": 40}


def test_contest_dump_when_fixture_loaded_writes_the_fixture_back(db):
    call_command("contest_load", str(FIXTURE), stdout=StringIO())
    out = StringIO()

    call_command("contest_dump", SLUG, stdout=out)

    assert out.getvalue() == _fixture_without_comments()


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_contest_dump_when_loaded_back_round_trips(db, tmp_path, demo_data, fmt):
    demo_data["limits"] = {"max_file_size": 123_456_789, "max_video_duration": 95, "max_pages": 7}
    demo_data["timeline"]["submissions_close"] = "2025-04-30T18:00:30"
    demo_data["nominations"][0]["order"] = 9
    _load(demo_data)
    path = tmp_path / f"dump.{fmt}"
    call_command("contest_dump", SLUG, "-o", str(path), stderr=StringIO())
    first = path.read_text(encoding="utf-8")
    before = _db_state()

    out = StringIO()
    call_command("contest_load", str(path), stdout=out)
    again = StringIO()
    call_command("contest_dump", SLUG, "--format", fmt, stdout=again)

    assert out.getvalue() == f"Contest {SLUG}: no changes.\n"
    assert _db_state() == before
    assert again.getvalue() == first
    data = json.loads(first) if fmt == "json" else yaml.safe_load(first)
    assert data["limits"] == {"max_file_size": 123_456_789, "max_video_duration": "95s", "max_pages": 7}


def test_contest_dump_when_loaded_as_another_contest_gives_the_same_definition(db, demo_data):
    _load(demo_data)
    first = contest_definition_dump(contest=Contest.objects.get(slug=SLUG))
    copy_of = {**copy.deepcopy(first), "slug": "copy"}

    report = _load(copy_of)

    assert report.created is True
    assert contest_definition_dump(contest=report.contest) == copy_of
    assert definition_render(copy_of) == definition_render(first).replace(f"slug: {SLUG}\n", "slug: copy\n", 1)


def test_contest_dump_when_slug_unknown_refused(db):
    with pytest.raises(CommandError) as refused:
        call_command("contest_dump", "nope")

    assert str(refused.value) == "There is no contest with the slug nope."


@pytest.mark.parametrize(
    ("text", "size"),
    [
        (1024, 1024),
        ("2GiB", 2 * 1024**3),
        ("500MB", 500_000_000),
        ("1.5 GiB", 3 * 1024**3 // 2),
        ("10kb", 10_000),
        ("7", 7),
    ],
)
def test_parse_size_when_valid(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["2XB", "GiB", "0.5B", "-1MB", True, 1.5, "2 GiB extra"])
def test_parse_size_when_invalid(text):
    assert parse_size(text) is None


@pytest.mark.parametrize(
    ("size", "text"), [(2 * 1024**3, "2GiB"), (500_000_000, "500MB"), (3072, "3KiB"), (1000, "1kB"), (1536, 1536)]
)
def test_format_size_when_exact(size, text):
    assert format_size(size) == text
    assert parse_size(format_size(size)) == size


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (1200, 1200),
        ("20min", 1200),
        ("90s", 90),
        ("1h30min", 5400),
        ("1h 30min 15s", 5415),
        ("1.5h", 5400),
        ("600", 600),
    ],
)
def test_parse_duration_when_valid(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["forever", "10m", "1hour", "0.5s", "min", False])
def test_parse_duration_when_invalid(text):
    assert parse_duration(text) is None


@pytest.mark.parametrize(("seconds", "text"), [(3600, "1h"), (1200, "20min"), (5400, "90min"), (95, "95s")])
def test_format_duration_round_trips(seconds, text):
    assert format_duration(seconds) == text
    assert parse_duration(text) == seconds


def test_docs_complete_example_is_the_demo_fixture():
    docs = (ROOT / "docs" / "contest-definition.md").read_text(encoding="utf-8")
    example = re.search(r"## Complete example\n.*?```yaml\n(.*?)```", docs, re.DOTALL)

    assert example is not None
    assert example.group(1) == _fixture_without_comments()
