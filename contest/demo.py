"""The demo: the contest Baige was made for, with people and entries to try every role.

``demo_seed`` loads ``fixtures/demo_contest.yaml`` with its dates moved so that submissions
are open today, then adds an organiser, three jurors, about a hundred participants (as many
per university as the real contest had) with their entries, and a few small media files.
Everything is drawn from a fixed random seed, so every run plans the same demo, and running
it again creates nothing twice.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import tempfile
import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from contest.definitions import (
    LANGUAGES,
    DefinitionLoadReport,
    contest_definition_load,
    definition_parse,
    definition_read,
)
from contest.enums import EntryStatus, Role
from contest.models import (
    CODE_ALPHABET,
    CoAuthor,
    Contest,
    ContestRole,
    Entry,
    Nomination,
    ParticipantProfile,
    Platform,
    University,
)
from judging.demo import judging_demo_seed
from media_pipeline.services import asset_store_imported

DEMO_DEFINITION = Path(__file__).resolve().parent / "fixtures" / "demo_contest.yaml"
DEMO_PASSWORD = "baige-demo"  # noqa: S105 - printed for people trying the demo
SEED = 2025
#: Where today falls in the demo's timeline: submissions opened a month ago and close in a month.
OPENED_DAYS_AGO = 30
CLOSES_IN_DAYS = 30
RESULTS_IN_DAYS = 45

ORGANISER_EMAIL = "organiser@baige.local"
ADMIN_EMAIL = "admin@baige.local"
PARTICIPANT_EMAIL = "participant@baige.local"
#: Participants per university, as in the real contest; Arkalyk is a consortium member without entrants.
PARTICIPANTS_PER_UNIVERSITY = {"dulaty": 26, "zhetysu": 25, "kokshetau": 26, "knu-balasagyn": 25}
KYRGYZ_UNIVERSITIES = {"knu-balasagyn"}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    university: str
    programme: str
    country: str
    language: str


#: Staff of the demo: the organiser and three jurors from three different universities.
ORGANISER = DemoPerson(ORGANISER_EMAIL, "Gulnara Sultanbekova", "dulaty", "", "KZ", "ru")
JURORS = (
    DemoPerson("juror1@baige.local", "Сәуле Әбенова", "arkalyk-altynsarin", "", "KZ", "kk"),
    DemoPerson("juror2@baige.local", "Бакыт Асанов", "knu-balasagyn", "", "KG", "ru"),
    DemoPerson("juror3@baige.local", "Dinara Kassymova", "kokshetau", "", "KZ", "en"),
)

# Names as (Latin, Cyrillic). Surnames are in the masculine form; the feminine adds "a".
KAZAKH_FEMALE = [
    ("Aigerim", "Айгерім"), ("Aruzhan", "Аружан"), ("Dana", "Дана"), ("Dinara", "Динара"), ("Madina", "Мадина"),
    ("Zhanar", "Жанар"), ("Aizhan", "Айжан"), ("Ainur", "Айнұр"), ("Akmaral", "Ақмарал"), ("Assel", "Әсел"),
    ("Togzhan", "Тоғжан"), ("Balnur", "Балнұр"), ("Meruyert", "Меруерт"), ("Aliya", "Әлия"), ("Moldir", "Мөлдір"),
    ("Saule", "Сәуле"), ("Gulnaz", "Гүлназ"), ("Zhansaya", "Жансая"), ("Nazerke", "Назерке"), ("Dilnaz", "Ділназ"),
]  # fmt: skip
KAZAKH_MALE = [
    ("Nurlan", "Нұрлан"), ("Arman", "Арман"), ("Daulet", "Дәулет"), ("Yerlan", "Ерлан"), ("Askar", "Асқар"),
    ("Bauyrzhan", "Бауыржан"), ("Dias", "Диас"), ("Alibek", "Әлібек"), ("Yerzhan", "Ержан"), ("Aidos", "Айдос"),
    ("Madi", "Мади"), ("Sanzhar", "Санжар"), ("Temirlan", "Темірлан"), ("Zhandos", "Жандос"), ("Miras", "Мирас"),
    ("Nurbol", "Нұрбол"), ("Yernar", "Ернар"), ("Abylai", "Абылай"), ("Rustem", "Рүстем"), ("Beibit", "Бейбіт"),
]  # fmt: skip
KAZAKH_SURNAMES = [
    ("Nurlanov", "Нұрланов"), ("Abenov", "Әбенов"), ("Zhaksylykov", "Жақсылықов"), ("Tulegenov", "Төлегенов"),
    ("Omarov", "Омаров"), ("Sadykov", "Садықов"), ("Akhmetov", "Ахметов"), ("Iskakov", "Ысқақов"),
    ("Kassymov", "Қасымов"), ("Serikbayev", "Серікбаев"), ("Yermekov", "Ермеков"), ("Baimukhanov", "Баймұханов"),
    ("Kenzhebekov", "Кенжебеков"), ("Abdrakhmanov", "Әбдірахманов"), ("Suleimenov", "Сүлейменов"),
    ("Temirbekov", "Темірбеков"), ("Mukanov", "Мұқанов"), ("Zhumabekov", "Жұмабеков"), ("Utepov", "Өтепов"),
    ("Kairatov", "Қайратов"),
]  # fmt: skip
KYRGYZ_FEMALE = [
    ("Aizada", "Айзада"), ("Begimai", "Бегимай"), ("Nurzada", "Нурзада"), ("Cholpon", "Чолпон"), ("Aidana", "Айдана"),
    ("Kanykei", "Каныкей"), ("Meerim", "Мээрим"), ("Jyldyz", "Жылдыз"), ("Elnura", "Элнура"), ("Nazgul", "Назгүл"),
    ("Aijan", "Айжан"), ("Asel", "Асел"),
]  # fmt: skip
KYRGYZ_MALE = [
    ("Aibek", "Айбек"), ("Nurbek", "Нурбек"), ("Bakyt", "Бакыт"), ("Azamat", "Азамат"), ("Tilek", "Тилек"),
    ("Ulan", "Улан"), ("Emil", "Эмил"), ("Bektur", "Бектур"), ("Adilet", "Адилет"), ("Eldiyar", "Элдияр"),
    ("Kubanych", "Кубаныч"), ("Chyngyz", "Чынгыз"),
]  # fmt: skip
KYRGYZ_SURNAMES = [
    ("Asanov", "Асанов"), ("Usenov", "Усенов"), ("Toktogulov", "Токтогулов"), ("Mamatov", "Маматов"),
    ("Sydykov", "Сыдыков"), ("Abdyldaev", "Абдылдаев"), ("Jumabaev", "Жумабаев"), ("Osmonov", "Осмонов"),
    ("Turdubaev", "Турдубаев"), ("Beishenaliev", "Бейшеналиев"), ("Kadyrov", "Кадыров"), ("Alymkulov", "Алымкулов"),
]  # fmt: skip

#: Study programmes as (en, ru, kk): a participant writes theirs in their own language.
PROGRAMMES = [
    ("Pedagogy and Psychology", "Педагогика и психология", "Педагогика және психология"),
    ("Pedagogy and Methods of Primary Education", "Педагогика и методика начального обучения",
     "Бастауыш оқытудың педагогикасы мен әдістемесі"),
    ("Computer Science Teacher Education", "Подготовка учителей информатики", "Информатика мұғалімдерін даярлау"),
    ("Mathematics Teacher Education", "Подготовка учителей математики", "Математика мұғалімдерін даярлау"),
    ("Foreign Languages: Two Foreign Languages", "Иностранный язык: два иностранных языка",
     "Шетел тілі: екі шетел тілі"),
    ("Kazakh Language and Literature Teacher Education", "Подготовка учителей казахского языка и литературы",
     "Қазақ тілі мен әдебиеті мұғалімдерін даярлау"),
    ("Preschool Education and Upbringing", "Дошкольное обучение и воспитание", "Мектепке дейінгі оқыту және тәрбиелеу"),
]  # fmt: skip

#: Lesson topics as (en, ru, kk): an entry's title is written in its author's language.
TOPICS = [
    ("Common fractions", "Обыкновенные дроби", "Жай бөлшектер"),
    ("The water cycle in nature", "Круговорот воды в природе", "Табиғаттағы су айналымы"),
    ("Parts of speech", "Части речи", "Сөз таптары"),
    ("The multiplication table game", "Игра «Таблица умножения»", "«Көбейту кестесі» ойыны"),
    ("The Great Silk Road", "Великий Шёлковый путь", "Ұлы Жібек жолы"),
    ("Animals of Kazakhstan", "Животные Казахстана", "Қазақстанның жануарлары"),
    ("Staying safe on the Internet", "Безопасное поведение в интернете", "Интернетте қауіпсіз жүріс-тұрыс"),
    ("English vocabulary: my family", "Английская лексика: моя семья", "Ағылшын тілі лексикасы: менің отбасым"),
    ("The poems of Abai", "Стихи Абая", "Абай өлеңдері"),
    ("Geometric shapes around us", "Геометрические фигуры вокруг нас", "Айналамыздағы геометриялық фигуралар"),
    ("The seasons of the year", "Времена года", "Жыл мезгілдері"),
    ("Healthy eating", "Здоровое питание", "Дұрыс тамақтану"),
    ("The Solar System", "Солнечная система", "Күн жүйесі"),
    ("Kazakh folk tales", "Казахские народные сказки", "Қазақ халық ертегілері"),
    ("Telling the time", "Учимся определять время", "Уақытты анықтауды үйренеміз"),
    ("Algorithms in everyday life", "Алгоритмы в повседневной жизни", "Күнделікті өмірдегі алгоритмдер"),
    ("The Kyrgyz epic \"Manas\"", "Кыргызский эпос «Манас»", "Қырғыздың «Манас» эпосы"),
    ("Plants and photosynthesis", "Растения и фотосинтез", "Өсімдіктер және фотосинтез"),
    ("Punctuation: the comma", "Пунктуация: запятая", "Тыныс белгілері: үтір"),
    ("Road safety for pupils", "Правила дорожного движения для школьников", "Оқушыларға арналған жол жүру ережелері"),
    ("Percentages in real life", "Проценты в жизни", "Өмірдегі пайыздар"),
    ("Nauryz traditions", "Традиции Наурыза", "Наурыз дәстүрлері"),
    ("The Present Simple tense", "Время Present Simple в английском языке", "Ағылшын тіліндегі Present Simple шағы"),
]  # fmt: skip

DESCRIPTIONS = {
    "en": [
        "A lesson for grade {grade}. Pupils work through an interactive task, discuss the results and check "
        "themselves at the end. Platforms: {platforms}.",
        "Pupils revise the topic through a game: they answer questions, score points and see their mistakes at "
        "once. Platforms: {platforms}.",
        "The lesson starts with a short video explanation, continues with group work and ends with a quick quiz. "
        "Platforms: {platforms}.",
    ],
    "ru": [
        "Урок для {grade} класса. Ученики выполняют интерактивное задание, обсуждают результаты и в конце "
        "проверяют себя. Платформы: {platforms}.",
        "Ученики повторяют тему в игровой форме: отвечают на вопросы, набирают баллы и сразу видят свои ошибки. "
        "Платформы: {platforms}.",
        "Урок начинается с короткого видеообъяснения, продолжается работой в группах и заканчивается быстрой "
        "викториной. Платформы: {platforms}.",
    ],
    "kk": [
        "{grade}-сыныпқа арналған сабақ. Оқушылар интерактивті тапсырманы орындап, нәтижелерді талқылайды және "
        "соңында өздерін тексереді. Платформалар: {platforms}.",
        "Оқушылар тақырыпты ойын түрінде қайталайды: сұрақтарға жауап беріп, ұпай жинайды және қателерін бірден "
        "көреді. Платформалар: {platforms}.",
        "Сабақ қысқа бейнетүсіндірмеден басталып, топтық жұмыспен жалғасады және жылдам викторинамен аяқталады. "
        "Платформалар: {platforms}.",
    ],
}

#: How often each listed platform is picked; "other" is added separately.
PLATFORM_WEIGHTS = {
    "wordwall": 14, "canva": 12, "powerpoint": 10, "genially": 8, "ai-tools": 8, "learningapps": 7,
    "educaplay": 5, "google-classroom": 5, "magicschool": 4, "zoom": 4, "flippity": 3, "spin-the-wheel": 3,
    "classroom-screen": 3, "interacty": 3, "roqed": 2, "clideo": 2,
}  # fmt: skip
OTHER_PLATFORMS = ["Kahoot!", "Quizizz", "Mentimeter", "Padlet", "Nearpod", "Book Creator"]
NOMINATION_WEIGHTS = {"interactive-lesson": 40, "game-activity": 30, "artificial-intelligence": 10, "video-lesson": 20}
MEDIA_FILE_NAMES = {
    "pdf": {"en": "lesson-slides.pdf", "ru": "презентация-урока.pdf", "kk": "сабақ-презентациясы.pdf"},
    "video": {"en": "lesson-recording.mp4", "ru": "запись-урока.mp4", "kk": "сабақ-жазбасы.mp4"},
}
PDF_ENTRIES = 6
VIDEO_ENTRIES = 3


@dataclass(frozen=True)
class DemoEntry:
    code: str
    author: str
    title: str
    description: str
    nomination: str
    platforms: tuple[str, ...]
    other_platform: str
    live_url: str
    consent: bool
    status: str
    #: How far into the time between opening and now the entry was started and submitted (0..1).
    progress: float
    coauthors: tuple[str, ...] = ()
    media: str = ""


@dataclass(frozen=True)
class DemoPlan:
    participants: tuple[DemoPerson, ...]
    entries: tuple[DemoEntry, ...]


@dataclass
class DemoSummary:
    """What the demo holds after seeding, for the person who ran it."""

    contest: Contest
    definition: DefinitionLoadReport
    participants: int = 0
    entries: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    media_added: int = 0
    video_skipped: bool = False
    password: str = DEMO_PASSWORD
    organiser: str = ORGANISER_EMAIL
    jurors: tuple[str, ...] = tuple(j.email for j in JURORS)
    participant: str = PARTICIPANT_EMAIL
    admin: str = ADMIN_EMAIL


# --- The plan: pure data from the fixed seed --------------------------------------------


def _full_name(rng: random.Random, *, kyrgyz: bool, cyrillic: bool) -> str:
    female = rng.random() < 0.6  # most pedagogy students are women
    if kyrgyz:
        first = rng.choice(KYRGYZ_FEMALE if female else KYRGYZ_MALE)
        surname = rng.choice(KYRGYZ_SURNAMES)
    else:
        first = rng.choice(KAZAKH_FEMALE if female else KAZAKH_MALE)
        surname = rng.choice(KAZAKH_SURNAMES)
    script = 1 if cyrillic else 0
    last = surname[script] + (("а" if cyrillic else "a") if female else "")
    # Lists in the region put the surname first in Cyrillic; English puts the given name first.
    return f"{last} {first[script]}" if cyrillic else f"{first[script]} {last}"


def _language(rng: random.Random, university: str) -> str:
    if university in KYRGYZ_UNIVERSITIES:
        return rng.choices(["ru", "en"], weights=[75, 25])[0]
    return rng.choices(["kk", "ru", "en"], weights=[45, 40, 15])[0]


def _in_language(texts: tuple[str, str, str], language: str) -> str:
    return texts[("en", "ru", "kk").index(language)]


def _platform_choice(rng: random.Random) -> tuple[tuple[str, ...], str]:
    count = rng.choices([1, 2, 3], weights=[45, 40, 15])[0]
    pool = dict(PLATFORM_WEIGHTS)
    chosen: list[str] = []
    for _index in range(count):
        slug = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(slug)
        del pool[slug]
    other = ""
    if rng.random() < 0.1:
        other = rng.choice(OTHER_PLATFORMS)
        chosen = [*chosen[:2], "other"]
    return tuple(chosen), other


def _nomination_choice(rng: random.Random, platforms: tuple[str, ...]) -> str:
    if {"ai-tools", "magicschool"} & set(platforms) and rng.random() < 0.6:
        return "artificial-intelligence"
    if {"zoom", "clideo"} & set(platforms) and rng.random() < 0.5:
        return "video-lesson"
    return rng.choices(list(NOMINATION_WEIGHTS), weights=list(NOMINATION_WEIGHTS.values()))[0]


def demo_plan(*, platform_names: dict[str, dict[str, str]]) -> DemoPlan:
    """The demo's participants and entries; the same every time (fixed seed)."""
    rng = random.Random(SEED)
    people: list[DemoPerson] = []
    names: set[str] = set()
    for university, count in PARTICIPANTS_PER_UNIVERSITY.items():
        for _index in range(count):
            number = len(people) + 1
            email = PARTICIPANT_EMAIL if number == 1 else f"participant{number}@baige.local"
            language = "en" if number == 1 else _language(rng, university)
            kyrgyz = university in KYRGYZ_UNIVERSITIES
            full_name = _full_name(rng, kyrgyz=kyrgyz, cyrillic=language != "en")
            while full_name in names:
                full_name = _full_name(rng, kyrgyz=kyrgyz, cyrillic=language != "en")
            names.add(full_name)
            programme = _in_language(rng.choice(PROGRAMMES), language)
            country = "KG" if kyrgyz else "KZ"
            people.append(DemoPerson(email, full_name, university, programme, country, language))

    codes: set[str] = set()

    def new_code() -> str:
        code = "".join(rng.choice(CODE_ALPHABET) for _index in range(6))
        while code in codes:
            code = "".join(rng.choice(CODE_ALPHABET) for _index in range(6))
        codes.add(code)
        return code

    others = range(1, len(people))
    drafts = set(rng.sample(others, 6))
    withdrawn = set(rng.sample([i for i in others if i not in drafts], 2))
    entries: list[DemoEntry] = []
    for index, person in enumerate(people):
        platforms, other = _platform_choice(rng)
        nomination = _nomination_choice(rng, platforms)
        topic, template, grade = rng.choice(TOPICS), rng.choice(DESCRIPTIONS[person.language]), rng.randint(1, 11)
        if index == 0:
            # The demo participant's own entry is the same whatever the seed draws: a fractions lesson.
            platforms, other, nomination = ("wordwall", "canva"), "", "interactive-lesson"
            topic, template, grade = TOPICS[0], DESCRIPTIONS["en"][0], 5
        listed = ", ".join(other if slug == "other" else platform_names[slug][person.language] for slug in platforms)
        description = template.format(grade=grade, platforms=listed)
        status = EntryStatus.SUBMITTED
        if index in drafts:
            status = EntryStatus.DRAFT
        elif index in withdrawn:
            status = EntryStatus.WITHDRAWN
        team = rng.random() < 0.12
        coauthors = (_full_name(rng, kyrgyz=person.country == "KG", cyrillic=person.language != "en"),) if team else ()
        code = new_code()
        entries.append(
            DemoEntry(
                code=code,
                author=person.email,
                title=_in_language(topic, person.language),
                description=description,
                nomination=nomination,
                platforms=platforms,
                other_platform=other,
                live_url=f"https://example.org/lessons/{code.lower()}" if rng.random() < 0.35 else "",
                consent=rng.random() < 0.85,
                status=status,
                progress=round(rng.uniform(0.05, 0.95), 3),
                coauthors=coauthors,
            )
        )
    # The demo participant also has a draft to finish: upload a file and submit it.
    entries.append(
        DemoEntry(
            code=new_code(),
            author=PARTICIPANT_EMAIL,
            title=TOPICS[1][0],
            description=DESCRIPTIONS["en"][2].format(grade=6, platforms="Genially"),
            nomination="video-lesson",
            platforms=("genially",),
            other_platform="",
            live_url="",
            consent=True,
            status=EntryStatus.DRAFT,
            progress=0.9,
        )
    )
    return DemoPlan(participants=tuple(people), entries=tuple(_with_media(entries)))


