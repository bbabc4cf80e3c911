"""The outgoing register in the columns of Phụ lục IV: page, search, Excel, print."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from decisions import register_book, services
from decisions.models import Decision, kind_and_subject
from tests.conftest import PIN
from tests.decisions.test_rendering import text_of

pytestmark = pytest.mark.django_db


def test_the_register_has_the_ten_columns_and_one_row_per_number(seed_000_issued):
    rows = register_book.rows(seed_000_issued.register)
    assert len(register_book.COLUMNS) == 10
    (row,) = rows
    assert row.cells[0] == seed_000_issued.reference
    assert row.cells[3] == "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH — Võ Tùng"
    assert "Sở khoa học và CN" in row.cells[4]
    assert row.cells[5] == "VT"  # the archive copy: "Lưu: VT"
    assert row.cells[8] == "0/4"  # none of the four deliveries acknowledged yet


def test_the_clerk_searches_exports_and_prints_the_register(client, seed_000_issued, records_clerk):
    client.force_login(records_clerk)
    url = f"/registers/{seed_000_issued.register.pk}/"
    assert seed_000_issued.reference in client.get(url + "?q=muc tieu").content.decode()
    assert seed_000_issued.reference not in client.get(url + "?q=ngan sach").content.decode()
    xlsx = client.get(url + "?format=xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]][:3] == list(register_book.COLUMNS[:3])
    assert sheet["A2"].value == seed_000_issued.reference
    pdf = client.get(url + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = text_of(pdf.content, layout=True)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text
    assert f"{seed_000_issued.reference.split('/')[0]}/QĐ-" in text  # a narrow column wraps


def test_people_who_do_not_oversee_the_body_get_404_for_its_register(
    client, seed_000_issued, specialist, bodies
):
    for user in (specialist, bodies["so-khcn"][1]):
        client.force_login(user)
        assert client.get(f"/registers/{seed_000_issued.register.pk}/").status_code == 404


def test_a_cell_that_looks_like_a_formula_stays_text_in_the_excel_export(seed_000_issued):
    row = register_book.Row(seed_000_issued, ('=HYPERLINK("http://x")', "+1", "-", "@a", "ok"))
    data = register_book.to_xlsx(seed_000_issued.register, [row])
    sheet = load_workbook(BytesIO(data)).active
    values = [cell.value for cell in sheet[2]][:5]
    assert values == ['\'=HYPERLINK("http://x")', "'+1", "'-", "'@a", "ok"]
    assert all(cell.data_type == "s" for cell in sheet[2][:5])


def test_a_year_of_the_register_is_shown_a_hundred_numbers_a_page_in_the_same_queries(
    client, seed_000_issued, records_clerk
):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from decisions.models import Decision

    register = seed_000_issued.register
    template = seed_000_issued
    when = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    Decision.objects.bulk_create(
        Decision(
            issuer_id=template.issuer_id,
            document_type_id=template.document_type_id,
            authority=template.authority,
            authority_line=template.authority_line,
            subject=f"Về việc thử {n}",
            drafter_id=template.drafter_id,
            status=Decision.Status.ISSUED,
            register=register,
            number=n,
            reference=f"{n:02d}/QĐ-UBND",
            issued_on=when.date(),
            issued_at=when,
            snapshot={"recipients": ["Lưu: VT"], "signature_lines": ["CHỦ TỊCH"]},
        )
        for n in range(2, 131)
    )
    type(register).objects.filter(pk=register.pk).update(last_number=130)
    client.force_login(records_clerk)
    url = f"/registers/{register.pk}/"
    with CaptureQueriesContext(connection) as first:
        page_one = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        page_two = client.get(url + "?page=2").content.decode()
    assert page_one.count("<tr>") - 1 == 100
    assert page_two.count("<tr>") - 1 == 30
    assert "Trang 1/2" in page_one
    assert "130 số đã cấp" in page_one  # the whole register is counted, with no gap
    assert len(second) == len(first)
    xlsx = load_workbook(BytesIO(client.get(url + "?format=xlsx").content)).active
    assert xlsx.max_row == 131  # the export holds the whole year


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("Về việc ban hành Quy chế", "Quyết định về việc ban hành Quy chế"),
        ("Ban hành mục tiêu chất lượng", "Quyết định ban hành mục tiêu chất lượng"),
        ("V/v ban hành mục tiêu", "Quyết định V/v ban hành mục tiêu"),
        ("UBND huyện giao chỉ tiêu", "Quyết định UBND huyện giao chỉ tiêu"),
    ],
)
def test_after_the_kind_of_document_the_subject_runs_on_in_lower_case(subject, title):
    assert kind_and_subject("Quyết định", subject) == title


def test_the_register_its_exports_and_the_public_page_say_quyet_dinh_ve_viec_in_lower_case(
    client, signed_decision, records_clerk, jobs_done
):
    with jobs_done():
        decision = services.issue_decision(
            actor=records_clerk,
            decision=signed_decision(subject="Về việc ban hành mục tiêu chất lượng năm 2026"),
            pin=PIN,
        )
    Decision.objects.filter(pk=decision.pk).update(is_public=True)
    title = "Quyết định về việc ban hành mục tiêu chất lượng năm 2026"
    (row,) = register_book.rows(decision.register)
    assert row.cells[2] == title
    client.force_login(records_clerk)
    url = f"/registers/{decision.register.pk}/"
    assert title in client.get(url).content.decode()
    sheet = load_workbook(BytesIO(client.get(url + "?format=xlsx").content)).active
    assert sheet["C2"].value == title
    assert title in client.get(decision.get_absolute_url()).content.decode()
    client.logout()
    public = client.get(f"/v/{decision.verification_token}").content.decode()
    assert title in public
    assert "Quyết định Về việc" not in public
