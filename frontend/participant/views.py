"""The participant's pages: contest, my entries, create/edit, upload, submit, withdraw."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from config.exceptions import BaigeError
from contest.models import CoAuthor, Contest, Entry, ParticipantProfile
from contest.selectors import (
    contest_current,
    entries_coauthored,
    entries_of_author,
    get_contest,
    get_contest_with_choices,
    get_entry_for_author,
    get_entry_for_coauthor,
    get_entry_for_coauthor_link,
    profile_of,
)
from contest.services import (
    contest_ensure_accepting,
    entry_create,
    entry_delete,
    entry_submit,
    entry_update,
    entry_withdraw,
)
from frontend.http import AuthenticatedHttpRequest
from frontend.participant.forms import (
    CoAuthorFormSet,
    DeleteForm,
    EntryForm,
    ProfileForm,
    UploadForm,
    WithdrawForm,
    coauthor_universities,
)
from judging.selectors.public import published_results, rubric_for_visitor
from judging.selectors.story import entries_story, entry_story
from media_pipeline.selectors import entry_files
from media_pipeline.services import asset_attach_upload, asset_check_size

#: Room for the multipart boundaries and form fields around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


def home(request: HttpRequest) -> HttpResponse:
    """The current contest's page, or the list of contests when there is none."""
    contest = contest_current()
    if contest is None:
        return render(request, "frontend/no_contest.html")
    return redirect("frontend:contest", slug=contest.slug)


def contest_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The contest for everyone: its timeline and rules, the rubric once submissions open, the published results."""
    contest = get_contest_with_choices(slug)
    # The page only says how many entries the person has here: a count, not the entries themselves.
    my_entry_count = entries_of_author(request.user, contest=contest).count() if request.user.is_authenticated else 0
    results = published_results(contest)
    return render(
        request,
        "frontend/contest.html",
        {
            "contest": contest,
            "window": contest.submission_window(),
            "my_entry_count": my_entry_count,
            "criteria": rubric_for_visitor(contest, request.user),
            "results": results,
            "several_rounds": len({group.round.pk for group in results}) > 1,
        },
    )


@login_required
def my_entries(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own entries, then those they co-authored (by a confirmed address), with their results once out."""
    entries = list(entries_of_author(request.user))
    coauthored = list(entries_coauthored(request.user))
    stories = entries_story([*entries, *coauthored])
    context = {
        "entries": [(entry, stories[entry.pk]) for entry in entries],
        "coauthored": [(entry, stories[entry.pk]) for entry in coauthored],
        "contest": contest_current(),
    }
    return render(request, "frontend/my_entries.html", context)


def _coauthor_initial(entry: Entry) -> list[dict[str, Any]]:
    return [{"full_name": c.full_name, "email": c.email, "university": c.university} for c in entry.coauthors.all()]


