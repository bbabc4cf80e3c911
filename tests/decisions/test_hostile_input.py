"""Property: whatever is sent to whichever view by whoever, the answer is never a 500, and a
refusal (4xx) changes nothing.

The views are enumerated from the URL resolver, so a new view is covered without editing this
file (or is listed in EXCLUDED with its reason). Hypothesis draws the view, the method, the
persona, the decision (in several states, of this body and of another), the path's ids and
the posted fields and query parameters, from valid values and hostile ones: Unicode digits,
NUL and other control characters, huge and negative numbers, very long strings, unknown ids,
ids of other bodies' objects, SQL- and HTML-ish strings, empty values.

Each example runs in a transaction rolled back at its end, so examples do not see each other;
before that, the constraints the commit would check (foreign keys are deferred) are checked.
NUL must never reach the database (PostgreSQL refuses it: a 500 there), which is checked on
every query here, on SQLite as on PostgreSQL.

Profiles (tests/conftest.py): "ci" (the default) is derandomized with a fixed number of
examples and no example database; HYPOTHESIS_PROFILE=explore draws more, at random.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Count, Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from decisions import services
from decisions.models import (
    Decision,
    DecisionEvent,
    Delivery,
    OutgoingMail,
    Recipient,
    Register,
    User,
)
from tests.decisions.test_bad_input import NoNulInQueries
from tests.decisions.test_editor import editor_post
from tests.factories import UserFactory
from tests.responses import release

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


# Routes not probed here, each with its reason.
EXCLUDED = {
    "admin/": "Django's admin: its own forms and tests, for staff only (its addresses are "
    "still guarded by RefusalMiddleware against control characters)",
}

# Routes whose 5xx is an answer, not a crash.
MAY_ANSWER_503 = {
    "healthz": "the health check says 503 when a worker or the database is down",
    "healthz/web": "the same, for the web process alone",
}

HOSTILE_TEXT = [
    "",
    " ",
    "²",
    "①",
    "١٢",
    "-1",
    "0",
    "1.5",
    "1e3",
    " 7 ",
    "9" * 30,
    str(2**63),
    str(-(2**63) - 1),
    "\x00",
    "a\x00b",
    "\x01\x02",
    "\x1b[31m",
    "\t",
    "\r\n",
    "\u202e",
    "'; DROP TABLE decisions_decision; --",
    "1 OR 1=1",
    '<script>alert("x")</script>',
    "{{ 7|add:7 }}",
    "%(text)s %s",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
    "o:1",
    "u:²",
    "g:999999",
    "o:" + "9" * 30,
    "on",
    "1",
    "true",
    "Lưu: VT",
    "Như Điều 3",
]

# Query parameters the views read, and the fields of their forms (with the action prefixes);
# the names found on the pages themselves are added at set-up.
QUERY_NAMES = [
    "page",
    "w",
    "q",
    "format",
    "download",
    "from",
    "to",
    "body",
    "unread",
    "affects",
    "effect",
    "issuer",
]
STEP_PREFIXES = ["submit", "check", "propose", "return_", "review", "hand_over", "sign", "issue"]
STEP_PREFIXES += ["withdraw", "void", "recall"]
STEP_FIELDS = ["note", "reason", "signer", "to", "pin", "sign_now"]
FORM_NAMES = [f"{prefix}-{name}" for prefix in STEP_PREFIXES for name in STEP_FIELDS] + [
    "public",
    "decision",
    "text",
    "imported",
    "username",
    "password",
    "email",
    "new_password1",
    "new_password2",
    "old_password",
    "recipients-0-organizations",
    "recipients-0-users",
    "recipients-1-text",
    "articles-0-clauses-0-points-0",
    "articles-²-text",
    "legal_bases-499",
    "annexes-0-title",
]
NAME_ATTRIBUTE = re.compile(r'name="([^"]+)"')
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL)
ACTION = re.compile(r'action="([^"]*)"')
PAGES = ["/", "/incoming/", "/registers/", "/performance/", "/decisions/new/", "/decisions/import/"]
PAGES += ["/published/", "/verify/", "/accounts/login/", "/accounts/password_reset/"]
PERSONAS = [
    "specialist",
    "chief_of_office",
    "vice_chair",
    "chair",
    "records_clerk",
    "recipient",
    "other_specialist",
    "other_clerk",
    "staff",
    "anonymous",
]


@dataclass(frozen=True)
class Route:
    route: str  # "decisions/<id:pk>/edit/"
    name: str

    def placeholders(self) -> list[tuple[str, str]]:
        return re.findall(r"<(?:(\w+):)?(\w+)>", self.route)


def routes() -> list[Route]:
    """Every route of the project but the excluded ones."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[Route]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if any(route.startswith(excluded) for excluded in EXCLUDED):
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield Route(route, pattern.name or route)

    return sorted(set(walk(get_resolver().url_patterns, "")), key=lambda r: r.route)


