"""A paper document from its arrival to its handling, in a real Chromium against a live server:
the văn thư registers the scan and forwards it, the leader directs and assigns it with a due
date, the handler marks it done."""

import pytest
from django.test.utils import override_settings
from playwright.sync_api import expect

from decisions import incoming_lifecycle
from decisions.demo import load_demo
from decisions.models import IncomingDocument, User
from tests.decisions.incoming_fixtures import scanned_pdf
from tests.e2e.test_journeys import Journey, choose

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def walk(lift_sqlite_guards, page, live_server, screenshots, settings):
    settings.DECISIONS_BASE_URL = live_server.url
    with override_settings(DEBUG=True):
        load_demo()
    yield Journey(page, live_server.url, screenshots)
    lift_sqlite_guards()


def test_a_paper_document_is_registered_forwarded_directed_and_handled(walk, tmp_path):
    j = walk
    scan = tmp_path / "cong-van-den.pdf"
    scan.write_bytes(scanned_pdf(2))
    leader = User.objects.get(username="pct.votung")
    handler = User.objects.get(username="cv.giongrieng")

    # The văn thư registers the scan from the incoming register.
    j.login("vt.giongrieng")
    j.page.get_by_role("link", name="Sổ văn bản đến").first.click()
    j.page.get_by_role("link", name="Vào sổ văn bản giấy").click()
    j.scan()
    j.page.set_input_files("#id_scan", str(scan))
    j.page.fill("#id_sender_name", "Bảo hiểm xã hội huyện Giồng Riềng")
    j.page.fill("#id_reference", "215/BHXH-TN")
    j.page.fill("#id_document_type", "Công văn")
    j.page.fill("#id_subject", "V/v đôn đốc thu nộp bảo hiểm xã hội năm 2026")
    j.shot("incoming-paper-form")
    j.page.get_by_role("button", name="Vào sổ").click()
    expect(j.page.locator(".messages")).to_contain_text("Đã vào sổ với số đến 4")
    expect(j.page.locator(".arrival-number")).to_have_text("4")
    j.scan()
    j.shot("incoming-registered")
    document = IncomingDocument.objects.get(reference="215/BHXH-TN")
    j.act("forward", leader=str(leader.pk))
    expect(j.page.locator(".status")).to_have_text("Chờ lãnh đạo cho ý kiến chỉ đạo")

    # The leader finds it in what waits for him, directs it and names the handler.
    j.login("pct.votung")
    j.page.get_by_role("link", name="Văn bản cần xử lý").first.click()
    j.scan()
    j.page.get_by_role("link", name="4 — V/v đôn đốc thu nộp").click()
    j.scan()
    j.act(
        "direct",
        direction="Giao đồng chí An chủ trì, báo cáo trước hạn.",
        handler=str(handler.pk),
        working_days="3",
    )
    expect(j.page.locator(".status")).to_have_text("Đã phân công")
    j.shot("incoming-directed")
    document.refresh_from_db()
    assert document.due_date == incoming_lifecycle.due_date(3)

    # The handler starts it and marks it done with the reply's number.
    j.login("cv.giongrieng", phone=True)
    j.page.get_by_role("link", name="Văn bản cần xử lý").first.click()
    j.page.get_by_role("link", name="4 — V/v đôn đốc thu nộp").click()
    j.scan()
    choose(j.page, "start")
    j.page.locator("form[action$='/start/'] button[type=submit]").click()
    expect(j.page.locator(".status")).to_have_text("Đang xử lý")
    j.act("done", reply_reference="320/UBND-VP")
    expect(j.page.locator(".status")).to_have_text("Hoàn thành")
    j.shot("incoming-done")
    document.refresh_from_db()
    assert (document.status, document.reply_reference) == ("done", "320/UBND-VP")
    assert [e.kind for e in document.events.order_by("at", "pk")] == [
        "registered",
        "forwarded",
        "directed",
        "started",
        "done",
    ]
    assert j.untranslated == []
