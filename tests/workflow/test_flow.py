"""The approval flow end to end over HTTP: both seeds, with a return loop each."""

import pytest
from django.core import mail
from django.test import Client
from viewflow.workflow.status import PROCESS

from decisions import numbering, permissions, services
from decisions.importer import to_draft_content
from decisions.models import Decision, DecisionEvent, DecisionVersion, Organization
from tests.conftest import PIN
from tests.decisions.test_importer import SEED_000, SEED_001, parse_file
from tests.decisions.test_rendering import assert_in_order, text_of
from tests.factories import OrganizationFactory, SectorFactory
from workflow import driver

pytestmark = pytest.mark.django_db(transaction=False)
Role = permissions.Role
Status = Decision.Status


def stored_pdf(decision: Decision) -> bytes:
    with decision.pdf.open("rb") as stored:
        return stored.read()


def ok(response) -> None:
    assert response.status_code == 302, response.content.decode()[:2000]


def import_seed(path, issuer, drafter, sector=None) -> Decision:
    content = to_draft_content(parse_file(path), issuer=issuer)
    content.sector = sector
    return services.create_draft(actor=drafter, issuer=issuer, content=content)


def test_seed_000_runs_through_the_flow_with_a_return_and_is_signed_kt_by_the_vice_chair(
    act,
    issuer,
    specialist,
    chief_of_office,
    vice_chair,
    chair,
    records_clerk,
    make_content,
    jobs_done,
):
    make_content()
    sector = vice_chair.sectors.get()
    decision = import_seed(SEED_000, issuer, specialist, sector)

    with jobs_done():
        ok(act(specialist, decision, "submit", note="Kính trình"))
    decision.refresh_from_db()
    assert decision.status == Status.PROPOSAL
    assert chief_of_office.email in {address for m in mail.outbox for address in m.to}

    mail.outbox.clear()
    with jobs_done():
        ok(act(chief_of_office, decision, "return", reason="Sửa lại căn cứ thứ nhất."))
    decision.refresh_from_db()
    assert (decision.status, decision.revision) == (Status.DRAFT, 2)
    assert [m.to for m in mail.outbox] == [[specialist.email]]
    assert "Sửa lại căn cứ thứ nhất." in mail.outbox[0].body
    assert DecisionVersion.objects.filter(decision=decision).count() == 2

    with jobs_done():  # each step tells the next person
        ok(act(specialist, decision, "submit"))
        ok(act(chief_of_office, decision, "propose", signer=vice_chair.pk, note="Đã ký nháy"))
        decision.refresh_from_db()
        assert (decision.status, decision.signer) == (Status.REVIEW, vice_chair)
        ok(act(vice_chair, decision, "review", note="Đồng ý", sign_now="on", pin=PIN))
    waiting = [m.to for m in mail.outbox if "Chờ xử lý" in m.subject]
    assert waiting[-2:] == [[vice_chair.email], [records_clerk.email]]
    decision.refresh_from_db()
    assert decision.status == Status.SIGNED

    mail.outbox.clear()
    with jobs_done():
        ok(act(records_clerk, decision, "issue", pin=PIN))
    decision.refresh_from_db()
    assert decision.status == Status.ISSUED
    assert decision.reference == "01/QĐ-UBND"
    assert decision.snapshot
    assert decision.snapshot["signature_lines"] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert [m.to for m in mail.outbox] == [[specialist.email]]
    assert "01/QĐ-UBND" in mail.outbox[0].subject

    pdf = stored_pdf(decision)
    assert_in_order(text_of(pdf), ["Số: 01/QĐ-UBND", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Võ Tùng"])
    kinds = list(decision.events.values_list("kind", flat=True))
    assert kinds == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "proposed",
        "approved",
        "signed",
        "numbered",
        "sealed",
        "issued",
    ]
    process = driver.process_of(decision)
    assert process is not None
    assert process.status == PROCESS.DONE


def test_seed_001_collective_is_signed_tm_by_the_chair_after_a_return_by_the_chair(
    act, make_person, make_content, jobs_done
):
    province = OrganizationFactory.create(code="tinh", name="ỦY BAN NHÂN DÂN\nTỈNH AN GIANG")
    drafter = make_person(Role.SPECIALIST, province, username="cv")
    office = make_person(Role.CHIEF_OF_OFFICE, province, username="cvp")
    chair = make_person(
        Role.CHAIR, province, username="ct", full_name="Ngô Văn Khải", title="CHỦ TỊCH"
    )
    clerk = make_person(Role.RECORDS_CLERK, province, username="vt")
    make_content()
    first = import_seed(SEED_001, province, drafter)
    second = import_seed(SEED_001, province, drafter)

    for decision in (first, second):
        ok(act(drafter, decision, "submit"))
        ok(act(office, decision, "propose", signer=chair.pk))
    ok(act(chair, first, "return", reason="Bổ sung căn cứ."))
    ok(act(drafter, first, "submit"))
    ok(act(office, first, "propose", signer=chair.pk))
    for decision in (second, first):  # the second is issued first
        ok(act(chair, decision, "review"))
        ok(act(chair, decision, "sign", pin=PIN))
        ok(act(clerk, decision, "issue", pin=PIN))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.reference, first.reference) == ("01/QĐ-UBND", "02/QĐ-UBND")
    text = text_of(stored_pdf(first))
    assert_in_order(text, ["Số: 02/QĐ-UBND", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Ngô Văn Khải"])
    assert first.events.filter(kind=DecisionEvent.Kind.RETURNED).get().note == "Bổ sung căn cứ."


def test_the_unit_head_checks_first_when_the_body_asks_for_it(
    act, issuer, specialist, make_person, chief_of_office, draft
):
    Organization.objects.filter(pk=issuer.pk).update(unit_check_required=True)
    head = make_person(Role.UNIT_HEAD, issuer, username="truong-phong")
    ok(act(specialist, draft, "submit"))
    draft.refresh_from_db()
    assert draft.status == Status.UNIT_CHECK
    assert act(chief_of_office, draft, "propose", signer=1).status_code == 400  # not yet
    ok(act(head, draft, "check", note="Nội dung đạt"))
    draft.refresh_from_db()
    assert draft.status == Status.PROPOSAL


def test_a_vice_chair_hands_over_to_the_chair_who_signs_himself(
    act, specialist, chief_of_office, vice_chair, chair, draft
):
    Decision.objects.filter(pk=draft.pk).update(sector=vice_chair.sectors.get())
    ok(act(specialist, draft, "submit"))
    ok(act(chief_of_office, draft, "propose", signer=vice_chair.pk))
    ok(act(vice_chair, draft, "hand-over", to=chair.pk, note="Xin ý kiến Chủ tịch"))
    draft.refresh_from_db()
    assert draft.signer == chair
    assert act(vice_chair, draft, "review").status_code == 403
    ok(act(chair, draft, "review", sign_now="on", pin=PIN))
    draft.refresh_from_db()
    assert draft.status == Status.SIGNED
    assert draft.snapshot is None


def test_the_drafter_sees_why_his_draft_came_back_on_its_page_his_tasks_and_the_editor(
    act, specialist, chief_of_office, draft, client
):
    ok(act(specialist, draft, "submit"))
    reason = "Bổ sung căn cứ Luật Tổ chức chính quyền địa phương 2025."
    ok(act(chief_of_office, draft, "return", reason=reason))
    client.force_login(specialist)
    page = client.get(draft.get_absolute_url()).content.decode()
    banner = page.index("return-banner")
    assert reason in page[banner : banner + 600]
    assert str(chief_of_office) in page[banner : banner + 600]
    assert banner < page.index("actions-title")  # at the top, before the actions
    home = client.get("/").content.decode()
    tasks = home[home.index('class="awaiting"') :]
    assert reason in tasks[: tasks.index("</ul>")]
    editor_page = client.get(f"/decisions/{draft.pk}/edit/").content.decode()
    assert reason in editor_page
    ok(act(specialist, draft, "submit"))
    assert "return-banner" not in client.get(draft.get_absolute_url()).content.decode()


def test_approve_and_sign_with_a_wrong_pin_changes_nothing_and_says_why(
    act, specialist, chief_of_office, chair, draft
):
    ok(act(specialist, draft, "submit"))
    ok(act(chief_of_office, draft, "propose", signer=chair.pk))
    events_before = draft.events.count()
    response = act(chair, draft, "review", sign_now="on", pin="000000")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mật khẩu hoặc mã PIN của khóa ký số không đúng" in html  # the reason, shown
    assert 'name="review-pin"' in html  # the same form, still open
    draft.refresh_from_db()
    assert (draft.status, draft.verification_token, draft.signed_pdf.name) == (
        Status.REVIEW,
        None,
        "",
    )
    # not even the approval is kept: only the wrong PIN, counted against the key
    assert list(draft.events.values_list("kind", flat=True)[events_before:]) == ["pin_failed"]
    ok(act(chair, draft, "review", sign_now="on", pin=PIN))
    draft.refresh_from_db()
    assert draft.status == Status.SIGNED


def test_the_chair_may_hand_a_draft_outside_his_fields_to_a_vice_chair(
    act, specialist, chief_of_office, vice_chair, chair, draft, issuer
):
    other_field = SectorFactory.create(organization=issuer, name="Kinh tế")
    Decision.objects.filter(pk=draft.pk).update(sector=other_field)
    ok(act(specialist, draft, "submit"))
    response = act(chief_of_office, draft, "propose", signer=vice_chair.pk)
    assert response.status_code == 400  # not his field
    ok(act(chief_of_office, draft, "propose", signer=chair.pk))
    ok(act(chair, draft, "hand-over", to=vice_chair.pk))
    ok(act(vice_chair, draft, "review", sign_now="on", pin=PIN))
    draft.refresh_from_db()
    assert (draft.status, draft.signer_delegated) == (Status.SIGNED, True)


def test_the_drafter_withdraws_before_signature_and_the_flow_is_cancelled(
    act, specialist, chief_of_office, draft
):
    ok(act(specialist, draft, "submit"))
    assert act(specialist, draft, "withdraw", reason="").status_code == 400
    ok(act(specialist, draft, "withdraw", reason="Không còn cần thiết."))
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    assert driver.process_of(draft) is None  # cancelled processes are not current
    assert act(chief_of_office, draft, "propose", signer=1).status_code == 400


def test_a_return_without_a_reason_is_refused_and_changes_nothing(
    act, specialist, chief_of_office, draft
):
    ok(act(specialist, draft, "submit"))
    response = act(chief_of_office, draft, "return", reason="   ")
    assert response.status_code == 400
    assert "Hãy nêu lý do." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.revision) == (Status.PROPOSAL, 1)


def test_a_spoiled_issued_decision_is_voided_and_its_number_never_reused(
    act, specialist, chief_of_office, chair, records_clerk, make_content, issuer
):
    decisions = [
        services.create_draft(actor=specialist, issuer=issuer, content=make_content())
        for _ in range(2)
    ]
    for decision in decisions:
        ok(act(specialist, decision, "submit"))
        ok(act(chief_of_office, decision, "propose", signer=chair.pk))
        ok(act(chair, decision, "review", sign_now="on", pin=PIN))
    ok(act(records_clerk, decisions[0], "issue", pin=PIN))
    ok(act(records_clerk, decisions[0], "void", reason="Sai sót thể thức."))
    ok(act(records_clerk, decisions[1], "issue", pin=PIN))
    for decision in decisions:
        decision.refresh_from_db()
    assert [d.status for d in decisions] == [Status.VOIDED, Status.ISSUED]
    assert [d.number for d in decisions] == [1, 2]
    register = decisions[1].register
    assert register is not None
    assert numbering.find_gaps(register) == []
    client = Client()
    client.force_login(records_clerk)
    content = client.get(f"/registers/{register.pk}/").content.decode()
    assert "01/QĐ-UBND" in content
    assert "Đã hủy số" in content
    assert "2 số đã cấp, không có số nào bị trống." in content


def test_the_issued_pdf_is_rendered_once_and_served_byte_for_byte(
    act, specialist, chief_of_office, chair, records_clerk, draft, client
):
    import hashlib

    ok(act(specialist, draft, "submit"))
    ok(act(chief_of_office, draft, "propose", signer=chair.pk))
    ok(act(chair, draft, "review", sign_now="on", pin=PIN))
    ok(act(records_clerk, draft, "issue", pin=PIN))
    draft.refresh_from_db()
    client.force_login(specialist)
    response = client.get(f"/decisions/{draft.pk}/pdf/?download=1")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == draft.pdf_sha256
    assert body == stored_pdf(draft)
