"""``manage.py results_publish --contest SLUG [--round N] [--yes]``: publish final results, as the page does."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import BaigeError
from contest.models import Contest, Entry
from contest.services import contest_format_time
from judging.management.questions import answer_yes, may_ask
from judging.management.round_lookup import contest_by_slug, round_by_number
from judging.models import Results
from judging.selectors.results import finalised_results_of
from judging.selectors.rounds import entries_without_round
from judging.services.publication import PublishPreview, results_publish, results_publish_preview


def preview_lines(preview: PublishPreview) -> list[str]:
    """What the confirmation page shows, as lines: what becomes public award by award, and who is e-mailed."""
    round = preview.results.round
    awards = len(preview.awards)
    lines = [
        f"{_('Publish the results')} · {round.number}. {round.name} · {round.contest.name}",
        _("What becomes public"),
        ngettext(
            "%(awards)s award is published on the blog, one post each, in Kazakh, Russian and English.",
            "%(awards)s awards are published on the blog, one post each, in Kazakh, Russian and English.",
            awards,
        )
        % {"awards": awards},
        _("New posts: %(created)s; updated: %(updated)s; unchanged: %(unchanged)s; withdrawn: %(withdrawn)s.")
        % {
            "created": preview.created,
            "updated": preview.updated,
            "unchanged": preview.unchanged,
            "withdrawn": preview.withdrawn,
        },
        _("Authors named (they consented): %(named)s; anonymous (no consent): %(anonymous)s.")
        % {"named": preview.named, "anonymous": preview.anonymous},
    ]
    for group in preview.nominations:
        heading = group.nomination.name if group.nomination is not None else _("Special awards")
        lines.append(f"{heading} ({len(group.awards)})")
        for item in group.awards:
            if item.named:
                who = _("named: %(authors)s (%(universities)s)") % {
                    "authors": item.authors or "—",
                    "universities": item.universities or "—",
                }
            else:
                who = _("anonymous: no names, no university")
            lines.append(f"  {item.name} · {item.award.entry.code} “{item.award.entry.title}” — {who}")
    if not preview.nominations:
        lines.append(_("The results have no awards: nothing is posted."))
    lines += [_("Who is e-mailed"), emailed(preview)]
    return lines


def emailed(preview: PublishPreview) -> str:
    """Who publishing e-mails, as the confirmation page says it."""
    if preview.participants_notified:
        return _("Nobody: the participants were told their results when the results were first published.")
    told = [
        ngettext(
            "%(authors)s author of the contest's judged entries receives the results by e-mail, in their language.",
            "%(authors)s authors of the contest's judged entries receive the results by e-mail, in their language.",
            preview.authors_emailed,
        )
        % {"authors": preview.authors_emailed},
        ngettext(
            "%(coauthors)s co-author receives it too, at the address the entry gives.",
            "%(coauthors)s co-authors receive it too, at the addresses the entries give.",
            preview.coauthors_emailed,
        )
        % {"coauthors": preview.coauthors_emailed},
    ]
    if preview.coauthors_without_email:
        told.append(
            ngettext(
                "%(coauthors)s co-author has no e-mail address and is not told.",
                "%(coauthors)s co-authors have no e-mail address and are not told.",
                preview.coauthors_without_email,
            )
            % {"coauthors": preview.coauthors_without_email}
        )
    return " ".join(told)


def _results(contest: Contest, number: int | None) -> Results:
    """The final results to publish: the round's given, or else the only round with final results."""
    if number is not None:
        results = finalised_results_of(round_by_number(contest.slug, number))
        if results is None:
            raise CommandError(_("Finalise the results of this round before publishing them."))
        return results
    final = list(
        Results.objects.filter(round__contest=contest, finalised_at__isnull=False)
        .select_related("round__contest")
        .order_by("round__number")
    )
    if not final:
        raise CommandError(
            _("No round of contest “%(slug)s” has final results: finalise them first.") % {"slug": contest.slug}
        )
    if len(final) > 1:
        raise CommandError(
            _("Rounds %(numbers)s of contest “%(slug)s” have final results: say which to publish with --round.")
            % {"numbers": ", ".join(str(results.round.number) for results in final), "slug": contest.slug}
        )
    return final[0]


