"""Posts published before universities were named per language get each language's names from their entry."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("blog", "0001_post"), ("contest", "0003_entry_author_university")]
AFTER = [("blog", "0002_university_per_language")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_universities_of_existing_posts_are_named_in_each_language():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    user = apps.get_model("auth", "User").objects.create(username="aigerim", email="aigerim@example.org")
    now = timezone.now()
    contest = apps.get_model("contest", "Contest").objects.create(
        slug="old", name="Old", submissions_open=now, submissions_close=now + timedelta(days=1)
    )
    University = apps.get_model("contest", "University")
    zhetysu = University.objects.create(
        slug="zhu",
        name="ЖУ",
        name_kk="Жетісу университеті",
        name_ru="Жетысуский университет",
        name_en="Zhetysu University",
    )
    abai = University.objects.create(slug="abai", name="Абай", name_ru="КазНПУ им. Абая", name_en="Abai University")
    nomination = apps.get_model("contest", "Nomination").objects.create(contest=contest, slug="quiz", name="Quiz")
    entry = apps.get_model("contest", "Entry").objects.create(
        contest=contest, nomination=nomination, author=user, code="K7M2QX", title="Quiz", author_university=zhetysu
    )
    apps.get_model("contest", "CoAuthor").objects.create(entry=entry, full_name="Dana", university=abai, order=1)
    Post = apps.get_model("blog", "Post")
    named = Post.objects.create(
        contest=contest,
        key="round-1/a",
        slug="a",
        title="A",
        show_authors=True,
        authors_text="Aigerim, Dana",
        university_text="Жетысуский университет, КазНПУ им. Абая",
        entry=entry,
    )
    orphan = Post.objects.create(
        contest=contest, key="round-1/b", slug="b", title="B", show_authors=True, university_text="Тараз"
    )
    anonymous = Post.objects.create(contest=contest, key="round-1/c", slug="c", title="C", entry=entry)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    migrated = {
        post.pk: (post.university_text_kk, post.university_text_ru, post.university_text_en)
        for post in apps.get_model("blog", "Post").objects.all()
    }

    assert migrated == {
        # Abai has no Kazakh name: it falls back to the Russian one, as the pages do.
        named.pk: (
            "Жетісу университеті, КазНПУ им. Абая",
            "Жетысуский университет, КазНПУ им. Абая",
            "Zhetysu University, Abai University",
        ),
        # No entry to name them from: the text as written stays in the site's language, which the others fall back to.
        orphan.pk: ("", "Тараз", ""),
        anonymous.pk: (None, None, None),
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
