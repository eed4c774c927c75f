"""Every page in Kazakh, for every role, and every form refused with bad input: no Russian anywhere.

The walk enumerates the named routes under the language prefix, so a new page is walked (or must be
listed in ``SKIPPED`` with a reason) as soon as it exists. One database is seeded for the module: the
demo contest (submissions open, a round under way) and a second contest with a closed round reviewed by
its jurors, and two finalised rounds, one of them published on the blog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone, translation

from api_tokens.services import api_token_create
from blog.models import Post
from certificates.models import Certificate
from certificates.services import certificates_issue
from contest.coauthor_links import coauthor_token
from contest.enums import EntryStatus, Role
from contest.models import CoAuthor, ContestRole, Entry
from exchange.demo import demo_seed
from exchange.demo.plan import JURORS, ORGANISER_EMAIL, PARTICIPANT_EMAIL
from judging.models import Assignment, Award, Conflict, Criterion, Juror, Round
from judging.services.publication import results_publish
from messaging.audiences import Audience
from messaging.models import Message, MessageRecipient
from messaging.services import message_recipient_send, message_recipients_create, message_save
from tests.factories import ContestFactory
from tests.frontend.kazakh_text import data_words, page_text, russian_phrases_in, unknown_words
from tests.judging.test_publication import finalised_round
from tests.judging.test_results import judged_round

ROLES = ("anonymous", "participant", "juror", "organiser")

#: Routes the walk does not open, each with its reason.
SKIPPED = {
    "frontend:entry_file": "serves the entry's stored file, not a page",
    "frontend:rendition": "serves a processed media file, not a page",
    "frontend:jury_rendition": "serves a processed media file, not a page",
    "frontend:blog_media": "serves a processed media file, not a page",
    "frontend:organiser_import_template": "a CSV template whose headers are the columns' names in English",
    "frontend:organiser_jury_import_template": "a CSV template whose headers are the columns' names in English",
    "frontend:certificate_download": "serves a certificate's PDF, not a page",
    "frontend:certificate_coauthor_download": "serves a certificate's PDF, not a page",
    "frontend:organiser_activity_download": "the log's values as they were written, in every language, unmarked",
    "frontend:organiser_certificates_zip": "serves the certificates' ZIP, not a page",
    "frontend:organiser_files_download": "serves a ZIP of the entries' files, not a page",
    "frontend:organiser_certificate_preview": "serves a sample certificate's PDF, not a page",
    "frontend:organiser_certificate_preview_png": "serves a picture of a sample certificate, not a page",
    "frontend:organiser_entry_original": "serves an entry's uploaded file, not a page",
    "frontend:organiser_entry_media": "serves a processed media file, not a page",
}
#: Forms the walk does not submit: logging out would end the role's session for the rest of the walk.
FORMS_NOT_SUBMITTED = ("account_logout",)


@dataclass
class World:
    """The seeded contests and people, and each route's arguments (one or more sets) to open it with."""

    users: dict[str, Any]
    arguments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: The arguments tried for a route not in ``arguments``: each set that makes a path of it.
    defaults: list[dict[str, Any]] = field(default_factory=list)
    words: set[str] = field(default_factory=set)


