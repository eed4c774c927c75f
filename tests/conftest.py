"""Fixtures for every role: organiser, juror, participant, other participant, anonymous."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from contest.enums import Role
from tests.factories import (
    ContestFactory,
    ContestRoleFactory,
    NominationFactory,
    PlatformFactory,
    ProfileFactory,
    UniversityFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test writes media files to its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def contest(db):  # type: ignore[no-untyped-def]
    contest = ContestFactory()
    contest.universities.add(UniversityFactory(), UniversityFactory())
    return contest


@pytest.fixture
def nomination(contest):  # type: ignore[no-untyped-def]
    return NominationFactory(contest=contest)


@pytest.fixture
def platforms(contest):  # type: ignore[no-untyped-def]
    return [PlatformFactory(contest=contest, name="Wordwall", name_en="Wordwall"), PlatformFactory(contest=contest, name="Canva", name_en="Canva")]


@pytest.fixture
def participant(db):  # type: ignore[no-untyped-def]
    return ProfileFactory().user


@pytest.fixture
def other_participant(db):  # type: ignore[no-untyped-def]
    return ProfileFactory().user


@pytest.fixture
def organiser(contest):  # type: ignore[no-untyped-def]
    return ContestRoleFactory(contest=contest, role=Role.ORGANISER).user


@pytest.fixture
def juror(contest):  # type: ignore[no-untyped-def]
    return ContestRoleFactory(contest=contest, role=Role.JUROR).user


@pytest.fixture
def anonymous(db):  # type: ignore[no-untyped-def]
    return None


def _client_for(client, user):  # type: ignore[no-untyped-def]
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def participant_client(client, participant):  # type: ignore[no-untyped-def]
    return _client_for(client, participant)


@pytest.fixture
def api_client(db):  # type: ignore[no-untyped-def]
    return APIClient()


@pytest.fixture
def user_factory(db):  # type: ignore[no-untyped-def]
    return UserFactory