def fingerprint() -> tuple[Any, ...]:
    """Cheap, and changed by any write a refusal must not make."""
    decisions = Decision.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return (
        decisions["n"],
        decisions["last"],
        list(Decision.objects.order_by("pk").values_list("status", "is_public")),
        DecisionEvent.objects.count(),
        Recipient.objects.count(),
        list(Delivery.objects.order_by("pk").values_list("status")),
        OutgoingMail.objects.count(),
        list(Register.objects.order_by("pk").values_list("last_number")),
    )


@dataclass(frozen=True, order=True)
class PageForm:
    """A form as a page shows it to `persona`: where it posts, and its fields as filled in."""

    persona: str
    method: str
    url: str
    filled: tuple[tuple[str, str], ...]


INPUT = re.compile(r"<input\b([^>]*)>")
TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.DOTALL)
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.DOTALL)
OPTION = re.compile(r'<option\b[^>]*value="([^"]*)"([^>]*)>')
VALUE = re.compile(r'value="([^"]*)"')


def filled_in(body: str) -> dict[str, str]:
    """The values a browser would send for a form's inputs, text areas and selects."""
    filled: dict[str, str] = {}
    for attributes in INPUT.findall(body):
        name, value = NAME_ATTRIBUTE.search(attributes), VALUE.search(attributes)
        if name is None or ("checkbox" in attributes and "checked" not in attributes):
            continue
        filled[unescape(name[1])] = unescape(value[1]) if value else ""
    for attributes, text in TEXTAREA.findall(body):
        if name := NAME_ATTRIBUTE.search(attributes):
            filled[unescape(name[1])] = unescape(text)
    for attributes, options in SELECT.findall(body):
        name, choices = NAME_ATTRIBUTE.search(attributes), OPTION.findall(options)
        if name and choices:
            chosen = [value for value, rest in choices if "selected" in rest] or [choices[0][0]]
            filled[unescape(name[1])] = unescape(chosen[0])
    return filled


@pytest.fixture
def world(
    personas,
    seed_000_issued,
    signed_decision,
    draft,
    act,
    make_content,
    chief_of_office,
    specialist,
):
    """Decisions in several states, of this body and of another, and the people."""
    people = dict(personas)
    people["staff"] = UserFactory.create(username="staff", is_staff=True, is_superuser=True)
    submitted = services.create_draft(
        actor=specialist, issuer=draft.issuer, content=make_content(subject="Về việc thứ hai")
    )
    act(specialist, submitted, "submit")
    signed = signed_decision(subject="Về việc thứ ba")
    foreign = services.create_draft(
        actor=people["other_specialist"],
        issuer=people["other_specialist"].organization,
        content=make_content(authority_line="CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ KHÁC"),
    )
    decisions = [draft, submitted, signed, seed_000_issued, foreign]
    ids = {
        "pk": [d.pk for d in decisions] + [r.pk for r in Register.objects.all()],
        "delivery_pk": list(Delivery.objects.values_list("pk", flat=True)),
        "number": [1, 2],
    }
    ids["other"] = [
        *Recipient.objects.values_list("pk", flat=True),
        *User.objects.values_list("pk", flat=True),
        *people["other_specialist"].organization.__class__.objects.values_list("pk", flat=True),
    ]
    # The fields of the forms on the pages the people see, by the route they are sent to.
    # And each form as its persona sees it, filled in as the page fills it.
    fields: dict[str, set[str]] = {}
    forms: list[PageForm] = []
    client = Client()
    for who in [persona for persona in PERSONAS if persona != "anonymous"]:
        client.force_login(people[who])
        for page in PAGES + [
            f"/decisions/{d.pk}/{rest}" for d in decisions for rest in ("", "edit/")
        ]:
            html = client.get(page).content.decode()
            for attributes, body in FORM.findall(html):
                action = ACTION.search(attributes)
                url = urlsplit(unescape(action[1]) if action else page).path
                target = resolve(url).route
                method = "POST" if 'method="post"' in attributes.lower() else "GET"
                filled = filled_in(body)
                filled.pop("csrfmiddlewaretoken", None)
                fields.setdefault(f"{method} {target}", set()).update(NAME_ATTRIBUTE.findall(body))
                forms.append(PageForm(who, method, url, tuple(sorted(filled.items()))))
    for names in fields.values():
        names.discard("csrfmiddlewaretoken")
    assert {"POST decisions/<id:pk>/edit/", "POST decisions/<id:pk>/<slug:slug>/"} <= set(fields)
    return {
        "people": people,
        "ids": ids,
        "fields": {route: sorted(names) for route, names in fields.items() if names},
        "forms": sorted(set(forms)),
        "tokens": [seed_000_issued.verification_token],
        "editor": editor_post(draft.issuer, draft.document_type),
    }


def values(world: dict[str, Any]) -> st.SearchStrategy[str]:
    known = [str(pk) for group in world["ids"].values() for pk in group]
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.sampled_from(known),
        st.integers(min_value=1, max_value=10**6).map(str),  # ids that may not exist
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(max_size=40),
        st.just("ư" * 100_000),
    )


