"""The Content-Security-Policy: sent on every page, and no page of any role breaks it in a real browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Post
from contest.enums import Role
from judging.enums import RoundStatus
from judging.models import Assignment, Results
from judging.services.publication import results_publish
from judging.services.results import results_finalise
from judging.services.reviews import review_submit
from tests.browser.axe import axe_before_leaving, axe_checked, axe_watch
from tests.factories import ContestRoleFactory, EntryFactory, ProfileFactory, UniversityFactory, UserFactory
from tests.judging import criteria_for, entry_from, juror_in, round_of
from tests.media_pipeline.helpers import corpus_file, processed

PASSWORD = "correct-horse-9"
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(header: str) -> dict[str, list[str]]:
    """The policy's directives by name; their order in the header carries no meaning."""
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


# Registered before any script of the page runs, so that a violation during parsing is caught too.
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__csp.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


def test_policy_header_when_page_is_rendered(client, contest):  # type: ignore[no-untyped-def]
    response = client.get(f"/en/c/{contest.slug}/")

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_policy_header_when_media_is_on_s3(client, contest, s3_server, s3_storage, settings):  # type: ignore[no-untyped-def]
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }

    response = client.get(f"/en/c/{contest.slug}/")

    # Signed media redirects and Uppy's uploads go to the bucket; nothing else may come from there.
    assert directives(response["Content-Security-Policy"]) == POLICY | {
        "img-src": ["'self'", "data:", "blob:", s3_server],
        "media-src": ["'self'", "blob:", s3_server],
        "connect-src": ["'self'", s3_server],
    }


def test_policy_header_when_admin_is_rendered(admin_client):  # type: ignore[no-untyped-def]
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY


class Visitor:
    """A browser context of one person, recording every violation of the policy on the pages it opens."""

    def __init__(self, browser, live_server):  # type: ignore[no-untyped-def]
        self.live_server = live_server
        self.context = browser.new_context(viewport={"width": 390, "height": 844})
        self.context.add_init_script(COLLECT_VIOLATIONS)
        self.accessibility = axe_watch(self.context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        axe_before_leaving(self.page)
        self.console: list[str] = []
        self.page.on(
            "console",
            lambda message: self.console.append(message.text) if "Content Security Policy" in message.text else None,
        )

    def visit(self, path: str) -> list[str]:
        """Open the page, let its scripts run, and return what the policy blocked there."""
        self.page.goto(f"{self.live_server.url}{path}")
        self.page.wait_for_load_state("load")
        return self.violations()

    def violations(self) -> list[str]:
        # Violation events are queued as tasks: one more animation frame lets the last of them arrive.
        self.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)))")
        found = self.page.evaluate("window.__csp") + self.console
        self.console.clear()
        return found

    def log_in(self, email: str) -> None:
        self.visit("/en/accounts/login/")
        self.page.locator("main form input[name=login]").fill(email)
        self.page.locator("main form input[name=password]").fill(PASSWORD)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_url(re.compile(r"/en/(c|organise|jury)/"))

    def close(self) -> None:
        """Close the browser context; fails if axe found a serious accessibility violation on a page it opened."""
        axe_checked(self.page, self.accessibility)


@pytest.fixture
def judged(contest, nomination, platforms):  # type: ignore[no-untyped-def]
    """An open round whose one entry has a processed video, judged by one juror."""
    criteria = criteria_for(contest, 5)
    entry = processed(
        entry_from(contest, UniversityFactory(), platforms=[platforms[0]], title="Fractions with Wordwall"),
        "videos/exoplayer_sample_h264_aac.mp4",
    )
    entry.nomination = nomination
    entry.consent_to_publish = True
    entry.save(update_fields=["nomination", "consent_to_publish"])
    juror = juror_in(contest, UniversityFactory(), name="Juror")
    round = round_of(contest, [entry], [juror], k=1)
    Assignment.objects.create(round=round, juror=juror, entry=entry)
    return round, entry, juror, criteria


