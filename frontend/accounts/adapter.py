"""How allauth's login treats people: by their real address behind a proxy, and without lock-outs by strangers.

Failed logins are counted three ways (the figures are in ``ACCOUNT_RATE_LIMITS``):

- per address and account (``login_failed_pair``): tight. Someone guessing one person's password from
  one address is stopped after a few tries, and only there: the person logs in from their own address
  as usual, so five wrong passwords typed by a stranger lock nobody out;
- per address (``login_failed``, ``/ip``): someone trying many accounts from one address is slowed down;
- per account (``login_failed``, ``/key``): generous. It only stops guessing spread over many addresses,
  and is the one limit a stranger can still run into on purpose (with dozens of addresses); it lifts
  by itself within the hour, and at once when the person resets their password by e-mail.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse

from config.client_ip import client_ip, client_network
from judging.selectors.jury import has_jury_seat

#: The rate-limit action (of ``ACCOUNT_RATE_LIMITS``) counting failed logins per address and account.
LOGIN_FAILED_PAIR = "login_failed_pair"


class AccountAdapter(DefaultAccountAdapter):
    """Baige's allauth adapter: the client address through trusted proxies, and the per-address-and-account limit."""

    _pair_usage: ratelimit.RateLimitUsage | None = None

    def get_client_ip(self, request: HttpRequest) -> str:
        """The person's address, read through the proxies of ``TRUSTED_PROXIES`` only."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """A juror lands on their jury panel, everyone else on the contest; a ``next`` address still wins."""
        if has_jury_seat(request.user):
            return reverse("frontend:jury_home")
        return str(super().get_login_redirect_url(request))

    def _pair_key(self, request: HttpRequest, **credentials: Any) -> str:
        account = self._get_login_attempts_cache_key(request, **credentials)
        return f"{client_network(self.get_client_ip(request))}|{account}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the attempt for this address and account first, then allauth's per address and per account."""
        self._pair_usage = ratelimit.consume(
            request, app="allauth.account", action=LOGIN_FAILED_PAIR, key=self._pair_key(request, **credentials)
        )
        if not self._pair_usage:
            raise self.validation_error("too_many_login_attempts")
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Refused before the password was looked at: not a failure of this address on this account.
            self._pair_usage.rollback()
            raise

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """As allauth's; a successful login also takes back its count for this address and account."""
        user = super().authenticate(request, **credentials)
        if user is not None and self._pair_usage:
            self._pair_usage.rollback()
        return user

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # After a password reset by e-mail the person may log in at once, from where they are too.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request, app="allauth.account", action=LOGIN_FAILED_PAIR, key=self._pair_key(request, **credentials)
        )
