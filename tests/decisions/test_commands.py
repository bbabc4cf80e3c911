"""import_decision, setup_roles and load_demo as an administrator runs them."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from decisions import permissions
from decisions.demo import PEOPLE
from decisions.models import Decision, DecisionEvent, Organization, Register, User
from tests.decisions.test_importer import SEED_000, SEED_001

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_decision_prints_the_parsed_structure_as_json():
    data = json.loads(run("import_decision", str(SEED_000), "--json"))
    assert data["number"] == 93
    assert data["signature"]["name"] == "Võ Tùng"


def test_import_decision_saves_a_draft_for_the_issuer_as_the_drafter(specialist, make_content):
    make_content()  # the document type Quyết định exists
    out = run(
        "import_decision", str(SEED_000), "--save", "--issuer", "giong-rieng", "--as", "specialist"
    )
    decision = Decision.objects.get()
    assert f"dự thảo số {decision.pk}" in out
    assert decision.status == Decision.Status.DRAFT
    assert decision.number is None  # a number is only given at issuance
    assert decision.authority == Decision.Authority.INDIVIDUAL
    assert decision.drafter == specialist
    assert len(decision.articles) == 3
    assert [r.text for r in decision.recipients.all()][-1] == "Lưu: VT"
    assert list(decision.events.values_list("kind", flat=True)) == [DecisionEvent.Kind.IMPORTED]


def test_seed_001_is_saved_as_a_collective_decision(make_person, make_content):
    province = Organization.objects.create(
        code="tinh",
        name="ỦY BAN NHÂN DÂN\nTỈNH AN GIANG",
        abbreviation="UBND",
        level=Organization.Level.PROVINCE,
        is_issuer=True,
        head_title="CHỦ TỊCH",
    )
    make_person(permissions.Role.SPECIALIST, province, username="cv")
    make_content()
    run("import_decision", str(SEED_001), "--save", "--issuer", "tinh", "--as", "cv")
    decision = Decision.objects.get()
    assert decision.authority == Decision.Authority.COLLECTIVE
    assert decision.recipients.values_list("same_as_article", flat=True)[0] == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Văn bản trống"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "không phải tệp văn bản"),
        (
            "QUYẾT ĐỊNH\nVề việc thử\nỦY BAN NHÂN DÂN\nQUYẾT ĐỊNH:\nNơi nhận:\n- Lưu: VT.".encode(),
            "Không tìm thấy điều nào",
        ),
    ],
)
def test_import_decision_refuses_bad_input_and_saves_nothing(
    tmp_path, specialist, make_content, content, message
):
    make_content()
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("import_decision", str(path), "--save", "--issuer", "giong-rieng", "--as", "specialist")
    assert not Decision.objects.exists()
    assert not DecisionEvent.objects.exists()


def test_import_decision_refuses_a_user_who_may_not_draft_for_the_issuer(chair, make_content):
    make_content()
    with pytest.raises(CommandError, match="không có quyền soạn thảo"):
        run("import_decision", str(SEED_000), "--save", "--issuer", "giong-rieng", "--as", "chair")
    assert not Decision.objects.exists()


def test_import_decision_exits_non_zero_with_the_message_on_stderr(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_decision", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Văn bản trống" in result.stderr


def test_setup_roles_can_run_twice_and_keeps_one_group_per_role():
    run("setup_roles")
    run("setup_roles")
    assert Group.objects.count() == len(permissions.Role)
    chair_group = Group.objects.get(name__endswith="(chair)")
    assert chair_group.name == "Chủ tịch (chair)"
    assert set(chair_group.permissions.values_list("codename", flat=True)) == {
        "sign_any_decision",
        "review_decisions",
        "view_all_decisions",
    }


def test_load_demo_is_idempotent_and_covers_every_role(settings):
    settings.DEBUG = True
    first = run("load_demo")
    counts = (
        User.objects.count(),
        Organization.objects.count(),
        Decision.objects.count(),
        Register.objects.count(),
        DecisionEvent.objects.count(),
    )
    run("load_demo")
    assert counts == (
        User.objects.count(),
        Organization.objects.count(),
        Decision.objects.count(),
        Register.objects.count(),
        DecisionEvent.objects.count(),
    )
    statuses = sorted(Decision.objects.values_list("status", flat=True))
    steps = ["proposal", "review", "signature", "signed", "issued", "withdrawn"]
    assert statuses == sorted(["draft", "draft", "draft", *steps])
    for person in PEOPLE:
        assert person.username in first
    for role in permissions.Role:
        if role is permissions.Role.UNIT_HEAD:
            continue
        assert any(role in person.roles for person in PEOPLE), role
    vice_chairs = User.objects.filter(title="PHÓ CHỦ TỊCH", organization__code="giong-rieng")
    assert {tuple(v.sectors.values_list("name", flat=True)) for v in vice_chairs} == {
        ("Nội chính - Cải cách hành chính",),
        ("Kinh tế", "Văn hóa - Xã hội"),
    }
    seed_000 = Decision.objects.get(issuer__code="giong-rieng", reference__isnull=False, number=1)
    linked = {
        r.text: sorted(o.code for o in r.organizations.all()) for r in seed_000.recipients.all()
    }
    assert linked["UBND xã, thị"] == ["tt-giong-rieng", "xa-thanh-hung"]
    assert linked["Lưu: VT"] == []
    # Every step of every demo decision left the history consistent with the decision.
    from decisions import history_check

    assert list(history_check.check_all()) == []


def test_the_demo_shows_seed_000_issued_signed_sealed_and_delivered(settings):
    """A newcomer sees an issued decision and its PDF at once: seed 000 signed by the vice
    chair, sealed, numbered, delivered, one body acknowledged it, one opened it; another
    decision waits at every step, one of them sent back with its reason."""
    from decisions.models import Delivery
    from decisions.signing.verification import verify_pdf

    settings.DEBUG = True
    run("load_demo")
    issued = Decision.objects.get(status=Decision.Status.ISSUED)
    assert issued.subject.startswith("V/v ban hành mục tiêu chất lượng")
    assert issued.reference == "01/QĐ-UBND"
    with issued.pdf.open("rb") as stream:
        report = verify_pdf(stream.read())
    assert [check.kind for check in report.signatures][:2] == ["leader", "seal"]
    assert report.valid
    statuses = sorted(issued.deliveries.values_list("status", flat=True))
    assert statuses.count(Delivery.Status.ACKNOWLEDGED) == 1
    assert statuses.count(Delivery.Status.OPENED) == 1
    assert statuses.count(Delivery.Status.SENT) >= 1
    returned = Decision.objects.get(subject__contains="kiện toàn Ban Chỉ đạo")
    assert (returned.status, returned.revision) == (Decision.Status.DRAFT, 2)
    assert returned.events.filter(kind=DecisionEvent.Kind.RETURNED).exists()


def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run("load_demo")
    assert not Organization.objects.exists()