def _with_media(entries: list[DemoEntry]) -> list[DemoEntry]:
    """Give a few submitted entries a file: the demo participant's first, then some video lessons and others."""
    pdfs = videos = 0
    result = []
    for entry in entries:
        media = ""
        if entry.status == EntryStatus.SUBMITTED:
            if entry.nomination == "video-lesson" and videos < VIDEO_ENTRIES:
                media, videos = "video", videos + 1
            elif entry.nomination != "video-lesson" and pdfs < PDF_ENTRIES:
                media, pdfs = "pdf", pdfs + 1
        result.append(replace(entry, media=media))
    return result


# --- Files ------------------------------------------------------------------------------


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(*, title: str, pages: int) -> bytes:
    """A small valid PDF of ``pages`` 16:9 slides, written by hand (ASCII text only)."""
    colours = ["0.16 0.38 0.62", "0.15 0.55 0.45", "0.80 0.45 0.15", "0.55 0.25 0.55"]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, written once the page numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for page in range(1, pages + 1):
        content = (
            f"q {colours[(page - 1) % len(colours)]} rg 0 0 960 540 re f Q\n"
            f"BT /F1 44 Tf 1 1 1 rg 60 380 Td ({_pdf_text(title)}) Tj ET\n"
            f"BT /F2 28 Tf 1 1 1 rg 60 300 Td (Slide {page} of {pages}) Tj ET\n"
        ).encode("ascii")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 960 540] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % content_number
        )
        kids.append(f"{len(objects)} 0 R".encode())
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def demo_video() -> bytes | None:
    """A 2-second 320x240 MP4 (test pattern and a tone) made by ffmpeg, or ``None`` without ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory(prefix="baige-demo-") as folder:
        target = Path(folder) / "demo.mp4"
        for codec in (["-c:v", "libx264", "-pix_fmt", "yuv420p"], ["-c:v", "mpeg4"]):
            command = [
                ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                *codec, "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(target),
            ]  # fmt: skip
            try:
                subprocess.run(command, check=True, capture_output=True, timeout=60)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
                continue
            return target.read_bytes()
    return None


# --- Writing ----------------------------------------------------------------------------


def demo_timeline(timeline: dict[str, Any], *, today: date) -> dict[str, Any]:
    """The file's timeline moved to ``today``: opened 30 days ago, closing in 30, results in 45 (same times of day)."""
    moved = dict(timeline)
    for key, days in (
        ("submissions_open", -OPENED_DAYS_AGO),
        ("submissions_close", CLOSES_IN_DAYS),
        ("results_publish_at", RESULTS_IN_DAYS),
    ):
        original = datetime.fromisoformat(str(timeline[key]))
        moved[key] = datetime.combine(today + timedelta(days=days), original.time()).isoformat(timespec="minutes")
    return moved


