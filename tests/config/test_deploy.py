"""Production settings: `check --deploy` is clean behind https, the embedded http default stays usable."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION_KEY = "b7Qz-4kV9sLwP2mXeR8tYn3uJc6hGa1dFo5iKq0ZxNvB_yTpWlSrMe"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "contest.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://contest.example.org",
    "SITE_URL": "https://contest.example.org",
}
# Printed by a child process, which reads its settings from the environment it is given.
SHOW_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "SECRET_KEY": settings.SECRET_KEY,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_HSTS_PRELOAD": settings.SECURE_HSTS_PRELOAD,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
    "SILENCED_SYSTEM_CHECKS": settings.SILENCED_SYSTEM_CHECKS,
    "X_FRAME_OPTIONS": settings.X_FRAME_OPTIONS,
    "SECURE_CONTENT_TYPE_NOSNIFF": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "SECURE_REFERRER_POLICY": settings.SECURE_REFERRER_POLICY,
}))
"""
# One request through the whole middleware stack; the JavaScript catalogue needs no database.
REQUEST = """
import json
import sys
import django
django.setup()
from django.test import Client
response = Client().get("/en/jsi18n/", headers=json.loads(sys.argv[1]), HTTP_HOST=sys.argv[2])
print(json.dumps({
    "status": response.status_code,
    "location": response.get("Location"),
    "hsts": response.get("Strict-Transport-Security"),
}))
"""


