"""The site (django.contrib.sites) takes its domain from SITE_URL and its name from SITE_NAME at each migrate."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.contrib.sites.models import Site

from frontend.site import site_sync

ROOT = Path(__file__).resolve().parent.parent.parent
SHOW_SITES = """
import json
import django
django.setup()
from django.contrib.sites.models import Site
print(json.dumps(list(Site.objects.order_by("pk").values_list("pk", "domain", "name"))))
"""


def test_migrate_when_site_url_and_name_given_sets_the_site_once(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BAIGE_DATA_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "a-key-for-this-test-only",
        "SITE_URL": "https://contest.example.kz",
        "SITE_NAME": "Baige Contest",
    }

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("manage.py", "migrate", "--noinput", "-v", "0")
    first = json.loads(run("-c", SHOW_SITES))
    env["SITE_URL"] = "https://konkurs.example.kz:8443/"
    run("manage.py", "migrate", "--noinput", "-v", "0")

    assert first == [[1, "contest.example.kz", "Baige Contest"]]
    assert json.loads(run("-c", SHOW_SITES)) == [[1, "konkurs.example.kz:8443", "Baige Contest"]]


def test_site_sync_when_run_again_changes_only_the_one_site(db, settings):
    settings.SITE_URL = "https://contest.example.kz"
    settings.SITE_NAME = "Baige"
    site_sync()
    site_sync()

    assert list(Site.objects.values_list("pk", "domain", "name")) == [(1, "contest.example.kz", "Baige")]
    assert Site.objects.get_current().name == "Baige"


def test_site_when_test_database_migrated_is_not_example_com(db, settings):
    assert (Site.objects.get_current().domain, Site.objects.get_current().name) == ("127.0.0.1:8000", "Baige")