class Command(BaseCommand):
    help = (
        "Publish a round's final results to the blog (a post per award) and e-mail the participants their "
        "results the first time, with the same checks as the organiser's page. Without --yes it shows what "
        "becomes public and who is e-mailed, and asks. Before the contest's announced results time it also "
        "asks, or needs --early with --yes; while a submitted entry of the contest is in no round, it lists "
        "them and asks, or needs --confirm. Never before submissions close. Publishing again brings the posts "
        "up to date and e-mails nobody."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contest", required=True, help="The contest's slug.")
        parser.add_argument(
            "--round", type=int, help="The round's number; needed only when several rounds have final results."
        )
        parser.add_argument("--yes", action="store_true", help="Publish without showing what and asking.")
        parser.add_argument(
            "--early", action="store_true", help="Publish even though the announced results time is still to come."
        )
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="Publish even though submitted entries are in no round (they will not be judged).",
        )
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Never ask; refuse unless --yes."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        contest = contest_by_slug(options["contest"])
        results = _results(contest, options["round"])
        round = results.round
        preview = results_publish_preview(results)
        if preview.refusal:
            raise CommandError(preview.refusal)
        unjudged = [] if options["confirm"] else entries_without_round(contest)
        early = preview.early and not options["early"]
        if options["yes"]:
            self._refuse_unconfirmed(contest, unjudged, early=early)
        else:
            self._ask(preview, unjudged, early=early, asking=may_ask(options))
        try:
            report = results_publish(
                actor=None,
                results=results,
                confirm_early=preview.early,
                confirm_unjudged=options["confirm"] or bool(unjudged),
                by_hand=True,
            )
        except BaigeError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            _(
                "The results of round %(number)d “%(name)s” are published: %(created)d new posts, %(updated)d "
                "updated, %(unchanged)d unchanged, %(unpublished)d withdrawn."
            )
            % {
                "number": round.number,
                "name": round.name,
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "unpublished": len(report.unpublished),
            }
        )
        # Only the first publication e-mails, whatever the preview read before it.
        told = emailed(preview) if report.notified else emailed(replace(preview, participants_notified=True))
        self.stdout.write(f"{_('Who is e-mailed')}: {told}")

    def _list_unjudged(self, unjudged: list[Entry]) -> None:
        self.stdout.write(_("These submitted entries are in no round and would never be judged:"))
        for entry in unjudged:
            self.stdout.write(f"  {entry.code} “{entry.title}”")

    def _refuse_unconfirmed(self, contest: Contest, unjudged: list[Entry], *, early: bool) -> None:
        """With ``--yes`` nothing is asked: what the page asks to tick must be given as options."""
        if unjudged:
            self._list_unjudged(unjudged)
            raise CommandError(_("Nothing is published. Add them to a round, or run again with --confirm."))
        if early:
            assert contest.results_publish_at is not None
            raise CommandError(
                _("The results are announced for %(when)s. To publish them before that, run again with --yes --early.")
                % {"when": contest_format_time(contest, contest.results_publish_at)}
            )

    def _ask(self, preview: PublishPreview, unjudged: list[Entry], *, early: bool, asking: bool) -> None:
        """Show what the confirmation page shows, then ask what it asks to tick; refuse at the first "no"."""
        for line in preview_lines(preview):
            self.stdout.write(line)
        if unjudged:
            self._list_unjudged(unjudged)
        contest = preview.results.round.contest
        if early:
            assert contest.results_publish_at is not None
            when = timezone.localtime(contest.results_publish_at, contest.tzinfo)
            self.stdout.write(
                _(
                    "The contest announced its results for %(when)s (%(tz)s). Publishing now makes them public "
                    "before that, to everyone."
                )
                % {"when": formats.date_format(when, "DATETIME_FORMAT"), "tz": contest.timezone}
            )
        if not asking:
            raise CommandError(_("Nothing is published. Run again with --yes to publish without being asked."))
        questions = []
        if unjudged:
            questions.append(_("Publish all the same, though these entries will not be judged? [y/N] "))
        if early:
            questions.append(_("Publish before the announced time? [y/N] "))
        questions.append(_("Publish the results now? [y/N] "))
        for question in questions:
            if not answer_yes(question):
                raise CommandError(_("Nothing is published."))
