"""A decision's page: the document first, then one action bar whose forms stay closed until an
action is chosen, with the destructive actions apart and their consequence spelled out."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from decisions import services
from decisions.models import Decision
from tests.conftest import PIN

pytestmark = pytest.mark.django_db

VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
}
FIELDS = {"input", "select", "textarea"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    ancestors: list[Element] = field(default_factory=list)
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def inside(self, tag: str, css_class: str = "") -> Element | None:
        return next(
            (
                a
                for a in reversed(self.ancestors)
                if a.tag == tag and (not css_class or css_class in a.classes)
            ),
            None,
        )

    @property
    def hidden_until_chosen(self) -> bool:
        """Inside a <details> that is closed: not shown until its summary is chosen."""
        return any(a.tag == "details" and "open" not in a.attrs for a in self.ancestors)


class Page(HTMLParser):
    """The elements of a page in document order, each with its ancestors."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[Element] = []
        self.elements: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, list(self.stack))
        self.elements.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data

    def first(self, tag: str, css_class: str = "") -> Element:
        return self.all(tag, css_class)[0]

    def all(self, tag: str, css_class: str = "") -> list[Element]:
        return [
            e for e in self.elements if e.tag == tag and (not css_class or css_class in e.classes)
        ]

    def position(self, element: Element) -> int:
        return self.elements.index(element)

    def visible_fields(self) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag in FIELDS
            and e.attrs.get("type") != "hidden"
            and e.inside("aside", "action-bar")
            and not e.hidden_until_chosen
        ]


def page_of(client, user, decision: Decision) -> Page:
    client.force_login(user)
    response = client.get(decision.get_absolute_url())
    assert response.status_code == 200
    return Page(response.content.decode())


@pytest.fixture
def awaiting_review(draft, chair) -> Decision:
    Decision.objects.filter(pk=draft.pk).update(status=Decision.Status.REVIEW, signer=chair)
    return Decision.objects.get(pk=draft.pk)


@pytest.fixture
def awaiting_signature(draft, chair) -> Decision:
    Decision.objects.filter(pk=draft.pk).update(status=Decision.Status.SIGNATURE, signer=chair)
    return Decision.objects.get(pk=draft.pk)


def test_the_leader_sees_the_document_before_the_action_bar(client, chair, awaiting_review):
    page = page_of(client, chair, awaiting_review)
    document = page.first("article", "document")
    bar = page.first("aside", "action-bar")
    assert page.position(document) < page.position(bar)
    assert "Điều 1." in document.text
    # in the page's main part, only the way back, the title and banners come before it
    before = [e for e in page.elements[: page.position(document)] if e.inside("main")]
    assert not [e for e in before if e.tag in FIELDS | {"form", "iframe", "details", "dl"}]


def test_no_form_field_is_shown_before_the_leader_chooses_an_action(client, chair, awaiting_review):
    page = page_of(client, chair, awaiting_review)
    assert page.visible_fields() == []
    pins = [e for e in page.all("input") if e.attrs.get("name", "").endswith("-pin")]
    assert pins
    assert all(pin.hidden_until_chosen for pin in pins)


def test_each_action_is_a_button_that_opens_only_its_own_form(client, chair, awaiting_review):
    page = page_of(client, chair, awaiting_review)
    actions = [d for d in page.all("details") if d.attrs.get("data-action")]
    assert {d.attrs["data-action"] for d in actions} >= {"review", "hand-over", "return"}
    for details in actions:
        forms = [f for f in page.all("form") if details in f.ancestors]
        assert len(forms) == 1
        assert forms[0].attrs["action"].endswith(f"/{details.attrs['data-action']}/")
        summary = next(e for e in page.all("summary") if details in e.ancestors)
        assert summary.text.strip()


def test_approving_is_the_primary_action_and_returning_sits_apart(client, chair, awaiting_review):
    page = page_of(client, chair, awaiting_review)
    review = next(d for d in page.all("details") if d.attrs.get("data-action") == "review")
    assert "action-primary" in review.classes
    assert review.inside("details", "bar-more") is None
    returning = next(d for d in page.all("details") if d.attrs.get("data-action") == "return")
    assert returning.inside("details", "bar-more") is not None
    assert "Bản dự thảo được trả lại cho người soạn thảo" in returning.text


