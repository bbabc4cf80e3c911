"""Fixtures shared by the decision tests: an issued seed 000 with its receiving bodies."""

import pytest
from django.core import mail

from decisions import permissions, services
from decisions.importer import to_draft_content
from tests.conftest import PIN
from tests.decisions.test_importer import SEED_000, parse_file
from tests.factories import OrganizationFactory

Role = permissions.Role


@pytest.fixture
def bodies(make_person):
    """Receiving bodies, each with one receiving user, keyed by code."""
    result = {}
    for code in ("so-khcn", "phong-noi-vu-gr", "xa-thanh-hung", "unrelated"):
        body = OrganizationFactory.create(code=code, name=code.upper(), is_issuer=False)
        result[code] = (body, make_person(Role.RECIPIENT, body, username=f"nhan-{code}"))
    return result


@pytest.fixture
def seed_000_issued(
    act,
    issuer,
    specialist,
    chief_of_office,
    vice_chair,
    records_clerk,
    make_content,
    bodies,
    jobs_done,
):
    make_content()
    content = to_draft_content(parse_file(SEED_000), issuer=issuer)
    content.sector = vice_chair.sectors.get()
    links = {
        "Sở khoa học và CN": ["so-khcn"],
        "Phòng CM": ["phong-noi-vu-gr"],
        "UBND xã, thị": ["xa-thanh-hung", "so-khcn"],
    }
    for entry in content.recipients:
        entry.organization_ids = [bodies[code][0].pk for code in links.get(entry.text, [])]
    content.recipients[-1].organization_ids = [bodies["unrelated"][0].pk]  # "Lưu: VT": ignored
    content.recipients[1].user_ids = [vice_chair.pk]  # "CT, các PCT. UBND huyện"
    decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
    steps = [
        (specialist, "submit", {}),
        (chief_of_office, "propose", {"signer": vice_chair.pk}),
        (vice_chair, "review", {"sign_now": "on", "pin": PIN}),
        (records_clerk, "issue", {"pin": PIN}),
    ]
    mail.outbox.clear()
    with jobs_done():
        for user, step, fields in steps:
            assert act(user, decision, step, **fields).status_code == 302
    decision.refresh_from_db()
    return decision
