"""Templates of common decisions: the Chánh Văn phòng keeps a draft as a template of his body,
a drafter fills the editor from one ("Tạo từ mẫu"), and its blanks ("[họ và tên]") must be
filled before the draft is saved."""

import re

import pytest
from django.core.exceptions import ValidationError

from decisions import demo_templates, services, templates_lib
from decisions.content import PLACEHOLDER, validate_content
from decisions.models import Decision, DecisionTemplate, Organization
from tests.factories import DocumentTypeFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

NAMES = {"Bổ nhiệm cán bộ", "Khen thưởng", "Thành lập tổ công tác", "Phê duyệt kế hoạch"}


def filled(template: DecisionTemplate) -> DecisionTemplate:
    """The template with every blank filled in."""
    template.content = _fill(template.content)
    return template


def _fill(value):
    if isinstance(value, str):
        return PLACEHOLDER.sub("Nguyễn Văn An", value)
    if isinstance(value, list):
        return [_fill(item) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item) for key, item in value.items()}
    return value


@pytest.fixture
def demo_bodies(db):
    DocumentTypeFactory.create(name="Quyết định", abbreviation="QĐ")
    province = OrganizationFactory.create(
        code="an-giang", name="ỦY BAN NHÂN DÂN\nTỈNH AN GIANG", level=Organization.Level.PROVINCE
    )
    district = OrganizationFactory.create(
        code="giong-rieng",
        name="ỦY BAN NHÂN DÂN\nHUYỆN GIỒNG RIỀNG",
        level=Organization.Level.DISTRICT,
    )
    demo_templates.load_templates([province, district])
    return province, district


def test_each_demo_body_has_the_four_common_templates_valid_once_their_blanks_are_filled(
    demo_bodies,
):
    for body in demo_bodies:
        templates = DecisionTemplate.objects.filter(body=body)
        assert {template.name for template in templates} == NAMES
        for template in templates:
            with pytest.raises(ValidationError) as refused:
                validate_content(templates_lib.content_of(template), issuer=body)
            messages = [m for ms in refused.value.message_dict.values() for m in ms]
            assert messages
            assert all("Điền vào chỗ trống" in message for message in messages), messages
            validate_content(templates_lib.content_of(filled(template)), issuer=body)


def test_load_templates_twice_keeps_one_of_each_and_an_edited_one_unchanged(demo_bodies):
    province, _district = demo_bodies
    template = DecisionTemplate.objects.get(body=province, name="Khen thưởng")
    template.content["subject"] = "Về việc tặng Bằng khen cho tập thể"
    template.save()
    demo_templates.load_templates(list(demo_bodies))
    assert DecisionTemplate.objects.count() == 8
    template.refresh_from_db()
    assert template.content["subject"] == "Về việc tặng Bằng khen cho tập thể"


def test_a_drafter_fills_the_editor_from_a_template_of_his_body(client, specialist, issuer):
    DocumentTypeFactory.create(name="Quyết định", abbreviation="QĐ")
    demo_templates.load_templates([issuer])
    client.force_login(specialist)
    page = client.get("/decisions/new/").content.decode()
    assert "Tạo từ mẫu" in page
    assert "Bổ nhiệm cán bộ" in page
    template = DecisionTemplate.objects.get(body=issuer, name="Bổ nhiệm cán bộ")
    editor = client.get(f"/decisions/new/from-template/?template={template.pk}")
    assert editor.status_code == 200
    html = editor.content.decode()
    assert "Về việc bổ nhiệm [chức vụ được bổ nhiệm]" in html
    assert "Bổ nhiệm ông (bà) [họ và tên]" in html
    assert not Decision.objects.exists()


