"""The organiser's bulk import from a spreadsheet, the same for every kind of row (entries, jurors).

The organiser uploads a CSV or XLSX file and first sees what importing it would do (a dry run),
or every bad line. A good file waits for confirmation in the default storage under
``imports/<prefix><uuid>.<ext>``; only the uuid, kept in the server-side session, points at it,
so no path ever comes from the browser. Confirming imports the file for real; cancelling drops it.

Each import is one :class:`SpreadsheetImport`; the views that use it load the contest through their
own access check first and stay one line long.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any, Generic, Protocol, TypeVar

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contest.models import Contest
from contest.services import Actor
from exchange.sheets import MAX_FILE_BYTES, PREVIEW_ROWS, XLSX_MAGIC
from frontend.http import AuthenticatedHttpRequest

#: The pages of one import, by the suffix of their url names after the upload page's.
URL_SUFFIXES = {"upload": "", "confirm": "_confirm", "cancel": "_cancel", "template": "_template"}


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        validators=[FileExtensionValidator(["csv", "xlsx"])],
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(MAX_FILE_BYTES)}
            )
        return upload


class ImportOutcome(Protocol):
    """What an importer returns: the templates read its counts, ``errors`` and ``preview``."""

    @property
    def ok(self) -> bool: ...


Outcome = TypeVar("Outcome", bound=ImportOutcome)
Outcome_co = TypeVar("Outcome_co", bound=ImportOutcome, covariant=True)


class Importer(Protocol[Outcome_co]):
    def __call__(
        self, *, actor: Actor | None, contest: Contest, stream: IO[bytes], dry_run: bool = ...
    ) -> Outcome_co: ...


@dataclass(frozen=True)
class SpreadsheetImport(Generic[Outcome]):
    """One kind of bulk import in the organiser's pages: upload and preview, confirm, cancel, CSV template."""

    #: Checks (``dry_run=True``) or imports a file, all lines or none.
    importer: Importer[Outcome]
    #: The message shown once the file is imported.
    summary: Callable[[Outcome], str]
    #: The upload page's url name; the other pages are named ``<url_name>_confirm``, ``_cancel``, ``_template``.
    url_name: str
    #: Where the organiser lands once the file is imported.
    done_url_name: str
    #: The folder of ``import.html`` and ``import_preview.html``.
    template_dir: str
    #: The session key of the file waiting for confirmation.
    session_key: str
    #: Starts the stored file's name after ``imports/``, so that two kinds of import never share a name.
    storage_prefix: str
    #: The CSV template's text: the header line and one example line.
    template_csv: Callable[[], str]
    #: The CSV template's file name is ``<contest slug>-<template_suffix>.csv``.
    template_suffix: str
    #: Shown on every page of this import, besides the contest, the upload form, the urls and the outcome.
    context: Mapping[str, Any]
    #: The status of the upload page shown again for a file the form refuses.
    refused_upload_status: int = 200

    def upload(self, request: AuthenticatedHttpRequest, contest: Contest) -> HttpResponse:
        """The upload page, or what importing the uploaded file would do (a dry run), or every bad line."""
        form = ImportFileForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            status = self.refused_upload_status if request.method == "POST" else 200
            return self._page(request, contest, "import.html", status=status, form=form)
        upload = form.cleaned_data["file"]
        head = upload.read(len(XLSX_MAGIC))
        upload.seek(0)
        self._discard_pending(request)
        token = uuid.uuid4().hex
        extension = "xlsx" if head == XLSX_MAGIC else "csv"
        name = default_storage.save(self._storage_name(token, extension), upload)
        with default_storage.open(name, "rb") as stream:
            result = self.importer(actor=request.user, contest=contest, stream=stream, dry_run=True)
        if result.ok:
            request.session[self.session_key] = {"contest": contest.pk, "token": token, "extension": extension}
        else:
            # Nothing to confirm: the organiser fixes the file and uploads it again.
            default_storage.delete(name)
        return self._page(request, contest, "import_preview.html", result=result, filename=upload.name, token=token)

    def confirm(self, request: AuthenticatedHttpRequest, contest: Contest) -> HttpResponse:
        """Import the previewed file for real."""
        pending = request.session.get(self.session_key)
        name = self._pending_name(pending)
        if (
            name is None
            or not isinstance(pending, dict)
            or pending.get("contest") != contest.pk
            or request.POST.get("token") != pending.get("token")
            or not default_storage.exists(name)
        ):
            messages.error(request, _("The previewed file is no longer available: upload it again."))
            return redirect(self.url_name, slug=contest.slug)
        try:
            with default_storage.open(name, "rb") as stream:
                result = self.importer(actor=request.user, contest=contest, stream=stream)
        finally:
            self._discard_pending(request)
        if not result.ok:
            # The data changed since the preview; show what is wrong now.
            return self._page(request, contest, "import_preview.html", status=409, result=result, filename="", token="")
        messages.success(request, self.summary(result))
        return redirect(self.done_url_name, slug=contest.slug)

    def cancel(self, request: AuthenticatedHttpRequest, contest: Contest) -> HttpResponse:
        """Drop the previewed file without importing it."""
        self._discard_pending(request)
        messages.info(request, _("The import was cancelled; nothing was changed."))
        return redirect(self.url_name, slug=contest.slug)

    def template(self, contest: Contest) -> HttpResponse:
        """A CSV file with the import's columns and one example line."""
        # The byte order mark makes spreadsheet programs read the file as UTF-8.
        response = HttpResponse("\ufeff" + self.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{contest.slug}-{self.template_suffix}.csv"'
        return response

    def _page(
        self, request: HttpRequest, contest: Contest, template: str, status: int = 200, **extra: Any
    ) -> HttpResponse:
        context = {
            "contest": contest,
            "preview_rows": PREVIEW_ROWS,
            "form": ImportFileForm(),
            "import_urls": {
                page: reverse(f"{self.url_name}{suffix}", kwargs={"slug": contest.slug})
                for page, suffix in (
                    ("upload", ""),
                    ("confirm", "_confirm"),
                    ("cancel", "_cancel"),
                    ("template", "_template"),
                )
            },
            **self.context,
            **extra,
        }
        return render(request, f"{self.template_dir}{template}", context, status=status)

    def _storage_name(self, token: str, extension: str) -> str:
        return f"imports/{self.storage_prefix}{token}.{extension}"

    def _pending_name(self, pending: object) -> str | None:
        """The storage name of the file waiting for confirmation, rebuilt from the session's uuid."""
        if not isinstance(pending, dict):
            return None
        try:
            token = uuid.UUID(str(pending.get("token", ""))).hex
        except ValueError:
            return None
        return self._storage_name(token, "xlsx" if pending.get("extension") == "xlsx" else "csv")

    def _discard_pending(self, request: HttpRequest) -> None:
        """Forget the file waiting for confirmation and delete it from storage."""
        name = self._pending_name(request.session.pop(self.session_key, None))
        if name and default_storage.exists(name):
            default_storage.delete(name)
