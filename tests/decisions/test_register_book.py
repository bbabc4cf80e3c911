"""The outgoing register in the columns of Phụ lục IV: page, search, Excel, print."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from decisions import register_book
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