def _entry_form_page(request: HttpRequest, contest: Contest, entry: Entry | None) -> HttpResponse:
    """Shared by create and edit: the same form, the same rules, one service call."""
    if entry is not None and entry.is_disqualified:
        # Nothing of a disqualified entry changes: its page says why, instead of a form that would be refused.
        messages.error(request, _("The organisers disqualified this entry: it can no longer be changed."))
        return redirect("frontend:entry_detail", slug=contest.slug, code=entry.code)
    choices = {"universities": coauthor_universities(contest, entry)}
    if request.method == "POST":
        form = EntryForm(request.POST, contest=contest)
        coauthors = CoAuthorFormSet(request.POST, prefix="coauthors", form_kwargs=choices)
        try:
            contest_ensure_accepting(contest)
        except BaigeError as closed:
            form.add_error(None, str(closed))
            return _render_entry_form(request, contest, entry, form, coauthors, status=closed.status_code)
        if form.is_valid() and coauthors.is_valid():
            data = form.cleaned_data
            people = [c for c in (f.to_data() for f in coauthors.forms) if c]
            fields = {
                "title": data["title"],
                "description": data["description"],
                "nomination": data["nomination"],
                "other_platform": data["other_platform"],
                "live_url": data["live_url"],
                "consent_to_publish": data["consent_to_publish"],
            }
            try:
                if entry is None:
                    entry = entry_create(
                        actor=request.user,
                        contest=contest,
                        platforms=list(data["platforms"]),
                        coauthors=people,
                        **fields,
                    )
                    messages.success(request, _("Your entry is saved as a draft. Now upload its file."))
                else:
                    entry = entry_update(
                        actor=request.user, entry=entry, platforms=list(data["platforms"]), coauthors=people, **fields
                    )
                    messages.success(request, _("Your changes are saved."))
            except BaigeError as error:
                form.add_error(None, str(error))
                return _render_entry_form(request, contest, entry, form, coauthors, status=error.status_code)
            return redirect("frontend:entry_detail", slug=contest.slug, code=entry.code)
        return _render_entry_form(request, contest, entry, form, coauthors, status=400)
    if entry is None:
        form = EntryForm(contest=contest)
        coauthors = CoAuthorFormSet(prefix="coauthors", form_kwargs=choices)
    else:
        form = EntryForm(
            contest=contest,
            initial={
                "title": entry.title,
                "description": entry.description,
                "nomination": entry.nomination,
                "platforms": list(entry.platforms.all()),
                "other_platform": entry.other_platform,
                "live_url": entry.live_url,
                "consent_to_publish": entry.consent_to_publish,
            },
        )
        coauthors = CoAuthorFormSet(prefix="coauthors", initial=_coauthor_initial(entry), form_kwargs=choices)
    return _render_entry_form(request, contest, entry, form, coauthors)


