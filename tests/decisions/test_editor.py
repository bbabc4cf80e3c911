"""The drafter's editor: a new draft, editing, creating from pasted text, live preview."""

import pytest
from django.http import QueryDict

from decisions import editor, rendering
from decisions.models import Decision, DecisionEvent, Organization
from tests.decisions.test_importer import SEED_000
from tests.decisions.test_rendering import text_of
from tests.factories import DocumentTypeFactory

pytestmark = pytest.mark.django_db


def editor_post(issuer, document_type, **overrides):
    data = {
        "issuer": str(issuer.pk),
        "document_type": str(document_type.pk),
        "authority": "individual",
        "authority_line": "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG",
        "subject": "Về việc thành lập Tổ công tác",
        "proposer": "Theo đề nghị của Trưởng phòng Nội vụ",
        "legal_bases-0": "Căn cứ Luật Tổ chức chính quyền địa phương",
        "articles-0-text": "Thành lập Tổ công tác gồm:",
        "articles-0-clauses-0-text": "Tổ trưởng:",
        "articles-0-clauses-0-points-0": "Ông A;",
        "articles-0-clauses-0-points-1": "Ông B.",
        "articles-1-text": "Quyết định có hiệu lực từ ngày ký.",
        "articles-2-text": "Chánh Văn phòng và các thành viên chịu trách nhiệm thi hành./.",
        "recipients-0-text": "Như Điều 3",
        "recipients-1-text": "Lưu: VT",
    }
    data.update(overrides)
    return data


def test_the_editor_reads_lists_in_index_order_and_drops_blank_rows(issuer):
    post = QueryDict(mutable=True)
    post.update(
        {
            "legal_bases-10": "Căn cứ thứ hai",
            "legal_bases-2": "Căn cứ thứ nhất",
            "legal_bases-11": "   ",
            "articles-1-clauses-1-text": "Khoản hai",
            "articles-1-clauses-0-text": "Khoản một",
            "articles-1-clauses-0-points-1": "b) điểm",
            "articles-1-clauses-0-points-0": "a) điểm",
            "articles-0-text": "Điều một",
            "recipients-0-text": "Sở Nội vụ",
            "recipients-0-organizations": "3, ,5",
            "recipients-1-text": "",
        }
    )
    posted = editor.read(post, issuer=issuer)
    assert posted.legal_bases == ["Căn cứ thứ nhất", "Căn cứ thứ hai"]
    assert [a.text for a in posted.articles] == ["Điều một", ""]
    assert [c.text for c in posted.articles[1].clauses] == ["Khoản một", "Khoản hai"]
    assert posted.articles[1].clauses[0].points == ["a) điểm", "b) điểm"]
    assert [(r.text, r.organization_ids) for r in posted.recipients] == [("Sở Nội vụ", [3, 5])]


def test_a_drafter_creates_a_structured_draft(client, specialist, issuer):
    document_type = DocumentTypeFactory.create()
    client.force_login(specialist)
    page = client.get("/decisions/new/")
    assert page.status_code == 200
    assert "Soạn dự thảo mới" in page.content.decode()
    response = client.post("/decisions/new/", editor_post(issuer, document_type))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.drafter == specialist
    assert decision.articles[0]["clauses"][0]["points"] == ["Ông A;", "Ông B."]
    assert [r.text for r in decision.recipients.all()] == ["Như Điều 3", "Lưu: VT"]
    assert decision.events.get().kind == DecisionEvent.Kind.CREATED


