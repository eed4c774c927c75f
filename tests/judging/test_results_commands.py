"""``results_finalise`` and ``results_publish`` from the command line: the page's rules and confirmations."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from blog.models import Post, PostStatus
from contest.models import Entry
from judging.coverage import UnjudgedEntries
from judging.models import Award, Results
from judging.services.publication import results_publish
from media_pipeline.enums import AssetStatus, MediaKind
from media_pipeline.models import MediaAsset
from tests.factories import ContestFactory
from tests.judging.test_coverage import unjudged_entry
from tests.judging.test_publication import Finalised, finalised_round
from tests.judging.test_results import judged_round

FINAL_LINES = [
    "The results of round 1 “Round 1” are final: 6 awards.",
    "Quiz: 3 awards",
    "  1st place · QUIZ01 “Lesson QUIZ01”",
    "  2nd place · QUIZ02 “Lesson QUIZ02”",
    "  2nd place · QUIZ03 “Lesson QUIZ03”",
    "Game: 3 awards",
    "  1st place · GAME02 “Lesson GAME02”",
    "  2nd place · GAME03 “Lesson GAME03”",
    "  3rd place · GAME01 “Lesson GAME01”",
    "Entrants will see, once published: The outcome: shortlisted or not, place and award",
]

#: Printed before finalising: none of the round's entries of :func:`judged_round` has a file.
NO_FILE_LINES = [
    "Warning: 6 awards would go to entries without a ready file: their posts would show no video or slides.",
    "  1st place · Quiz: QUIZ01 “Lesson QUIZ01” — no file",
    "  2nd place · Quiz: QUIZ02 “Lesson QUIZ02” — no file",
    "  2nd place · Quiz: QUIZ03 “Lesson QUIZ03” — no file",
    "  1st place · Game: GAME02 “Lesson GAME02” — no file",
    "  2nd place · Game: GAME03 “Lesson GAME03” — no file",
    "  3rd place · Game: GAME01 “Lesson GAME01” — no file",
]


class Terminal(StringIO):
    """Standard input as when someone sits at the terminal."""

    def isatty(self) -> bool:
        return True


def run(name: str, *arguments: str) -> str:
    out = StringIO()
    call_command(name, *arguments, stdout=out)
    return out.getvalue()


def refused(name: str, *arguments: str) -> tuple[str, list[str]]:
    """The refusal of a command that must fail, and the lines it printed before."""
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command(name, *arguments, stdout=out)
    return str(error.value), out.getvalue().splitlines()


def answering(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """Answer the command's questions in turn at a terminal; the questions asked."""
    asked: list[str] = []
    replies = iter(answers)

    def reply(question: str) -> str:
        asked.append(question)
        return next(replies)

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", reply)
    return asked


# --- results_finalise ----------------------------------------------------------------------------


def file_of(entry: Entry, status: str) -> MediaAsset:
    """Make a file in ``status`` the entry's current file."""
    asset = MediaAsset.objects.create(entry=entry, original_name="lesson.mp4", kind=MediaKind.VIDEO, status=status)
    entry.media = asset
    entry.save(update_fields=["media"])
    return asset


def test_results_finalise_fixes_the_places_of_every_nomination_and_lists_them(contest):
    judged = judged_round(contest)
    for entry in judged["entries"].values():
        file_of(entry, AssetStatus.READY)

    output = run("results_finalise", "--contest", contest.slug, "--round", "1")

    # Every file is ready: no warning before the awards.
    assert output.splitlines() == FINAL_LINES
    results = Results.objects.get(round=judged["round"])
    assert (results.finalised_by, results.published_at, Award.objects.filter(results=results).count()) == (
        None,
        None,
        6,
    )


def test_results_finalise_of_a_round_not_closed_is_refused_in_the_active_language(contest):
    judged_round(contest, close=False)

    message, _lines = refused("results_finalise", "--contest", contest.slug, "--round", "1")
    with translation.override("ru"):
        in_russian, _lines = refused("results_finalise", "--contest", contest.slug, "--round", "1")

    assert message == "Close round “Round 1” before finalising its results."
    assert in_russian == "Закройте тур «Round 1», прежде чем утверждать его итоги."
    assert Results.objects.count() == 0