def _ensure_users(people: list[tuple[str, bool]], password_hash: str) -> dict[str, Any]:
    """Demo accounts by e-mail, created if missing, with the demo password and a verified address."""
    user_model = get_user_model()
    emails = [email for email, _staff in people]
    users = {user.email: user for user in user_model.objects.filter(email__in=emails)}
    missing = [
        user_model(
            username=email.split("@")[0], email=email, password=password_hash, is_staff=staff, is_superuser=staff
        )
        for email, staff in people
        if email not in users
    ]
    user_model.objects.bulk_create(missing)
    existing = list(users.values())
    for user in existing:
        # Running the demo again gives every account its demo password back.
        user.password = password_hash
        user.is_active = True
    user_model.objects.bulk_update(existing, ["password", "is_active"])
    user_model.objects.filter(email__in=[email for email, staff in people if staff]).update(
        is_staff=True, is_superuser=True
    )
    users = {user.email: user for user in user_model.objects.filter(email__in=emails)}
    addresses = {(a.user_id, a.email) for a in EmailAddress.objects.filter(user__in=users.values())}
    EmailAddress.objects.filter(user__in=users.values(), email__in=emails).update(verified=True)
    with_primary = set(
        EmailAddress.objects.filter(user__in=users.values(), primary=True).values_list("user_id", flat=True)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=email, verified=True, primary=user.pk not in with_primary)
        for email, user in users.items()
        if (user.pk, email) not in addresses
    )
    return users


