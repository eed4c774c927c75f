"""Inviting one juror from the organiser's page, by the same rules as the jury import; and verifying their e-mail.

A juror invited by e-mail sets their password through the invitation's one-time link; following that link
proves they read the mailbox, so their e-mail address is marked verified then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from config.exceptions import BaigeError, NotAllowed
from contest.models import Contest, University
from contest.services import Actor
from exchange.jurors_import import JurorImportResult, JurorLine, JuryImport
from exchange.sheets import FILE_LINE
from judging.invitations import juror_invitation_queue
from judging.models import Juror


@receiver(password_reset, dispatch_uid="judging.juror_email_verified_on_password_reset")
def juror_email_verify_on_password_reset(*, user: Any, **kwargs: Any) -> None:
    """Mark a juror's e-mail verified once they set a password through a link sent to it (the invitation)."""
    # Following the link proves the juror reads that mailbox; without this, their first login
    # would stop at a second, needless e-mail confirmation.
    if Juror.objects.filter(user=user).exists():
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


#: The line number of the errors of a juror invited one at a time: there is no file.
SINGLE_LINE = FILE_LINE


def juror_invite(
    *,
    actor: Actor,
    contest: Contest,
    email: str,
    full_name: str = "",
    university: University,
    languages: Sequence[str],
    max_load: int | None = None,
) -> Juror:
    """Put one person on the contest's jury and e-mail them the invitation, by the same rules as the import.

    A person who already has an account (a participant, say) keeps it exactly as it is: ``full_name``
    is only for a new account, and the seat is kept on the ``Juror`` row. Anyone else gets an account
    without a password, which the invitation's link lets them choose.
    """
    if not actor.has_perm("contest.manage_contest", contest):
        raise NotAllowed(_("Only the contest's organisers can invite jurors."))
    result = JurorImportResult(dry_run=False)
    run = JuryImport(contest=contest, result=result)
    email = email.strip()
    try:
        with transaction.atomic():
            # The same lock as the import: both create people and seats for this contest.
            Contest.objects.select_for_update().only("pk").get(pk=contest.pk)
            run.load_people({email.lower()})
            checked_email = run.check_email(SINGLE_LINE, email)
            checked_name = run.check_full_name(SINGLE_LINE, full_name, checked_email)
            checked_languages = run.check_languages(SINGLE_LINE, ",".join(languages))
            cap = run.check_max_load(SINGLE_LINE, "" if max_load is None else str(max_load))
            if not result.ok or checked_email is None or checked_languages is None or cap is False:
                raise BaigeError(" ".join(error.message for error in result.errors))
            existing = run.users.get(checked_email.lower())
            if existing is not None and existing.pk in run.jurors:
                raise BaigeError(
                    _("%(email)s is already on this contest's jury; send the invitation again from the list instead.")
                    % {"email": existing.email}
                )
            line = JurorLine(
                line=SINGLE_LINE,
                email=checked_email,
                full_name=checked_name,
                university=university,
                languages=checked_languages,
                max_load=cap if isinstance(cap, int) else None,
            )
            run.write([line])
            (juror,) = run.invited
            juror_invitation_queue(juror=juror)
    except IntegrityError:
        raise BaigeError(_("Someone changed the same data at the same time; nothing was saved. Try again.")) from None
    return juror
