"""Delegated and acting signatures (TL., TUQ., Q.): who may sign, what is printed, what is
refused, and what stays printed on an issued decision after the delegation ends."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions import permissions, selectors, services, signature
from decisions.models import Decision, DecisionEvent, Delegation, DelegationEvent, User
from tests.conftest import PIN, equip
from tests.decisions.test_document_text import pdf_lines
from tests.factories import OrganizationFactory, SectorFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Decision.Status
Kind = Delegation.Kind
TODAY = timezone.localdate
REFERENCE = "Quyết định số 12/QĐ-UBND ngày 05/01/2026 về việc ủy quyền ký văn bản"


@pytest.fixture
def delegate(issuer, chair):
    """Record a delegation of `issuer`'s chair (valid from yesterday for 30 days)."""

    def record(kind: str, to: User, *, grantor=chair, sectors=(), **fields) -> Delegation:
        values = {
            "starts_on": TODAY() - datetime.timedelta(days=1),
            "ends_on": TODAY() + datetime.timedelta(days=30),
            "document_reference": REFERENCE,
            **fields,
        }
        return services.record_delegation(
            actor=None,
            delegation=Delegation(
                organization=issuer, kind=kind, grantor=grantor, delegate=to, **values
            ),
            sectors=sectors,
        )

    return record


@pytest.fixture
def director(db):
    """The head of a department outside the committee's office (signs TUQ.)."""
    department = OrganizationFactory.create(
        code="so-tai-chinh", name="SỞ TÀI CHÍNH", is_issuer=False, level="agency"
    )
    person = UserFactory.create(
        username="gd.stc", full_name="Lê Văn Tài", title="GIÁM ĐỐC SỞ", organization=department
    )
    equip(person)
    return person


def propose_and_sign(act, decision, *, specialist, chief_of_office, signer) -> Decision:
    """Submit, propose to `signer`, who approves and signs at once (over HTTP, in the flow)."""
    for user, action, fields in (
        (specialist, "submit", {}),
        (chief_of_office, "propose", {"signer": signer.pk}),
        (signer, "review", {"sign_now": "on", "pin": PIN}),
    ):
        response = act(user, decision, action, **fields)
        assert response.status_code == 302, response.content.decode()[:3000]
    decision.refresh_from_db()
    assert decision.status == Status.SIGNED
    return decision


def signed_pdf_lines(decision: Decision) -> list[str]:
    with decision.signed_pdf.open("rb") as stored:
        return pdf_lines(stored.read())


def assert_block(lines: list[str], block: list[str]) -> None:
    """`block` appears as consecutive whole lines of the PDF."""
    starts = [i for i, line in enumerate(lines) if line == block[0]]
    assert any(lines[i : i + len(block)] == block for i in starts), lines[-15:]


