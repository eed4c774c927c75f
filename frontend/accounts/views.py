"""A person's personal API tokens: made, listed and revoked on one page, for participants, jurors and organisers.

A new token is shown once: the form that made it redirects (so a reload never makes another one) to the page,
which takes the token out of the person's session as it shows it; only its hash stays in the database. The
list shows each token's name, first characters, when it was made and last used.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api_tokens.selectors import api_tokens_of
from api_tokens.services import api_token_create, api_token_revoke
from config.exceptions import BaigeError
from frontend.accounts.forms import ApiTokenForm
from frontend.http import AuthenticatedHttpRequest

#: Where the token just made waits for the page that shows it once.
NEW_TOKEN_KEY = "api_tokens.new_token"  # noqa: S105 - a session key, not a secret


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's working tokens and a form for a new one; the new token is in this answer only."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _row, token = api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except BaigeError as refusal:
            form.add_error(None, str(refusal))
        else:
            request.session[NEW_TOKEN_KEY] = token
            return redirect("frontend:account_tokens")
    new_token = request.session.pop(NEW_TOKEN_KEY, "") if request.method == "GET" else ""
    context = {"form": form, "tokens": list(api_tokens_of(request.user)), "new_token": new_token}
    return render(request, "frontend/account_tokens.html", context)


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's own tokens (anyone else's is a 404)."""
    row = api_token_revoke(actor=request.user, token_id=pk)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer opens the API.") % {"name": row.name})
    return redirect("frontend:account_tokens")