def _render_entry_form(
    request: HttpRequest, contest: Contest, entry: Entry | None, form: EntryForm, coauthors: Any, status: int = 200
) -> HttpResponse:
    context = {
        "contest": contest,
        "entry": entry,
        "form": form,
        "coauthors": coauthors,
        "open": contest.accepts_submissions(),
    }
    return render(request, "frontend/entry_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    contest = get_contest(slug)
    return _entry_form_page(request, contest, None)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    entry = get_entry_for_author(request.user, contest_slug=slug, code=code)
    return _entry_form_page(request, entry.contest, entry)


def _entry_read_only(request: HttpRequest, entry: Entry, coauthor: CoAuthor, *, token: str = "") -> HttpResponse:
    """The entry's page for a co-author: what it is and its results once published, nothing to change.

    ``coauthor`` is the reader's row among the entry's co-authors, for what is theirs alone on the page,
    such as their certificate; ``token`` is their signed link when they came by it, for their downloads.
    """
    context = {
        "entry": entry,
        "contest": entry.contest,
        "read_only": True,
        "coauthor": coauthor,
        "coauthor_token": token,
        "story": entry_story(entry),
    }
    return render(request, "frontend/entry_detail.html", context)


@login_required
def entry_detail(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    """The author's page of their entry; a co-author signed in with a confirmed address reads it only."""
    try:
        entry = get_entry_for_author(request.user, contest_slug=slug, code=code)
    except Http404:
        entry, coauthor = get_entry_for_coauthor(request.user, contest_slug=slug, code=code)
        return _entry_read_only(request, entry, coauthor)
    files = entry_files(entry)
    context = {
        "story": entry_story(entry),
        "entry": entry,
        "contest": entry.contest,
        # Changes need the contest open and the entry not disqualified: ``contest.change_entry`` says both.
        "open": request.user.has_perm("contest.change_entry", entry),
        "upload_form": UploadForm(),
        "withdraw_form": WithdrawForm(auto_id="withdraw_%s"),
        "delete_form": DeleteForm(auto_id="delete_%s"),
        "latest": files.latest,
        "latest_reason": files.latest_reason,
        "pending": files.pending,
        "preview": files.preview,
    }
    return render(request, "frontend/entry_detail.html", context)


@never_cache
def entry_coauthor(request: HttpRequest, token: str) -> HttpResponse:
    """A co-author's personal link to the entry's page, read-only, without an account; a changed link is a 404."""
    entry, coauthor = get_entry_for_coauthor_link(token)
    return _entry_read_only(request, entry, coauthor, token=token)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def entry_upload(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    """Receive the entry's file; a refused file leaves the previous one in place."""
    entry = get_entry_for_author(request.user, contest_slug=slug, code=code)
    try:
        # Refuse an oversized body before reading it: the size is known from the request's header.
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > entry.contest.max_file_size + MULTIPART_OVERHEAD:
            asset_check_size(contest=entry.contest, size=declared - MULTIPART_OVERHEAD)
    except BaigeError as refused:
        return _upload_answer(request, entry, error=str(refused), status=refused.status_code)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        error = _("Choose a file to upload.")
        status = 400
    else:
        upload = form.cleaned_data["file"]
        try:
            asset_attach_upload(actor=request.user, entry=entry, stream=upload.file, name=upload.name, size=upload.size)
        except BaigeError as refused:
            error, status = str(refused), refused.status_code
        else:
            return _upload_answer(request, entry)
    return _upload_answer(request, entry, error=error, status=status)


def _upload_answer(request: HttpRequest, entry: Entry, *, error: str = "", status: int = 200) -> HttpResponse:
    """JSON for the page's script, a message and a redirect for a plain form."""
    if error and entry.media_id is not None:
        # A refused replacement changes nothing: say so, so that nobody fears their entry lost its file.
        stays = _("Your current file stays as it was.")
        error = f"{error} {stays}"
    if _wants_json(request):
        if error:
            return JsonResponse({"ok": False, "error": error}, status=status)
        return JsonResponse({"ok": True, "message": _("The file is uploaded.")})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The file is uploaded."))
    return redirect("frontend:entry_detail", slug=entry.contest.slug, code=entry.code)


def _entry_action(request: HttpRequest, slug: str, code: str, action: Any, done: str) -> HttpResponse:
    entry = get_entry_for_author(request.user, contest_slug=slug, code=code)
    try:
        action(actor=request.user, entry=entry)
    except BaigeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("frontend:entry_detail", slug=slug, code=code)


@login_required
@require_POST
def entry_submit_view(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    return _entry_action(request, slug, code, entry_submit, _("Your entry is submitted. Good luck!"))


@login_required
@require_POST
def entry_withdraw_view(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    """Withdraw a submitted entry once its author has ticked the confirmation."""
    get_entry_for_author(request.user, contest_slug=slug, code=code)
    if not WithdrawForm(request.POST).is_valid():
        messages.error(request, _("The entry is not withdrawn: tick the box to confirm first."))
        return redirect("frontend:entry_detail", slug=slug, code=code)
    return _entry_action(
        request, slug, code, entry_withdraw, _("Your entry is withdrawn. You can submit it again before the deadline.")
    )


@login_required
@require_POST
def entry_delete_view(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    """Delete a draft once its author has ticked the confirmation."""
    entry = get_entry_for_author(request.user, contest_slug=slug, code=code)
    if not DeleteForm(request.POST).is_valid():
        messages.error(request, _("The draft is not deleted: tick the box to confirm first."))
        return redirect("frontend:entry_detail", slug=slug, code=code)
    title = entry.title
    try:
        entry_delete(actor=request.user, entry=entry)
    except BaigeError as refused:
        messages.error(request, str(refused))
        return redirect("frontend:entry_detail", slug=slug, code=code)
    messages.success(request, _("The draft “%(title)s” is deleted.") % {"title": title})
    return redirect("frontend:my_entries")


@login_required
def entry_file(request: AuthenticatedHttpRequest, slug: str, code: str) -> FileResponse:
    """The entry's original file, for its author only."""
    entry = get_entry_for_author(request.user, contest_slug=slug, code=code)
    if entry.media is None:
        raise Http404
    asset = entry.media
    return FileResponse(asset.original.open("rb"), as_attachment=True, filename=f"{entry.code}.{asset.extension}")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    instance = profile_of(request.user) or ParticipantProfile(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("frontend:profile")
    return render(request, "frontend/profile.html", {"form": form})
