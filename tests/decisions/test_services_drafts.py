"""Creating and editing drafts: who may, when, and what the drafter is told when it is wrong."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions import permissions, services
from decisions.content import Article, Clause, DraftContent, RecipientEntry
from decisions.models import Attachment, Decision, DecisionEvent, DecisionVersion

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> list[str]:
    return error.messages


def test_a_specialist_creates_a_draft_with_its_history_and_first_version(draft, specialist):
    assert draft.status == Decision.Status.DRAFT
    assert draft.drafter == specialist
    assert draft.number is None
    assert draft.reference == ""
    assert [r.text for r in draft.recipients.all()] == [
        "Như Điều 3",
        "CT, các PCT UBND huyện",
        "Lưu: VT, VP",
    ]
    assert draft.recipients.first().same_as_article == 3
    assert draft.articles[0]["clauses"][0]["points"] == ["Thủ tục hành chính;", "Hồ sơ."]
    event = draft.events.get()
    assert (event.kind, event.actor) == (DecisionEvent.Kind.CREATED, specialist)
    version = DecisionVersion.objects.get(decision=draft)
    assert version.round == 1
    assert version.content["subject"] == draft.subject


def test_the_content_read_back_equals_the_content_saved(draft, make_content):
    assert DraftContent.of(draft).snapshot() == make_content().snapshot()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subject": "  "}, "Nhập trích yếu của quyết định."),
        ({"subject": "V" * 501}, "Trích yếu quá dài (501 ký tự; tối đa 500)."),
        ({"articles": []}, "Quyết định phải có ít nhất một điều (Điều 1)."),
        ({"articles": [Article(text="")]}, "Điều 1 chưa có nội dung."),
        (
            {"articles": [Article(text="Một.", clauses=[Clause("")])]},
            "Điều 1, khoản 1 đang để trống.",
        ),
        ({"recipients": []}, "Nhập ít nhất một nơi nhận."),
        (
            {"recipients": [RecipientEntry("Sở Tư pháp")]},
            "Nơi nhận cuối cùng phải là bản lưu, ví dụ “Lưu: VT, VP”.",
        ),
        (
            {"recipients": [RecipientEntry("Lưu: VT"), RecipientEntry("Lưu: VP")]},
            "Dòng lưu “Lưu: VT” phải là nơi nhận cuối cùng.",
        ),
        (
            {"recipients": [RecipientEntry("Như Điều 5"), RecipientEntry("Lưu: VT")]},
            "Nơi nhận “Như Điều 5” dẫn chiếu Điều 5, nhưng quyết định không có điều này.",
        ),
        ({"legal_bases": ["Căn cứ Luật;", " "]}, "Căn cứ thứ 2 đang để trống."),
        (
            {"authority_line": "ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG"},
            "Quyết định thuộc thẩm quyền riêng của Chủ tịch phải có dòng thẩm quyền bắt đầu bằng "
            "“CHỦ TỊCH”.",
        ),
        (
            {"authority": Decision.Authority.COLLECTIVE},
            "Quyết định của tập thể phải có dòng thẩm quyền là tên cơ quan, "
            "không phải “CHỦ TỊCH …”.",
        ),
        ({"urgency": "RẤT GẤP"}, "Chọn độ khẩn hợp lệ."),
        ({"copies": 0}, "Số bản phát hành phải từ 1 trở lên."),
    ],
)
def test_invalid_content_is_refused_with_a_vietnamese_message_and_nothing_saved(
    specialist, issuer, make_content, overrides, message
):
    with pytest.raises(ValidationError) as error:
        services.create_draft(actor=specialist, issuer=issuer, content=make_content(**overrides))
    assert message in messages_of(error.value)
    assert not Decision.objects.exists()
    assert not DecisionEvent.objects.exists()


def test_every_problem_is_reported_at_once(specialist, issuer, make_content):
    content = make_content(subject="", articles=[], recipients=[])
    with pytest.raises(ValidationError) as error:
        services.create_draft(actor=specialist, issuer=issuer, content=content)
    assert set(error.value.message_dict) == {"subject", "articles", "recipients"}


@pytest.mark.parametrize("persona", ["chair", "records_clerk", "recipient_user"])
def test_only_people_who_draft_for_the_body_may_create_a_draft(
    request, issuer, make_content, persona
):
    user = request.getfixturevalue(persona)
    with pytest.raises(permissions.NotAllowed):
        services.create_draft(actor=user, issuer=issuer, content=make_content())
    assert not Decision.objects.exists()


def test_a_body_that_does_not_issue_decisions_gets_no_drafts(make_person, make_content):
    from tests.factories import OrganizationFactory

    body = OrganizationFactory.create(is_issuer=False)
    user = make_person(permissions.Role.SPECIALIST, body)
    with pytest.raises(permissions.NotAllowed):
        services.create_draft(actor=user, issuer=body, content=make_content())


def test_the_drafter_updates_the_draft_and_the_round_version_follows(
    draft, specialist, make_content
):
    content = make_content(subject="Về việc sửa đổi mục tiêu chất lượng")
    services.update_draft(actor=specialist, decision=draft, content=content)
    draft.refresh_from_db()
    assert draft.subject == "Về việc sửa đổi mục tiêu chất lượng"
    assert list(draft.events.values_list("kind", flat=True)) == ["created", "updated"]
    assert DecisionVersion.objects.get(decision=draft).content["subject"] == draft.subject


def test_another_specialist_may_not_edit_someone_elses_draft(
    draft, make_person, issuer, make_content
):
    colleague = make_person(permissions.Role.SPECIALIST, issuer, username="colleague")
    with pytest.raises(permissions.NotAllowed):
        services.update_draft(actor=colleague, decision=draft, content=make_content(subject="X"))
    draft.refresh_from_db()
    assert draft.subject != "X"


@pytest.mark.parametrize("status", [Decision.Status.REVIEW, Decision.Status.SIGNED])
def test_a_draft_that_left_the_drafter_cannot_be_edited(draft, specialist, make_content, status):
    Decision.objects.filter(pk=draft.pk).update(status=status)
    with pytest.raises(
        ValidationError, match="Không thể thực hiện khi quyết định đang ở trạng thái"
    ):
        services.update_draft(actor=specialist, decision=draft, content=make_content(subject="X"))
    assert Decision.objects.get(pk=draft.pk).subject != "X"


def test_an_annex_of_an_allowed_type_is_attached_and_recorded(draft, specialist):
    upload = SimpleUploadedFile("phu-luc.pdf", b"%PDF-1.7 phu luc", content_type="application/pdf")
    attachment = services.add_attachment(
        actor=specialist, decision=draft, title="Phụ lục I", file=upload
    )
    assert attachment.size == len(b"%PDF-1.7 phu luc")
    assert draft.events.filter(kind=DecisionEvent.Kind.ATTACHMENT_ADDED).exists()


def test_an_annex_of_another_type_or_too_large_is_refused(draft, specialist, settings):
    settings.DECISIONS_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="Không thể đính kèm tệp loại “exe”"):
        services.add_attachment(
            actor=specialist, decision=draft, title="x", file=SimpleUploadedFile("virus.exe", b"MZ")
        )
    with pytest.raises(ValidationError, match="Tệp quá lớn"):
        services.add_attachment(
            actor=specialist,
            decision=draft,
            title="x",
            file=SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 20),
        )
    assert not Attachment.objects.exists()


def test_removing_an_annex_deletes_its_file_after_commit(draft, specialist, jobs_done):
    upload = SimpleUploadedFile("phu-luc.pdf", b"%PDF-1.7")
    attachment = services.add_attachment(actor=specialist, decision=draft, title="", file=upload)
    storage, name = attachment.file.storage, attachment.file.name
    assert attachment.title == "phu-luc.pdf"
    with jobs_done():
        services.remove_attachment(actor=specialist, attachment=attachment)
    assert not storage.exists(name)
    assert draft.events.filter(kind=DecisionEvent.Kind.ATTACHMENT_REMOVED).exists()


def test_the_office_may_correct_a_draft_it_checks_but_the_drafter_no_longer_may(
    draft, specialist, chief_of_office, make_content
):
    Decision.objects.filter(pk=draft.pk).update(status=Decision.Status.PROPOSAL)
    with pytest.raises(permissions.NotAllowed):
        services.update_draft(actor=specialist, decision=draft, content=make_content(subject="X"))
    services.update_draft(
        actor=chief_of_office, decision=draft, content=make_content(subject="Về việc đã sửa")
    )
    event = draft.events.last()
    assert (event.kind, event.actor) == (DecisionEvent.Kind.UPDATED, chief_of_office)
