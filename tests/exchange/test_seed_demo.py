import re
import shutil
import zoneinfo
from collections import Counter
from datetime import datetime, timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation

from contest.enums import EntryStatus, Role
from contest.models import CoAuthor, Contest, ContestRole, Entry, ParticipantProfile, Platform, University
from exchange.demo.media import demo_pdf
from exchange.demo.plan import PARTICIPANT_EMAIL, demo_plan
from media_pipeline.enums import MediaKind
from media_pipeline.models import MediaAsset

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
HAS_FFMPEG = shutil.which("ffmpeg") is not None
User = get_user_model()


def _seed() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> str:  # type: ignore[no-untyped-def]
    return _seed()


def _counts() -> dict[str, int]:
    return {
        "contests": Contest.objects.count(),
        "universities": University.objects.count(),
        "platforms": Platform.objects.count(),
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "profiles": ParticipantProfile.objects.count(),
        "roles": ContestRole.objects.count(),
        "entries": Entry.objects.count(),
        "entry_platforms": Entry.platforms.through.objects.count(),
        "coauthors": CoAuthor.objects.count(),
        "assets": MediaAsset.objects.count(),
    }


def test_seed_demo_when_run_twice_creates_nothing_twice(seeded):
    first = _counts()

    output = _seed()

    assert _counts() == first
    assert first["contests"] == 1
    assert first["users"] == 1 + 1 + 3 + 102  # admin, organiser, jurors, participants
    assert first["emails"] == first["users"]
    assert first["entries"] == 103
    assert first["assets"] == (9 if HAS_FFMPEG else 6)
    assert "(0 added now)" in output


def test_seed_demo_when_run_prints_logins_and_password(seeded):
    lines = seeded.splitlines()

    assert lines[0] == "Demo contest effective-digital-platform: The Most Effective Digital Educational Platform"
    assert lines[2] == (
        "102 participants; 103 entries (94 submitted, 7 drafts, 2 withdrawn); "
        f"{9 if HAS_FFMPEG else 6} with a media file ({9 if HAS_FFMPEG else 6} added now)."
    )
    assert lines[-5:] == [
        "Log in with the password: baige-demo",
        "  organiser      organiser@baige.local",
        "  jurors         juror1@baige.local, juror2@baige.local, juror3@baige.local",
        "  participant    participant@baige.local",
        "  Django admin   admin@baige.local",
    ]


def test_seed_demo_when_run_opens_the_submission_window(seeded):
    contest = Contest.objects.get()
    today = timezone.now().astimezone(ALMATY).date()

    assert contest.accepts_submissions() is True
    assert contest.submissions_open == datetime.combine(
        today - timedelta(days=30), datetime.min.time(), ALMATY
    ).replace(hour=9)
    assert contest.submissions_close == datetime.combine(
        today + timedelta(days=30), datetime.min.time(), ALMATY
    ).replace(hour=18)
    assert contest.results_publish_at == datetime.combine(
        today + timedelta(days=45), datetime.min.time(), ALMATY
    ).replace(hour=12)


def test_seed_demo_when_run_makes_accounts_that_can_log_in(seeded):
    for email in [
        "admin@baige.local",
        "organiser@baige.local",
        "juror1@baige.local",
        PARTICIPANT_EMAIL,
        "participant102@baige.local",
    ]:
        user = User.objects.get(email=email)
        assert user.check_password("baige-demo") is True
        assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
            (email, True, True)
        ]
    admin = User.objects.get(email="admin@baige.local")
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert User.objects.filter(is_superuser=True).count() == 1
    contest = Contest.objects.get()
    assert list(
        ContestRole.objects.filter(contest=contest, role=Role.ORGANISER).values_list("user__email", flat=True)
    ) == ["organiser@baige.local"]


def test_seed_demo_when_run_takes_jurors_from_three_universities(seeded):
    roles = (
        ContestRole.objects.filter(role=Role.JUROR).select_related("user__profile__university").order_by("user__email")
    )

    assert [role.user.email for role in roles] == ["juror1@baige.local", "juror2@baige.local", "juror3@baige.local"]
    assert [role.user.profile.university.slug for role in roles] == ["arkalyk-altynsarin", "knu-balasagyn", "kokshetau"]


