"""Fixtures of the incoming documents: the receiving body's people, a scanned page, an e-mail."""

from __future__ import annotations

import io
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest
from PIL import Image, ImageDraw

from decisions import permissions
from decisions.models import IncomingDocument, Organization, User
from decisions.services import incoming as service
from tests.factories import OrganizationFactory

Role = permissions.Role


def scanned_pdf(pages: int = 2) -> bytes:
    """A scan as a scanner makes it: pages that are pictures, no text layer."""
    images = []
    for number in range(pages):
        image = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
        draw = ImageDraw.Draw(image)
        draw.rectangle((150, 120, 700, 200), outline="black", width=3)
        for line in range(20):
            draw.line((180, 400 + line * 50, 1060, 400 + line * 50), fill="black", width=2)
        draw.text((600, 1650), str(number + 1), fill="black")
        images.append(image)
    output = io.BytesIO()
    images[0].save(output, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return output.getvalue()


def eml(*, with_pdf: bool = True) -> bytes:
    message = EmailMessage()
    message["From"] = "Sở Tư pháp tỉnh Kiên Giang <stp@kiengiang.gov.vn>"
    message["To"] = "vanthu@giongrieng.gov.vn"
    message["Subject"] = "V/v góp ý dự thảo quy chế phối hợp"
    message["Date"] = "Thu, 26 Nov 2026 09:15:00 +0700"
    message.set_content("Kính gửi UBND huyện Giồng Riềng, Sở Tư pháp gửi kèm công văn.")
    if with_pdf:
        message.add_attachment(
            scanned_pdf(1), maintype="application", subtype="pdf", filename="cv-512-stp.pdf"
        )
    return message.as_bytes()


@pytest.fixture
def people(make_person: Callable[..., User], issuer: Organization) -> dict[str, User]:
    """The receiving body's văn thư, leader, two handlers, someone of the body without an
    incoming role, and the văn thư of another body."""
    other = OrganizationFactory.create(code="xa-khac", name="ỦY BAN NHÂN DÂN\nXÃ KHÁC")
    return {
        "clerk": make_person(Role.INCOMING_CLERK, issuer, username="vt-den", email="vt@x.vn"),
        "leader": make_person(
            Role.INCOMING_LEADER,
            issuer,
            username="ld-den",
            full_name="Lê Lãnh Đạo",
            email="ld@x.vn",
        ),
        "handler": make_person(
            Role.INCOMING_HANDLER,
            issuer,
            username="cv-den",
            full_name="Chu Văn Xử",
            email="cv@x.vn",
        ),
        "colleague": make_person(Role.INCOMING_HANDLER, issuer, username="cv-khac"),
        "specialist": make_person(Role.SPECIALIST, issuer, username="cv-soan"),
        "outsider": make_person(Role.INCOMING_CLERK, other, username="vt-khac"),
    }


@pytest.fixture
def received(issuer: Organization, people: dict[str, User]) -> Callable[..., IncomingDocument]:
    """A document registered on paper by the văn thư, optionally moved to a state."""

    def make(status: str = IncomingDocument.Status.REGISTERED, **fields: Any) -> IncomingDocument:
        document = service.register_received(
            issuer,
            service.Received(
                sender_name="Sở Tư pháp tỉnh Kiên Giang",
                subject="V/v góp ý dự thảo quy chế phối hợp",
                reference="512/STP-VP",
            ),
            channel=IncomingDocument.Channel.PAPER,
            pdf=scanned_pdf(1),
            filename="cv.pdf",
            actor=people["clerk"],
        )
        IncomingDocument.objects.filter(pk=document.pk).update(
            status=status,
            leader=people["leader"] if status != IncomingDocument.Status.REGISTERED else None,
            handler=people["handler"]
            if status in (IncomingDocument.Status.ASSIGNED, IncomingDocument.Status.IN_PROGRESS)
            else None,
            **fields,
        )
        document.refresh_from_db()
        return document

    return make
