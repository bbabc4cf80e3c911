"""Personas named after roles, and builders for valid draft content."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from hypothesis import settings as hypothesis_settings

from decisions import jobs, permissions, services
from decisions.content import Article, Clause, DraftContent, RecipientEntry
from decisions.models import Decision, Organization, User
from decisions.signing import pki, provision
from tests.factories import DocumentTypeFactory, OrganizationFactory, SectorFactory, UserFactory

Role = permissions.Role
pytest_plugins = ["tests.signing_fixtures", "tests.decisions.incoming_fixtures"]

# Hypothesis: "ci" (the default) is reproducible: the same examples on every run and no
# example database; HYPOTHESIS_PROFILE=explore draws more, at random, to look for new cases.
hypothesis_settings.register_profile(
    "ci", derandomize=True, database=None, max_examples=200, deadline=None, print_blob=True
)
hypothesis_settings.register_profile("explore", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Lines a test leaves for the CI log (`record_property("ci_log", text)`): printed at the end of
# the run by the main process, also when the tests run in several processes (pytest-xdist).
CI_LOG: list[str] = []


def pytest_runtest_logreport(report: Any) -> None:
    if report.when == "call" and report.passed:
        CI_LOG.extend(value for name, value in report.user_properties if name == "ci_log")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if CI_LOG and not hasattr(terminalreporter.config, "workerinput"):
        terminalreporter.section("what the live tests showed")
        for text in CI_LOG:
            terminalreporter.write_line(text)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    end_to_end = [item for item in items if "/tests/e2e/" in str(item.path)]
    if end_to_end and len(end_to_end) < len(items):
        alone = pytest.mark.skip(
            reason="end-to-end tests run in their own process: pytest tests/e2e"
        )
        for item in end_to_end:
            item.add_marker(alone)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks); this run uses SQLite")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


PIN = pki.DEV_PIN


@pytest.fixture
def jobs_done(db: None) -> Callable[[], Any]:
    """`with jobs_done(): ...` runs, at the end of the block, the background jobs queued in
    it, in this process and as a worker would (e-mails composed, then sent)."""

    @contextmanager
    def done() -> Iterator[None]:
        yield
        jobs.run_ready()

    return done


@pytest.fixture(autouse=True, scope="session")
def reuse_rsa_keys() -> Any:
    """Test certificates share a few RSA keys: generating one costs ≈100 ms."""
    pool = [pki._key() for _ in range(3)]
    counter = iter(range(10**9))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pki, "_key", lambda: pool[next(counter) % len(pool)])
        yield


def equip(holder: User | Organization) -> User | Organization:
    """A development signing key and a test image for a leader or an issuing body."""
    if isinstance(holder, User):
        provision.dev_key_for_person(holder)
        provision.ensure_dev_images(user=holder)
    else:
        provision.dev_key_for_organization(holder)
        provision.ensure_dev_images(organization=holder)
    return holder


@pytest.fixture
def issuer(db: None) -> Organization:
    return OrganizationFactory.create(code="giong-rieng", name="ỦY BAN NHÂN DÂN\nHUYỆN GIỒNG RIỀNG")


@pytest.fixture
def other_issuer(db: None) -> Organization:
    return OrganizationFactory.create(code="an-giang", name="ỦY BAN NHÂN DÂN\nTỈNH AN GIANG")


@pytest.fixture
def make_person(db: None) -> Callable[..., User]:
    def make(role: Role, organization: Organization, **fields: Any) -> User:
        """A person in `role`; leaders get a signing key, their body a seal key."""
        user = UserFactory.create(organization=organization, **fields)
        permissions.grant_role(user=user, organization=organization, role=role)
        if role in (Role.CHAIR, Role.VICE_CHAIR):
            equip(user)
            if not organization.seal_keys.exists():
                equip(organization)
        return user

    return make


@pytest.fixture
def specialist(make_person: Callable[..., User], issuer: Organization) -> User:
    return make_person(Role.SPECIALIST, issuer, username="specialist", title="CHUYÊN VIÊN")


@pytest.fixture
def chief_of_office(make_person: Callable[..., User], issuer: Organization) -> User:
    return make_person(Role.CHIEF_OF_OFFICE, issuer, username="chief", title="CHÁNH VĂN PHÒNG")


@pytest.fixture
def vice_chair(make_person: Callable[..., User], issuer: Organization) -> User:
    user = make_person(
        Role.VICE_CHAIR, issuer, username="vice", full_name="Võ Tùng", title="PHÓ CHỦ TỊCH"
    )
    user.sectors.add(SectorFactory.create(organization=issuer, name="Nội chính"))
    return user


@pytest.fixture
def chair(make_person: Callable[..., User], issuer: Organization) -> User:
    return make_person(Role.CHAIR, issuer, username="chair", title="CHỦ TỊCH")


@pytest.fixture
def records_clerk(make_person: Callable[..., User], issuer: Organization) -> User:
    return make_person(Role.RECORDS_CLERK, issuer, username="clerk", title="VĂN THƯ")


@pytest.fixture
def recipient_user(make_person: Callable[..., User], db: None) -> User:
    body = OrganizationFactory.create(code="phong-noi-vu", name="PHÒNG NỘI VỤ", is_issuer=False)
    return make_person(Role.RECIPIENT, body, username="recipient")


@pytest.fixture
def make_content(db: None) -> Callable[..., DraftContent]:
    """A valid individual-authority decision; keyword arguments override fields."""

    def make(**overrides: Any) -> DraftContent:
        values: dict[str, Any] = {
            "document_type": DocumentTypeFactory.create(),
            "authority": Decision.Authority.INDIVIDUAL,
            "authority_line": "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG",
            "subject": "Về việc ban hành mục tiêu chất lượng năm 2026",
            "legal_bases": ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"],
            "proposer": "Theo đề nghị của Chánh Văn phòng HĐND và UBND huyện",
            "articles": [
                Article(
                    text="Ban hành mục tiêu chất lượng như sau:",
                    clauses=[Clause("Giảm sai sót.", ["Thủ tục hành chính;", "Hồ sơ."])],
                ),
                Article(text="Quyết định này có hiệu lực kể từ ngày ký."),
                Article(text="Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này./."),
            ],
            "recipients": [
                RecipientEntry("Như Điều 3"),
                RecipientEntry("CT, các PCT UBND huyện"),
                RecipientEntry("Lưu: VT, VP"),
            ],
        }
        values.update(overrides)
        return DraftContent(**values)

    return make


@pytest.fixture
def draft(
    specialist: User, issuer: Organization, make_content: Callable[..., DraftContent]
) -> Decision:
    return services.create_draft(actor=specialist, issuer=issuer, content=make_content())


@pytest.fixture
def signed_decision(
    specialist: User, chair: User, issuer: Organization, make_content: Callable[..., DraftContent]
) -> Callable[..., Decision]:
    """A builder of decisions signed by the chair, ready for the văn thư (flow bypassed)."""

    def make(**overrides: Any) -> Decision:
        decision = services.create_draft(
            actor=specialist, issuer=issuer, content=make_content(**overrides)
        )
        Decision.objects.filter(pk=decision.pk).update(
            status=Decision.Status.SIGNATURE, signer=chair
        )
        return services.sign_decision(actor=chair, decision=decision, pin=PIN)

    return make


@pytest.fixture
def act(client: Client) -> Callable[..., Any]:
    """POST an action as `user`; returns the response (following no redirect)."""

    def post(user: User, decision: Decision, action: str, **fields: Any) -> Any:
        client.force_login(user)
        prefix = {"return": "return_", "hand-over": "hand_over"}.get(action, action)
        data = {f"{prefix}-{key}": value for key, value in fields.items()}
        return client.post(f"/decisions/{decision.pk}/{action}/", data)

    return post


@pytest.fixture
def personas(
    specialist, chief_of_office, vice_chair, chair, records_clerk, recipient_user, make_person
):
    """Every role of the issuer, a receiver, and people of another body, by name."""
    other = OrganizationFactory.create(code="other", name="ỦY BAN NHÂN DÂN\nXÃ KHÁC")
    return {
        "specialist": specialist,
        "chief_of_office": chief_of_office,
        "vice_chair": vice_chair,
        "chair": chair,
        "records_clerk": records_clerk,
        "recipient": recipient_user,
        "other_specialist": make_person(Role.SPECIALIST, other, username="o-cv"),
        "other_chief": make_person(Role.CHIEF_OF_OFFICE, other, username="o-cvp"),
        "other_chair": make_person(Role.CHAIR, other, username="o-ct"),
        "other_clerk": make_person(Role.RECORDS_CLERK, other, username="o-vt"),
    }
