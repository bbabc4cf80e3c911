"""A Công văn and a legal normative decision from draft to issued and delivered, in a real
Chromium: each chosen in the editor, printed in its own layout and numbered from its own
register (decisions/doctypes/)."""

import re

import pytest
from playwright.sync_api import expect

from decisions.models import Decision, DocumentType, Organization
from decisions.signing import pki
from tests.e2e.test_journeys import Journey, journey  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def write_and_save(j: Journey, kind: str, fill) -> Decision:
    document_type = DocumentType.objects.get(kind=kind)
    j.go(f"/decisions/new/?document_type={document_type.pk}")
    expect(j.page.locator("#id_document_type")).to_have_value(str(document_type.pk))
    fill()
    j.shot(f"{kind}-editor")
    j.page.get_by_role("button", name="Lưu dự thảo").click()
    expect(j.page.locator(".messages")).to_contain_text("Đã lưu dự thảo")
    j.scan()
    decision = Decision.objects.order_by("-pk").first()
    assert decision is not None
    assert decision.document_type == document_type
    return decision


def through_the_flow(j: Journey, decision: Decision) -> None:
    """Submitted, proposed to the chair, approved and signed, issued."""
    j.act("submit")
    expect(j.page.locator(".messages")).to_contain_text("Đã trình")
    j.login("cvp.angiang")
    j.open_decision(decision)
    j.act("propose", signer=str(decision.issuer.people.get(username="ct.angiang").pk))
    j.login("ct.angiang")
    j.open_decision(decision)
    j.act("review")
    j.act("sign", pin=pki.DEV_PIN)
    j.login("vt.angiang")
    j.open_decision(decision)
    j.act("issue", pin=pki.DEV_PIN)
    j.shot(f"{decision.document_type.kind}-issued")


def test_an_official_letter_and_a_legal_normative_decision_are_issued_and_delivered(journey):  # noqa: F811
    j = journey
    so_khcn = Organization.objects.get(code="so-khcn-an-giang")

    # A Công văn: the editor shows Kính gửi, the unit and the text; no articles.
    j.login("cv.angiang")

    def letter() -> None:
        expect(j.page.locator("#parts-addressees")).to_be_visible()
        expect(j.page.locator("[data-list='articles']")).to_be_hidden()
        j.page.fill("#id_subject", "V/v báo cáo tình hình chuyển đổi số năm 2026")
        j.page.fill("#parts-addressees", so_khcn.running_name)
        j.page.fill("#parts-unit", "KT")
        j.page.fill(
            "#parts-body",
            "Ủy ban nhân dân tỉnh đề nghị Sở Khoa học và Công nghệ báo cáo tình hình chuyển đổi"
            " số năm 2026 trước ngày 15 tháng 12 năm 2026.",
        )
        j.page.fill("[name='recipients-0-text']", so_khcn.running_name)

    decision = write_and_save(j, "official_letter", letter)
    expect(j.page.locator("main")).to_contain_text("Kính gửi:")
    through_the_flow(j, decision)
    expect(j.page.locator("main")).to_contain_text("01/UBND-KT")
    decision.refresh_from_db()
    assert decision.reference == "01/UBND-KT"
    assert decision.register.series == "CV"

    # A legal normative decision: numbered with its year from its own register.
    j.login("cv.angiang")

    def normative() -> None:
        expect(j.page.locator("[data-list='articles']")).to_be_visible()
        expect(j.page.locator("#parts-addressees")).to_be_hidden()
        j.page.fill("#id_subject", "Ban hành Quy định quản lý hoạt động khoa học và công nghệ")
        j.page.get_by_role("button", name="Thêm căn cứ").click()
        j.page.locator("[data-list='legal_bases'] textarea").last.fill(
            "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025"
        )
        j.page.fill("[name='articles-0-text']", "Ban hành kèm theo Quyết định này Quy định.")
        j.page.fill(
            "[name='articles-1-text']",
            "Quyết định này có hiệu lực kể từ ngày 01 tháng 01 năm 2027.",
        )
        j.page.fill(
            "[name='articles-2-text']",
            "Giám đốc Sở Khoa học và Công nghệ chịu trách nhiệm thi hành Quyết định này.",
        )
        j.page.fill("[name='recipients-0-text']", so_khcn.running_name)

    regulation = write_and_save(j, "normative_decision", normative)
    through_the_flow(j, regulation)
    regulation.refresh_from_db()
    assert re.fullmatch(r"01/20\d\d/QĐ-UBND", regulation.reference)
    assert regulation.register.number_format == "with_year"
    expect(j.page.locator("main")).to_contain_text(regulation.reference)

    # Both reach the receiving body.
    j.login("nhan.skhcn")
    j.go("/incoming/")
    expect(j.page.locator("main")).to_contain_text("01/UBND-KT")
    expect(j.page.locator("main")).to_contain_text(regulation.reference)
    j.shot("recipient-incoming")
    assert j.untranslated == []
