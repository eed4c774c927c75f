"""``manage.py seed_demo``: the demo contest with people and entries to try every role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from contest.services import contest_format_time
from exchange.demo import demo_seed


class Command(BaseCommand):
    help = (
        "Load the demo contest (exchange/demo/demo_contest.yaml, dates moved so that submissions are open "
        "today) with an organiser, three jurors, about a hundred participants and their entries. "
        "Running it again creates nothing twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_seed()
        contest = summary.contest
        self.stdout.write(
            self.style.SUCCESS(_("Demo contest %(slug)s: %(name)s") % {"slug": contest.slug, "name": contest.name})
        )
        self.stdout.write(
            _("Submissions open from %(open)s to %(close)s.")
            % {
                "open": contest_format_time(contest, contest.submissions_open),
                "close": contest_format_time(contest, contest.submissions_close),
            }
        )
        entries = summary.entries
        self.stdout.write(
            _(
                "%(participants)d participants; %(total)d entries (%(submitted)d submitted, %(draft)d drafts, "
                "%(withdrawn)d withdrawn); %(media)d with a media file (%(added)d added now)."
            )
            % {
                "participants": summary.participants,
                "total": sum(entries.values()),
                "submitted": entries.get("submitted", 0),
                "draft": entries.get("draft", 0),
                "withdrawn": entries.get("withdrawn", 0),
                "media": summary.media_files,
                "added": summary.media_added,
            }
        )
        if summary.video_skipped:
            self.stdout.write(self.style.WARNING(_("ffmpeg was not found: the demo videos were skipped.")))
        self.stdout.write("")
        self.stdout.write(_("Log in with the password: %(password)s") % {"password": summary.password})
        rows = [
            (_("organiser"), summary.organiser),
            (_("jurors"), ", ".join(summary.jurors)),
            (_("participant"), summary.participant),
            (_("Django admin"), summary.admin),
        ]
        for role, login in rows:
            self.stdout.write(f"  {role:<14} {login}")