def _ensure_profiles(people: list[DemoPerson], users: dict[str, Any], universities: dict[str, University]) -> None:
    has_profile = set(ParticipantProfile.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    ParticipantProfile.objects.bulk_create(
        ParticipantProfile(
            user=users[person.email],
            full_name=person.full_name,
            university=universities[person.university],
            programme=person.programme,
            country=person.country,
            preferred_language=person.language,
        )
        for person in people
        if users[person.email].pk not in has_profile
    )


def _create_entries(
    contest: Contest, plan: DemoPlan, users: dict[str, Any], now: datetime
) -> tuple[dict[str, Entry], list[Entry]]:
    """The planned entries that are missing; returns all planned entries by code and the new ones."""
    nominations = {n.slug: n for n in Nomination.objects.filter(contest=contest)}
    platforms = {p.slug: p for p in Platform.objects.filter(contest=contest)}
    universities = {p.user_id: p.university_id for p in ParticipantProfile.objects.filter(user__in=users.values())}
    codes = [entry.code for entry in plan.entries]
    existing = {e.code: e for e in Entry.objects.filter(contest=contest, code__in=codes).select_related("contest")}
    span = now - contest.submissions_open
    created: list[Entry] = []
    for item in plan.entries:
        if item.code in existing:
            continue
        moment = contest.submissions_open + span * item.progress
        entry = Entry(
            contest=contest,
            author=users[item.author],
            code=item.code,
            title=item.title,
            description=item.description,
            nomination=nominations[item.nomination],
            other_platform=item.other_platform,
            live_url=item.live_url,
            consent_to_publish=item.consent,
            status=item.status,
            submitted_at=moment if item.status != EntryStatus.DRAFT else None,
            # As entry_submit records it: the author's university when the entry was submitted.
            author_university_id=universities.get(users[item.author].pk) if item.status != EntryStatus.DRAFT else None,
        )
        created.append(entry)
    Entry.objects.bulk_create(created)
    by_code = {e.code: e for e in created}
    links, coauthors = [], []
    for item in plan.entries:
        if item.code not in by_code:
            continue
        entry = by_code[item.code]
        # Started a little before it was submitted, never before the contest opened.
        started = max(contest.submissions_open, contest.submissions_open + span * item.progress - timedelta(hours=30))
        entry.created_at, entry.updated_at = started, entry.submitted_at or started
        links += [Entry.platforms.through(entry=entry, platform=platforms[slug]) for slug in item.platforms]
        coauthors += [
            CoAuthor(entry=entry, full_name=name, university_id=universities.get(entry.author_id), order=order)
            for order, name in enumerate(item.coauthors)
        ]
    Entry.objects.bulk_update(created, ["created_at", "updated_at"])
    Entry.platforms.through.objects.bulk_create(links)
    CoAuthor.objects.bulk_create(coauthors)
    return {**existing, **by_code}, created


def _attach_media(plan: DemoPlan, entries: dict[str, Entry], users: dict[str, Any], summary: DemoSummary) -> None:
    languages = {person.email: person.language for person in plan.participants}
    wanted = [item for item in plan.entries if item.media and entries[item.code].media_id is None]
    video = demo_video() if any(item.media == "video" for item in wanted) else None
    for number, item in enumerate(wanted):
        if item.media == "video":
            if video is None:
                summary.video_skipped = True
                continue
            data = video
        else:
            data = demo_pdf(title=f"Baige demo - entry {item.code}", pages=3 + number % 4)
        entry = entries[item.code]
        asset_store_imported(
            entry=entry,
            stream=io.BytesIO(data),
            name=MEDIA_FILE_NAMES[item.media][languages[item.author]],
            size=len(data),
        )
        summary.media_added += 1


def demo_seed(*, now: datetime | None = None) -> DemoSummary:
    """Create or complete the demo contest, its people and entries; safe to run again."""
    now = now or timezone.now()
    raw = definition_read(DEMO_DEFINITION.read_text(encoding="utf-8"), source=DEMO_DEFINITION.name, fmt="yaml")
    today = now.astimezone(zoneinfo.ZoneInfo(raw["timeline"]["timezone"])).date()
    raw["timeline"] = demo_timeline(raw["timeline"], today=today)
    definition = definition_parse(raw)
    password_hash = make_password(DEMO_PASSWORD)

    with transaction.atomic():
        report = contest_definition_load(definition=definition)
        contest = report.contest
        platform_names = {
            p.slug: {language: getattr(p, f"name_{language}") or p.name for language in LANGUAGES}
            for p in Platform.objects.filter(contest=contest)
        }
        plan = demo_plan(platform_names=platform_names)
        universities = {
            u.slug: u for u in University.objects.filter(slug__in=[u.slug for u in definition.universities])
        }
        staff = [ORGANISER, *JURORS]
        accounts = [(ADMIN_EMAIL, True)] + [(p.email, False) for p in [*staff, *plan.participants]]
        users = _ensure_users(accounts, password_hash)
        _ensure_profiles([*staff, *plan.participants], users, universities)
        ContestRole.objects.bulk_create(
            [ContestRole(contest=contest, user=users[ORGANISER_EMAIL], role=Role.ORGANISER)]
            + [ContestRole(contest=contest, user=users[juror.email], role=Role.JUROR) for juror in JURORS],
            ignore_conflicts=True,
        )
        entries, _created = _create_entries(contest, plan, users, now)
        summary = DemoSummary(contest=contest, definition=report)
        _attach_media(plan, entries, users, summary)
        judging_demo_seed(
            contest=contest, organiser=users[ORGANISER_EMAIL], jurors=[users[j.email] for j in JURORS], now=now
        )

    in_contest = Entry.objects.filter(contest=contest)
    summary.participants = ParticipantProfile.objects.filter(user__entries__contest=contest).distinct().count()
    summary.entries = {status: in_contest.filter(status=status).count() for status in EntryStatus.values}
    summary.media_files = in_contest.filter(media__isnull=False).count()
    return summary
