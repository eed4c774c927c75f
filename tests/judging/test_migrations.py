"""Conflicts recorded before declarations had a state keep their meaning: acted on at once, with their entry's code."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("judging", "0005_results_and_awards")]
AFTER = [("judging", "0006_conflict_state_and_review_set_aside")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_conflicts_before_states_become_resolved_with_their_entry_code():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    Contest = apps.get_model("contest", "Contest")
    University = apps.get_model("contest", "University")
    Entry = apps.get_model("contest", "Entry")
    Juror = apps.get_model("judging", "Juror")
    Conflict = apps.get_model("judging", "Conflict")
    user = User.objects.create(username="dana", email="dana@example.org")
    now = timezone.now()
    contest = Contest.objects.create(
        slug="old", name="Old", submissions_open=now, submissions_close=now + timedelta(days=1)
    )
    university = University.objects.create(slug="knu", name="KNU")
    nomination = apps.get_model("contest", "Nomination").objects.create(contest=contest, slug="quiz", name="Quiz")
    entry = Entry.objects.create(contest=contest, nomination=nomination, author=user, code="K7M2QX", title="Quiz")
    juror = Juror.objects.create(contest=contest, user=user)
    by_entry = Conflict.objects.create(juror=juror, entry=entry)
    by_university = Conflict.objects.create(juror=juror, university=university)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    migrated = apps.get_model("judging", "Conflict").objects.order_by("pk")

    assert [(c.pk, c.code, c.state, c.resolved_at == c.created_at) for c in migrated] == [
        (by_entry.pk, "K7M2QX", "resolved", True),
        (by_university.pk, "", "resolved", True),
    ]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
