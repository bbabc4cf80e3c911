"""The one settings module refuses unsafe production configurations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_READ_DOT_ENV_FILE": "0", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_dot_env_file_is_read_when_it_exists_and_the_environment_wins(tmp_path):
    """Management commands need no extra variable to find the development settings."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(ROOT / "config", project / "config")
    (project / ".env").write_text("DJANGO_DEBUG=1\nDECISIONS_BASE_URL=http://127.0.0.1:8001\n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    code = "import config.settings as s; print(s.DEBUG, s.DECISIONS_BASE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=clean, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "http://127.0.0.1:8001"], result.stderr
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        env={**clean, "DECISIONS_BASE_URL": "https://qd.example.gov.vn"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "https://qd.example.gov.vn"], result.stderr


def test_without_debug_the_secret_key_is_required():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_set_and_sqlite_is_the_default_database():
    result = load_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_database_url_selects_postgresql():
    result = load_settings(DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p@127.0.0.1:5432/db")
    assert result.stdout.split() == ["True", "django.db.backends.postgresql"]


@pytest.mark.django_db
def test_collectstatic_with_the_production_storage_succeeds_and_pages_use_hashed_names(
    tmp_path, settings, client
):
    """`collectstatic` with the manifest storage of production completes (viewflow's unused UI
    files, among them a stylesheet naming a font it does not ship, are left out) and the pages
    then use the hashed names of the manifest."""
    import json

    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "config.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert manifest["css/app.css"] != "css/app.css"
    assert not any(name.startswith("viewflow/") for name in manifest)
    assert (tmp_path / manifest["css/app.css"]).exists()
    page = client.get("/accounts/login/").content.decode()
    assert manifest["css/app.css"] in page


def test_two_step_sign_in_is_required_of_leaders_clerks_and_administrators_unless_set_to_none():
    code = "import config.settings as s; print(','.join(s.DECISIONS_2FA_REQUIRED_ROLES) or '-')"
    for value, expected in [
        (None, "chair,vice_chair,records_clerk,admin"),
        ("", "chair,vice_chair,records_clerk,admin"),
        ("none", "-"),
        ("chair, admin", "chair,admin"),
    ]:
        env = {"DJANGO_SECRET_KEY": "x" * 50}
        if value is not None:
            env["DECISIONS_2FA_REQUIRED_ROLES"] = value
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DECISIONS_"))}
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**clean, "DJANGO_READ_DOT_ENV_FILE": "0", **env},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.stdout.strip() == expected, result.stderr
