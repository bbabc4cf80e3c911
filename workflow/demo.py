"""The demo at every stage: decisions taken through the real flow, so that a newcomer sees a
draft, one sent back, one with the office, one waiting for a signature, one signed and waiting
for its number, a withdrawn one and seed 000 issued (signed, sealed, numbered and delivered: one
delivery acknowledged, one opened, the others unread).

It lives beside the flow because it drives it (`workflow.driver`), exactly as the pages do.
Safe to run again: a decision already staged is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from decisions import services
from decisions.demo import SEEDS_DIR
from decisions.importer import decode, parse_decision_text, to_draft_content
from decisions.models import Decision, DecisionEvent, Organization, Sector, User
from decisions.signing import pki
from workflow import driver

PIN = pki.DEV_PIN


@dataclass(frozen=True)
class Stage:
    """A demo decision: its subject, its field, its articles, and the steps it goes through."""

    subject: str
    sector: str
    articles: tuple[str, ...]
    steps: tuple[str, ...]


# Short decisions of UBND huyện Giồng Riềng, each left at another step of the flow.
STAGES = (
    Stage(
        "Về việc thành lập Tổ kiểm tra công vụ năm 2026",
        "Nội chính - Cải cách hành chính",
        (
            "Thành lập Tổ kiểm tra công vụ năm 2026 của huyện, gồm đại diện Văn phòng HĐND và "
            "UBND huyện, Phòng Nội vụ và Phòng Tư pháp huyện.",
            "Tổ kiểm tra có nhiệm vụ kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính tại "
            "các cơ quan, đơn vị trên địa bàn huyện; báo cáo kết quả về Chủ tịch UBND huyện.",
        ),
        (),
    ),
    Stage(
        "Về việc kiện toàn Ban Chỉ đạo cải cách hành chính huyện",
        "Nội chính - Cải cách hành chính",
        (
            "Kiện toàn Ban Chỉ đạo cải cách hành chính huyện do Chủ tịch UBND huyện làm "
            "Trưởng ban.",
            "Ban Chỉ đạo làm việc theo quy chế do Trưởng ban ban hành.",
        ),
        ("submit", "return"),
    ),
    Stage(
        "Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026",
        "Nội chính - Cải cách hành chính",
        (
            "Ban hành kèm theo Quyết định này Kế hoạch tuyên truyền cải cách hành chính năm "
            "2026 trên địa bàn huyện.",
        ),
        ("submit",),
    ),
    Stage(
        "Về việc công nhận xã đạt chuẩn tiếp cận pháp luật năm 2025",
        "Nội chính - Cải cách hành chính",
        ("Công nhận xã Thạnh Hưng đạt chuẩn tiếp cận pháp luật năm 2025.",),
        ("submit", "propose"),
    ),
    Stage(
        "Về việc phê duyệt danh mục dự án khuyến công năm 2026",
        "Kinh tế",
        (
            "Phê duyệt danh mục 05 dự án khuyến công năm 2026 của huyện theo Phụ lục kèm "
            "theo Quyết định này.",
        ),
        ("submit", "propose", "approve"),
    ),
    Stage(
        "Về việc giao chỉ tiêu thu ngân sách nhà nước năm 2026 cho các xã, thị trấn",
        "Kinh tế",
        (
            "Giao chỉ tiêu thu ngân sách nhà nước năm 2026 cho các xã, thị trấn theo biểu kèm "
            "theo Quyết định này.",
        ),
        ("submit", "propose", "sign"),
    ),
    Stage(
        "Về việc điều chỉnh lịch tiếp công dân tháng 12 năm 2026",
        "Nội chính - Cải cách hành chính",
        ("Điều chỉnh lịch tiếp công dân định kỳ của Chủ tịch UBND huyện tháng 12 năm 2026.",),
        ("submit", "withdraw"),
    ),
)

TEMPLATE = """Số:     /QĐ-UBND
Giồng Riềng, ngày    tháng    năm 20..
QUYẾT ĐỊNH
{subject}
CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Theo đề nghị của Chánh Văn phòng HĐND và UBND huyện.
QUYẾT ĐỊNH:
{articles}
Điều {last}. Chánh Văn phòng HĐND và UBND huyện, Trưởng Phòng Nội vụ huyện và Thủ trưởng các \
cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều {last};
- CT, các PCT UBND huyện;
- Lưu: VT.
"""


def stage_demo() -> None:
    """Take the demo's decisions to their steps (their e-mails are queued like any other)."""
    people = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
    issuer = Organization.objects.get(code="giong-rieng")
    for stage in STAGES:
        decision = Decision.objects.filter(issuer=issuer, subject=stage.subject).first()
        if decision is None:
            decision = draft(stage, issuer, people["cv.giongrieng"])
            walk(decision, stage.steps, people, signer="ct.giongrieng")
    _issue_seed_000(issuer, people)