def test_the_chief_of_office_signs_tl_chu_tich_and_it_stays_printed_after_the_delegation_ends(
    act, draft, specialist, chief_of_office, chair, records_clerk, delegate, jobs_done
):
    equip(chief_of_office)
    chief_of_office.full_name = "Trần Văn Chánh"
    chief_of_office.save()
    delegation = delegate(Kind.BY_ORDER, chief_of_office)
    assert chief_of_office in permissions.signer_candidates(draft)

    with jobs_done():
        decision = propose_and_sign(
            act,
            draft,
            specialist=specialist,
            chief_of_office=chief_of_office,
            signer=chief_of_office,
        )
    block = ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Trần Văn Chánh"]
    assert_block(signed_pdf_lines(decision), block)
    signed = decision.events.get(kind=DecisionEvent.Kind.SIGNED)
    assert signed.data["delegation"]["kind"] == "TL."
    assert signed.data["delegation"]["grantor"] == chair.pk
    assert signed.data["delegation"]["document"] == REFERENCE

    services.end_delegation(actor=chair, delegation=delegation, reason="Điều chuyển công tác.")
    with jobs_done():  # ended after he signed, before issuance: the signature stands as signed
        assert act(records_clerk, decision, "issue", pin=PIN).status_code == 302
    decision.refresh_from_db()
    assert decision.snapshot["signature_lines"] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
    assert decision.snapshot["delegation"]["id"] == delegation.pk
    with decision.pdf.open("rb") as stored:
        assert_block(pdf_lines(stored.read()), block)

    assert selectors.pdf_context(decision).signature.lines == ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")
    kinds = list(DelegationEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["delegation_created", "delegation_ended"]


def test_a_department_director_outside_the_office_signs_tuq_chu_tich(
    act, draft, specialist, chief_of_office, chair, delegate, director, jobs_done
):
    delegate(Kind.BY_AUTHORITY, director, delegate_title="Giám đốc Sở Tài chính")
    with jobs_done():
        decision = propose_and_sign(
            act, draft, specialist=specialist, chief_of_office=chief_of_office, signer=director
        )
    assert_block(
        signed_pdf_lines(decision), ["TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ TÀI CHÍNH", "Lê Văn Tài"]
    )
    signed = decision.events.get(kind=DecisionEvent.Kind.SIGNED)
    assert signed.data["delegation"]["kind"] == "TUQ."


def test_the_chief_of_office_signs_tuq_chu_tich_under_an_authorisation(
    act, draft, specialist, chief_of_office, delegate, jobs_done
):
    equip(chief_of_office)
    chief_of_office.full_name = "Trần Văn Chánh"
    chief_of_office.save()
    delegate(Kind.BY_AUTHORITY, chief_of_office, delegate_title="Chánh Văn phòng")
    with jobs_done():
        decision = propose_and_sign(
            act,
            draft,
            specialist=specialist,
            chief_of_office=chief_of_office,
            signer=chief_of_office,
        )
    assert_block(signed_pdf_lines(decision), ["TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Trần Văn Chánh"])
    assert decision.events.get(kind=DecisionEvent.Kind.SIGNED).data["delegation"]["kind"] == "TUQ."


def test_an_acting_head_signs_q_chu_tich_also_on_behalf_of_the_committee(
    issuer, specialist, vice_chair, chair, make_content, delegate
):
    delegate(Kind.ACTING, vice_chair, grantor=None, ends_on=None)
    for content, block in (
        (make_content(), ["Q. CHỦ TỊCH", "Võ Tùng"]),
        (
            make_content(
                authority=Decision.Authority.COLLECTIVE,
                authority_line="ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG",
            ),
            ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH", "Võ Tùng"],
        ),
    ):
        decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
        assert vice_chair in permissions.signer_candidates(decision)  # outside his fields
        Decision.objects.filter(pk=decision.pk).update(status=Status.SIGNATURE, signer=vice_chair)
        decision = services.sign_decision(actor=vice_chair, decision=decision, pin=PIN)
        assert_block(signed_pdf_lines(decision), block)


def test_an_expired_delegation_is_refused_at_signing_with_its_date(
    act, draft, specialist, chief_of_office, delegate
):
    equip(chief_of_office)
    delegation = delegate(Kind.BY_ORDER, chief_of_office)
    assert act(specialist, draft, "submit").status_code == 302
    assert act(chief_of_office, draft, "propose", signer=chief_of_office.pk).status_code == 302
    expired = TODAY() - datetime.timedelta(days=1)
    Delegation.objects.filter(pk=delegation.pk).update(
        starts_on=expired - datetime.timedelta(days=10), ends_on=expired
    )

    response = act(chief_of_office, draft, "review", sign_now="on", pin=PIN)
    assert response.status_code == 400
    assert expired.strftime("%d/%m/%Y") in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW
    assert not draft.signed_pdf
    Decision.objects.filter(pk=draft.pk).update(status=Status.SIGNATURE)
    with pytest.raises(ValidationError, match=expired.strftime("%d/%m/%Y")):
        services.sign_decision(actor=chief_of_office, decision=draft, pin=PIN)
    assert chief_of_office not in permissions.signer_candidates(draft)


def test_a_delegation_outside_its_fields_or_for_a_collective_decision_is_refused(
    issuer, specialist, chief_of_office, make_content, delegate
):
    equip(chief_of_office)
    finance = SectorFactory.create(organization=issuer, name="Tài chính")
    delegate(Kind.BY_ORDER, chief_of_office, sectors=[finance])
    other_field = SectorFactory.create(organization=issuer, name="Giáo dục")
    decision = services.create_draft(
        actor=specialist, issuer=issuer, content=make_content(sector=other_field)
    )
    assert chief_of_office not in permissions.signer_candidates(decision)
    Decision.objects.filter(pk=decision.pk).update(status=Status.SIGNATURE, signer=chief_of_office)
    with pytest.raises(ValidationError, match="Tài chính"):
        services.sign_decision(actor=chief_of_office, decision=decision, pin=PIN)
    decision.refresh_from_db()
    assert decision.status == Status.SIGNATURE
    assert not decision.snapshot

    collective = services.create_draft(
        actor=specialist,
        issuer=issuer,
        content=make_content(
            sector=finance,
            authority=Decision.Authority.COLLECTIVE,
            authority_line="ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG",
        ),
    )
    assert chief_of_office not in permissions.signer_candidates(collective)
    Decision.objects.filter(pk=collective.pk).update(
        status=Status.SIGNATURE, signer=chief_of_office
    )
    with pytest.raises(ValidationError, match=r"TM\."):
        services.sign_decision(actor=chief_of_office, decision=collective, pin=PIN)


def test_a_delegate_cannot_delegate_again(issuer, chief_of_office, specialist, delegate):
    delegate(Kind.BY_ORDER, chief_of_office)
    with pytest.raises(ValidationError) as refused:
        delegate(Kind.BY_AUTHORITY, specialist, grantor=chief_of_office)
    assert refused.value.error_dict["grantor"][0].code == "redelegation"
    assert Delegation.objects.count() == 1


def test_only_the_head_delegates_and_a_tuq_has_an_end_date(
    issuer, chief_of_office, vice_chair, delegate
):
    with pytest.raises(ValidationError) as refused:
        delegate(Kind.BY_ORDER, chief_of_office, grantor=vice_chair)
    assert refused.value.error_dict["grantor"][0].code == "not_head"
    with pytest.raises(ValidationError) as refused:
        delegate(Kind.BY_AUTHORITY, chief_of_office, ends_on=None)
    assert "ends_on" in refused.value.error_dict
    with pytest.raises(ValidationError):
        delegate(Kind.BY_ORDER, chief_of_office, ends_on=TODAY() - datetime.timedelta(days=5))
    assert not Delegation.objects.exists()


def test_the_consistency_rule_accepts_the_delegated_forms_and_refuses_tl_for_the_collective(
    issuer,
):
    individual = "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG"
    collective = "ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG"
    for line, lines in (
        (individual, ("Q. CHỦ TỊCH",)),
        (individual, ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")),
        (individual, ("TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ TÀI CHÍNH")),
        (collective, ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH")),
    ):
        signature.check_consistency(authority_line=line, lines=lines, issuer=issuer)
    for line, lines in (
        (collective, ("TM. ỦY BAN NHÂN DÂN", "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")),
        (individual, ("TL. CHỦ TỊCH",)),
        (individual, ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH")),
    ):
        with pytest.raises(ValidationError):
            signature.check_consistency(authority_line=line, lines=lines, issuer=issuer)


def test_the_admin_records_a_delegation_and_refuses_a_re_delegation(
    client, issuer, chair, chief_of_office, specialist, delegate
):
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(admin)
    form = {
        "organization": issuer.pk,
        "kind": "TL.",
        "grantor": chair.pk,
        "delegate": chief_of_office.pk,
        "starts_on": TODAY().isoformat(),
        "ends_on": "",
        "document_reference": REFERENCE,
    }
    response = client.post("/admin/decisions/delegation/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    delegation = Delegation.objects.get()
    assert delegation.recorded_by == admin
    assert DelegationEvent.objects.get().kind == "delegation_created"

    form.update(
        kind="TUQ.", grantor=chief_of_office.pk, delegate=specialist.pk, ends_on="2099-01-01"
    )
    response = client.post("/admin/decisions/delegation/add/", form)
    assert response.status_code == 200
    assert Delegation.objects.count() == 1
    assert client.get("/admin/decisions/delegation/").status_code == 200
    assert client.get(f"/admin/decisions/delegation/{delegation.pk}/change/").status_code == 200


def test_a_delegation_ended_after_the_proposal_is_refused_at_signing_with_the_reason(
    act, draft, specialist, chief_of_office, chair, delegate
):
    equip(chief_of_office)
    delegation = delegate(Kind.BY_ORDER, chief_of_office)
    assert act(specialist, draft, "submit").status_code == 302
    assert act(chief_of_office, draft, "propose", signer=chief_of_office.pk).status_code == 302
    services.end_delegation(actor=chair, delegation=delegation, reason="Thu hồi.")

    response = act(chief_of_office, draft, "review", sign_now="on", pin=PIN)
    assert response.status_code == 400
    assert REFERENCE in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW
    assert not draft.events.filter(kind=DecisionEvent.Kind.SIGNED).exists()
    assert chief_of_office not in permissions.signer_candidates(draft)


def test_a_cong_van_without_an_authority_line_takes_any_form_of_article_13_but_no_other(issuer):
    for lines in (
        ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
        ("TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ TÀI CHÍNH"),
        ("CHỦ TỊCH",),
        ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ):
        signature.check_consistency(authority_line="", lines=lines, issuer=issuer)
    for lines in (
        ("TM. ỦY BAN NHÂN DÂN", "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
        ("TL. CHỦ TỊCH",),
        ("GIÁM ĐỐC",),
    ):
        with pytest.raises(ValidationError):
            signature.check_consistency(authority_line="", lines=lines, issuer=issuer)
