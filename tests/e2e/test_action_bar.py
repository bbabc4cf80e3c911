"""A decision's page in a real Chromium: a leader on a phone sees the text first and signs from
the bar at the bottom of the screen; a double click on a confirmed action asks once and posts
once."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from playwright.sync_api import expect

from decisions.demo import SEEDS_DIR
from decisions.importer import decode, parse_decision_text
from decisions.models import Decision, DecisionEvent, Organization, User
from tests.conftest import PIN
from tests.e2e.test_journeys import journey  # noqa: F401 (the fixture)
from workflow.demo import USERNAMES, walk

pytestmark = pytest.mark.django_db(transaction=True)

FIELDS = "input:not([type=hidden]):visible, textarea:visible, select:visible"


def _to_the_vice_chairs_signature() -> int:
    """Seed 000, imported by the demo, submitted, proposed to the vice chair and approved:
    it waits for his signature. Run in another thread (the flow and Playwright each want the
    main thread's event loop)."""
    try:
        issuer = Organization.objects.get(code="giong-rieng")
        subject = parse_decision_text(
            decode((SEEDS_DIR / "seed_000_giong_rieng_93.txt").read_bytes())
        ).subject
        decision = Decision.objects.get(issuer=issuer, subject=subject)
        people = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
        walk(decision, ("submit", "propose", "approve"), people, signer="pct.votung")
        return decision.pk
    finally:
        connection.close()


@pytest.fixture
def awaiting_signature(journey):  # noqa: F811
    with ThreadPoolExecutor(1) as pool:
        pk = pool.submit(_to_the_vice_chairs_signature).result()
    decision = Decision.objects.get(pk=pk)
    assert decision.status == Decision.Status.SIGNATURE
    return decision


def test_a_leader_on_a_phone_reads_the_text_first_and_signs_from_the_bottom_bar(
    journey,  # noqa: F811
    awaiting_signature,
):
    j, decision = journey, awaiting_signature
    j.login("pct.votung", phone=True)
    j.open_decision(decision)
    page = j.page
    height = page.viewport_size["height"]

    # The first screen shows the document's text; the actions wait in the bar at the bottom,
    # with no form field shown before he chooses one.
    page.screenshot(path=j.folder / "00-leader-phone-first-screen.png")
    document = page.locator("article.document")
    expect(document.locator("p").first).to_be_in_viewport()
    assert document.bounding_box()["y"] < height / 2  # under the title, above the bar
    bar = page.locator("aside.action-bar")
    box = bar.bounding_box()
    assert abs(box["y"] + box["height"] - height) <= 1
    expect(bar.locator(FIELDS)).to_have_count(0)
    j.shot("leader-phone-text-first")

    # The first page image comes at once (the others lazily, once it has loaded).
    page.locator("section.printed").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const img = document.querySelector('.phone-pages img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    page.evaluate("window.scrollTo(0, 0)")

    # He chooses "Ký": only its form opens, asking for the PIN.
    bar.locator("details[data-action='sign'] > summary").click()
    pin = bar.locator("form[action$='/sign/'] [name$='-pin']")
    expect(pin).to_be_visible()
    expect(bar.locator(FIELDS)).to_have_count(1)
    box = bar.bounding_box()
    assert box["y"] + box["height"] <= height + 1  # still in reach, above the bottom edge
    pin.fill(PIN)
    j.shot("leader-phone-sign-form")
    bar.locator("form[action$='/sign/'] button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã ký")
    j.scan()
    j.shot("leader-phone-signed")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SIGNED
    assert j.untranslated == []


def test_a_double_click_on_a_confirmed_action_asks_once_and_signs_once(
    journey,  # noqa: F811
    awaiting_signature,
):
    j, decision = journey, awaiting_signature
    j.login("pct.votung")
    j.open_decision(decision)
    page = j.page
    asked: list[str] = []
    page.on("dialog", lambda dialog: asked.append(dialog.message))  # the journey accepts it
    page.locator("details[data-action='sign'] > summary").click()
    page.locator("form[action$='/sign/'] [name$='-pin']").fill(PIN)
    with page.expect_navigation():
        page.locator("form[action$='/sign/'] button[type=submit]").dblclick()
    expect(page.locator(".messages")).to_contain_text("Đã ký")
    expect(page.locator("main")).not_to_contain_text("Không thể thực hiện nữa")
    assert len(asked) == 1
    assert decision.events.filter(kind=DecisionEvent.Kind.SIGNED).count() == 1
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SIGNED