def test_bad_input_keeps_what_the_drafter_typed_and_saves_nothing(client, specialist, issuer):
    document_type = DocumentTypeFactory.create()
    client.force_login(specialist)
    data = editor_post(issuer, document_type, **{"recipients-1-text": "Sở Tài chính"})
    response = client.post("/decisions/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nơi nhận cuối cùng phải là bản lưu" in html
    assert "Ông B." in html  # nothing typed is lost
    assert "Sở Tài chính" in html
    assert not Decision.objects.exists()


def test_only_drafters_may_open_the_editor(client, recipient_user, issuer):
    client.force_login(recipient_user)
    assert client.get("/decisions/new/").status_code == 403
    assert client.get("/decisions/import/").status_code == 403


def test_pasting_seed_000_opens_the_parsed_text_for_correction_then_saves_it(
    client, specialist, issuer, make_content
):
    make_content()  # the QĐ document type
    client.force_login(specialist)
    page = client.post("/decisions/import/", {"issuer": issuer.pk, "text": SEED_000.read_text()})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="imported" value="1"' in html
    assert "Căn cứ Luật tổ chức Chính quyền địa phương ngày 19/6/2015" in html
    assert not Decision.objects.exists()  # nothing saved before the drafter confirms


def test_a_pasted_text_says_which_source_facts_the_draft_does_not_keep(
    client, specialist, issuer, make_content
):
    make_content()
    client.force_login(specialist)
    html = client.post(
        "/decisions/import/", {"issuer": issuer.pk, "text": SEED_000.read_text()}
    ).content.decode()
    notes = html[html.index('id="import-notes"') : html.index('class="editor-layout"')]
    assert "93/QĐ-UBND" in notes
    assert "02/01/2019" in notes
    assert "Võ Tùng" in notes
    assert "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" in notes
    assert "Dòng" not in notes  # seed 000 is complete and clean: no warnings


def test_a_cut_text_of_another_province_is_flagged_above_the_editor(
    client, specialist, issuer, make_content
):
    make_content()
    text = SEED_000.read_text()
    text = text[: text.index("các cơ quan, đơn vị có liên quan")] + "các cơ quan, đơn"
    text = text.replace("Giồng Riềng, ngày", "Vĩnh Long, ngày")
    text = text.replace("HUYỆN GIỒNG RIỀNG", "TỈNH VĨNH LONG")
    client.force_login(specialist)
    html = client.post("/decisions/import/", {"issuer": issuer.pk, "text": text}).content.decode()
    notes = html[html.index('id="import-notes"') : html.index('class="editor-layout"')]
    assert "bị cắt sau Điều 3" in notes
    assert "ỦY BAN NHÂN DÂN TỈNH VĨNH LONG" in notes
    assert "Vĩnh Long" in notes
    assert not Decision.objects.exists()


def test_unreadable_pasted_text_is_explained_and_kept(client, specialist, issuer):
    client.force_login(specialist)
    response = client.post("/decisions/import/", {"issuer": issuer.pk, "text": "xin chào"})
    assert response.status_code == 400
    assert "xin chào" in response.content.decode()
    assert 'role="alert"' in response.content.decode()


def test_the_live_preview_is_a_draft_pdf_and_saves_nothing(client, specialist, issuer):
    document_type = DocumentTypeFactory.create()
    client.force_login(specialist)
    response = client.post("/decisions/preview/", editor_post(issuer, document_type))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not Decision.objects.exists()


def test_the_drafter_edits_his_draft_and_others_may_not(client, draft, specialist, recipient_user):
    client.force_login(specialist)
    page = client.get(f"/decisions/{draft.pk}/edit/")
    assert page.status_code == 200
    data = editor_post(draft.issuer, draft.document_type, subject="Về việc mới")
    del data["issuer"]
    assert client.post(f"/decisions/{draft.pk}/edit/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.subject == "Về việc mới"
    client.force_login(recipient_user)
    assert client.get(f"/decisions/{draft.pk}/edit/").status_code == 404


def test_a_leader_sees_what_changed_between_rounds_article_by_article(
    client, act, draft, specialist, chief_of_office
):
    from decisions import services
    from decisions.content import DraftContent

    assert act(specialist, draft, "submit").status_code == 302
    assert act(chief_of_office, draft, "return", reason="Sửa Điều 2.").status_code == 302
    draft.refresh_from_db()
    content = DraftContent.of(draft)
    content.articles[1].text = "Quyết định này có hiệu lực từ ngày 01 tháng 01 năm 2027."
    services.update_draft(actor=specialist, decision=draft, content=content)
    assert act(specialist, draft, "submit").status_code == 302
    client.force_login(chief_of_office)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Thay đổi từ vòng 1 sang vòng 2" in html
    assert "<h3>Điều 2</h3>" in html
    assert "hiệu lực <del>kể</del> từ ngày <del>ký</del> <ins>01 tháng 01 năm 2027</ins>." in html
    assert "<h3>Điều 1</h3>" not in html  # unchanged articles are not listed


def test_a_recipient_picked_from_the_directory_is_linked_to_that_body(
    client, specialist, issuer, recipient_user
):
    document_type = DocumentTypeFactory.create()
    body = recipient_user.organization
    client.force_login(specialist)
    data = editor_post(
        issuer,
        document_type,
        **{"recipients-0-text": body.one_line_name, "recipients-1-text": "Lưu: VT"},
    )
    assert client.post("/decisions/new/", data).status_code == 302
    first = Decision.objects.get().recipients.order_by("position").first()
    assert list(first.organizations.all()) == [body]


def test_directory_bodies_are_offered_and_printed_as_written_in_running_text(
    client, specialist, issuer, recipient_user
):
    """Nơi nhận uses the name inside a sentence, not the capitals of the body's header."""
    document_type = DocumentTypeFactory.create()
    body = recipient_user.organization
    body.name = "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH AN GIANG"
    body.name_in_text = "Sở Khoa học và Công nghệ tỉnh An Giang"
    body.save()
    client.force_login(specialist)
    page = client.get("/decisions/new/").content.decode()
    assert '<option value="Sở Khoa học và Công nghệ tỉnh An Giang">' in page
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH AN GIANG" not in page
    data = editor_post(
        issuer,
        document_type,
        **{"recipients-0-text": body.running_name, "recipients-1-text": "Lưu: VT"},
    )
    assert client.post("/decisions/new/", data).status_code == 302
    decision = Decision.objects.get()
    first = decision.recipients.order_by("position").first()
    assert list(first.organizations.all()) == [body]
    pdf_text = " ".join(text_of(rendering.render_decision_pdf(decision)).split())
    assert "- Sở Khoa học và Công nghệ tỉnh An Giang;" in pdf_text


def test_a_body_without_a_name_in_running_text_is_written_from_its_printed_name():
    body = Organization(name="VĂN PHÒNG HĐND VÀ UBND\nHUYỆN GIỒNG RIỀNG")
    assert body.running_name == "Văn phòng HĐND và UBND huyện Giồng Riềng"


def test_a_nhu_dieu_n_recipient_is_linked_to_the_bodies_that_article_names(issuer):
    from decisions.content import Article, RecipientEntry
    from tests.factories import OrganizationFactory

    office = OrganizationFactory.create(code="vp", name="VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH AN GIANG")
    science = OrganizationFactory.create(
        code="skhcn", name="SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH AN GIANG"
    )
    OrganizationFactory.create(code="stc", name="SỞ TÀI CHÍNH TỈNH AN GIANG")
    province = OrganizationFactory.create(code="tinh", name="ỦY BAN NHÂN DÂN\nTỈNH AN GIANG")
    articles = [
        Article(text="Ban hành …"),
        Article(
            text="Chánh Văn phòng UBND tỉnh, Giám đốc Sở Khoa học và Công nghệ và Thủ trưởng "
            "các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./."
        ),
    ]
    recipients = [RecipientEntry("Như Điều 2"), RecipientEntry("Lưu: VT")]
    bodies = [office, science, province]
    editor.link_directory_names(
        recipients, [*bodies, *Organization.objects.filter(code="stc")], articles
    )
    assert sorted(recipients[0].organization_ids) == sorted([office.pk, science.pk])
    assert recipients[1].organization_ids == []