def test_results_finalise_warns_of_awards_to_entries_without_a_ready_file(contest):
    judged = judged_round(contest)
    entries = judged["entries"]
    for code in ("QUIZ02", "GAME02", "GAME03"):
        file_of(entries[code], AssetStatus.READY)
    file_of(entries["QUIZ01"], AssetStatus.PROCESSING)
    file_of(entries["QUIZ03"], AssetStatus.FAILED)
    # An older file was ready, but the entry's current file is the newer one, still waiting.
    file_of(entries["GAME01"], AssetStatus.READY)
    file_of(entries["GAME01"], AssetStatus.QUEUED)

    with translation.override("kk"):
        output = run("results_finalise", "--contest", contest.slug, "--round", "1")

    assert output.splitlines()[:4] == [
        "Ескерту: 3 марапат файлы дайын емес жұмыстарға берілмек: олардың жазбаларында бейне де, слайдтар да "
        "көрсетілмейді.",
        "  1-орын · Quiz: QUIZ01 “Lesson QUIZ01” — файлы әлі өңделуде",
        "  2-орын · Quiz: QUIZ03 “Lesson QUIZ03” — файлын өңдеу мүмкін болмады",
        "  3-орын · Game: GAME01 “Lesson GAME01” — файлы әлі өңделуде",
    ]
    assert Results.objects.filter(round=judged["round"]).count() == 1


def test_results_finalise_twice_is_refused_and_keeps_the_first(contest):
    judged_round(contest)
    run("results_finalise", "--contest", contest.slug, "--round", "1")
    first = Results.objects.get()

    message, _lines = refused("results_finalise", "--contest", contest.slug, "--round", "1", "--confirm")

    assert message == "The results of round “Round 1” are already final; change an award instead."
    assert list(Results.objects.values_list("pk", "finalised_at")) == [(first.pk, first.finalised_at)]
    assert Award.objects.count() == 6


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--contest", "nope", "--round", "1"), "There is no contest “nope”."),
        (("--round", "7"), "There is no round 7 in contest “{slug}”."),
    ],
)
def test_results_finalise_and_publish_with_a_wrong_slug_or_number_are_refused(contest, arguments, message):
    judged_round(contest)
    if "--contest" not in arguments:
        arguments = ("--contest", contest.slug, *arguments)

    for name in ("results_finalise", "results_publish"):
        text, _lines = refused(name, *arguments)
        assert text == message.format(slug=contest.slug)
    assert Results.objects.count() == 0


def test_results_finalise_with_entries_in_no_round_lists_them_and_refuses_without_confirm(contest):
    judged = judged_round(contest)
    forgotten = unjudged_entry(contest)

    message, lines = refused("results_finalise", "--contest", contest.slug, "--round", "1", "--no-input")

    assert message == "The results of round 1 are not finalised. Add them to a round, or run again with --confirm."
    assert lines == [
        *NO_FILE_LINES,
        "These submitted entries are in no round and would never be judged:",
        f"  {forgotten.code} “Forgotten lesson”",
    ]
    assert Results.objects.count() == 0

    output = run("results_finalise", "--contest", contest.slug, "--round", "1", "--confirm")
    assert output.splitlines() == [*NO_FILE_LINES, *FINAL_LINES]
    assert Results.objects.get().round == judged["round"]


def test_results_finalise_with_entries_in_no_round_asks_and_a_no_changes_nothing(contest, monkeypatch):
    judged_round(contest)
    forgotten = unjudged_entry(contest)
    asked = answering(monkeypatch, "n", "y")

    message, _lines = refused("results_finalise", "--contest", contest.slug, "--round", "1")
    assert message == "The results of round 1 are not finalised. Add them to a round, or run again with --confirm."
    assert Results.objects.count() == 0

    output = run("results_finalise", "--contest", contest.slug, "--round", "1")

    assert asked == ["Finalise the results all the same? [y/N] "] * 2
    assert output.splitlines() == [
        *NO_FILE_LINES,
        "These submitted entries are in no round and would never be judged:",
        f"  {forgotten.code} “Forgotten lesson”",
        *FINAL_LINES,
    ]
    assert Results.objects.count() == 1


# --- results_publish ------------------------------------------------------------------------------


def preview_of(finalised: Finalised) -> list[str]:
    """The confirmation page's preview of :func:`finalised_round`, as the command prints it."""
    gold, silver, special = finalised.gold, finalised.silver, finalised.special
    return [
        f"Publish the results · 1. Round 1 · {finalised.contest.name}",
        "What becomes public",
        "3 awards are published on the blog, one post each, in Kazakh, Russian and English.",
        "New posts: 3; updated: 0; unchanged: 0; withdrawn: 0.",
        "Authors named (they consented): 2; anonymous (no consent): 1.",
        "Design (2)",
        f"  1st place · {gold.code} “Fractions with Wordwall” — named: Aigerim Seitkali, Co-author 0 "
        "(Zhetysu University, Abai University)",
        f"  2nd place · {silver.code} “Maps with Canva” — anonymous: no names, no university",
        "Special awards (1)",
        f"  Best song · {special.code} “Songs in Kazakh” — named: Saule Abenova (Zhetysu University)",
        "Who is e-mailed",
        "4 authors of the contest's judged entries receive the results by e-mail, in their language. "
        "0 co-authors receive it too, at the addresses the entries give. "
        "1 co-author has no e-mail address and is not told.",
    ]


