from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from contest.enums import Role
from judging.models import Criterion, CriterionLevel, Rubric
from tests.factories import ContestFactory, ContestRoleFactory, UserFactory
from tests.judging import criteria_for


def url(name, contest, language="en", **kwargs):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return reverse(f"frontend:{name}", kwargs={"slug": contest.slug, **kwargs})


def login_url(next_url):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return f"{reverse('account_login')}?next={next_url}"


def criterion_data(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "name_kk": "Мазмұны",
        "name_ru": "Содержание",
        "name_en": "Content",
        "description_en": "How sound the lesson is.",
        "weight": "2.5",
        "max_score": "3",
        "slug": "",
        "order": "1",
        "level_0_en": "Missing",
        "level_1_ru": "Слабо",
        "level_3_kk": "Толық",
        "level_3_en": "Complete",
    }
    data.update(overrides)
    return data


def rubric_state(contest):  # type: ignore[no-untyped-def]
    """Everything the rubric pages can change, to check that a refused request changed nothing."""
    return (
        sorted(
            Criterion.objects.filter(rubric__contest=contest).values_list(
                "pk", "name_kk", "name_ru", "name_en", "weight", "max_score", "slug", "order"
            )
        ),
        sorted(
            CriterionLevel.objects.filter(criterion__rubric__contest=contest).values_list(
                "criterion_id", "score", "descriptor_kk", "descriptor_ru", "descriptor_en"
            )
        ),
    )


@pytest.fixture
def organiser_client(client, organiser):  # type: ignore[no-untyped-def]
    client.force_login(organiser)
    return client


@pytest.fixture
def criterion(contest):  # type: ignore[no-untyped-def]
    (made,) = criteria_for(contest, 4)
    CriterionLevel.objects.create(criterion=made, score=0, descriptor="None", descriptor_en="None")
    return made


def every_request(contest, criterion):  # type: ignore[no-untyped-def]
    return [
        ("get", url("organiser_rubric", contest), None),
        ("get", url("organiser_criterion_new", contest), None),
        ("post", url("organiser_criterion_new", contest), criterion_data()),
        ("get", url("organiser_criterion_edit", contest, pk=criterion.pk), None),
        ("post", url("organiser_criterion_edit", contest, pk=criterion.pk), criterion_data(name_en="Changed")),
        ("post", url("organiser_criterion_delete", contest, pk=criterion.pk), {}),
    ]


# Permissions


def test_rubric_pages_for_anonymous_redirect_to_login(client, contest, criterion):
    before = rubric_state(contest)

    for method, address, data in every_request(contest, criterion):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code, response["Location"]) == (
            method,
            address,
            302,
            login_url(address),
        )

    assert rubric_state(contest) == before


@pytest.fixture(params=["participant", "juror", "organiser_of_another_contest"])
def refused_user(request, contest):  # type: ignore[no-untyped-def]
    if request.param == "organiser_of_another_contest":
        return ContestRoleFactory(contest=ContestFactory(), role=Role.ORGANISER).user
    return request.getfixturevalue(request.param)


def test_rubric_pages_for_others_forbidden(client, contest, criterion, refused_user):
    client.force_login(refused_user)
    before = rubric_state(contest)

    for method, address, data in every_request(contest, criterion):
        response = getattr(client, method)(address, data or {})
        assert (method, address, response.status_code) == (method, address, 403)

    assert rubric_state(contest) == before


@pytest.mark.parametrize("who", ["organiser", "superuser"])
def test_rubric_pages_open_for_organiser_and_superuser(request, client, contest, criterion, who):
    client.force_login(UserFactory(is_superuser=True) if who == "superuser" else request.getfixturevalue("organiser"))

    statuses = [
        getattr(client, method)(address).status_code
        for method, address, _data in every_request(contest, criterion)
        if method == "get"
    ]

    assert statuses == [200, 200, 200]


