"""Bad input gets a 4xx with a Vietnamese message and changes nothing: one regression test
per finding of the probe of issue #15, and the rules behind them (decisions.parsing,
decisions.refusals, forms.CleanTextMixin)."""

from io import BytesIO

import pytest
from django.db import connection
from openpyxl import load_workbook

from decisions import parsing, services
from decisions.content import RecipientEntry
from decisions.models import Decision, DecisionEvent
from decisions.text import spreadsheet_cell
from tests.conftest import PIN
from tests.decisions.test_editor import editor_post
from tests.factories import DocumentTypeFactory

pytestmark = pytest.mark.django_db

CONTROL_MESSAGE = "ký tự điều khiển"


def fingerprint(decision):
    decision.refresh_from_db()
    return (decision.status, decision.updated_at, decision.events.count())


class NoNulInQueries:
    """Fails the test if a query carries a NUL (PostgreSQL refuses it: a 500 there)."""

    def __init__(self):
        self.seen = []

    def __call__(self, execute, sql, params, many, context):
        rows = params if many else [params]
        for row in rows or []:
            values = row.values() if isinstance(row, dict) else row or ()
            self.seen += [v for v in values if isinstance(v, str) and "\x00" in v]
        return execute(sql, params, many, context)


def test_a_page_width_written_with_a_unicode_digit_is_refused_with_400(client, draft, specialist):
    client.force_login(specialist)
    for width in ("²", "①", "١٢٠٠", "-5", "9" * 40):
        response = client.get(f"/decisions/{draft.pk}/pages/1.png?w={width}")
        assert response.status_code == 400, width
        assert "Chiều rộng" in response.content.decode()


def test_the_preview_of_a_decision_id_written_with_a_unicode_digit_is_refused_with_400(
    client, draft, specialist, issuer
):
    client.force_login(specialist)
    data = editor_post(issuer, draft.document_type, decision="²")
    assert client.post("/decisions/preview/", data).status_code == 400


def test_an_editor_list_index_written_with_a_unicode_digit_is_ignored_not_a_500(
    client, draft, specialist, issuer
):
    client.force_login(specialist)
    data = editor_post(issuer, draft.document_type, **{"articles-0-clauses-²-text": "Khoản"})
    assert client.post(f"/decisions/{draft.pk}/edit/", data).status_code == 302


def test_an_unknown_id_in_the_editors_recipient_links_is_refused_naming_the_field(
    client, draft, specialist, issuer
):
    client.force_login(specialist)
    before = fingerprint(draft)
    for links in ("999999", "²", "1,x", "9" * 30):
        data = editor_post(issuer, draft.document_type, **{"recipients-0-organizations": links})
        response = client.post(f"/decisions/{draft.pk}/edit/", data)
        assert response.status_code == 400, links
        assert "Như Điều 3" in response.content.decode()  # the line whose links are wrong
    assert fingerprint(draft) == before


def test_a_nul_in_an_editor_list_field_is_refused_on_that_list_and_never_reaches_the_database(
    client, draft, specialist, issuer
):
    client.force_login(specialist)
    before = fingerprint(draft)
    watch = NoNulInQueries()
    with connection.execute_wrapper(watch):
        for field in ("legal_bases-0", "articles-1-text", "recipients-0-text", "subject"):
            data = editor_post(issuer, draft.document_type, **{field: "Căn cứ\x00 Luật"})
            response = client.post(f"/decisions/{draft.pk}/edit/", data)
            assert response.status_code == 400, field
            assert CONTROL_MESSAGE in response.content.decode(), field
    assert watch.seen == []
    assert fingerprint(draft) == before


def test_a_multi_line_field_keeps_its_line_breaks_and_tabs_but_not_other_control_characters(
    act, draft, specialist
):
    refused = act(specialist, draft, "submit", note="Ghi chú\x07")
    assert refused.status_code == 400
    assert CONTROL_MESSAGE in refused.content.decode()
    assert act(specialist, draft, "submit", note="Dòng một\r\n\tDòng hai").status_code == 302


def test_publishing_a_draft_is_refused_with_400_and_a_message(client, draft, records_clerk):
    client.force_login(records_clerk)
    before = fingerprint(draft)
    response = client.post(f"/decisions/{draft.pk}/publish/", {"public": "1"})
    assert response.status_code == 400
    assert 'class="messages"' in response.content.decode()
    assert fingerprint(draft) == before
    assert not Decision.objects.get(pk=draft.pk).is_public