def test_the_leader_signs_from_the_bar_with_his_key_shown_in_the_sign_form(
    client, chair, awaiting_signature
):
    page = page_of(client, chair, awaiting_signature)
    sign = next(d for d in page.all("details") if d.attrs.get("data-action") == "sign")
    assert "action-primary" in sign.classes
    form = next(f for f in page.all("form") if sign in f.ancestors)
    assert form.attrs["data-confirm"].startswith("Ký quyết định này?")
    assert page.visible_fields() == []


def test_a_wrong_pin_opens_the_sign_form_again_with_the_error_next_to_its_field(
    client, chair, awaiting_signature, act
):
    response = act(chair, awaiting_signature, "sign", pin="000000")
    assert response.status_code == 400
    page = Page(response.content.decode())
    sign = next(d for d in page.all("details") if d.attrs.get("data-action") == "sign")
    assert "open" in sign.attrs
    assert [e for e in page.all("div", "errors") if sign in e.ancestors]
    awaiting_signature.refresh_from_db()
    assert awaiting_signature.status == Decision.Status.SIGNATURE


def test_after_issuing_the_clerk_finds_recall_and_void_apart_each_with_its_consequence(
    client, records_clerk, signed_decision
):
    issued = services.issue_decision(actor=records_clerk, decision=signed_decision(), pin=PIN)
    page = page_of(client, records_clerk, issued)
    more = page.first("details", "bar-more")
    assert "open" not in more.attrs
    danger = {
        d.attrs["data-action"]: d for d in page.all("details") if d.inside("details", "bar-more")
    }
    assert set(danger) == {"recall", "void"}
    assert "Nơi nhận được báo ngay" in danger["recall"].text
    assert "Chỉ khi chưa gửi cho ai" in danger["void"].text
    assert "số của quyết định bị hủy trong sổ" in danger["void"].text
    # the everyday row of the bar holds no destructive action
    main = page.first("div", "bar-main")
    assert "Thu hồi" not in main.text
    assert "Hủy số" not in main.text
    assert page.visible_fields() == []


def test_once_delivered_the_clerk_no_longer_sees_void(client, records_clerk, seed_000_issued):
    assert seed_000_issued.deliveries.exists()
    page = page_of(client, records_clerk, seed_000_issued)
    danger = [
        d.attrs["data-action"] for d in page.all("details") if d.inside("details", "bar-more")
    ]
    assert danger == ["recall"]


def test_a_receiver_acknowledges_with_one_button_and_no_form(client, seed_000_issued, bodies):
    _body, receiver = bodies["so-khcn"]
    page = page_of(client, receiver, seed_000_issued)
    form = next(f for f in page.all("form") if f.attrs.get("data-action") == "acknowledge")
    assert form.inside("aside", "action-bar") is not None
    assert form.inside("div", "bar-main") is not None
    assert page.visible_fields() == []


def test_a_person_with_nothing_to_do_gets_no_action_bar(client, chief_of_office, draft):
    page = page_of(client, chief_of_office, draft)
    assert page.all("aside", "action-bar") == []
    assert page.all("article", "document")


def test_the_page_images_are_not_rendered_before_the_reading_page_is_sent(
    client, specialist, draft
):
    client.force_login(specialist)
    response = client.get(f"/decisions/{draft.pk}/read/")
    page = Page(response.content.decode())
    images = page.all("img")
    assert len(images) == 1
    assert images[0].attrs["loading"] == "eager"
    container = page.first("div", "read-pages")
    assert container.attrs["data-next-page"] == "2"


def test_an_issued_decisions_reading_page_lists_every_page_the_first_at_once(
    client, records_clerk, signed_decision
):
    issued = services.issue_decision(actor=records_clerk, decision=signed_decision(), pin=PIN)
    client.force_login(records_clerk)
    page = Page(client.get(f"/decisions/{issued.pk}/read/").content.decode())
    loading = [img.attrs["loading"] for img in page.all("img")]
    assert loading[0] == "eager"
    assert all(value == "lazy" for value in loading[1:])
    assert "data-next-page" not in page.first("div", "read-pages").attrs