def test_a_template_of_another_body_or_an_inactive_one_is_not_found(
    client, specialist, issuer, other_issuer
):
    DocumentTypeFactory.create(name="Quyết định", abbreviation="QĐ")
    demo_templates.load_templates([issuer, other_issuer])
    client.force_login(specialist)
    other = DecisionTemplate.objects.filter(body=other_issuer).first()
    assert client.get(f"/decisions/new/from-template/?template={other.pk}").status_code == 404
    own = DecisionTemplate.objects.filter(body=issuer).first()
    own.active = False
    own.save()
    assert client.get(f"/decisions/new/from-template/?template={own.pk}").status_code == 404
    assert client.get("/decisions/new/from-template/?template=abc").status_code == 400


def test_a_draft_with_a_blank_left_is_not_saved_and_the_blank_is_named(client, specialist, issuer):
    DocumentTypeFactory.create(name="Quyết định", abbreviation="QĐ")
    demo_templates.load_templates([issuer])
    template = DecisionTemplate.objects.get(body=issuer, name="Thành lập tổ công tác")
    content = templates_lib.content_of(template)
    with pytest.raises(ValidationError) as refused:
        services.create_draft(actor=specialist, issuer=issuer, content=content)
    assert "“[tên nhiệm vụ]”" in " ".join(refused.value.message_dict["subject"])
    assert not Decision.objects.exists()


def test_footnote_marks_and_signing_notes_are_not_blanks():
    assert PLACEHOLDER.findall("tỉnh Bắc Ninh[1]. Xem [2]") == []
    assert PLACEHOLDER.findall("ông (bà) [họ và tên], [chức vụ, đơn vị]") == [
        "[họ và tên]",
        "[chức vụ, đơn vị]",
    ]


def test_the_chief_of_office_saves_a_draft_as_a_template_and_drafters_use_it(
    client, draft, chief_of_office, specialist
):
    client.force_login(chief_of_office)
    page = client.get(f"/decisions/{draft.pk}/").content.decode()
    assert f'href="/decisions/{draft.pk}/save-as-template/"' in page
    response = client.post(
        f"/decisions/{draft.pk}/save-as-template/", {"name": "Mục tiêu chất lượng"}
    )
    assert response.status_code == 302
    template = DecisionTemplate.objects.get(body=draft.issuer)
    assert template.name == "Mục tiêu chất lượng"
    assert template.content["subject"] == draft.subject
    assert template.content["recipients"] == [{"text": r.text} for r in draft.recipients.all()]
    assert template.created_by == chief_of_office
    again = client.post(
        f"/decisions/{draft.pk}/save-as-template/", {"name": " Mục tiêu  chất lượng "}
    )
    assert again.status_code == 302
    assert DecisionTemplate.objects.count() == 1  # the same name replaces it
    client.force_login(specialist)
    html = client.get(f"/decisions/new/from-template/?template={template.pk}").content.decode()
    assert draft.subject in html


def test_only_the_chief_of_office_saves_templates_and_a_bad_name_changes_nothing(
    client, draft, chief_of_office, specialist, recipient_user
):
    client.force_login(specialist)
    assert client.get(f"/decisions/{draft.pk}/save-as-template/").status_code == 403
    assert (
        f"/decisions/{draft.pk}/save-as-template/"
        not in client.get(f"/decisions/{draft.pk}/").content.decode()
    )
    client.force_login(recipient_user)
    assert client.get(f"/decisions/{draft.pk}/save-as-template/").status_code == 404
    client.force_login(chief_of_office)
    for name in ("   ", "x" * 201, "mẫu\x00"):
        response = client.post(f"/decisions/{draft.pk}/save-as-template/", {"name": name})
        assert response.status_code == 400
        assert re.search(r'role="alert"', response.content.decode())
    assert not DecisionTemplate.objects.exists()


def test_a_confidential_draft_is_not_kept_as_a_template_offered_to_every_drafter(
    client, draft, chief_of_office
):
    Decision.objects.filter(pk=draft.pk).update(confidentiality="MẬT")
    client.force_login(chief_of_office)

    response = client.post(f"/decisions/{draft.pk}/save-as-template/", {"name": "Mẫu mật"})

    assert response.status_code == 400
    assert not DecisionTemplate.objects.exists()