def test_seed_demo_when_run_spreads_participants_and_entries(seeded):
    contest = Contest.objects.get()
    participants = ParticipantProfile.objects.filter(user__entries__contest=contest).distinct()

    assert participants.count() == 102
    assert Counter(profile.university.slug for profile in participants.select_related("university")) == {
        "dulaty": 26,
        "zhetysu": 25,
        "kokshetau": 26,
        "knu-balasagyn": 25,
    }
    assert set(participants.values_list("preferred_language", flat=True)) == {"kk", "ru", "en"}
    assert set(participants.filter(university__slug="knu-balasagyn").values_list("country", flat=True)) == {"KG"}
    assert participants.exclude(programme="").count() == 102
    first = ParticipantProfile.objects.get(user__email=PARTICIPANT_EMAIL)
    assert (first.university.slug, first.preferred_language) == ("dulaty", "en")

    entries = Entry.objects.filter(contest=contest)
    assert Counter(entries.values_list("status", flat=True)) == {"submitted": 94, "draft": 7, "withdrawn": 2}
    assert entries.filter(status=EntryStatus.SUBMITTED, submitted_at__isnull=True).count() == 0
    assert entries.filter(status=EntryStatus.DRAFT, submitted_at__isnull=False).count() == 0
    assert entries.filter(submitted_at__gt=timezone.now()).count() == 0
    assert entries.filter(created_at__lt=contest.submissions_open).count() == 0
    assert set(entries.values_list("nomination__slug", flat=True)) == {
        "interactive-lesson",
        "game-activity",
        "artificial-intelligence",
        "video-lesson",
    }
    platform_counts = [entry.platforms.count() for entry in entries.prefetch_related("platforms")]
    assert min(platform_counts) == 1
    assert max(platform_counts) == 3
    with_other = entries.filter(platforms__is_other=True)
    assert with_other.count() > 0
    assert with_other.filter(other_platform="").count() == 0
    assert entries.exclude(platforms__is_other=True).exclude(other_platform="").count() == 0
    assert len(set(entries.values_list("author__profile__university", flat=True))) == 4
    assert list(
        entries.filter(author__email=PARTICIPANT_EMAIL)
        .order_by("status")
        .values_list("status", "title", "nomination__slug")
    ) == [
        ("draft", "The water cycle in nature", "video-lesson"),
        ("submitted", "Common fractions", "interactive-lesson"),
    ]


def test_seed_demo_when_run_attaches_media_files(seeded):
    assets = MediaAsset.objects.select_related("entry__author").order_by("id")
    entries_with_media = Entry.objects.filter(media__isnull=False)

    assert Counter(assets.values_list("kind", flat=True)) == ({"pdf": 6, "video": 3} if HAS_FFMPEG else {"pdf": 6})
    assert entries_with_media.count() == assets.count()
    assert set(entries_with_media.values_list("status", flat=True)) == {EntryStatus.SUBMITTED}
    for asset in assets:
        assert asset.uploaded_by == asset.entry.author
        with asset.original.open("rb") as stream:
            data = stream.read()
        assert len(data) == asset.size
        if asset.kind == MediaKind.PDF:
            assert data.startswith(b"%PDF-1.4")
        else:
            assert data[4:8] == b"ftyp"
    mine = Entry.objects.get(author__email=PARTICIPANT_EMAIL, status=EntryStatus.SUBMITTED)
    assert (mine.media.kind, mine.media.original_name) == (MediaKind.PDF, "lesson-slides.pdf")


def test_demo_plan_when_built_twice_is_the_same():
    names = {slug: {"kk": slug, "ru": slug, "en": slug} for slug in ["wordwall", "canva", "genially"]}
    names.update(
        {
            slug: {"kk": slug, "ru": slug, "en": slug}
            for slug in [
                "powerpoint", "ai-tools", "learningapps", "educaplay", "google-classroom", "magicschool", "zoom",
                "flippity", "spin-the-wheel", "classroom-screen", "interacty", "roqed", "clideo",
            ]
        }
    )  # fmt: skip

    first, second = demo_plan(platform_names=names), demo_plan(platform_names=names)

    assert first == second
    assert first.participants[0].email == PARTICIPANT_EMAIL
    assert len({person.full_name for person in first.participants}) == 102
    assert len({entry.code for entry in first.entries}) == 103


def test_demo_pdf_when_made_has_a_correct_cross_reference_table():
    data = demo_pdf(title="Baige demo (entry X)", pages=4)

    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[start:].startswith(b"xref\n0 13\n")
    offsets = [int(line[:10]) for line in data[start:].split(b"\n")[3:15]]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj\n" % number)
    assert b"/Count 4" in data
    assert data.count(b"/Type /Page ") == 4
    assert b"(Baige demo \\(entry X\\)) Tj" in data


def test_seed_demo_when_ffmpeg_missing_skips_the_videos(db, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))

    output = _seed()

    assert Counter(MediaAsset.objects.values_list("kind", flat=True)) == {"pdf": 6}
    assert "ffmpeg was not found: the demo videos were skipped." in output.splitlines()
    assert Entry.objects.filter(status=EntryStatus.SUBMITTED).count() == 94
