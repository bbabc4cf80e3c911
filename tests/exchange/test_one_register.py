"""Issue #17's closing case: a document received through the exchange and a paper document land
in the same incoming register, numbered without a gap, and both are assigned with due dates."""

import datetime

from django.utils import timezone

from decisions import calendar, permissions
from decisions.exchange.receive import receive
from decisions.models import Holiday, IncomingDocument, ReceivedPackage
from decisions.services import incoming
from tests.decisions.incoming_fixtures import scanned_pdf
from tests.exchange.conftest import CODES, body
from tests.factories import UserFactory


def test_an_edxml_and_a_paper_document_share_one_register_and_are_assigned_with_due_dates(
    signed_package,
):
    receiver = body("phong-noi-vu-gr")
    assert receiver.identifier == CODES["phong-noi-vu-gr"]
    clerk, handler = UserFactory.create(), UserFactory.create()
    permissions.grant_role(user=clerk, organization=receiver, role=permissions.Role.INCOMING_CLERK)
    permissions.grant_role(
        user=handler, organization=receiver, role=permissions.Role.INCOMING_HANDLER
    )

    row = receive(signed_package, via=ReceivedPackage.Via.UPLOAD)
    assert row.accepted, row.reason
    by_exchange = row.documents.get(register__organization=receiver)
    on_paper = incoming.register_received(
        receiver,
        incoming.Received(
            sender_name="Sở Tư pháp tỉnh Kiên Giang",
            subject="V/v góp ý dự thảo Quy chế phối hợp",
            reference="512/STP-VP",
            document_type="Công văn",
        ),
        channel=IncomingDocument.Channel.PAPER,
        pdf=scanned_pdf(),
        filename="512-STP-VP.pdf",
        actor=clerk,
    )

    assert by_exchange.register == on_paper.register
    assert (by_exchange.arrival_number, on_paper.arrival_number) == (1, 2)
    assert (by_exchange.channel, on_paper.channel) == ("exchange", "paper")

    next_working_day = timezone.localdate() + datetime.timedelta(days=1)
    while next_working_day.weekday() >= 5:
        next_working_day += datetime.timedelta(days=1)
    Holiday.objects.create(date=next_working_day, name="Nghỉ bù")  # inside every due period
    # Received on a day off, a document's period counts from the next working day.
    first_day = timezone.localdate()
    while first_day.weekday() >= 5 or first_day == next_working_day:
        first_day += datetime.timedelta(days=1)
    for document, days in ((by_exchange, 5), (on_paper, 10)):
        assigned = incoming.assign(document, actor=clerk, handler=handler, working_days=days)
        assert assigned.status == IncomingDocument.Status.ASSIGNED
        assert assigned.handler == handler
        assert assigned.due_date is not None
        assert calendar.working_days_between(first_day, assigned.due_date) == days
        assert next_working_day < assigned.due_date
