"""The demo's plan: its people and entries, drawn from a fixed random seed so that every run plans the same demo.

Pure data: nothing here touches the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from contest.enums import EntryStatus
from contest.models import CODE_ALPHABET

SEED = 2025

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
