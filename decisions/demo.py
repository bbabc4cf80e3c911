"""Demonstration data: two issuing bodies, people in every role, a directory, both seeds.

Idempotent: running it again changes nothing that is already there. The historical district
of seed 000 stays an active demonstration body so that seed 000 can run end to end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from decisions import demo_templates, permissions, services
from decisions.importer import decode, parse_decision_text, to_draft_content
from decisions.models import (
    Decision,
    DecisionEvent,
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

DOCUMENT_TYPES = [  # name, abbreviation (NĐ 30/2020/NĐ-CP, Phụ lục III)
    ("Quyết định", "QĐ"),
    ("Chỉ thị", "CT"),
    ("Kế hoạch", "KH"),
    ("Thông báo", "TB"),
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
    Person("cv.giongrieng", "Nguyễn Văn An", "CHUYÊN VIÊN", "giong-rieng", (Role.SPECIALIST,)),
    Person(
        "cvp.giongrieng", "Trần Thị Bích", "CHÁNH VĂN PHÒNG", "giong-rieng", (Role.CHIEF_OF_OFFICE,)
    ),
    Person("ct.giongrieng", "Lê Minh Cường", "CHỦ TỊCH", "giong-rieng", (Role.CHAIR,)),
    Person(
        "pct.votung",
        "Võ Tùng",
        "PHÓ CHỦ TỊCH",
        "giong-rieng",
        (Role.VICE_CHAIR,),
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
    Person("vt.giongrieng", "Huỳnh Thị Em", "VĂN THƯ", "giong-rieng", (Role.RECORDS_CLERK,)),
    Person("cv.angiang", "Đặng Quốc Huy", "CHUYÊN VIÊN", "an-giang", (Role.SPECIALIST,)),
    Person("cvp.angiang", "Bùi Thanh Hà", "CHÁNH VĂN PHÒNG", "an-giang", (Role.CHIEF_OF_OFFICE,)),
    Person("ct.angiang", "Ngô Văn Khải", "CHỦ TỊCH", "an-giang", (Role.CHAIR,)),
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
    Person("vt.angiang", "Đoàn Thị Ngọc", "VĂN THƯ", "an-giang", (Role.RECORDS_CLERK,)),
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
    for name, abbreviation in DOCUMENT_TYPES:
        DocumentType.objects.get_or_create(
            abbreviation=abbreviation, defaults={"name": name, "series": abbreviation}
        )
    organizations = _organizations()
    users = {person.username: _person(person, organizations) for person in PEOPLE}
    _registers(organizations)
    demo_templates.load_templates([body for body in organizations.values() if body.is_issuer])
    for filename, issuer_code, drafter, sector, links in SEEDS:
        _import_seed(filename, organizations[issuer_code], users[drafter], sector, links)
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
                issuer=organization, series=document_type.series, year=year, confidential=False
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
