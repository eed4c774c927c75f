"""The organiser's messages: the list with how each went, writing one, its preview for one person, sending it.

Only the contest's organisers find these pages; anyone else, an organiser of another contest too, finds
no such page (404), as does a message of another contest under this contest's address.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.exceptions import BaigeError
from contest.models import Contest
from frontend.http import AuthenticatedHttpRequest
from frontend.organiser.forms.messages import MessageForm
from messaging.audiences import Audience, Names, audience_summary
from messaging.enums import MessageState
from messaging.models import Message, MessageRecipient
from messaging.placeholders import PLACEHOLDER_HELP
from messaging.selectors import (
    get_contest_for_messages,
    get_message_for_organiser,
    message_counts,
    message_recipients,
    messages_of_contest,
)
from messaging.services import (
    LANGUAGE_NAMES,
    Rendered,
    message_delete,
    message_languages,
    message_people,
    message_preview,
    message_render,
    message_retry_failed,
    message_save,
    message_send,
)


@login_required
@require_GET
def message_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The contest's messages, newest first, with whom each went to and how many copies are sent, queued, failed."""
    contest = get_contest_for_messages(request.user, slug=slug)
    names = Names.of(contest)
    rows = [
        (message, audience_summary(Audience.from_json(message.audience), names))
        for message in messages_of_contest(contest)
    ]
    return render(
        request, "frontend/organiser/messages/list.html", {"contest": contest, "section": "messages", "rows": rows}
    )


@login_required
@require_http_methods(["GET", "POST"])
def message_edit(request: AuthenticatedHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Write a new message, or change a draft: groups of people, subject and text by language."""
    contest = get_contest_for_messages(request.user, slug=slug)
    message = get_message_for_organiser(contest, pk) if pk is not None else None
    if message is not None and message.state != MessageState.DRAFT:
        flash.error(request, _("This message is sent: it cannot change any more."))
        return redirect("frontend:organiser_message", slug=contest.slug, pk=message.pk)
    form = MessageForm(request.POST or None, contest=contest, message=message)
    if request.method == "POST" and form.is_valid():
        try:
            saved = message_save(
                actor=request.user,
                contest=contest,
                message=message,
                subjects=form.texts("subject"),
                bodies=form.texts("body"),
                audience=form.audience(),
            )
        except BaigeError as refused:
            form.add_error(None, str(refused))
        else:
            flash.success(request, _("The draft is saved. Check whom it goes to and how it reads, then send it."))
            return redirect("frontend:organiser_message", slug=contest.slug, pk=saved.pk)
    context = {
        "contest": contest,
        "section": "messages",
        "form": form,
        "message": message,
        "placeholders": list(PLACEHOLDER_HELP.items()),
    }
    return render(request, "frontend/organiser/messages/form.html", context)


def _preview(
    message: Message, copies: list[MessageRecipient], chosen: str
) -> tuple[list[tuple[str, str]], str, Rendered | None]:
    """Whom the preview may be for (address, label), the chosen address, and the message as they read it.

    A draft is previewed for the people its groups name now; a sent message for its copies, as they were sent.
    """
    if message.state == MessageState.DRAFT:
        people = message_people(message)
        options = [(person.address, f"{person.name} <{person.address}>") for person in people]
        person = next((p for p in people if p.address == chosen), people[0] if people else None)
        return options, person.address if person else "", message_preview(message, person) if person else None
    options = [(copy.address, f"{copy.values.get('name', '')} <{copy.address}>") for copy in copies]
    copy = next((c for c in copies if c.address == chosen), copies[0] if copies else None)
    if copy is None:
        return options, "", None
    return options, copy.address, message_render(message, language=copy.language, values=copy.values)


@login_required
@require_GET
def message_detail(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """One message: whom it goes to (how many), a preview for one of them, and each copy's status once sent."""
    contest = get_contest_for_messages(request.user, slug=slug)
    message = get_message_for_organiser(contest, pk)
    draft = message.state == MessageState.DRAFT
    copies = [] if draft else list(message_recipients(message))
    options, chosen, preview = _preview(message, copies, request.GET.get("to", "").strip().lower())
    context = {
        "contest": contest,
        "section": "messages",
        "message": message,
        "draft": draft,
        "summary": audience_summary(Audience.from_json(message.audience), Names.of(contest)),
        "languages": [LANGUAGE_NAMES[language] for language in message_languages(message)],
        "people_count": len(options),
        "options": options,
        "chosen": chosen,
        "preview": preview,
        "counts": message_counts(message),
        "recipients": copies,
    }
    return render(request, "frontend/organiser/messages/detail.html", context)


def _back(contest: Contest, message: Message) -> HttpResponse:
    return redirect("frontend:organiser_message", slug=contest.slug, pk=message.pk)


@login_required
@require_POST
def message_send_view(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send a draft; a second click finds it sent and says so."""
    contest = get_contest_for_messages(request.user, slug=slug)
    message = get_message_for_organiser(contest, pk)
    try:
        message_send(actor=request.user, message=message)
    except BaigeError as refused:
        flash.error(request, str(refused))
    else:
        flash.success(request, _("The message is being sent: this page shows how far it got."))
    return _back(contest, message)


@login_required
@require_POST
def message_retry_view(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Send the failed copies of a message again."""
    contest = get_contest_for_messages(request.user, slug=slug)
    message = get_message_for_organiser(contest, pk)
    try:
        count = message_retry_failed(actor=request.user, message=message)
    except BaigeError as refused:
        flash.error(request, str(refused))
    else:
        flash.success(
            request,
            ngettext(
                "%(count)d failed copy is being sent again.", "%(count)d failed copies are being sent again.", count
            )
            % {"count": count},
        )
    return _back(contest, message)


@login_required
@require_POST
def message_delete_view(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Throw a draft away."""
    contest = get_contest_for_messages(request.user, slug=slug)
    message = get_message_for_organiser(contest, pk)
    try:
        message_delete(actor=request.user, message=message)
    except BaigeError as refused:
        flash.error(request, str(refused))
        return _back(contest, message)
    flash.success(request, _("The draft is deleted."))
    return redirect("frontend:organiser_messages", slug=contest.slug)