USERNAMES = (
    "cv.giongrieng",
    "cvp.giongrieng",
    "ct.giongrieng",
    "pct.votung",
    "vt.giongrieng",
    "nhan.phongnoivu",
    "nhan.xathanhhung",
)


NAMED_IN_LAST_ARTICLE = ("vp-giong-rieng", "phong-noi-vu-giong-rieng")


def draft(stage: Stage, issuer: Organization, drafter: User) -> Decision:
    articles = "\n".join(
        f"Điều {number}. {text}" for number, text in enumerate(stage.articles, start=1)
    )
    text = TEMPLATE.format(subject=stage.subject, articles=articles, last=len(stage.articles) + 1)
    content = to_draft_content(parse_decision_text(text), issuer=issuer)
    content.sector = Sector.objects.get(organization=issuer, name=stage.sector)
    for entry in content.recipients:
        if entry.article_reference():  # "Như Điều N": the bodies its last article names
            entry.organization_ids = list(
                Organization.objects.filter(code__in=NAMED_IN_LAST_ARTICLE).values_list(
                    "pk", flat=True
                )
            )
    return services.create_draft(actor=drafter, issuer=issuer, content=content)


def walk(
    decision: Decision, steps: tuple[str, ...], people: dict[str, User], *, signer: str
) -> Decision:
    """Run `steps` as the people whose task each is, through the flow."""
    drafter, office, clerk = (
        people["cv.giongrieng"],
        people["cvp.giongrieng"],
        people["vt.giongrieng"],
    )
    leader = people[signer]

    def in_flow(user: User, step: str, service: Callable[[Decision], Decision]) -> Decision:
        current = Decision.objects.get(pk=decision.pk)
        return driver.run_step(
            decision=current, user=user, step=step, action=lambda: service(current)
        )

    for step in steps:
        if step == "submit":
            decision = driver.submit(decision=Decision.objects.get(pk=decision.pk), user=drafter)
        elif step == "withdraw":
            decision = driver.withdraw(
                decision=decision, user=drafter, reason="Lịch tiếp công dân giữ như cũ."
            )
        elif step == "return":
            decision = in_flow(
                office,
                "return_",
                lambda d: services.return_for_revision(
                    actor=office,
                    decision=d,
                    reason="Đề nghị ghi rõ thành phần Ban Chỉ đạo và bổ sung căn cứ pháp lý.",
                ),
            )
        elif step == "propose":
            decision = in_flow(
                office,
                "propose",
                lambda d: services.propose_decision(
                    actor=office, decision=d, signer=leader, note="Đã kiểm tra thể thức."
                ),
            )
        elif step in ("approve", "sign"):
            if step == "sign":  # approved and signed in one go, as "Ký luôn" does
                current = Decision.objects.get(pk=decision.pk)
                decision = driver.approve_and_sign(decision=current, user=leader, pin=PIN)
            else:
                decision = in_flow(
                    leader, "review", lambda d: services.approve_decision(actor=leader, decision=d)
                )
        elif step == "issue":
            decision = in_flow(
                clerk, "issue", lambda d: services.issue_decision(actor=clerk, decision=d, pin=PIN)
            )
    return decision


def _issue_seed_000(issuer: Organization, people: dict[str, User]) -> None:
    """Seed 000, imported as a draft by load_demo, signed by the vice chair (KT. CHỦ TỊCH),
    sealed, numbered and delivered; one body acknowledged it, one opened it."""
    parsed = parse_decision_text(decode((SEEDS_DIR / "seed_000_giong_rieng_93.txt").read_bytes()))
    decision = Decision.objects.filter(issuer=issuer, subject=parsed.subject).first()
    if decision is None or decision.status != Decision.Status.DRAFT:
        return
    if decision.events.exclude(kind=DecisionEvent.Kind.IMPORTED).exists():
        return  # somebody has worked on it since: leave it to him
    issued = walk(decision, ("submit", "propose", "sign", "issue"), people, signer="pct.votung")
    with transaction.atomic():
        services.acknowledge_delivery(actor=people["nhan.phongnoivu"], decision=issued)
        services.open_delivery(actor=people["nhan.xathanhhung"], decision=issued)