def test_criterion_of_another_contest_not_found(organiser_client, contest):
    (foreign,) = criteria_for(ContestFactory(), 5)

    responses = [
        organiser_client.get(url("organiser_criterion_edit", contest, pk=foreign.pk)),
        organiser_client.post(url("organiser_criterion_edit", contest, pk=foreign.pk), criterion_data()),
        organiser_client.post(url("organiser_criterion_delete", contest, pk=foreign.pk)),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert Criterion.objects.get(pk=foreign.pk).name_en == "Criterion 1"


# Listing, adding, changing, deleting


def test_rubric_page_lists_names_weight_scale_and_descriptors_in_three_languages(organiser_client, contest):
    organiser_client.post(url("organiser_criterion_new", contest), criterion_data())

    page = organiser_client.get(url("organiser_rubric", contest)).content.decode()

    for text in ("Мазмұны", "Содержание", "Content", "2.50", "scale 0–3", "Missing", "Слабо", "Толық", "Complete"):
        assert text in page
    assert "rubric-frozen" not in page


def test_criterion_add_saves_texts_weight_scale_and_levels(organiser_client, contest):
    response = organiser_client.post(url("organiser_criterion_new", contest), criterion_data())

    assert response.status_code == 302
    assert response["Location"] == url("organiser_rubric", contest)
    saved = Criterion.objects.get(rubric__contest=contest)
    assert (saved.name_kk, saved.name_ru, saved.name_en, saved.weight, saved.max_score, saved.slug, saved.order) == (
        "Мазмұны",
        "Содержание",
        "Content",
        Decimal("2.50"),
        3,
        "content",
        1,
    )
    assert list(saved.levels.values_list("score", "descriptor_kk", "descriptor_ru", "descriptor_en")) == [
        (0, "", "", "Missing"),
        (1, "", "Слабо", ""),
        (3, "Толық", "", "Complete"),
    ]


def test_criterion_edit_form_shows_a_descriptor_field_per_level_and_language(organiser_client, contest, criterion):
    page = organiser_client.get(url("organiser_criterion_edit", contest, pk=criterion.pk)).content.decode()

    assert page.count('name="level_') == 5 * 3
    assert 'name="level_4_en"' in page
    assert 'name="level_5_en"' not in page


def test_criterion_edit_when_scale_is_lowered_drops_levels_above_it(organiser_client, contest, criterion):
    data = criterion_data(max_score="2", level_0_en="Nothing", level_3_en="Above the new scale")

    response = organiser_client.post(url("organiser_criterion_edit", contest, pk=criterion.pk), data)

    assert response.status_code == 302
    saved = Criterion.objects.get(pk=criterion.pk)
    assert (saved.max_score, saved.name_en) == (2, "Content")
    assert list(saved.levels.values_list("score", "descriptor_en", "descriptor_ru")) == [
        (0, "Nothing", ""),
        (1, "", "Слабо"),
    ]


def test_criterion_edit_when_scale_grows_returns_to_the_form_for_the_new_levels(organiser_client, contest, criterion):
    response = organiser_client.post(
        url("organiser_criterion_edit", contest, pk=criterion.pk), criterion_data(max_score="6")
    )

    assert response.status_code == 302
    assert response["Location"] == url("organiser_criterion_edit", contest, pk=criterion.pk)
    page = organiser_client.get(response["Location"]).content.decode()
    assert 'name="level_6_en"' in page
    assert "Describe the new levels of the scale." in page


def test_criterion_add_without_a_name_or_with_zero_weight_is_refused(organiser_client, contest):
    before = rubric_state(contest)

    nameless = organiser_client.post(
        url("organiser_criterion_new", contest), criterion_data(name_kk="", name_ru="", name_en="")
    )
    weightless = organiser_client.post(url("organiser_criterion_new", contest), criterion_data(weight="0"))

    assert (nameless.status_code, weightless.status_code) == (400, 400)
    assert "Give the criterion&#x27;s name in at least one language." in nameless.content.decode()
    assert "Ensure this value is greater than or equal to 0.01." in weightless.content.decode()
    assert rubric_state(contest) == before


def test_criterion_delete_before_any_score_removes_it(organiser_client, contest, criterion):
    response = organiser_client.post(url("organiser_criterion_delete", contest, pk=criterion.pk))

    assert response.status_code == 302
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


# Frozen rubric


@pytest.fixture
def frozen(contest, criterion):  # type: ignore[no-untyped-def]
    Rubric.objects.filter(contest=contest).update(frozen_at=timezone.now())
    return criterion


FROZEN = "The rubric can no longer be changed: jurors have been scoring with it since"


def test_rubric_page_when_frozen_is_read_only_with_the_reason(organiser_client, contest, frozen):
    page = organiser_client.get(url("organiser_rubric", contest)).content.decode()

    assert FROZEN in page
    assert url("organiser_criterion_new", contest) not in page
    assert url("organiser_criterion_edit", contest, pk=frozen.pk) not in page
    assert "Criterion 1" in page


@pytest.mark.parametrize("request_kind", ["get_new", "get_edit", "post_new", "post_edit", "post_delete"])
def test_rubric_change_when_frozen_is_refused_with_the_reason_and_changes_nothing(
    organiser_client, contest, frozen, request_kind
):
    before = rubric_state(contest)
    method, name = request_kind.split("_")
    kwargs = {} if name == "new" else {"pk": frozen.pk}
    address = url(f"organiser_criterion_{name}", contest, **kwargs)

    response = getattr(organiser_client, method)(address, criterion_data(name_en="Forged") if method == "post" else {})

    assert response.status_code == 302
    assert response["Location"] == url("organiser_rubric", contest)
    assert FROZEN in organiser_client.get(response["Location"]).content.decode()
    assert rubric_state(contest) == before


# Query counts


def test_rubric_page_query_count_does_not_grow_with_criteria(
    organiser_client, contest, django_assert_max_num_queries, django_assert_num_queries
):
    (first,) = criteria_for(contest, 4)
    CriterionLevel.objects.create(criterion=first, score=1, descriptor_en="One")
    address = url("organiser_rubric", contest)
    with django_assert_max_num_queries(12) as one:
        organiser_client.get(address)
    rubric = Rubric.objects.get(contest=contest)
    for index in range(2, 8):
        made = Criterion.objects.create(rubric=rubric, slug=f"more{index}", name=f"More {index}", max_score=3)
        CriterionLevel.objects.create(criterion=made, score=1, descriptor_en="One")
        CriterionLevel.objects.create(criterion=made, score=2, descriptor_en="Two")

    with django_assert_num_queries(len(one.captured_queries)):
        response = organiser_client.get(address)

    assert response.content.decode().count('<article id="criterion-') == 7