PUBLISHED = [
    "The results of round 1 “Round 1” are published: 3 new posts, 0 updated, 0 unchanged, 0 withdrawn.",
    "Who is e-mailed: 4 authors of the contest's judged entries receive the results by e-mail, in their "
    "language. 0 co-authors receive it too, at the addresses the entries give. "
    "1 co-author has no e-mail address and is not told.",
]


@pytest.fixture
def finalised(contest) -> Finalised:  # type: ignore[no-untyped-def]
    return finalised_round(contest)


def published(finalised: Finalised) -> tuple[int, bool]:
    """How many of the contest's posts are public, and whether the results are marked published."""
    finalised.results.refresh_from_db()
    public = Post.objects.filter(contest=finalised.contest, status=PostStatus.PUBLISHED).count()
    return public, finalised.results.published_at is not None


def publish(finalised: Finalised, *arguments: str, capture) -> list[str]:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return run("results_publish", "--contest", finalised.contest.slug, *arguments).splitlines()


def test_results_publish_with_yes_publishes_the_only_final_results_and_emails_once(
    finalised, mailoutbox, django_capture_on_commit_callbacks
):
    output = publish(finalised, "--yes", capture=django_capture_on_commit_callbacks)
    again = publish(finalised, "--yes", "--round", "1", capture=django_capture_on_commit_callbacks)

    assert output == PUBLISHED
    assert again == [
        "The results of round 1 “Round 1” are published: 0 new posts, 0 updated, 3 unchanged, 0 withdrawn.",
        "Who is e-mailed: Nobody: the participants were told their results when the results were first published.",
    ]
    assert published(finalised) == (3, True)
    entries = (finalised.gold, finalised.silver, finalised.special, finalised.loser)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(entry.author.email for entry in entries)


