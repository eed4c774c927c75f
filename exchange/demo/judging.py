"""The demo's judging: a default rubric, the jury's seats and an open first round, assigned.

Called at the end of ``exchange.demo.demo_seed``; running it again changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from contest.models import Contest, ParticipantProfile
from judging.assignment import assignment_run
from judging.models import Criterion, Juror, Round
from judging.services.jury import juror_add
from judging.services.rounds import round_create, round_open
from judging.services.rubric import rubric_criterion_save

SEED = 2025
#: The three demo jurors come from three universities, so each entry has at least two without a conflict.
REVIEWS_PER_ENTRY = 2
ROUND_NAME = {"kk": "Іріктеу кезеңі", "ru": "Отборочный тур", "en": "Screening round"}

#: (slug, weight, names, descriptions, descriptors of scores 0..4), each text as (en, ru, kk).
DEFAULT_RUBRIC: list[tuple[str, str, tuple[str, str, str], tuple[str, str, str], list[tuple[str, str, str]]]] = [
    (
        "pedagogical-relevance",
        "2",
        ("Pedagogical relevance", "Педагогическая значимость", "Педагогикалық маңыздылығы"),
        (
            "The lesson has clear learning objectives that fit the curriculum and the pupils' age, "
            "and the activity serves them.",
            "У урока ясные учебные цели, соответствующие программе и возрасту учеников, и задание служит этим целям.",
            "Сабақтың оқу бағдарламасы мен оқушылардың жасына сәйкес келетін нақты оқу мақсаттары бар "
            "және тапсырма осы мақсаттарға қызмет етеді.",
        ),
        [
            ("No learning objective can be seen.", "Учебная цель не просматривается.", "Оқу мақсаты байқалмайды."),
            (
                "The objective is vague or does not fit the pupils.",
                "Цель размыта или не соответствует ученикам.",
                "Мақсат бұлыңғыр немесе оқушыларға сәйкес келмейді.",
            ),
            (
                "The objective is stated, but the activity supports it only in part.",
                "Цель названа, но задание поддерживает её лишь частично.",
                "Мақсат айтылған, бірақ тапсырма оны ішінара ғана қолдайды.",
            ),
            (
                "A clear objective that fits the curriculum, and the activity serves it.",
                "Ясная цель, соответствующая программе, и задание служит ей.",
                "Бағдарламаға сәйкес нақты мақсат бар және тапсырма соған қызмет етеді.",
            ),
            (
                "Clear, well-chosen objectives; every step of the activity leads pupils towards them.",
                "Ясные, удачно выбранные цели; каждый шаг задания ведёт к ним учеников.",
                "Нақты әрі орынды таңдалған мақсаттар; тапсырманың әр қадамы оқушыларды соларға жетелейді.",
            ),
        ],
    ),
    (
        "platform-use",
        "2",
        ("Effective use of the platform", "Эффективность использования платформы", "Платформаны тиімді пайдалану"),
        (
            "The platform's features are used on purpose: they make possible, or clearly better, what would be "
            "harder without them.",
            "Возможности платформы используются целенаправленно: они делают возможным или заметно лучше то, "
            "что без них было бы сложнее.",
            "Платформаның мүмкіндіктері мақсатты түрде пайдаланылады: олар онсыз қиынырақ болатын нәрсені "
            "мүмкін етеді немесе айтарлықтай жақсартады.",
        ),
        [
            (
                "The platform plays no real part in the lesson.",
                "Платформа не играет в уроке реальной роли.",
                "Платформа сабақта нақты рөл атқармайды.",
            ),
            (
                "The platform replaces paper without adding anything.",
                "Платформа лишь заменяет бумагу, ничего не добавляя.",
                "Платформа ештеңе қоспай, тек қағазды алмастырады.",
            ),
            (
                "Some features are used, but a simpler tool would do as well.",
                "Используются отдельные функции, но более простой инструмент справился бы не хуже.",
                "Кейбір функциялар пайдаланылған, бірақ қарапайым құрал да дәл солай жұмыс істер еді.",
            ),
            (
                "The platform's features are well chosen and clearly add to the lesson.",
                "Функции платформы выбраны удачно и заметно обогащают урок.",
                "Платформаның функциялары орынды таңдалған және сабақты айтарлықтай байытады.",
            ),
            (
                "The platform is used to its strengths; the lesson would not work as well without it.",
                "Платформа используется в полную силу; без неё урок не получился бы таким же.",
                "Платформа толық мүмкіндігімен пайдаланылады; онсыз сабақ дәл осылай өтпес еді.",
            ),
        ],
    ),
    (
        "interactivity",
        "1.5",
        ("Interactivity and engagement", "Интерактивность и вовлечённость", "Интерактивтілік және оқушыларды тарту"),
        (
            "Pupils act, answer, choose and get feedback instead of only watching; the activity holds their attention.",
            "Ученики действуют, отвечают, выбирают и получают обратную связь, а не только смотрят; "
            "задание удерживает их внимание.",
            "Оқушылар тек қарап отырмай, әрекет етеді, жауап береді, таңдайды және кері байланыс алады; "
            "тапсырма олардың назарын ұстап тұрады.",
        ),
        [
            (
                "Pupils only watch or listen.",
                "Ученики только смотрят или слушают.",
                "Оқушылар тек қарайды немесе тыңдайды.",
            ),
            (
                "Rare, mechanical actions with no feedback.",
                "Редкие механические действия без обратной связи.",
                "Кері байланыссыз сирек, механикалық әрекеттер.",
            ),
            (
                "Pupils act regularly and get some feedback.",
                "Ученики регулярно действуют и получают некоторую обратную связь.",
                "Оқушылар жүйелі түрде әрекет етеді және біршама кері байланыс алады.",
            ),
            (
                "Most of the time pupils are active and get immediate feedback.",
                "Большую часть времени ученики активны и сразу получают обратную связь.",
                "Оқушылар уақыттың басым бөлігінде белсенді және бірден кері байланыс алады.",
            ),
            (
                "Every pupil takes part throughout; feedback, cooperation or competition keeps them involved.",
                "Каждый ученик участвует на протяжении всего урока; обратная связь, сотрудничество или "
                "соревнование поддерживают вовлечённость.",
                "Әр оқушы сабақ бойы қатысады; кері байланыс, ынтымақтастық немесе жарыс олардың "
                "қызығушылығын сақтайды.",
            ),
        ],
    ),
    (
        "creativity",
        "1",
        ("Creativity and originality", "Креативность и оригинальность", "Шығармашылық және өзіндік ерекшелік"),
        (
            "The idea, its design or the way the platform is used is the author's own and fresh.",
            "Идея, её оформление или способ использования платформы — собственные и свежие.",
            "Идея, оның безендірілуі немесе платформаны пайдалану тәсілі — автордың өзіндік әрі жаңа шешімі.",
        ),
        [
            (
                "A ready-made template or a copy of another's work.",
                "Готовый шаблон или копия чужой работы.",
                "Дайын үлгі немесе біреудің жұмысының көшірмесі.",
            ),
            ("A template with small changes.", "Шаблон с небольшими изменениями.", "Шамалы өзгертілген үлгі."),
            (
                "A familiar idea carried out with some touches of the author's own.",
                "Знакомая идея, выполненная с элементами собственного подхода.",
                "Таныс идея өзіндік тәсіл элементтерімен орындалған.",
            ),
            (
                "An original idea or an unusual use of the platform.",
                "Оригинальная идея или необычное применение платформы.",
                "Өзіндік идея немесе платформаны ерекше қолдану.",
            ),
            (
                "A fresh, inventive idea that other teachers would want to borrow.",
                "Свежая, изобретательная идея, которую захочется перенять другим учителям.",
                "Басқа мұғалімдер үйренгісі келетін жаңа, тапқыр идея.",
            ),
        ],
    ),
    (
        "methodological-value",
        "1.5",
        ("Methodological value", "Методическая ценность", "Әдістемелік құндылығы"),
        (
            "The lesson is well structured, checks what pupils learned, and another teacher could reuse it.",
            "Урок хорошо выстроен, проверяет, что усвоили ученики, и другой учитель может его повторить.",
            "Сабақ жақсы құрылымдалған, оқушылардың не меңгергенін тексереді және оны басқа мұғалім қайталай алады.",
        ),
        [
            (
                "No structure and no check of learning.",
                "Нет ни структуры, ни проверки усвоения.",
                "Құрылым да, меңгеруді тексеру де жоқ.",
            ),
            (
                "A loose structure; learning is not checked.",
                "Структура слабая; усвоение не проверяется.",
                "Құрылымы әлсіз; меңгеру тексерілмейді.",
            ),
            (
                "A clear structure, but learning is checked only in passing.",
                "Структура понятна, но усвоение проверяется лишь мимоходом.",
                "Құрылымы түсінікті, бірақ меңгеру үстірт қана тексеріледі.",
            ),
            (
                "Well-built stages with a real check of learning.",
                "Чётко выстроенные этапы с настоящей проверкой усвоения.",
                "Нақты құрылған кезеңдер және меңгеруді шынайы тексеру.",
            ),
            (
                "A complete lesson design others can reuse: stages, assessment and guidance for teachers.",
                "Законченная разработка урока, готовая к повторному использованию: этапы, оценивание и "
                "рекомендации для коллег.",
                "Қайта пайдалануға дайын толық сабақ әзірлемесі: кезеңдер, бағалау және әріптестерге ұсыныстар.",
            ),
        ],
    ),
    (
        "presentation",
        "1",
        ("Quality of presentation", "Качество представления работы", "Жұмысты ұсыну сапасы"),
        (
            "The video or presentation is clear, well paced and easy to follow; the text is correct.",
            "Видео или презентация понятны, в хорошем темпе и легко воспринимаются; текст грамотный.",
            "Бейне немесе презентация түсінікті, қарқыны жақсы және оңай қабылданады; мәтін сауатты.",
        ),
        [
            (
                "Hard to see, hear or follow.",
                "Трудно разглядеть, расслышать или понять.",
                "Көру, есту немесе түсіну қиын.",
            ),
            (
                "Understandable with effort; many flaws.",
                "Понятно с трудом; много недочётов.",
                "Қиындықпен түсініледі; кемшіліктері көп.",
            ),
            (
                "Clear on the whole, with some flaws in sound, image, pace or language.",
                "В целом понятно, но есть недочёты в звуке, изображении, темпе или языке.",
                "Жалпы түсінікті, бірақ дыбыста, бейнеде, қарқында немесе тілде кемшіліктер бар.",
            ),
            (
                "Clear, well paced and correct.",
                "Ясно, в хорошем темпе и грамотно.",
                "Анық, қарқыны жақсы және сауатты.",
            ),
            (
                "Polished: a viewer understands the lesson at once and enjoys watching it.",
                "Отточено: зритель сразу понимает урок и смотрит с удовольствием.",
                "Мұқият әзірленген: көрермен сабақты бірден түсініп, қызыға көреді.",
            ),
        ],
    ),
]


def _by_language(texts: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip(("en", "ru", "kk"), texts, strict=True))


def judging_demo_seed(*, contest: Contest, organiser: Any, jurors: list[Any], now: datetime) -> None:
    """The default rubric, the jury and an open first round with its assignment, where missing."""
    if not Criterion.objects.filter(rubric__contest=contest).exists():
        for order, (slug, weight, names, descriptions, levels) in enumerate(DEFAULT_RUBRIC, start=1):
            rubric_criterion_save(
                actor=organiser,
                contest=contest,
                slug=slug,
                weight=Decimal(weight),
                max_score=len(levels) - 1,
                order=order,
                levels={score: _by_language(texts) for score, texts in enumerate(levels)},
                name_en=names[0],
                name_ru=names[1],
                name_kk=names[2],
                description_en=descriptions[0],
                description_ru=descriptions[1],
                description_kk=descriptions[2],
            )
    seated = set(Juror.objects.filter(contest=contest).values_list("user_id", flat=True))
    profiles = {p.user_id: p for p in ParticipantProfile.objects.filter(user__in=jurors)}
    for user in jurors:
        if user.pk not in seated:
            profile = profiles.get(user.pk)
            juror_add(
                actor=organiser,
                contest=contest,
                user=user,
                languages=[profile.preferred_language] if profile is not None else [],
            )
    if Round.objects.filter(contest=contest).exists():
        return
    # Open now, so that the jury's pages can be tried in the demo straight away.
    round = round_create(
        actor=organiser,
        contest=contest,
        reviews_per_entry=REVIEWS_PER_ENTRY,
        opens_at=now - timedelta(minutes=1),
        closes_at=(contest.results_publish_at or contest.submissions_close) - timedelta(days=3),
        name_kk=ROUND_NAME["kk"],
        name_ru=ROUND_NAME["ru"],
        name_en=ROUND_NAME["en"],
    )
    assignment_run(actor=organiser, round=round, seed=SEED)
    round_open(actor=organiser, round=round, now=now)
