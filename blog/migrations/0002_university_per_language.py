
from django.conf import settings
from django.db import migrations, models

LANGUAGES = ("kk", "ru", "en")


def _name(university, language):
    """The university's name in ``language``, else as the site falls back from it, else its base name."""
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    for code in (language, *fallbacks.get(language, fallbacks["default"])):
        name = (getattr(university, f"name_{code}", None) or "").strip()
        if name:
            return name
    return (university.name or "").strip()


def name_universities_per_language(apps, schema_editor):
    """Name each published author's university in every language, from the universities the entry records."""
    Post = apps.get_model("blog", "Post")
    CoAuthor = apps.get_model("contest", "CoAuthor")
    posts = Post.objects.filter(show_authors=True).exclude(university_text="").select_related("entry__author_university")
    for post in posts:
        entry = post.entry
        if entry is None:
            # Nothing left to name it from: the text as written, in the site's language, which the others fall back to.
            texts = {language: "" for language in LANGUAGES}
            texts[settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in texts else "en"] = post.university_text
        else:
            universities = [entry.author_university]
            coauthors = CoAuthor.objects.filter(entry=entry).select_related("university").order_by("order", "id")
            universities += [coauthor.university for coauthor in coauthors]
            texts = {}
            for language in LANGUAGES:
                names = []
                for university in universities:
                    name = _name(university, language) if university is not None else ""
                    if name and name not in names:
                        names.append(name)
                texts[language] = ", ".join(names)
        Post.objects.filter(pk=post.pk).update(**{f"university_text_{language}": texts[language] for language in LANGUAGES})


class Migration(migrations.Migration):

    dependencies = [
        ('blog', '0001_post'),
        ('contest', '0003_entry_author_university'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='post',
            name='post_authors_only_with_consent',
        ),
        migrations.AddField(
            model_name='post',
            name='university_text_en',
            field=models.CharField(blank=True, max_length=1000, null=True, verbose_name='university'),
        ),
        migrations.AddField(
            model_name='post',
            name='university_text_kk',
            field=models.CharField(blank=True, max_length=1000, null=True, verbose_name='university'),
        ),
        migrations.AddField(
            model_name='post',
            name='university_text_ru',
            field=models.CharField(blank=True, max_length=1000, null=True, verbose_name='university'),
        ),
        migrations.RunPython(name_universities_per_language, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='post',
            constraint=models.CheckConstraint(condition=models.Q(('show_authors', True), models.Q(('authors_text', ''), ('university_text', ''), models.Q(('university_text_kk', ''), ('university_text_kk__isnull', True), _connector='OR'), models.Q(('university_text_ru', ''), ('university_text_ru__isnull', True), _connector='OR'), models.Q(('university_text_en', ''), ('university_text_en__isnull', True), _connector='OR')), _connector='OR'), name='post_authors_only_with_consent'),
        ),
    ]