def test_results_publish_shows_the_preview_and_publishes_on_yes(
    finalised, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    asked = answering(monkeypatch, "y")

    output = publish(finalised, capture=django_capture_on_commit_callbacks)

    assert asked == ["Publish the results now? [y/N] "]
    assert output == [*preview_of(finalised), *PUBLISHED]
    assert (published(finalised), len(mailoutbox)) == ((3, True), 4)


def test_results_publish_answered_no_changes_nothing(
    finalised, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    asked = answering(monkeypatch, "n")

    with django_capture_on_commit_callbacks(execute=True):
        message, lines = refused("results_publish", "--contest", finalised.contest.slug)

    assert (message, asked) == ("Nothing is published.", ["Publish the results now? [y/N] "])
    assert lines == preview_of(finalised)
    assert (published(finalised), Post.objects.count(), len(mailoutbox)) == ((0, False), 0, 0)
    assert finalised.results.participants_notified_at is None


def test_results_publish_without_yes_and_without_a_terminal_only_shows_the_preview(finalised):
    for arguments in ((), ("--no-input",)):
        message, lines = refused("results_publish", "--contest", finalised.contest.slug, *arguments)

        assert message == "Nothing is published. Run again with --yes to publish without being asked."
        assert lines == preview_of(finalised)
    assert published(finalised) == (0, False)


def test_results_publish_before_the_announced_time_needs_early_with_yes(
    finalised, mailoutbox, django_capture_on_commit_callbacks
):
    contest = finalised.contest
    contest.results_publish_at = timezone.now() + timedelta(days=1)
    contest.save(update_fields=["results_publish_at"])

    message, _lines = refused("results_publish", "--contest", contest.slug, "--yes")
    assert message.startswith("The results are announced for ")
    assert message.endswith("(Asia/Almaty). To publish them before that, run again with --yes --early.")
    assert (published(finalised), len(mailoutbox)) == ((0, False), 0)

    assert publish(finalised, "--yes", "--early", capture=django_capture_on_commit_callbacks) == PUBLISHED
    assert (published(finalised), len(mailoutbox)) == ((3, True), 4)


def test_results_publish_before_the_announced_time_asks_a_second_question(
    finalised, monkeypatch, django_capture_on_commit_callbacks
):
    contest = finalised.contest
    contest.results_publish_at = timezone.now() + timedelta(days=1)
    contest.save(update_fields=["results_publish_at"])
    asked = answering(monkeypatch, "n", "y", "y")

    message, lines = refused("results_publish", "--contest", contest.slug)
    assert message == "Nothing is published."
    assert lines[:-1] == preview_of(finalised)
    assert lines[-1].startswith("The contest announced its results for ")
    assert lines[-1].endswith("(Asia/Almaty). Publishing now makes them public before that, to everyone.")
    assert published(finalised) == (0, False)

    output = publish(finalised, capture=django_capture_on_commit_callbacks)

    assert asked == ["Publish before the announced time? [y/N] "] * 2 + ["Publish the results now? [y/N] "]
    assert output[-2:] == PUBLISHED
    assert published(finalised) == (3, True)


def test_results_publish_with_entries_in_no_round_needs_confirm(
    finalised, monkeypatch, django_capture_on_commit_callbacks
):
    forgotten = unjudged_entry(finalised.contest)
    listed = [
        "These submitted entries are in no round and would never be judged:",
        f"  {forgotten.code} “Forgotten lesson”",
    ]

    message, lines = refused("results_publish", "--contest", finalised.contest.slug, "--yes")
    assert (message, lines) == ("Nothing is published. Add them to a round, or run again with --confirm.", listed)
    assert published(finalised) == (0, False)

    asked = answering(monkeypatch, "n")
    message, lines = refused("results_publish", "--contest", finalised.contest.slug)
    assert (message, lines[-2:], asked) == (
        "Nothing is published.",
        listed,
        ["Publish all the same, though these entries will not be judged? [y/N] "],
    )
    assert published(finalised) == (0, False)

    assert publish(finalised, "--yes", "--confirm", capture=django_capture_on_commit_callbacks) == PUBLISHED
    assert published(finalised) == (3, True)


def test_results_publish_before_submissions_close_is_refused_whatever_is_confirmed(finalised, mailoutbox):
    contest = finalised.contest
    contest.submissions_close = timezone.now() + timedelta(hours=2)
    contest.save(update_fields=["submissions_close"])

    message, lines = refused("results_publish", "--contest", contest.slug, "--yes", "--early", "--confirm")

    assert message.startswith("The results cannot be published before submissions close on ")
    assert message.endswith("(Asia/Almaty): entries may still come in.")
    assert (lines, published(finalised), len(mailoutbox)) == ([], (0, False), 0)


def test_results_publish_of_results_not_final_is_refused(contest):
    judged_round(contest)

    message, _lines = refused("results_publish", "--contest", contest.slug, "--yes")
    assert message == f"No round of contest “{contest.slug}” has final results: finalise them first."

    message, _lines = refused("results_publish", "--contest", contest.slug, "--round", "1", "--yes")
    assert message == "Finalise the results of this round before publishing them."
    assert Post.objects.count() == 0


def test_results_publish_with_several_final_rounds_needs_the_round(
    finalised, contest, django_capture_on_commit_callbacks
):
    second = finalised_round(contest, number=2)

    message, _lines = refused("results_publish", "--contest", contest.slug, "--yes")
    assert message == f"Rounds 1, 2 of contest “{contest.slug}” have final results: say which to publish with --round."

    output = publish(finalised, "--yes", "--round", "2", capture=django_capture_on_commit_callbacks)

    assert (
        output[0] == "The results of round 2 “Round 2” are published: 3 new posts, 0 updated, 0 unchanged, 0 withdrawn."
    )
    second.results.refresh_from_db()
    assert (published(finalised), second.results.published_at is not None) == ((3, False), True)


def test_results_publish_of_another_contests_results_is_not_found(finalised):
    other = ContestFactory()

    message, _lines = refused("results_publish", "--contest", other.slug, "--round", "1", "--yes")

    assert message == f"There is no round 1 in contest “{other.slug}”."
    assert published(finalised) == (0, False)


def test_results_publish_by_hand_without_an_actor_refuses_entries_in_no_round_unless_confirmed(finalised):
    forgotten = unjudged_entry(finalised.contest)

    with pytest.raises(UnjudgedEntries) as refused_publication:
        results_publish(actor=None, results=finalised.results, by_hand=True)

    assert refused_publication.value.entries == [forgotten]
    assert published(finalised) == (0, False)
    report = results_publish(actor=None, results=finalised.results, by_hand=True, confirm_unjudged=True)
    assert len(report.created) == 3