def seed_world() -> World:
    """The demo contest and a contest with closed, reviewed, finalised and published rounds; each role's account."""
    demo = demo_seed().contest
    people = get_user_model().objects
    organiser = people.get(email=ORGANISER_EMAIL)
    participant = people.get(email=PARTICIPANT_EMAIL)
    juror_user = people.get(email=JURORS[0].email)
    juror = Juror.objects.get(contest=demo, user=juror_user)
    round = Round.objects.get(contest=demo, number=1)
    assignment = Assignment.objects.filter(round=round, juror=juror).select_related("entry").first()
    assert assignment is not None
    own = {entry.status: entry for entry in Entry.objects.filter(contest=demo, author=participant)}
    conflict = Conflict.objects.create(juror=juror, code="NO-SUCH", reason="Менің студентім", declared_by=juror_user)

    closed = ContestFactory(slug="closed-contest", name_kk="Жабық байқау", name_ru="Закрытый конкурс")
    judged = judged_round(closed)
    ContestRole.objects.create(contest=closed, user=organiser, role=Role.ORGANISER)
    published = finalised_round(closed, number=2)
    results_publish(actor=None, results=published.results, now=timezone.now() - timedelta(minutes=1))
    finalised = finalised_round(closed, number=3)
    post = Post.objects.filter(contest=closed).order_by("pk").first()
    assert post is not None
    CoAuthor.objects.create(entry=published.gold, full_name="Әсел Нұрланқызы", email="asel@example.org", order=1)
    certificates_issue(actor=None, contest=closed)
    certificate = Certificate.objects.filter(contest=closed).order_by("pk").first()
    assert certificate is not None
    token, _secret = api_token_create(actor=participant, name="Менің скриптім")
    # A draft to every group of the demo, and a message to the closed contest's jurors already sent.
    texts = {"subjects": {"kk": "Хабарлама {name}"}, "bodies": {"kk": "{contest}: {entry_code} {deadline}"}}
    draft = message_save(
        actor=organiser, contest=demo, audience=Audience(submitted=True, coauthors=True, jurors=True), **texts
    )
    sent = message_save(actor=organiser, contest=closed, audience=Audience(jurors=True), **texts)
    Message.objects.filter(pk=sent.pk).update(state="sending", sent_at=timezone.now())
    message_recipients_create(message_id=sent.pk)
    for copy in MessageRecipient.objects.filter(message=sent):
        message_recipient_send(recipient_id=copy.pk)

    demo_slug = {"slug": demo.slug}
    closed_slug = {"slug": closed.slug}
    rounds = [
        {**demo_slug, "number": 1},
        {**closed_slug, "number": judged["round"].number},
        {**closed_slug, "number": 2},
        {**closed_slug, "number": 3},
    ]
    entries = [{**demo_slug, "code": entry.code} for entry in own.values()]
    award = Award.objects.filter(results=finalised.results).order_by("pk").first()
    assert award is not None
    arguments: dict[str, list[dict[str, Any]]] = {
        "account_confirm_email": [{"key": "no-such-key"}],
        "account_reset_password_from_key": [{"uidb36": "1", "key": "no-such-key"}],
        "frontend:contest": [demo_slug, closed_slug],
        "frontend:entry_new": [demo_slug],
        "frontend:entry_detail": entries,
        "frontend:entry_edit": entries,
        "frontend:entry_upload": entries,
        "frontend:entry_submit": entries,
        "frontend:entry_withdraw": [{**demo_slug, "code": own[EntryStatus.SUBMITTED].code}],
        "frontend:entry_delete": [{**demo_slug, "code": own[EntryStatus.DRAFT].code}]
        if EntryStatus.DRAFT in own
        else entries,
        "frontend:media_status": entries,
        "frontend:organiser_platform_edit": [{**demo_slug, "pk": demo.platforms.order_by("pk").first().pk}],
        "frontend:organiser_nomination_edit": [{**demo_slug, "pk": demo.nominations.order_by("pk").first().pk}],
        "frontend:organiser_criterion_edit": [
            {**demo_slug, "pk": Criterion.objects.filter(rubric__contest=demo).order_by("pk").first().pk}
        ],
        "frontend:organiser_juror": [{**demo_slug, "pk": juror.pk}],
        # An entry still in judging, and a published winner with its reviews, award and certificates.
        "frontend:organiser_entry": [
            {**demo_slug, "code": assignment.entry.code},
            {**closed_slug, "code": published.gold.code},
        ],
        # The open decision on an entry in judging, and the refusal for a winner holding an award.
        "frontend:organiser_entry_eligibility": [
            {**demo_slug, "code": assignment.entry.code},
            {**closed_slug, "code": published.gold.code},
        ],
        "frontend:organiser_organiser_remove": [{**demo_slug, "user_id": organiser.pk}],
        "frontend:organiser_entry_find": [{**demo_slug, "?": f"code={assignment.entry.code.lower()}"}],
        "frontend:organiser_conflict_resolve": [{**demo_slug, "pk": conflict.pk}],
        "frontend:organiser_progress_juror": [{**demo_slug, "number": 1, "juror_id": juror.pk}],
        "frontend:organiser_results_award_change": [{**closed_slug, "number": 3, "pk": award.pk}],
        "frontend:jury_round": [{"round_id": round.pk}],
        "frontend:jury_entry": [{"round_id": round.pk, "code": assignment.entry.code}],
        "frontend:jury_next": [{"round_id": round.pk, "code": assignment.entry.code, "?": "done=submitted"}],
        "frontend:jury_entry_conflict": [{"round_id": round.pk, "code": assignment.entry.code}],
        "frontend:jury_conflicts": [demo_slug],
        "frontend:blog_post": [{"contest": closed.slug, "slug": post.slug}],
        "frontend:account_token_revoke": [{"pk": token.pk}],
        "frontend:entry_coauthor": [{"token": coauthor_token(published.gold, "asel@example.org")}],
        "frontend:certificate_verify": [{"code": certificate.code}],
        "frontend:organiser_certificate_revoke": [{**closed_slug, "pk": certificate.pk}],
        "frontend:organiser_certificate_reissue": [{**closed_slug, "pk": certificate.pk}],
        # The files organisers download, as CSV (an XLSX holds the same text); ``?`` is the query.
        "frontend:organiser_statistics_download": [{**demo_slug, "file_format": "csv"}],
        "frontend:organiser_export_download": [
            {**demo_slug, "?": "what=entries&format=csv"},
            {**demo_slug, "?": "what=platform-stats&format=csv"},
            {**demo_slug, "?": "what=assignments&format=csv&round=1"},
            {**closed_slug, "?": f"what=reviews&format=csv&round={judged['round'].number}"},
            {**closed_slug, "?": "what=results&format=csv&round=3"},
        ],
    }
    arguments["frontend:organiser_message"] = [{**demo_slug, "pk": draft.pk}, {**closed_slug, "pk": sent.pk}]
    for name in ("edit", "send", "retry", "delete"):
        arguments[f"frontend:organiser_message_{name}"] = arguments["frontend:organiser_message"]
    for name in ("platform", "nomination", "criterion"):
        arguments[f"frontend:organiser_{name}_delete"] = arguments[f"frontend:organiser_{name}_edit"]
    arguments["frontend:organiser_juror_resend"] = arguments["frontend:organiser_juror"]
    arguments["frontend:organiser_juror_conflicts"] = arguments["frontend:organiser_juror"]
    arguments["frontend:organiser_progress_reassign"] = arguments["frontend:organiser_progress_juror"]
    return World(
        users={"anonymous": None, "participant": participant, "juror": juror_user, "organiser": organiser},
        arguments=arguments,
        defaults=[{}, demo_slug, closed_slug, *rounds],
        words=data_words(),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:  # type: ignore[no-untyped-def]
    """The seeded data, made once for the module and rolled back after it."""
    media = tmp_path_factory.mktemp("media")
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(media)}}
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES={**settings.STORAGES, "default": storage}, MEDIA_ROOT=media),
        transaction.atomic(),
        translation.override("en"),
    ):
        yield seed_world()
        transaction.set_rollback(True)


