"""The Chánh Văn phòng signs "TL. CHỦ TỊCH" under the demo's recorded delegation, in Chromium."""

import subprocess

import pytest
from playwright.sync_api import expect

from decisions.models import Decision, Delegation, User
from decisions.signing import pki
from tests.e2e.test_journeys import journey, paste_and_save  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_chief_of_office_signs_tl_chu_tich_under_a_recorded_delegation(journey):  # noqa: F811
    j = journey
    chief = User.objects.get(username="cvp.giongrieng")
    assert Delegation.objects.filter(delegate=chief, kind=Delegation.Kind.BY_ORDER).exists()

    j.login("cv.giongrieng")
    decision = paste_and_save(
        j, "seed_000_giong_rieng_93.txt", sector="Nội chính - Cải cách hành chính"
    )
    j.act("submit")
    expect(j.page.locator(".messages")).to_contain_text("Đã trình")

    # The Chánh Văn phòng sees the delegations in force, then proposes the draft to himself.
    j.login("cvp.giongrieng")
    j.go("/decisions/delegations/")
    expect(j.page.locator("main")).to_contain_text("TL. CHỦ TỊCH")
    expect(j.page.locator("main")).to_contain_text("Quyết định số 05/QĐ-UBND")
    j.shot("delegations-in-force")
    j.open_decision(decision)
    j.act("propose", signer=str(chief.pk))
    expect(j.page.locator(".messages")).to_contain_text("Đã trình ký")
    j.open_decision(decision)
    expect(j.page.locator(".document-signature")).to_contain_text("TL. CHỦ TỊCH")
    j.act("review", sign_now="on", pin=pki.DEV_PIN)
    expect(j.page.locator(".messages")).to_contain_text("Đã đồng ý")
    j.shot("chief-signed-tl")

    j.login("vt.giongrieng")
    j.open_decision(decision)
    j.act("issue", pin=pki.DEV_PIN)
    expect(j.page.locator("main")).to_contain_text("01/QĐ-UBND")
    expect(j.page.locator(".document-signature")).to_contain_text("CHÁNH VĂN PHÒNG")
    j.shot("clerk-issued-tl")

    decision = Decision.objects.get(pk=decision.pk)
    with decision.pdf.open("rb") as stored:
        text = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
            input=stored.read(),
            capture_output=True,
            check=True,
        ).stdout.decode()
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    start = lines.index("TL. CHỦ TỊCH")
    assert lines[start : start + 3] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Trần Thị Bích"]
    assert j.untranslated == []