def test_an_id_in_the_path_too_long_for_the_database_is_404(client, specialist):
    client.force_login(specialist)
    assert client.get(f"/decisions/{'9' * 30}/").status_code == 404
    assert client.get(f"/decisions/{'9' * 18}/").status_code == 404


def test_control_characters_in_the_address_are_refused_before_any_view(client, specialist):
    client.force_login(specialist)
    for address in ("/incoming/?q=a%00b", "/published/?q=%01", "/v/abc%00", "/?page=%0a"):
        response = client.get(address)
        assert response.status_code == 400, address
        assert "không được phép" in response.content.decode()


def test_a_page_number_that_is_not_one_is_refused_with_400(client, specialist):
    client.force_login(specialist)
    assert client.get("/?page=²").status_code == 400
    assert client.get("/?page=3").status_code == 200  # past the last page: the last one


def test_numbers_from_a_request_are_ascii_digits_within_bounds():
    assert parsing.number("0042", label="x") == 42
    for bad in ("²", "①", "١", " 1", "1 ", "+1", "-1", "1e3", "", None, "9" * 19):
        with pytest.raises(parsing.ValidationError):
            parsing.number(bad, label="x")
    assert parsing.ids(" 3, ,5", label="x") == [3, 5]


def test_spreadsheet_cells_beginning_with_a_tab_or_carriage_return_stay_text():
    assert spreadsheet_cell("\t=1+1") == "'\t=1+1"
    assert spreadsheet_cell("\r=1+1") == "'\r=1+1"
    assert spreadsheet_cell("Sở Nội vụ") == "Sở Nội vụ"


def test_a_recipient_line_beginning_with_equals_is_text_in_the_register_export(
    client, signed_decision, records_clerk
):
    recipients = [
        RecipientEntry('=HYPERLINK("http://x")'),
        RecipientEntry("Như Điều 3"),
        RecipientEntry("Lưu: VT"),
    ]
    decision = services.issue_decision(
        pin=PIN, decision=signed_decision(recipients=recipients), actor=records_clerk
    )
    client.force_login(records_clerk)
    xlsx = client.get(f"/registers/{decision.register.pk}/?format=xlsx")
    cell = load_workbook(BytesIO(xlsx.content)).active["E2"]
    assert cell.value.startswith('\'=HYPERLINK("http://x")')
    assert cell.data_type == "s"


def test_a_service_refusal_after_a_post_is_shown_on_the_decision_page(
    client, draft, recipient_user
):
    """Acknowledging a decision one did not receive: a 4xx, never a 500, nothing recorded."""
    client.force_login(recipient_user)
    before = DecisionEvent.objects.count()
    response = client.post(f"/decisions/{draft.pk}/acknowledge/")
    assert response.status_code in (400, 403, 404)
    assert DecisionEvent.objects.count() == before


def test_a_posted_issuer_the_drafter_does_not_draft_for_is_refused_naming_the_field(
    client, specialist, issuer, other_issuer
):
    client.force_login(specialist)
    data = {**editor_post(issuer, DocumentTypeFactory.create()), "issuer": str(other_issuer.pk)}
    response = client.post("/decisions/new/", data)
    assert response.status_code == 400
    assert "Cơ quan ban hành" in response.content.decode()
    assert not Decision.objects.exists()


def test_every_form_of_ours_refuses_control_characters():
    import inspect

    from django import forms as django_forms

    from decisions import admin, editor, forms, public

    ours = [
        cls
        for module in (admin, editor, forms, public)
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == module.__name__
    ]
    assert len(ours) >= 10
    assert [cls for cls in ours if not issubclass(cls, forms.CleanTextMixin)] == []


def test_a_very_long_name_typed_for_a_recipient_link_is_refused_with_400(client, draft, specialist):
    client.force_login(specialist)
    recipient = draft.recipients.first()
    before = fingerprint(draft)
    response = client.post(
        f"/decisions/{draft.pk}/recipients/", {f"add-{recipient.pk}": "ư" * 60_000}
    )
    assert response.status_code == 400
    assert fingerprint(draft) == before


def test_a_username_longer_than_any_account_is_a_field_error_not_a_failed_login_record(client):
    """Django's login form only sets the widget's maxlength: 300 letters reached the failed-login
    record (a 255-character column) and gave a 500 on PostgreSQL."""
    from axes.models import AccessAttempt

    response = client.post("/accounts/login/", {"username": "ư" * 300, "password": "x"})
    assert response.status_code == 200
    assert not AccessAttempt.objects.exists()