def _routes(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


def page_routes() -> list[str]:
    """The names of the routes under the language prefix: the site's pages."""
    found: list[str] = []
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
            found += _routes(pattern.url_patterns)
    return found


def _reverse(name: str, kwargs: dict[str, Any]) -> str | None:
    query = f"?{kwargs['?']}" if "?" in kwargs else ""
    try:
        return reverse(name, kwargs={key: value for key, value in kwargs.items() if key != "?"}) + query
    except NoReverseMatch:
        return None


def walk_paths(world: World) -> dict[str, list[str]]:
    """Each route's paths in Kazakh, with the arguments the world gives it (none for a route it cannot open)."""
    with translation.override("kk"):
        return {
            name: [
                path
                for kwargs in world.arguments.get(name, world.defaults)
                if (path := _reverse(name, kwargs)) is not None
            ]
            for name in page_routes()
            if name not in SKIPPED
        }


# --- Forms ----------------------------------------------------------------------------------------


@dataclass
class Form:
    """A form of a page: where it posts and its fields (name, input type, value or first option)."""

    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = {name: value or "" for name, value in attrs}
        if tag == "form" and at.get("method", "get").lower() == "post":
            self.current = Form(action=at.get("action") or self.page)
            self.forms.append(self.current)
        elif self.current is None or "name" not in at or "disabled" in at:
            return
        elif tag == "input" and at.get("type", "text") not in ("submit", "button", "file", "reset", "image"):
            kind = at.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in at:
                return
            self.current.fields.append((at["name"], kind, at.get("value", "")))
        elif tag == "textarea":
            self.current.fields.append((at["name"], "textarea", ""))
        elif tag == "select":
            self.select = at["name"]
        elif tag == "option" and self.select is not None:
            self.current.fields.append((self.select, "select", at.get("value", "")))
            self.select = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


BAD_VALUES = {
    "email": "not-an-address",
    "date": "2026-13-45",
    "datetime-local": "2026-13-45T25:61",
    "time": "25:61",
    "number": "-99999999999999",
    "url": "not a link",
}
TOO_LONG = "x" * 3000


def _bad(fields: list[tuple[str, str, str]]) -> dict[str, str]:
    """Every field given something wrong: an address, a date, a number or a link that is none, text too long."""
    data = {}
    for name, kind, value in fields:
        if kind in ("hidden", "checkbox", "radio", "select"):
            data[name] = value
        else:
            data[name] = BAD_VALUES.get(kind, TOO_LONG)
    return data


def _empty(fields: list[tuple[str, str, str]]) -> dict[str, str]:
    """Every field a person fills left empty (hidden ones, such as a formset's counts, kept)."""
    return {name: value for name, kind, value in fields if kind == "hidden"}


# --- The walk -------------------------------------------------------------------------------------


def _check(found: dict[str, list[str]], where: str, response: Any, world: World) -> None:
    landed = response.request["PATH_INFO"]
    if any(landed.startswith(f"/{code}/") for code in ("ru", "en")) or landed == "/":
        found[where] = [f"left Kazakh for {landed}"]
        return
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(
        ("text/html", "application/atom+xml", "text/javascript", "application/json", "text/csv")
    ):
        return
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = page_text(content.decode())
    words = unknown_words(text, world.words) + [f"«{run}»" for run in russian_phrases_in(text)]
    if words:
        found[where] = words


def _client(world: World, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def _request(found: dict[str, list[str]], where: str, send: Callable[[], Any]) -> Any:
    try:
        return send()
    except Exception as error:  # noqa: BLE001 - every crash is reported with the page it happened on
        found[where] = [f"raised {type(error).__name__}: {error}"]
        return None


def _post_rolled_back(client: Client, path: str, data: dict[str, str]) -> Any:
    """Submit a form and undo whatever it changed, so the walk goes on over the same data."""
    with transaction.atomic():
        response = client.post(path, data, follow=True)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_kazakh_has_no_russian(world, db, role):
    client = _client(world, role)
    found: dict[str, list[str]] = {}
    forms: list[Form] = []
    opened = 0
    paths = walk_paths(world)
    assert [name for name, found in paths.items() if not found] == []
    for path in [path for found in paths.values() for path in found]:
        response = _request(found, f"GET {path}", partial(client.get, path, follow=True))
        if response is None:
            continue
        opened += 1
        _check(found, f"GET {path}", response, world)
        if response.get("Content-Type", "").startswith("text/html"):
            parser = _Forms(response.request["PATH_INFO"])
            parser.feed(response.content.decode())
            forms += [form for form in parser.forms if form.action.startswith("/kk/")]
    with translation.override("kk"):
        not_submitted = {reverse(name) for name in FORMS_NOT_SUBMITTED}
    seen = set()
    for form in forms:
        key = (form.action, tuple(name for name, _, _ in form.fields))
        if form.action in not_submitted or key in seen:
            continue
        seen.add(key)
        for variant, data in (("empty", _empty(form.fields)), ("bad", _bad(form.fields))):
            where = f"POST {form.action} ({variant})"
            response = _request(found, where, partial(_post_rolled_back, client, form.action, data))
            if response is not None:
                _check(found, where, response, world)
            # A form may end the session (a changed password): the next one starts signed in again.
            client = _client(world, role)

    assert opened > 40
    assert len(seen) > (0 if role == "anonymous" else 5)
    assert found == {}, "Russian on Kazakh pages:\n" + "\n".join(f"{where}: {words}" for where, words in found.items())


def test_kazakh_text_check_finds_russian_outside_parts_marked_in_another_language():
    html = (
        '<html lang="kk"><head><meta name="description" content="Ең тиімді платформа"></head><body>'
        "<p>Бұл өрісті толтыру міндетті. Обязательное поле</p>"
        '<dl><dd lang="ru">Лучшая песня</dd><dd>Кіру</dd></dl>'
        '<input name="name_ru" lang="ru" value="Самая"><input placeholder="Введите название">'
        '<input type="hidden" name="token" value="Скрытое"><script>var x = "Скрипт";</script></body></html>'
    )

    assert page_text(html) == (
        "Ең тиімді платформа Бұл өрісті толтыру міндетті. Обязательное поле Кіру Введите название"
    )
    assert unknown_words(page_text(html), {"тиімді", "платформа"}) == ["Введите", "Обязательное", "название", "поле"]
    django_message = "Enter a valid email address."  # Django's own string: kept out of Baige's catalogues
    with translation.override("ru"):
        russian = translation.gettext(django_message)
    assert russian in russian_phrases_in(f"Кіру {russian} Шығу")
    assert russian_phrases_in(page_text(html)) == []
