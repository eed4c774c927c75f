"""The requests Baige's pages receive."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a page behind ``login_required``: its user is signed in, never anonymous.

    Django builds every request; pages only annotate theirs with this class to state what
    ``login_required`` guarantees, so that ``request.user`` is a ``User``.
    """

    user: User
