"""The entry's results on its pages: the author's, a co-author's signed link and account; nobody else, nothing early."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from contest.coauthor_links import coauthor_token, email_digest
from contest.enums import Role
from contest.models import CoAuthor, Entry
from tests.factories import ContestRoleFactory, ProfileFactory, UserFactory
from tests.judging.stories import Judged, judged_contest

WORDS = ("Lovely pacing.", "Rich content", "Clean slides")


def url(name: str, entry: Entry | None = None, language: str = "en", **kwargs: str) -> str:
    with translation.override(language):
        if entry is not None:
            kwargs = {"slug": entry.contest.slug, "code": entry.code, **kwargs}
        return reverse(f"frontend:{name}", kwargs=kwargs)


def link(entry: Entry, email: str = "asel@example.org", language: str = "en") -> str:
    return url("entry_coauthor", language=language, token=coauthor_token(entry, email))


@pytest.fixture
def judged(contest) -> Judged:  # type: ignore[no-untyped-def]
    return judged_contest(contest)


def shows_results(body: str) -> bool:
    return 'id="results"' in body or "1st place" in body or any(word in body for word in WORDS)


# --- The author -----------------------------------------------------------------------------------


def test_entry_page_of_the_author_shows_nothing_of_the_results_before_publication(client, judged):
    client.force_login(judged.winner.author)

    body = client.get(url("entry_detail", judged.winner)).content.decode()
    listed = client.get(url("my_entries")).content.decode()

    assert not shows_results(body)
    assert not shows_results(listed)
    assert "Shortlisted" not in body + listed


def test_entry_page_of_the_author_after_publication_shows_the_story_and_the_feedback(client, judged):
    judged.publish()
    client.force_login(judged.winner.author)

    body = client.get(url("entry_detail", judged.winner)).content.decode()

    assert 'id="results"' in body
    assert "Shortlisted in round “Round 1”: it went on to the next round." in body
    assert "1st place in the nomination “Design”" in body
    assert "<strong>92.5</strong> / 100" in body
    assert "<td>Content</td><td>4.50 / 5</td>" in body
    assert "<p>Lovely pacing.</p>" in body
    assert "<li><strong>Design work:</strong> Clean slides</li>" in body
    assert "— Juror A" in body and "— Juror B" in body and "— Juror C" not in body
    assert "Juror Person" not in body and "Secret Juror University" not in body and "SET ASIDE" not in body
    # The certificates' place follows the results.
    assert body.index('id="results"') < body.index("</main>")
    # Submissions are closed: nothing to change.
    assert url("entry_edit", judged.winner) not in body
    assert url("entry_withdraw", judged.winner) not in body
    assert url("entry_upload", judged.winner) not in body


def test_my_entries_after_publication_shows_each_entrys_outcome(client, judged):
    judged.publish()
    client.force_login(judged.cut.author)

    body = client.get(url("my_entries")).content.decode()

    assert '<p class="entry-outcome"><span class="outcome-line">Not shortlisted in round “Round 1”.</span></p>' in body


# --- A co-author ------------------------------------------------------------------------------------


def test_coauthor_link_before_publication_shows_the_entry_and_no_results(client, judged):
    response = client.get(link(judged.winner))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Fractions with Wordwall" in body
    assert not shows_results(body)
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_coauthor_link_after_publication_shows_the_story_read_only_in_kazakh(client, judged):
    judged.publish()

    body = client.get(link(judged.winner, language="kk")).content.decode()

    assert "<p>Lovely pacing.</p>" in body
    assert "<strong>92,5</strong> / 100" in body  # a Kazakh decimal comma
    with translation.override("kk"):
        assert translation.gettext("Juror %(letter)s") % {"letter": "A"} in body
        assert translation.gettext("1st place") in body
    for name in ("entry_edit", "entry_withdraw", "entry_upload", "entry_file", "entry_submit"):
        assert url(name, judged.winner, language="kk") not in body
    assert url("my_entries", language="kk") not in body


def test_coauthor_link_works_whatever_the_case_of_the_address_and_never_shows_it(client, judged):
    token = coauthor_token(judged.winner, "ASEL@example.ORG")

    assert token == coauthor_token(judged.winner, "asel@example.org")
    assert "asel" not in signing.b64_decode(token.split(":")[0].encode()).decode().lower()
    assert client.get(url("entry_coauthor", token=token)).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "eyJlbnRyeSI6MSwiZW1haWwiOiJhc2VsQGV4YW1wbGUub3JnIn0:1abc:xyz",
    ],
)
def test_coauthor_link_forged_is_a_404(client, judged, token):
    assert client.get(url("entry_coauthor", token=token)).status_code == 404


def test_coauthor_link_changed_by_one_character_is_a_404(client, judged):
    token = coauthor_token(judged.winner, "asel@example.org")
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert client.get(url("entry_coauthor", token=changed)).status_code == 404


def test_coauthor_link_for_another_entry_or_address_is_a_404(client, judged):
    judged.publish()

    assert client.get(link(judged.finalist)).status_code == 404  # not a co-author of it
    assert client.get(link(judged.winner, "someone@example.org")).status_code == 404
    CoAuthor.objects.filter(entry=judged.winner).update(email="other@example.org")
    assert client.get(link(judged.winner)).status_code == 404  # no longer named on the entry


def test_coauthor_link_of_another_purpose_is_a_404(client, judged):
    value = {"entry": judged.winner.pk, "who": email_digest("asel@example.org")}
    token = signing.Signer().sign_object(value)

    assert client.get(url("entry_coauthor", token=token)).status_code == 404


def test_coauthor_with_a_verified_account_finds_the_entry_read_only_in_my_entries(client, judged):
    judged.publish()
    coauthor = ProfileFactory(user=UserFactory(email="asel@example.org")).user
    client.force_login(coauthor)

    listed = client.get(url("my_entries")).content.decode()
    page = client.get(url("entry_detail", judged.winner))
    body = page.content.decode()

    assert "Entries I co-authored" in listed
    assert url("entry_detail", judged.winner) in listed
    assert "1st place in the nomination “Design”" in listed
    assert page.status_code == 200
    assert "<p>Lovely pacing.</p>" in body
    for name in ("entry_edit", "entry_withdraw", "entry_upload", "entry_file"):
        assert url(name, judged.winner) not in body
    assert client.get(url("entry_file", judged.winner)).status_code == 404
    assert client.post(url("entry_withdraw", judged.winner), {"confirm": "on"}).status_code == 404


def test_coauthor_with_an_unverified_address_never_sees_the_entry(client, judged):
    judged.publish()
    coauthor = ProfileFactory(user=UserFactory(email="asel@example.org")).user
    EmailAddress.objects.filter(user=coauthor).update(verified=False)
    client.force_login(coauthor)

    listed = client.get(url("my_entries")).content.decode()

    assert judged.winner.code not in listed
    assert "Entries I co-authored" not in listed
    assert client.get(url("entry_detail", judged.winner)).status_code == 404


# --- Everyone else --------------------------------------------------------------------------------


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("role", ["other participant", "juror", "organiser of another contest"])
def test_entry_page_refused_to_anyone_else(client, judged, role, published):
    if published:
        judged.publish()
    user = {
        "other participant": judged.cut.author,
        "juror": judged.jurors[1].user,
        "organiser of another contest": ContestRoleFactory(role=Role.ORGANISER).user,
    }[role]
    client.force_login(user)

    assert client.get(url("entry_detail", judged.winner)).status_code == 404
    assert judged.winner.code not in client.get(url("my_entries")).content.decode()


@pytest.mark.parametrize("published", [False, True])
def test_entry_page_sends_anonymous_visitors_to_sign_in(client, judged, published):
    if published:
        judged.publish()

    response = client.get(url("entry_detail", judged.winner))

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_results_published_for_another_contest_show_nothing_here(client, judged):
    other = judged_contest(ContestRoleFactory(role=Role.ORGANISER).contest)
    other.publish()
    client.force_login(judged.winner.author)

    assert not shows_results(client.get(url("entry_detail", judged.winner)).content.decode())
    assert timezone.now() > judged.contest.submissions_close


def test_coauthor_pages_know_which_coauthor_reads_them(client, judged):
    coauthor = CoAuthor.objects.get(entry=judged.winner)

    by_link = client.get(link(judged.winner, "ASEL@example.org"))
    client.force_login(ProfileFactory(user=UserFactory(email="asel@example.org")).user)
    by_account = client.get(url("entry_detail", judged.winner))

    assert (by_link.context["coauthor"], by_account.context["coauthor"]) == (coauthor, coauthor)
    assert (by_link.context["read_only"], by_account.context["read_only"]) == (True, True)