def _env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A clean environment: nothing of the test run's own configuration leaks into the child."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BAIGE_DATA_DIR": str(tmp_path / "var"),
        **variables,
    }


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _settings(env: dict[str, str]) -> dict[str, object]:
    done = _run(env, "-c", SHOW_SETTINGS)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _get(
    env: dict[str, str], headers: dict[str, str] | None = None, host: str = "contest.example.org"
) -> dict[str, object]:
    done = _run(env, "-c", REQUEST, json.dumps(headers or {}), host)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_deploy_when_production_variables_reports_nothing(tmp_path):
    done = _run(_env(tmp_path, **PRODUCTION), "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert (done.returncode, done.stdout, done.stderr) == (0, "System check identified no issues (1 silenced).\n", "")


def test_check_deploy_when_secrets_come_from_files_reports_nothing(tmp_path):
    (tmp_path / "secret_key").write_text(PRODUCTION_KEY + "\n")
    (tmp_path / "database_url").write_text("postgres://baige:pa%24%24@db.internal:5432/baige\n")
    env = _env(tmp_path, **{**PRODUCTION, "SECRET_KEY": ""})
    env.update(SECRET_KEY_FILE=str(tmp_path / "secret_key"), DATABASE_URL_FILE=str(tmp_path / "database_url"))
    done = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert (done.returncode, done.stdout, done.stderr) == (0, "System check identified no issues (1 silenced).\n", "")
    assert _settings(env)["SECRET_KEY"] == PRODUCTION_KEY


def test_settings_when_production_variables_turn_https_on(tmp_path):
    assert _settings(_env(tmp_path, **PRODUCTION)) == {
        "SECRET_KEY": PRODUCTION_KEY,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SILENCED_SYSTEM_CHECKS": ["staticfiles.W004", "security.W021"],
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
    }


def test_settings_when_media_lease_too_short_is_refused(tmp_path):
    done = _run(_env(tmp_path, SECRET_KEY=PRODUCTION_KEY, MEDIA_STALE_AFTER_SECONDS="30"), "manage.py", "check")

    assert done.returncode == 1
    assert "MEDIA_STALE_AFTER_SECONDS must be at least 45 (three heartbeats of a worker)." in done.stderr


@pytest.mark.parametrize(
    ("variables", "key"),
    [({"DEBUG": "1"}, "baige-embedded-default-not-for-production"), ({"SECRET_KEY": PRODUCTION_KEY}, PRODUCTION_KEY)],
)
def test_settings_when_no_variables_are_http_friendly(tmp_path, variables, key):
    shown = _settings(_env(tmp_path, **variables))
    assert {key: shown[key] for key in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")} == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }
    assert (shown["SECURE_HSTS_SECONDS"], shown["SECURE_PROXY_SSL_HEADER"]) == (0, None)
    assert shown["SECRET_KEY"] == key


def test_request_when_no_variables_is_served_over_http(tmp_path):
    assert _get(_env(tmp_path, SECRET_KEY=PRODUCTION_KEY), host="127.0.0.1:8000") == {
        "status": 200,
        "location": None,
        "hsts": None,
    }


def test_request_when_production_over_http_is_redirected_to_https(tmp_path):
    assert _get(_env(tmp_path, **PRODUCTION)) == {
        "status": 301,
        "location": "https://contest.example.org/en/jsi18n/",
        "hsts": None,
    }


def test_request_when_proxy_header_trusted_is_served_with_hsts(tmp_path):
    env = _env(tmp_path, **PRODUCTION, SECURE_PROXY_SSL_HEADER="1")
    assert _settings(env)["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert _get(env, {"X-Forwarded-Proto": "https"}) == {
        "status": 200,
        "location": None,
        "hsts": "max-age=31536000; includeSubDomains",
    }


def test_request_when_proxy_header_not_trusted_ignores_forwarded_proto(tmp_path):
    assert _get(_env(tmp_path, **PRODUCTION), {"X-Forwarded-Proto": "https"})["status"] == 301


def test_settings_when_operator_turns_protections_off_are_not_reported(tmp_path):
    env = _env(
        tmp_path,
        **PRODUCTION,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_COOKIES="0",
    )
    shown = _settings(env)
    assert (shown["SECURE_SSL_REDIRECT"], shown["SECURE_HSTS_SECONDS"], shown["SESSION_COOKIE_SECURE"]) == (
        False,
        0,
        False,
    )
    assert shown["SILENCED_SYSTEM_CHECKS"] == [
        "staticfiles.W004",
        "security.W021",
        "security.W008",
        "security.W004",
        "security.W005",
    ]
    # Cookies sent over plain http are still reported: nothing in front of Baige can make them secure.
    done = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 1
    assert "security.W012" in done.stderr
    assert "security.W016" in done.stderr
    assert "security.W008" not in done.stderr


def test_settings_when_preload_asked_sends_it_and_keeps_the_check(tmp_path):
    env = _env(tmp_path, **PRODUCTION, SECURE_HSTS_PRELOAD="1", SECURE_HSTS_SECONDS="63072000")
    shown = _settings(env)
    assert (shown["SECURE_HSTS_PRELOAD"], shown["SECURE_HSTS_SECONDS"]) == (True, 63072000)
    assert shown["SILENCED_SYSTEM_CHECKS"] == ["staticfiles.W004"]
    done = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert (done.returncode, done.stdout, done.stderr) == (0, "System check identified no issues (0 silenced).\n", "")


REFUSED_DEVELOPMENT_KEY = (
    "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is the public development key while DEBUG is off: "
    "set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, or DEBUG=1 on a computer that serves nobody else."
)


@pytest.mark.parametrize(
    "variables",
    [
        {**PRODUCTION, "SECRET_KEY": ""},
        # A plain-http site (behind a proxy, on a LAN) signs password-reset links and sessions all the same.
        {"DEBUG": "0", "SITE_URL": "http://contest.example.org"},
        # DEBUG left out is DEBUG off.
        {},
    ],
    ids=["https", "http", "nothing-set"],
)
def test_start_when_development_secret_key_without_debug_is_refused(tmp_path, variables):
    done = _run(_env(tmp_path, **variables), "manage.py", "check")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == REFUSED_DEVELOPMENT_KEY


def test_start_when_debug_on_accepts_development_secret_key(tmp_path):
    done = _run(_env(tmp_path, DEBUG="1", SITE_URL="http://127.0.0.1:8000"), "manage.py", "check")
    assert (done.returncode, done.stdout, done.stderr) == (0, "System check identified no issues (0 silenced).\n", "")


def test_start_when_secret_given_twice_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text(PRODUCTION_KEY)
    env = _env(tmp_path, **PRODUCTION, SECRET_KEY_FILE=str(tmp_path / "secret_key"))
    done = _run(env, "manage.py", "check")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY and SECRET_KEY_FILE are both set: "
        "set only one of them."
    )


def _env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_env_example_when_secret_key_set_passes_check_deploy(tmp_path):
    example = _env_example()
    assert example["SECRET_KEY"] == ""
    env = _env(tmp_path, **{**example, "SECRET_KEY": PRODUCTION_KEY, "BAIGE_DATA_DIR": str(tmp_path / "var")})
    env.update(EMAIL_FILE_PATH=str(tmp_path / "mail"), MEDIA_WORK_DIR=str(tmp_path / "work"))
    done = _run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert (done.returncode, done.stdout, done.stderr) == (0, "System check identified no issues (1 silenced).\n", "")


def test_env_example_when_read_documents_every_variable_of_the_readme():
    readme = (ROOT / "docs" / "configuration.md").read_text()
    table = readme.split("| variable | default | meaning |", 1)[1].split("\n\n", 1)[0]
    documented = {
        name for row in table.splitlines()[2:] for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])
    }
    assert "SECRET_KEY" in documented
    assert sorted(documented - set(_env_example())) == []
