"""factory_boy factories for Baige's models."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from contest.enums import Country, EntryStatus, Role
from contest.models import Contest, ContestRole, Entry, Nomination, ParticipantProfile, Platform, University
from media_pipeline.enums import MediaKind
from media_pipeline.models import MediaAsset

#: The smallest file Baige takes for a presentation: a one-page PDF.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        """Mark the e-mail as verified, as allauth would after the link is followed."""
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = University

    slug = factory.Sequence(lambda n: f"uni-{n}")
    name = factory.Sequence(lambda n: f"University {n}")
    name_en = factory.SelfAttribute("name")
    country = Country.KZ


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantProfile

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Participant {n}")
    university = factory.SubFactory(UniversityFactory)
    programme = "Pedagogy"
    country = Country.KZ
    preferred_language = "en"


class ContestFactory(factory.django.DjangoModelFactory):
    """A contest whose submission window is open now."""

    class Meta:
        model = Contest

    slug = factory.Sequence(lambda n: f"contest-{n}")
    name = factory.Sequence(lambda n: f"Contest {n}")
    name_en = factory.SelfAttribute("name")
    timezone = "Asia/Almaty"
    submissions_open = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    submissions_close = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    contest = factory.SubFactory(ContestFactory)
    slug = factory.Sequence(lambda n: f"nomination-{n}")
    name = factory.Sequence(lambda n: f"Nomination {n}")
    name_en = factory.SelfAttribute("name")


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    contest = factory.SubFactory(ContestFactory)
    slug = factory.Sequence(lambda n: f"platform-{n}")
    name = factory.Sequence(lambda n: f"Platform {n}")
    name_en = factory.SelfAttribute("name")


class ContestRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContestRole

    contest = factory.SubFactory(ContestFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ORGANISER


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry
        skip_postgeneration_save = True

    contest = factory.SubFactory(ContestFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    description = "A lesson built with an interactive quiz."
    nomination = factory.SubFactory(NominationFactory, contest=factory.SelfAttribute("..contest"))
    status = EntryStatus.DRAFT
    #: A submitted entry keeps its author's university as it was at submission, as ``entry_submit`` records it.
    author_university = factory.LazyAttribute(
        lambda entry: (
            University.objects.filter(participants__user=entry.author).first()
            if entry.status in (EntryStatus.SUBMITTED, EntryStatus.WITHDRAWN)
            else None
        )
    )

    @factory.post_generation
    def platforms(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if not create:
            return
        if extracted is None:
            extracted = [PlatformFactory(contest=self.contest)]
        self.platforms.set(extracted)

    @factory.post_generation
    def with_media(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            asset = MediaAssetFactory(entry=self)
            self.media = asset
            self.save(update_fields=["media"])


class MediaAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaAsset

    entry = factory.SubFactory(EntryFactory)
    original = factory.LazyFunction(lambda: ContentFile(TINY_PDF, name="original.pdf"))
    original_name = "lesson.pdf"
    kind = MediaKind.PDF
    extension = "pdf"
    size = len(TINY_PDF)
