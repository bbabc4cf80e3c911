"""Fixtures of the exchange tests: the issued seed 000, with identifier codes on the issuer and
its receiving bodies, and a body outside this installation reached through a partner."""

import pytest

from decisions.models import ExchangePartner, Organization
from tests.decisions.conftest import bodies, seed_000_issued  # noqa: F401  (fixtures)
from tests.factories import OrganizationFactory

ISSUER_CODE = "000.00.15.H33"
CODES = {
    "so-khcn": "000.00.21.H33",
    "phong-noi-vu-gr": "000.01.15.H33",
    "xa-thanh-hung": "000.15.15.H33",
}
OUTSIDE_CODE = "000.00.00.H01"


@pytest.fixture
def partner(db):
    return ExchangePartner.objects.create(
        name="Hệ thống QLVB tỉnh An Giang", url="https://qlvb.example"
    )


@pytest.fixture
def outside_body(partner):
    """A province's committee in another document system, reached through `partner`."""
    return OrganizationFactory.create(
        code="ubnd-an-giang",
        name="ỦY BAN NHÂN DÂN\nTỈNH AN GIANG",
        identifier=OUTSIDE_CODE,
        exchange_partner=partner,
        is_issuer=False,
    )


@pytest.fixture
def issued(seed_000_issued, bodies):  # noqa: F811
    """Seed 000 issued, its issuer and receiving bodies with their identifier codes."""
    issuer = seed_000_issued.issuer
    issuer.identifier = ISSUER_CODE
    issuer.save()
    for code, identifier in CODES.items():
        body = bodies[code][0]
        body.identifier = identifier
        body.save()
    seed_000_issued.refresh_from_db()
    return seed_000_issued


def body(code: str) -> Organization:
    return Organization.objects.get(code=code)


# The package of the issued seed 000 is made once per session (issuing signs with the
# development PKI, ≈ 20 s) and reused by tests that only need a real signed package: its
# bodies are made again, with the same identifier codes, in each test's database.
_SIGNED_PACKAGE: dict[str, bytes] = {}


@pytest.fixture
def signed_package(request, db):
    """The edXML package of the issued seed 000 for its three receiving bodies (all of this
    installation), whose issuer and receivers exist in the directory with their codes."""
    if "data" not in _SIGNED_PACKAGE:
        from decisions.exchange import edxml

        decision = request.getfixturevalue("issued")
        _SIGNED_PACKAGE["data"] = edxml.export(decision, edxml.default_receivers(decision))
        return _SIGNED_PACKAGE["data"]
    OrganizationFactory.create(
        code="giong-rieng", name="ỦY BAN NHÂN DÂN\nHUYỆN GIỒNG RIỀNG", identifier=ISSUER_CODE
    )
    for code, identifier in CODES.items():
        OrganizationFactory.create(
            code=code, name=code.upper(), identifier=identifier, is_issuer=False
        )
    return _SIGNED_PACKAGE["data"]
