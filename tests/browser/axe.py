"""axe-core in the browser tests: every page a browser context loads is checked for accessibility."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

#: axe-core (an npm development dependency), run on every page the browser tests load.
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: The impacts of an accessibility violation that fail a test: the ones that keep people out.
AXE_FAILING = ("serious", "critical")
#: Pages that are not Baige's own: Django's admin and Swagger UI's API explorer.
AXE_NOT_CHECKED = ("/admin/", "/api/docs/")
# Once a page has loaded, axe checks it against WCAG 2.2 A and AA and hands its violations to the test.
AXE_RUN = """
window.baigeAxeDone = new Promise((resolve) => {
  window.addEventListener("load", () => {
    const notOurs = NOT_CHECKED.some((part) => location.pathname.startsWith(part));
    if (window.top !== window || !window.axe || notOurs) return resolve();
    setTimeout(() => {
      window.axe
        .run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]})
        .then((results) => window.baigeAxeReport(results.url, results.violations))
        .catch(() => {})
        .finally(resolve);
    }, 50);
  });
});
""".replace("NOT_CHECKED", json.dumps(AXE_NOT_CHECKED))
# A page that never finishes loading (a stream still playing) is not waited for beyond a few seconds.
AXE_WAIT = "() => Promise.race([window.baigeAxeDone, new Promise((done) => setTimeout(done, 5000))])"


def axe_report(violations: list[tuple[str, dict[str, Any]]]) -> str:
    """The serious and critical accessibility violations found, one page and rule at a time, for a person to read."""
    lines = []
    for url, violation in violations:
        lines.append(f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def axe_watch(context: Any) -> list[tuple[str, dict[str, Any]]]:
    """Run axe-core on every page ``context`` loads; the list fills with its serious and critical violations."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE}: `npm ci` installs it")
    found: list[tuple[str, dict[str, Any]]] = []

    def report(_source: Any, url: str, violations: list[dict[str, Any]]) -> None:
        found.extend((url, violation) for violation in violations if violation["impact"] in AXE_FAILING)

    context.expose_binding("baigeAxeReport", report)
    context.add_init_script(script=AXE.read_text(encoding="utf-8") + AXE_RUN)
    return found


def axe_wait(page: Any) -> None:
    """Wait until axe has checked the page open now (nothing to wait for on a page that has gone or is loading)."""
    with contextlib.suppress(Exception):
        page.evaluate(AXE_WAIT)


def axe_before_leaving(page: Any) -> None:
    """Make ``page.goto`` wait for the check of the page it leaves, which would otherwise be cut short."""
    goto = page.goto

    def checked_goto(*args: Any, **kwargs: Any) -> Any:
        axe_wait(page)
        return goto(*args, **kwargs)

    page.goto = checked_goto


def axe_checked(page: Any, violations: list[tuple[str, dict[str, Any]]]) -> None:
    """Let the check of the page still open finish, close its context, and fail on what axe found."""
    axe_wait(page)
    page.context.close()
    assert not violations, "Accessibility violations (axe-core):\n" + axe_report(violations)
