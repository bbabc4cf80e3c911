"""Issuing to a body outside this installation: an edXML package queued for its partner instead
of an e-mail, retried while the partner is down, and the failure on the decision's history."""

import pytest

from decisions import jobs, notifications
from decisions.exchange import transport
from decisions.models import DecisionEvent, ExchangePartner, SentPackage
from tests.exchange.conftest import body
from tests.live.servers import free_port

pytestmark = pytest.mark.django_db


def reached_by(partner: ExchangePartner, code: str) -> None:
    organization = body(code)
    organization.exchange_partner = partner
    organization.save()


def test_a_body_reached_by_exchange_gets_a_package_instead_of_an_email(issued, partner, bodies):
    transport.set_secret(partner)
    partner.save()
    reached_by(partner, "so-khcn")
    packages = transport.queue_packages(list(issued.deliveries.all()))
    assert [p.delivery.organization.code for p in packages] == ["so-khcn"]
    assert packages[0].status == SentPackage.Status.QUEUED
    assert packages[0].document_id.startswith("000.00.15.H33,")
    assert transport.queue_packages(list(issued.deliveries.all())) == packages  # once
    addressed = {mail.address for mail in notifications.notify_delivered(decision_id=issued.pk)}
    assert bodies["so-khcn"][1].email not in addressed
    assert bodies["xa-thanh-hung"][1].email in addressed


def test_a_files_partner_is_not_posted(issued, partner):
    ExchangePartner.objects.filter(pk=partner.pk).update(transport="files", url="")
    partner.refresh_from_db()
    reached_by(partner, "xa-thanh-hung")
    (package,) = transport.queue_packages(list(issued.deliveries.all()))
    assert package.status == SentPackage.Status.BY_FILE
    assert jobs.run_ready() == 0


def test_a_partner_that_stays_down_is_tried_again_then_the_failure_is_on_the_history(
    issued, partner, settings, client, chief_of_office
):
    settings.DECISIONS_EXCHANGE_RETRY_SECONDS = 0
    settings.DECISIONS_EXCHANGE_ATTEMPTS = 3
    partner.url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    transport.set_secret(partner)
    partner.save()
    reached_by(partner, "so-khcn")
    (package,) = transport.queue_packages(list(issued.deliveries.all()))
    assert jobs.run_ready() == 3
    package.refresh_from_db()
    assert package.status == SentPackage.Status.FAILED
    assert package.attempts == 3
    assert "Connection" in package.last_error or "refused" in package.last_error
    failed = issued.events.get(kind=DecisionEvent.Kind.EXCHANGE_FAILED)
    assert failed.data["attempts"] == 3
    client.force_login(chief_of_office)
    page = client.get(f"/decisions/{issued.pk}/").content.decode()
    assert "Không gửi được" in page


def test_a_package_that_cannot_be_built_fails_at_once_with_its_reason(issued, partner):
    transport.set_secret(partner)
    partner.save()
    reached_by(partner, "so-khcn")
    (package,) = transport.queue_packages(list(issued.deliveries.all()))
    issuer = issued.issuer
    issuer.identifier = None
    issuer.save()
    assert jobs.run_ready() == 1
    package.refresh_from_db()
    assert package.status == SentPackage.Status.FAILED
    assert package.attempts == 1
    assert "định danh" in package.last_error