@pytest.mark.browser
def test_pages_break_no_policy_when_each_role_visits(  # type: ignore[no-untyped-def]
    live_server, browser, contest, judged, participant
):
    round, entry, juror, criteria = judged
    organiser = ContestRoleFactory(contest=contest, role=Role.ORGANISER).user
    ProfileFactory(user=organiser, full_name="Organiser")
    own = EntryFactory(contest=contest, author=participant, title="My lesson")

    anonymous = Visitor(browser, live_server)
    try:
        assert anonymous.visit("/en/") == []
        assert anonymous.visit(f"/en/c/{contest.slug}/") == []
        assert anonymous.visit("/en/accounts/signup/") == []
        assert anonymous.visit("/en/accounts/login/") == []
    finally:
        anonymous.close()

    author = Visitor(browser, live_server)
    try:
        author.log_in(participant.email)
        assert author.violations() == []
        assert author.visit(f"/en/c/{contest.slug}/entries/{own.code}/") == []
        # Uppy has taken over the form: its scripts and styles ran under the policy.
        author.page.wait_for_selector("[data-upload-progress] .uppy-Root", state="attached")
        assert author.violations() == []
        # The upload itself: Uppy's progress bar, its requests to the upload API, then the processed slides.
        author.page.locator("form[data-resumable-upload] input[type=file]").set_input_files(
            str(corpus_file("pdf/unstructured_fake_memo.pdf"))
        )
        author.page.locator("form[data-resumable-upload] button[type=submit]").click()
        author.page.wait_for_selector("[data-media-status], [data-slides]", timeout=60_000)
        assert author.violations() == []
    finally:
        author.close()

    jury = Visitor(browser, live_server)
    try:
        jury.log_in(juror.user.email)
        assert jury.visit("/en/jury/") == []
        assert jury.visit(f"/en/jury/r/{round.pk}/{entry.code}/") == []
        jury.page.wait_for_function("document.querySelector('.player video').readyState >= 1")
        assert jury.violations() == []
    finally:
        jury.close()

    review_submit(actor=juror.user, round=round, entry=entry, scores={c.pk: 5 for c in criteria})
    round.status = RoundStatus.CLOSED
    round.closed_at = timezone.now()
    round.save(update_fields=["status", "closed_at"])
    contest.submissions_close = timezone.now() - timedelta(seconds=1)
    contest.save(update_fields=["submissions_close"])
    results_publish(actor=organiser, results=results_finalise(actor=organiser, round=round))
    post = Post.objects.get(entry=entry)

    organising = Visitor(browser, live_server)
    try:
        organising.log_in(organiser.email)
        assert organising.visit(f"/en/organise/c/{contest.slug}/") == []
        assert organising.visit(f"/en/organise/c/{contest.slug}/statistics/") == []
        assert organising.page.locator("#platform-chart").bounding_box()["width"] <= 390
        assert organising.visit(f"/en/organise/c/{contest.slug}/rounds/{round.number}/results/") == []
        assert organising.visit(f"/en/organise/c/{contest.slug}/rounds/{round.number}/results/publish/") == []
        assert organising.visit(f"/en/organise/c/{contest.slug}/processing/") == []
        assert organising.visit("/en/account/tokens/") == []
        assert Results.objects.get(round=round).published_at is not None
    finally:
        organising.close()

    reader = Visitor(browser, live_server)
    try:
        assert reader.visit("/en/blog/") == []
        assert reader.visit(f"/en/blog/{contest.slug}/{post.slug}/") == []
        reader.page.wait_for_selector("video")
        assert reader.violations() == []
    finally:
        reader.close()


@pytest.mark.browser
def test_admin_and_api_docs_break_no_policy_when_staff_visits(live_server, browser, db):  # type: ignore[no-untyped-def]
    UserFactory(email="admin@example.org", username="admin", is_staff=True, is_superuser=True)

    staff = Visitor(browser, live_server)
    try:
        # Admin's login page sends staff to allauth's, and back to admin once logged in.
        staff.visit("/admin/login/?next=/admin/")
        staff.page.locator("main form input[name=login]").fill("admin@example.org")
        staff.page.locator("main form input[name=password]").fill(PASSWORD)
        staff.page.locator("main form button[type=submit]").click()
        staff.page.wait_for_url(re.compile(r"/admin/$"))
        assert staff.violations() == []
        assert staff.visit("/admin/contest/contest/") == []
        assert staff.visit("/admin/auth/user/add/") == []
        assert staff.visit("/api/docs/") == []
        staff.page.wait_for_selector(".swagger-ui .info")
        assert staff.violations() == []
    finally:
        staff.close()


@pytest.mark.browser
def test_404_page_when_kazakh_on_a_phone_breaks_no_policy(live_server, browser, shoot, db):  # type: ignore[no-untyped-def]
    visitor = Visitor(browser, live_server)
    try:
        assert visitor.visit("/kk/no-such-page/") == []
        assert visitor.page.locator("main h1").inner_text() == "Бет табылмады"
        shoot(visitor.page, "kk-404")
        visitor.page.locator("main a[role=button]").click()
        visitor.page.wait_for_url(f"{live_server.url}/kk/")
    finally:
        visitor.close()
