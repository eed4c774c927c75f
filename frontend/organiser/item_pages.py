"""The pages that list, add, change and delete one kind of a contest's items: platforms, nominations, criteria.

Each kind is one :class:`ItemPages`; its views load the contest and the item (with whatever check the kind
needs), build the form, and leave the rest to it: calling the service, showing its refusal on the form or as
a message, saying what was done and going back to the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from config.exceptions import BaigeError
from contest.models import Contest, Nomination, Platform
from judging.models import Criterion

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


#: The kinds of item these pages serve; each has a ``name`` to say in messages.
Item = TypeVar("Item", Platform, Nomination, Criterion)
ItemForm = TypeVar("ItemForm", bound=forms.Form)


@dataclass(frozen=True)
class ItemPages(Generic[Item, ItemForm]):
    """The list, the form page and the deletion of one kind of item, all under the contest's ``section``."""

    #: The section of the organiser's menu (``platforms``).
    section: str
    #: The context names of the list (``platforms``) and of the one item on its form page (``platform``).
    list_name: str
    item_name: str
    list_template: str
    form_template: str
    #: The URL name of the list, where every change goes back to.
    list_url_name: str
    added: StrOrPromise
    saved: StrOrPromise
    deleted: StrOrPromise
    #: Saves the form's values: ``save(actor, contest, item or None, form)``; raises ``BaigeError`` when refused.
    save: Callable[[User, Contest, Item | None, ItemForm], Item]
    #: Deletes the item: ``delete(actor, item)``; raises ``BaigeError`` when refused.
    delete: Callable[[User, Item], object]
    #: What to answer after a save instead of going back to the list; ``None`` goes back.
    after_save: Callable[[HttpRequest, Contest, Item, ItemForm], HttpResponse | None] | None = None

    def back(self, contest: Contest) -> HttpResponse:
        """Back to the list of the contest's items."""
        return redirect(self.list_url_name, slug=contest.slug)

    def list_page(self, request: HttpRequest, contest: Contest, items: list[Item], **extra: Any) -> HttpResponse:
        """The contest's items of this kind; ``extra`` goes to the template as it is."""
        context = {"contest": contest, "section": self.section, self.list_name: items, **extra}
        return render(request, self.list_template, context)

    def form_page(
        self, request: HttpRequest, contest: Contest, item: Item | None, form: ItemForm, status: int = 200
    ) -> HttpResponse:
        """The form of a new item (``item`` is ``None``) or of an existing one."""
        context: dict[str, Any] = {"contest": contest, "section": self.section, self.item_name: item, "form": form}
        return render(request, self.form_template, context, status=status)

    def edit(
        self, request: HttpRequest, actor: User, contest: Contest, item: Item | None, form: ItemForm
    ) -> HttpResponse:
        """Show the form (GET), or save what was posted and go back to the list; a refusal shows the form again."""
        if request.method != "POST":
            return self.form_page(request, contest, item, form)
        if form.is_valid():
            try:
                saved = self.save(actor, contest, item, form)
            except BaigeError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, (self.saved if item else self.added) % {"name": saved.name})
                answer = self.after_save(request, contest, saved, form) if self.after_save else None
                return answer or self.back(contest)
        return self.form_page(request, contest, item, form, status=400)

    def remove(self, request: HttpRequest, actor: User, contest: Contest, item: Item) -> HttpResponse:
        """Delete the item, or say why it stays; back to the list either way."""
        name = item.name
        try:
            self.delete(actor, item)
        except BaigeError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, self.deleted % {"name": name})
        return self.back(contest)
