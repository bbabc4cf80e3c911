"""Arrival numbers under real concurrency (PostgreSQL row locks; SQLite cannot show this)."""

import pytest

from decisions.models import IncomingDocument, IncomingRegister
from decisions.services import incoming as service
from tests.decisions.incoming_fixtures import scanned_pdf
from tests.decisions.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twelve_documents_arriving_at_once_on_every_channel_get_the_numbers_1_to_12(issuer, people):
    scan = scanned_pdf(1)
    channels = [IncomingDocument.Channel.PAPER, IncomingDocument.Channel.EMAIL] * 4 + [
        IncomingDocument.Channel.EXCHANGE
    ] * 4

    def arrive(index: int, channel: IncomingDocument.Channel):
        received = service.Received(sender_name=f"Nơi gửi {index}", subject=f"Văn bản {index}")
        if channel == IncomingDocument.Channel.EXCHANGE:  # as the edXML receiver enters it
            return service.register_incoming(
                issuer, received, channel=channel, pdf=scan, filename="edxml.pdf"
            )
        return service.register_received(
            issuer, received, channel=channel, pdf=scan, filename="den.pdf", actor=people["clerk"]
        )

    results = run_at_once([(lambda i=i, c=c: arrive(i, c)) for i, c in enumerate(channels)])
    assert all(isinstance(result, IncomingDocument) for result in results), results
    numbers = sorted(IncomingDocument.objects.values_list("arrival_number", flat=True))
    assert numbers == list(range(1, 13))
    assert IncomingRegister.objects.get().last_number == 12