def path_value(world: dict[str, Any], kind: str, name: str) -> st.SearchStrategy[str]:
    known: list[str] = []
    if name in world["ids"]:
        known = [str(pk) for pk in world["ids"][name]]
    if name == "slug":
        known = ["submit", "check", "propose", "return", "review", "hand-over", "sign", "issue"]
        known += ["withdraw", "void", "recall", "nope"]
    if name == "token":
        known = world["tokens"]
    hostile = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(min_size=1, max_size=30))
    return st.one_of(st.sampled_from(known), hostile) if known else hostile


@given(data=st.data())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_input_from_anybody_to_any_view_gives_a_500_and_a_refusal_changes_nothing(world, data):
    route = data.draw(st.sampled_from(routes()), label="route")
    url = "/" + route.route
    for kind, name in route.placeholders():
        value = data.draw(path_value(world, kind, name), label=name)
        url = url.replace(f"<{kind}:{name}>" if kind else f"<{name}>", quote(value, safe=""))
    method = data.draw(st.sampled_from(["GET", "POST"]), label="method")
    persona = data.draw(st.sampled_from(PERSONAS), label="persona")
    generic = st.sampled_from(QUERY_NAMES if method == "GET" else FORM_NAMES)
    on_its_forms = world["fields"].get(f"{method} {route.route}")
    names = st.one_of(st.sampled_from(on_its_forms), generic) if on_its_forms else generic
    fields = data.draw(st.dictionaries(names, values(world), max_size=5), label="fields")
    base: dict[str, Any] = {}
    if method == "POST" and data.draw(st.booleans(), label="start from the editor's fields"):
        base = dict(world["editor"])
    payload: dict[str, Any] = {**base, **fields}
    if method == "POST" and data.draw(st.booleans(), label="a file"):
        content = data.draw(st.sampled_from([b"%PDF-1.7\n%%EOF", b"\x00\x01", b"x" * 10]))
        payload["file"] = SimpleUploadedFile("x.pdf", content, "application/pdf")

    client = Client()
    watch = NoNulInQueries()
    with transaction.atomic(), connection.execute_wrapper(watch):
        if persona != "anonymous":
            client.force_login(world["people"][persona])
        before = fingerprint()
        response = client.get(url, payload) if method == "GET" else client.post(url, payload)
        release(response)  # a FileResponse (a stored PDF) holds its file open
        status = response.status_code
        event(f"{method} {status}")
        if not (status == 503 and route.route in MAY_ANSWER_503):
            assert status < 500, (url, method, persona, payload)
        if 400 <= status < 500:
            assert fingerprint() == before, (url, method, persona, payload)
        connection.check_constraints()  # what the commit would check (foreign keys, deferred)
        transaction.set_rollback(True)
    assert watch.seen == [], (url, method, persona, payload)


@given(data=st.data())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_no_form_on_any_page_sent_back_with_hostile_fields_gives_a_500_or_changes_on_refusal(
    world, data
):
    """Every form the pages show each persona, sent back as filled in but for a few fields
    (or with an extra one) given hostile values: deeper than random fields, since the rest
    of the form is valid."""
    # Each target (method and route) as likely as any other, whatever the number of its forms.
    targets = sorted({(f.method, resolve(f.url).route) for f in world["forms"]})
    method, route = data.draw(st.sampled_from(targets), label="target")
    its_forms = [f for f in world["forms"] if (f.method, resolve(f.url).route) == (method, route)]
    form = data.draw(st.sampled_from(its_forms), label="form")
    payload = dict(form.filled)
    names = sorted({*payload, *world["fields"].get(f"{form.method} {resolve(form.url).route}", [])})
    changed = data.draw(
        st.dictionaries(st.sampled_from(names or ["x"]), values(world), min_size=1, max_size=3),
        label="hostile fields",
    )
    payload.update(changed)
    client = Client()
    watch = NoNulInQueries()
    with transaction.atomic(), connection.execute_wrapper(watch):
        client.force_login(world["people"][form.persona])
        before = fingerprint()
        send = client.get if form.method == "GET" else client.post
        response = send(form.url, payload)
        release(response)
        status = response.status_code
        event(f"{form.method} {status}")
        assert status < 500, (form, changed)
        if 400 <= status < 500:
            assert fingerprint() == before, (form, changed)
        connection.check_constraints()  # what the commit would check (foreign keys, deferred)
        transaction.set_rollback(True)
    assert watch.seen == [], (form, changed)


def test_every_view_is_probed_or_excluded_with_a_reason():
    probed = {route.route for route in routes()}
    assert "decisions/<id:pk>/recipients/" in probed
    assert "decisions/<id:pk>/<slug:slug>/" in probed
    assert "v/<str:token>" in probed
    assert all(reason for reason in EXCLUDED.values())
