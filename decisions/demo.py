"""Demonstration data: two issuing bodies, people in every role, a directory, both seeds.

Idempotent: running it again changes nothing that is already there. The historical district
of seed 000 stays an active demonstration body so that seed 000 can run end to end.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from decisions import demo_templates, doctypes, permissions, services
from decisions.importer import decode, parse_decision_text, to_draft_content
from decisions.models import (
    Decision,
    DecisionEvent,
    Delegation,
    DocumentType,
    Organization,
    Register,
    Sector,
    User,
)

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - printed for the demo; never a real account
SEEDS_DIR = Path(__file__).resolve().parent / "demo_seeds"
Role = permissions.Role
Level = Organization.Level

DOCUMENT_TYPES = [  # name, abbreviation (NĐ 30/2020/NĐ-CP, Phụ lục III), kind, register series
    ("Quyết định", "QĐ", "decision", "QĐ"),
    ("Quyết định quy phạm pháp luật", "QĐ", "normative_decision", "QPPL"),
    ("Công văn", "", "official_letter", "CV"),
    ("Chỉ thị", "CT", "directive", "CT"),
    ("Kế hoạch", "KH", "plan", "KH"),
    ("Thông báo", "TB", "notice", "TB"),
    ("Báo cáo", "BC", "report", "BC"),
    ("Tờ trình", "TTr", "submission", "TTr"),
]

# code, printed name, abbreviation, place, level, parent code, issuer?
ORGANIZATIONS = [
    ("an-giang", "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG", "UBND", "An Giang", Level.PROVINCE, None, True),
    (
        "giong-rieng",
        "ỦY BAN NHÂN DÂN\nHUYỆN GIỒNG RIỀNG",
        "UBND",
        "Giồng Riềng",
        Level.DISTRICT,
        None,
        True,
    ),
    (
        "vp-ubnd-an-giang",
        "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH AN GIANG",
        "VP",
        "An Giang",
        Level.AGENCY,
        "an-giang",
        False,
    ),
    (
        "so-khcn-an-giang",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH AN GIANG",
        "SKHCN",
        "An Giang",
        Level.AGENCY,
        "an-giang",
        False,
    ),
    (
        "vp-giong-rieng",
        "VĂN PHÒNG HĐND VÀ UBND HUYỆN GIỒNG RIỀNG",
        "VP",
        "Giồng Riềng",
        Level.AGENCY,
        "giong-rieng",
        False,
    ),
    (
        "phong-noi-vu-giong-rieng",
        "PHÒNG NỘI VỤ HUYỆN GIỒNG RIỀNG",
        "PNV",
        "Giồng Riềng",
        Level.AGENCY,
        "giong-rieng",
        False,
    ),
    (
        "phong-tu-phap-giong-rieng",
        "PHÒNG TƯ PHÁP HUYỆN GIỒNG RIỀNG",
        "PTP",
        "Giồng Riềng",
        Level.AGENCY,
        "giong-rieng",
        False,
    ),
    (
        "cn-vpdkdd-giong-rieng",
        "CHI NHÁNH VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI HUYỆN GIỒNG RIỀNG",
        "CNVPĐKĐĐ",
        "Giồng Riềng",
        Level.AGENCY,
        "giong-rieng",
        False,
    ),
    (
        "tt-giong-rieng",
        "ỦY BAN NHÂN DÂN\nTHỊ TRẤN GIỒNG RIỀNG",
        "UBND",
        "Giồng Riềng",
        Level.COMMUNE,
        "giong-rieng",
        False,
    ),
    (
        "xa-thanh-hung",
        "ỦY BAN NHÂN DÂN\nXÃ THẠNH HƯNG",
        "UBND",
        "Thạnh Hưng",
        Level.COMMUNE,
        "giong-rieng",
        False,
    ),
]

SECTORS = {
    "an-giang": ["Kinh tế", "Văn hóa - Xã hội", "Nội chính"],
    "giong-rieng": ["Kinh tế", "Văn hóa - Xã hội", "Nội chính - Cải cách hành chính"],
}


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    title: str
    organization: str
    roles: tuple[Role, ...]
    sectors: tuple[str, ...] = ()


PEOPLE = [
    Person(
        "cv.giongrieng",
        "Nguyễn Văn An",
        "CHUYÊN VIÊN",
        "giong-rieng",
        (Role.SPECIALIST, Role.INCOMING_HANDLER),
    ),
    Person(
        "cvp.giongrieng",
        "Trần Thị Bích",
        "CHÁNH VĂN PHÒNG",
        "giong-rieng",
        (Role.CHIEF_OF_OFFICE, Role.INCOMING_HANDLER),
    ),
    Person(
        "ct.giongrieng",
        "Lê Minh Cường",
        "CHỦ TỊCH",
        "giong-rieng",
        (Role.CHAIR, Role.INCOMING_LEADER),
    ),
    Person(
        "pct.votung",
        "Võ Tùng",
        "PHÓ CHỦ TỊCH",
        "giong-rieng",
        (Role.VICE_CHAIR, Role.INCOMING_LEADER),
        ("Nội chính - Cải cách hành chính",),
    ),
    Person(
        "pct.giongrieng",
        "Phạm Thị Dung",
        "PHÓ CHỦ TỊCH",
        "giong-rieng",
        (Role.VICE_CHAIR,),
        ("Kinh tế", "Văn hóa - Xã hội"),
    ),
    Person(
        "vt.giongrieng",
        "Huỳnh Thị Em",
        "VĂN THƯ",
        "giong-rieng",
        (Role.RECORDS_CLERK, Role.INCOMING_CLERK),
    ),
    Person(
        "cv.angiang",
        "Đặng Quốc Huy",
        "CHUYÊN VIÊN",
        "an-giang",
        (Role.SPECIALIST, Role.INCOMING_HANDLER),
    ),
    Person("cvp.angiang", "Bùi Thanh Hà", "CHÁNH VĂN PHÒNG", "an-giang", (Role.CHIEF_OF_OFFICE,)),
    Person(
        "ct.angiang", "Ngô Văn Khải", "CHỦ TỊCH", "an-giang", (Role.CHAIR, Role.INCOMING_LEADER)
    ),
    Person(
        "pct1.angiang", "Lý Thị Lan", "PHÓ CHỦ TỊCH", "an-giang", (Role.VICE_CHAIR,), ("Kinh tế",)
    ),
    Person(
        "pct2.angiang",
        "Trịnh Văn Minh",
        "PHÓ CHỦ TỊCH",
        "an-giang",
        (Role.VICE_CHAIR,),
        ("Văn hóa - Xã hội", "Nội chính"),
    ),
    Person(
        "vt.angiang",
        "Đoàn Thị Ngọc",
        "VĂN THƯ",
        "an-giang",
        (Role.RECORDS_CLERK, Role.INCOMING_CLERK),
    ),
    Person("nhan.skhcn", "Phan Văn Phúc", "CHUYÊN VIÊN", "so-khcn-an-giang", (Role.RECIPIENT,)),
    Person("nhan.vpangiang", "Võ Thị Quyên", "CHUYÊN VIÊN", "vp-ubnd-an-giang", (Role.RECIPIENT,)),
    Person(
        "nhan.phongnoivu",
        "Mai Văn Sang",
        "CHUYÊN VIÊN",
        "phong-noi-vu-giong-rieng",
        (Role.RECIPIENT,),
    ),
    Person("nhan.xathanhhung", "Châu Thị Tâm", "VĂN THƯ", "xa-thanh-hung", (Role.RECIPIENT,)),
    Person(
        "thu.vpgiongrieng",
        "Nguyễn Thị Thư",
        "PHÓ CHÁNH VĂN PHÒNG",
        "vp-giong-rieng",
        (Role.RECIPIENT,),
    ),
]

# The seeds, the body that issues each, its drafter, its field, and the directory links of
# its Nơi nhận entries: bodies by code, people by username.
SEEDS = [
    (
        "seed_000_giong_rieng_93.txt",
        "giong-rieng",
        "cv.giongrieng",
        "Nội chính - Cải cách hành chính",
        {
            "Sở khoa học và CN": (["so-khcn-an-giang"], []),
            "CT, các PCT. UBND huyện": ([], ["ct.giongrieng", "pct.votung", "pct.giongrieng"]),
            "Phòng CM": (["phong-noi-vu-giong-rieng", "phong-tu-phap-giong-rieng"], []),
            "Chi nhánh VP.ĐKĐĐ huyện": (["cn-vpdkdd-giong-rieng"], []),
            "UBND xã, thị": (["tt-giong-rieng", "xa-thanh-hung"], []),
            "LĐVP, đ/c Thư": (["vp-giong-rieng"], ["thu.vpgiongrieng"]),
        },
    ),
    (
        "seed_001_province_quality_2018.txt",
        "an-giang",
        "cv.angiang",
        "Nội chính",
        {
            "Như Điều 4": (["vp-ubnd-an-giang", "so-khcn-an-giang"], []),
            "CT, các PCT UBND tỉnh": ([], ["ct.angiang", "pct1.angiang", "pct2.angiang"]),
            "VP: LĐ và các CV": (["vp-ubnd-an-giang"], []),
        },
    ),
]


@transaction.atomic
def load_demo() -> list[Person]:
    """Create or complete the demo data; return the people whose logins to print."""
    permissions.setup_roles()
    for name, abbreviation, kind, series in DOCUMENT_TYPES:
        DocumentType.objects.get_or_create(
            name=name, defaults={"abbreviation": abbreviation, "kind": kind, "series": series}
        )
    organizations = _organizations()
    users = {person.username: _person(person, organizations) for person in PEOPLE}
    _registers(organizations)
    demo_templates.load_templates([body for body in organizations.values() if body.is_issuer])
    for filename, issuer_code, drafter, sector, links in SEEDS:
        _import_seed(filename, organizations[issuer_code], users[drafter], sector, links)
    _incoming_documents(organizations["giong-rieng"], users)
    _delegations(organizations, users)
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"full_name": "Quản trị hệ thống", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    return PEOPLE


# As the bodies are written inside a sentence and in Nơi nhận (the printed names are capitals).
NAMES_IN_TEXT = {
    "an-giang": "Ủy ban nhân dân tỉnh An Giang",
    "giong-rieng": "Ủy ban nhân dân huyện Giồng Riềng",
    "vp-ubnd-an-giang": "Văn phòng Ủy ban nhân dân tỉnh An Giang",
    "so-khcn-an-giang": "Sở Khoa học và Công nghệ tỉnh An Giang",
    "vp-giong-rieng": "Văn phòng HĐND và UBND huyện Giồng Riềng",
    "phong-noi-vu-giong-rieng": "Phòng Nội vụ huyện Giồng Riềng",
    "phong-tu-phap-giong-rieng": "Phòng Tư pháp huyện Giồng Riềng",
    "cn-vpdkdd-giong-rieng": "Chi nhánh Văn phòng Đăng ký đất đai huyện Giồng Riềng",
    "tt-giong-rieng": "Ủy ban nhân dân thị trấn Giồng Riềng",
    "xa-thanh-hung": "Ủy ban nhân dân xã Thạnh Hưng",
}


# Mã định danh (Quyết định 20/2020/QĐ-TTg) in the right shape; the demo's are not the official ones.
IDENTIFIERS = {
    "an-giang": "000.00.00.H01",
    "vp-ubnd-an-giang": "000.00.01.H01",
    "so-khcn-an-giang": "000.00.17.H01",
    "giong-rieng": "000.00.12.H33",
    "vp-giong-rieng": "000.01.12.H33",
    "phong-noi-vu-giong-rieng": "000.02.12.H33",
    "phong-tu-phap-giong-rieng": "000.03.12.H33",
    "cn-vpdkdd-giong-rieng": "000.04.12.H33",
    "tt-giong-rieng": "001.00.12.H33",
    "xa-thanh-hung": "002.00.12.H33",
}


def _organizations() -> dict[str, Organization]:
    organizations: dict[str, Organization] = {}
    for code, name, abbreviation, place, level, parent, issuer in ORGANIZATIONS:
        organization, _created = Organization.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "abbreviation": abbreviation,
                "place_name": place,
                "level": level,
                "parent": organizations.get(parent) if parent else None,
                "is_issuer": issuer,
                "collective_name": "ỦY BAN NHÂN DÂN" if issuer else "",
                "head_title": "CHỦ TỊCH" if issuer else "",
            },
        )
        if not organization.identifier and code in IDENTIFIERS:
            organization.identifier = IDENTIFIERS[code]
            organization.save(update_fields=["identifier"])
        if not organization.name_in_text and code in NAMES_IN_TEXT:
            organization.name_in_text = NAMES_IN_TEXT[code]
            organization.save(update_fields=["name_in_text"])
        organizations[code] = organization
        for sector in SECTORS.get(code, []):
            Sector.objects.get_or_create(organization=organization, name=sector)
    return organizations


def _person(person: Person, organizations: dict[str, Organization]) -> User:
    organization = organizations[person.organization]
    user, created = User.objects.get_or_create(
        username=person.username,
        defaults={
            "full_name": person.full_name,
            "title": person.title,
            "organization": organization,
            "email": f"{person.username}@example.invalid",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.sectors.set(Sector.objects.filter(organization=organization, name__in=person.sectors))
    for role in person.roles:
        permissions.grant_role(user=user, organization=organization, role=role)
    return user


def _registers(organizations: dict[str, Organization]) -> None:
    year = timezone.localdate().year
    for organization in organizations.values():
        if not organization.is_issuer:
            continue
        for document_type in DocumentType.objects.all():
            Register.objects.get_or_create(
                issuer=organization,
                series=document_type.series,
                year=year,
                confidential=False,
                defaults={"number_format": doctypes.of(document_type).number_format},
            )
        Register.objects.get_or_create(
            issuer=organization, series="QĐ", year=year, confidential=True
        )


def _import_seed(
    filename: str,
    issuer: Organization,
    drafter: User,
    sector_name: str,
    links: dict[str, tuple[list[str], list[str]]],
) -> None:
    parsed = parse_decision_text(decode((SEEDS_DIR / filename).read_bytes()))
    if Decision.objects.filter(issuer=issuer, subject=parsed.subject).exists():
        return
    content = to_draft_content(parsed, issuer=issuer)
    content.sector = Sector.objects.get(organization=issuer, name=sector_name)
    for entry in content.recipients:
        codes, usernames = links.get(entry.text, ([], []))
        entry.organization_ids = list(
            Organization.objects.filter(code__in=codes).values_list("pk", flat=True)
        )
        entry.user_ids = list(
            User.objects.filter(username__in=usernames).values_list("pk", flat=True)
        )
    services.create_draft(
        actor=drafter, issuer=issuer, content=content, event=DecisionEvent.Kind.IMPORTED
    )


# --- Incoming documents (decisions/incoming_lifecycle.py) ---------------------------------------

# What UBND huyện Giồng Riềng received: (channel, sender, number, type, subject, what happened).
INCOMING = [
    (
        "paper",
        "Sở Tư pháp tỉnh Kiên Giang",
        "512/STP-VP",
        "Công văn",
        "V/v góp ý dự thảo Quy chế phối hợp trong công tác phổ biến, giáo dục pháp luật",
        "directed",
    ),
    (
        "email",
        "Công an huyện Giồng Riềng",
        "89/CAH-TM",
        "Báo cáo",
        "Báo cáo kết quả bảo đảm an ninh trật tự tháng 11",
        "assigned",
    ),
    (
        "paper",
        "Ủy ban nhân dân xã Thạnh Hưng",
        "41/TTr-UBND",
        "Tờ trình",
        "Tờ trình đề nghị hỗ trợ kinh phí sửa chữa đường giao thông nông thôn",
        "forwarded",
    ),
]


# Signatures under a delegation (NĐ 30, Điều 13): body, kind, grantor, delegate, printed title,
# fields (empty: all), authorising document; valid for the current year.
DELEGATIONS = [
    (
        "giong-rieng",
        Delegation.Kind.BY_ORDER,
        "ct.giongrieng",
        "cvp.giongrieng",
        "CHÁNH VĂN PHÒNG",
        ("Nội chính - Cải cách hành chính",),
        "Quyết định số 05/QĐ-UBND ngày 02/01/{year} của Chủ tịch UBND huyện về việc giao Chánh "
        "Văn phòng ký thừa lệnh một số văn bản",
    ),
    (
        "an-giang",
        Delegation.Kind.BY_AUTHORITY,
        "ct.angiang",
        "cvp.angiang",
        "CHÁNH VĂN PHÒNG",
        ("Văn hóa - Xã hội",),
        "Quyết định số 09/QĐ-UBND ngày 03/01/{year} của Chủ tịch UBND tỉnh về việc ủy quyền "
        "Chánh Văn phòng ký văn bản",
    ),
]


def _letter(sender: str, reference: str, document_type: str, subject: str) -> bytes:
    """A one-page document as the sender would have printed it (the demo's "scan")."""
    from weasyprint import HTML

    from decisions import rendering

    html = (
        '<html lang="vi"><body style="font-family: DocSerif; font-size: 13pt">'
        f"<p><b>{sender.upper()}</b></p><p>Số: {reference}</p>"
        f"<p style='text-align:center'><b>{document_type.upper()}</b></p><p>{subject}</p>"
        "<p>Kính gửi: Ủy ban nhân dân huyện Giồng Riềng.</p></body></html>"
    )
    fetcher = rendering._bundled_assets_fetcher_class()(allowed_protocols={"file", "data"})
    font_config, stylesheet = rendering._stylesheet()
    pdf: bytes = HTML(string=html, base_url=f"{rendering.PDF_DIR}/", url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )
    return pdf


def _incoming_documents(body: Organization, users: dict[str, User]) -> None:
    """A few documents received by the body, registered, forwarded, directed and assigned
    through the services (once: nothing is added when the body has incoming documents)."""
    from decisions.models import IncomingDocument
    from decisions.services import incoming

    if IncomingDocument.objects.filter(register__organization=body).exists():
        return
    clerk, leader = users["vt.giongrieng"], users["pct.votung"]
    for channel, sender, reference, document_type, subject, state in INCOMING:
        document = incoming.register_received(
            body,
            incoming.Received(
                sender_name=sender,
                subject=subject,
                reference=reference,
                document_type=document_type,
                document_date=timezone.localdate() - datetime.timedelta(days=3),
            ),
            channel=IncomingDocument.Channel(channel),
            pdf=_letter(sender, reference, document_type, subject),
            filename=f"{reference.replace('/', '-')}.pdf",
            actor=clerk,
        )
        if state == "assigned":
            incoming.assign(document, actor=clerk, handler=users["cvp.giongrieng"], working_days=5)
            continue
        document = incoming.forward(document, actor=clerk, leader=leader)
        if state == "directed":
            incoming.direct(
                document,
                actor=leader,
                direction="Giao Phòng Tư pháp phối hợp; đồng chí An chủ trì tham mưu góp ý.",
                handler=users["cv.giongrieng"],
                working_days=5,
            )


def _delegations(organizations: dict[str, Organization], users: dict[str, User]) -> None:
    year = timezone.localdate().year
    for code, kind, grantor, delegate, title, sectors, reference in DELEGATIONS:
        organization = organizations[code]
        if Delegation.objects.filter(
            organization=organization, kind=kind, delegate=users[delegate]
        ).exists():
            continue
        services.record_delegation(
            actor=None,
            delegation=Delegation(
                organization=organization,
                kind=kind,
                grantor=users[grantor],
                delegate=users[delegate],
                delegate_title=title,
                starts_on=timezone.localdate().replace(month=1, day=1),
                ends_on=timezone.localdate().replace(month=12, day=31),
                document_reference=reference.format(year=year),
            ),
            sectors=Sector.objects.filter(organization=organization, name__in=sectors),
        )
