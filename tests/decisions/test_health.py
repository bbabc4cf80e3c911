"""Health checks for the balancer and monitoring, and the project's deployment checks."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from decisions import health, jobs

pytestmark = pytest.mark.django_db


def test_the_web_health_check_answers_for_this_server_without_a_session_or_login(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz/web")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    assert body["storage"]["ok"] is True
    assert "workers" not in body
    assert len(queries) == 1  # SELECT 1: no session, no user
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert not default_storage.exists("healthz") or not default_storage.listdir("healthz")[1]


def test_the_full_health_check_is_503_until_a_worker_beats(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"] == {"ok": False, "alive": 0, "last_seen_seconds_ago": None}
    jobs.beat("worker-1", timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["workers"]["alive"] == 1


def test_a_broken_file_storage_makes_the_server_unhealthy_without_telling_why_in_detail(
    client, settings, tmp_path
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocked)
    response = client.get("/healthz/web")
    assert response.status_code == 503
    storage = response.json()["storage"]
    assert storage["ok"] is False
    assert str(tmp_path) not in response.content.decode()  # no paths, no secrets


def test_deployment_checks_name_what_a_province_must_set(settings, tmp_path):
    settings.DECISIONS_HISTORY_KEYS_FILE = str(tmp_path / "missing.keys")
    settings.DECISIONS_BASE_URL = "http://127.0.0.1:8000"
    settings.DECISIONS_TRUST_DEV_PKI = True
    settings.DECISIONS_TRUST_ROOTS = ["/nowhere/root.pem"]
    settings.DECISIONS_TSA_URL = "dev"
    ids = {message.id for message in health.deployment_checks()}
    assert ids == {
        "decisions.W001",
        "decisions.W002",
        "decisions.E003",
        "decisions.E004",
        "decisions.W005",
        "decisions.E006",
    } - ({"decisions.W002"} if connection.vendor == "postgresql" else set())


def test_a_production_configuration_passes_the_deployment_checks(settings, tmp_path):
    root = tmp_path / "root.pem"
    root.write_text("-----BEGIN CERTIFICATE-----\n")
    settings.DECISIONS_BASE_URL = "https://quyetdinh.example.gov.vn"
    settings.DECISIONS_TRUST_DEV_PKI = False
    settings.DECISIONS_TRUST_ROOTS = [str(root)]
    settings.DECISIONS_TSA_URL = "https://tsa.example.gov.vn"
    keys = tmp_path / "history.keys"
    keys.write_text("1 " + "ab" * 32 + "\n")
    keys.chmod(0o640)
    settings.DECISIONS_HISTORY_KEYS_FILE = str(keys)
    assert {m.id for m in health.deployment_checks()} - {"decisions.W002"} == {"decisions.W007"}
    keys.chmod(0o600)
    left = {message.id for message in health.deployment_checks()}
    assert left == (set() if connection.vendor == "postgresql" else {"decisions.W002"})
