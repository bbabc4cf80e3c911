"""Incoming documents: the văn thư registers paper and e-mail documents in one register, the
leader directs, the handler handles, each step by whom the table allows, with its history."""

import datetime
import hashlib
import io
import subprocess
import tempfile

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from decisions import files, incoming_book, incoming_lifecycle, permissions
from decisions.models import Holiday, IncomingDocument, IncomingEvent
from decisions.services import incoming as service
from tests.decisions.incoming_fixtures import eml, scanned_pdf
from tests.responses import streamed

Role = permissions.Role

pytestmark = pytest.mark.django_db
Status = IncomingDocument.Status
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


def pdf_text(data: bytes, *, first_page_only: bool = True) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        pages = ["-f", "1", "-l", "1"] if first_page_only else []
        return subprocess.run(
            ["pdftotext", *pages, handle.name, "-"], capture_output=True, check=True, text=True
        ).stdout


def pdf_fonts(data: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        output = subprocess.run(
            ["pdffonts", handle.name], capture_output=True, check=True, text=True
        ).stdout
    return output.splitlines()[2:]


def stored(fieldfile) -> bytes:
    with fieldfile.open("rb") as handle:
        return handle.read()


def paper_fields(issuer, **extra):
    return {
        "organization": issuer.pk,
        "sender_name": "Sở Tư pháp tỉnh Kiên Giang",
        "reference": "512/STP-VP",
        "document_date": "2026-11-25",
        "document_type": "Công văn",
        "subject": "V/v góp ý dự thảo quy chế phối hợp",
        **extra,
    }


def upload(name, data, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type)


# --- Registering ------------------------------------------------------------------------------


def test_a_paper_document_is_registered_with_the_arrival_stamp_on_its_first_page(
    client, issuer, people
):
    scan = scanned_pdf(2)
    client.force_login(people["clerk"])
    response = client.post(
        "/incoming-register/paper/", {**paper_fields(issuer), "scan": upload("scan.pdf", scan)}
    )
    assert response.status_code == 302
    document = IncomingDocument.objects.get()
    assert response["Location"] == document.get_absolute_url()
    assert (document.arrival_number, document.channel) == (1, IncomingDocument.Channel.PAPER)
    stamped = stored(document.file)
    first_page = pdf_text(stamped)
    assert "ĐẾN" in first_page
    assert "Số: 1" in first_page
    assert f"Ngày: {timezone.localdate():%d/%m/%Y}" in first_page
    assert "ĐẾN" not in pdf_text(stamped, first_page_only=False).split("\f")[1]
    fonts = pdf_fonts(stamped)
    assert fonts
    assert all(" yes " in line for line in fonts)
    # The scan itself is kept as it came, and it is what the register's hash is of.
    assert stored(document.original_file) == scan
    assert document.file_sha256 == hashlib.sha256(scan).hexdigest()
    event = document.events.get()
    assert (event.kind, event.actor) == (IncomingEvent.Kind.REGISTERED, people["clerk"])
    # The page shows the stamped PDF, and the scan without it on request.
    assert streamed(client.get(f"/incoming-documents/{document.pk}/file/")) == stamped
    assert streamed(client.get(f"/incoming-documents/{document.pk}/file/?original=1")) == scan


def test_an_email_is_registered_from_its_eml_with_sender_subject_date_and_pdf(
    client, issuer, people
):
    client.force_login(people["clerk"])
    response = client.post(
        "/incoming-register/email/",
        {"organization": issuer.pk, "message": upload("mail.eml", eml(), "message/rfc822")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = IncomingDocument.objects.get()
    assert document.channel == IncomingDocument.Channel.EMAIL
    assert document.sender_name == "Sở Tư pháp tỉnh Kiên Giang"
    assert document.subject == "V/v góp ý dự thảo quy chế phối hợp"
    assert document.document_date == datetime.date(2026, 11, 26)
    assert stored(document.file).startswith(b"%PDF-")
    assert not document.original_file  # nothing stamped on an electronic document


def test_an_eml_without_a_pdf_is_refused_with_a_clear_message(client, issuer, people):
    client.force_login(people["clerk"])
    response = client.post(
        "/incoming-register/email/",
        {"organization": issuer.pk, "message": upload("mail.eml", eml(with_pdf=False))},
    )
    assert response.status_code == 400
    assert "không có tệp PDF đính kèm" in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_a_scan_that_is_not_a_pdf_is_refused(client, issuer, people):
    client.force_login(people["clerk"])
    response = client.post(
        "/incoming-register/paper/",
        {**paper_fields(issuer), "scan": upload("scan.pdf", b"GIF89a not a pdf")},
    )
    assert response.status_code == 400
    assert "Đây không phải tệp PDF" in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_paper_and_email_documents_share_one_register_with_consecutive_numbers(
    client, issuer, people
):
    client.force_login(people["clerk"])
    client.post(
        "/incoming-register/paper/",
        {**paper_fields(issuer), "scan": upload("a.pdf", scanned_pdf(1))},
    )
    client.post(
        "/incoming-register/email/",
        {"organization": issuer.pk, "message": upload("mail.eml", eml())},
    )
    client.post(
        "/incoming-register/email/",
        {**paper_fields(issuer), "attachment": upload("b.pdf", scanned_pdf(1))},
    )
    documents = IncomingDocument.objects.order_by("arrival_number")
    assert [(d.arrival_number, d.channel) for d in documents] == [
        (1, "paper"),
        (2, "email"),
        (3, "email"),
    ]
    assert {d.register_id for d in documents} == {documents[0].register_id}
    assert documents[0].register.last_number == 3


def test_only_the_bodys_records_clerk_registers(client, issuer, people):
    for name in ("leader", "handler", "specialist"):
        client.force_login(people[name])
        response = client.post(
            "/incoming-register/paper/",
            {**paper_fields(issuer), "scan": upload("a.pdf", scanned_pdf(1))},
        )
        assert response.status_code == 403, name
    # The văn thư of another body cannot choose this body.
    client.force_login(people["outsider"])
    response = client.post(
        "/incoming-register/paper/",
        {**paper_fields(issuer), "scan": upload("a.pdf", scanned_pdf(1))},
    )
    assert response.status_code == 400
    assert not IncomingDocument.objects.exists()


# --- Who may do what ----------------------------------------------------------------------------

STEP_FIELDS = {
    "forward": lambda p: {"forward-leader": p["leader"].pk},
    "direct": lambda p: {
        "direct-direction": "Giao Phòng Tư pháp chủ trì.",
        "direct-handler": p["handler"].pk,
        "direct-working_days": 3,
    },
    "assign": lambda p: {"assign-handler": p["handler"].pk, "assign-working_days": 3},
    "start": lambda p: {},
    "done": lambda p: {"done-reply_reference": "45/UBND-TP"},
    "return": lambda p: {"return_-reason": "Không thuộc lĩnh vực."},
    "refuse": lambda p: {"refuse-reason": "Gửi nhầm cơ quan."},
}
# (action, the state it starts from, the people it allows, the state it leads to)
TABLE = [
    ("forward", Status.REGISTERED, {"clerk"}, Status.AWAITING_DIRECTION),
    ("direct", Status.AWAITING_DIRECTION, {"leader"}, Status.ASSIGNED),
    ("assign", Status.REGISTERED, {"clerk", "leader"}, Status.ASSIGNED),
    ("assign", Status.AWAITING_DIRECTION, {"clerk", "leader"}, Status.ASSIGNED),
    ("start", Status.ASSIGNED, {"handler"}, Status.IN_PROGRESS),
    ("done", Status.IN_PROGRESS, {"handler"}, Status.DONE),
    ("done", Status.ASSIGNED, {"handler"}, Status.DONE),
    ("return", Status.AWAITING_DIRECTION, {"leader"}, Status.REGISTERED),
    ("return", Status.IN_PROGRESS, {"handler"}, Status.REGISTERED),
    ("refuse", Status.REGISTERED, {"clerk", "leader"}, Status.REFUSED),
]
EVERYONE = ("clerk", "leader", "handler", "colleague", "specialist", "outsider")


@pytest.mark.parametrize(("action", "source", "allowed", "target"), TABLE)
@pytest.mark.parametrize("who", EVERYONE)
def test_each_step_is_taken_only_by_whom_the_table_allows(
    client, people, received, action, source, allowed, target, who
):
    document = received(source)
    client.force_login(people[who])
    response = client.post(
        f"/incoming-documents/{document.pk}/{action}/", STEP_FIELDS[action](people)
    )
    document.refresh_from_db()
    if who in allowed:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert document.status == target
        event = document.events.order_by("at", "pk").last()
        assert event.actor == people[who]
        assert (
            event.kind
            == incoming_lifecycle.row_for(
                {"return": "return_"}.get(action, action), IncomingDocument(status=source)
            ).event
        )
    else:
        # Someone of another body, or of this body without an incoming role, does not see it.
        expected = 404 if who in ("outsider", "specialist") else 403
        assert response.status_code == expected
        assert document.status == source
        assert document.events.count() == 1


def test_a_step_that_no_longer_applies_says_the_document_is_in_another_state(
    client, people, received
):
    document = received(Status.DONE)
    client.force_login(people["clerk"])
    response = client.post(f"/incoming-documents/{document.pk}/forward/", {})
    assert response.status_code == 400
    assert "Hoàn thành" in response.content.decode()


def test_the_bodys_people_see_the_document_and_its_actions_only_when_theirs(
    client, people, received
):
    document = received(Status.ASSIGNED)
    client.force_login(people["colleague"])
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200
    assert 'data-action="done"' not in page.content.decode()
    client.force_login(people["handler"])
    page = client.get(document.get_absolute_url())
    assert 'data-action="done"' in page.content.decode()
    for who in ("outsider", "specialist"):
        client.force_login(people[who])
        assert client.get(document.get_absolute_url()).status_code == 404
        assert client.get(f"/incoming-documents/{document.pk}/file/").status_code == 404


def test_a_forward_to_someone_who_does_not_direct_is_refused_on_the_form(client, people, received):
    document = received()
    client.force_login(people["clerk"])
    response = client.post(
        f"/incoming-documents/{document.pk}/forward/", {"forward-leader": people["handler"].pk}
    )
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.status == Status.REGISTERED


def test_the_leader_and_the_handler_are_told_by_mail(client, people, received, settings, jobs_done):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    document = received()
    mail.outbox.clear()
    with jobs_done():
        service.forward(document, actor=people["clerk"], leader=people["leader"])
        service.direct(
            document,
            actor=people["leader"],
            direction="Giao chủ trì.",
            handler=people["handler"],
            working_days=2,
        )
    assert [m.to for m in mail.outbox] == [["ld@x.vn"], ["cv@x.vn"]]
    assert "V/v góp ý dự thảo quy chế phối hợp" in mail.outbox[1].body


def test_each_change_is_announced_after_it_commits(
    people, received, django_capture_on_commit_callbacks
):
    document = received()
    heard = []

    def listener(sender, document, actor, **kwargs):
        heard.append((document.status, actor))

    service.status_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            service.forward(document, actor=people["clerk"], leader=people["leader"])
        assert heard == []
        for callback in callbacks:
            callback()
    finally:
        service.status_changed.disconnect(listener)
    assert heard == [(Status.AWAITING_DIRECTION, people["clerk"])]


# --- Deadlines --------------------------------------------------------------------------------


def test_the_due_date_counts_working_days_across_a_weekend_and_a_holiday():
    friday = datetime.datetime(2026, 11, 27, 16, 0, tzinfo=VIETNAM)
    assert incoming_lifecycle.due_date(1, start=friday) == datetime.date(2026, 11, 30)
    Holiday.objects.create(date=datetime.date(2026, 11, 30), name="Nghỉ bù")
    assert incoming_lifecycle.due_date(1, start=friday) == datetime.date(2026, 12, 1)
    assert incoming_lifecycle.due_date(3, start=friday) == datetime.date(2026, 12, 3)


def test_assigning_sets_the_due_date_in_working_days(people, received):
    document = received()
    document = service.assign(
        document, actor=people["clerk"], handler=people["handler"], working_days=4
    )
    assert document.due_date == incoming_lifecycle.due_date(4)
    assert document.due_date.weekday() < 5
    event = document.events.get(kind=IncomingEvent.Kind.ASSIGNED)
    assert event.data["working_days"] == 4


def test_an_overdue_document_is_marked_and_its_handler_reminded_once(
    client, people, received, settings, jobs_done
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    late = received(Status.IN_PROGRESS, due_date=timezone.localdate() - datetime.timedelta(days=2))
    on_time = received(Status.ASSIGNED, due_date=timezone.localdate() + datetime.timedelta(days=2))
    assert incoming_lifecycle.is_overdue(late)
    assert not incoming_lifecycle.is_overdue(on_time)
    client.force_login(people["handler"])
    page = client.get("/to-handle/").content.decode()
    assert page.count("quá hạn") == 1
    follow_up = client.get(
        f"/incoming-register/{late.register.organization_id}/{late.register.year}/?book=follow-up"
    ).content.decode()
    assert "quá hạn" in follow_up
    mail.outbox.clear()
    with jobs_done():
        call_command("send_reminders")
        call_command("send_reminders")
    assert [m.to for m in mail.outbox] == [["cv@x.vn"]]
    assert late.events.filter(kind=IncomingEvent.Kind.REMINDED).count() == 1


# --- The registers ----------------------------------------------------------------------------


def test_the_register_page_shows_the_columns_and_finds_by_sender_or_number(
    client, people, received
):
    first = received()
    received(Status.REGISTERED)
    IncomingDocument.objects.filter(pk=first.pk).update(
        sender_name="Công an huyện", reference="88/CAH"
    )
    IncomingDocument.objects.exclude(pk=first.pk).update(reference="99/STP")
    client.force_login(people["colleague"])
    url = f"/incoming-register/{first.register.organization_id}/{first.register.year}/"
    page = client.get(url).content.decode()
    for column in incoming_book.REGISTER_COLUMNS:
        assert column in page
    found = client.get(url, {"q": "công an"}).content.decode()
    assert "Công an huyện" in found
    assert "Sở Tư pháp" not in found
    assert client.get(url, {"q": "2"}).content.decode().count("/incoming-documents/") == 1
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404


def test_both_books_export_to_excel_and_pdf_in_the_columns_of_the_decree(client, people, received):
    document = received(Status.DONE, reply_reference="45/UBND-TP")
    client.force_login(people["clerk"])
    url = f"/incoming-register/{document.register.organization_id}/{document.register.year}/"
    for book, columns in incoming_book.BOOKS.items():
        response = client.get(url, {"book": book, "format": "xlsx"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == columns
        assert len(rows) == 2
        response = client.get(url, {"book": book, "format": "pdf"})
        text = pdf_text(response.content, first_page_only=False)
        assert incoming_book.TITLES[book] in text
    follow_up = incoming_book.follow_up_cells(document)
    assert follow_up[5] == "45/UBND-TP"


def test_the_nightly_sweep_keeps_the_scans_and_their_stamped_copies(received):
    document = received()
    names = files.referenced_names()
    assert document.file.name in names
    assert document.original_file.name in names


def test_the_navigation_and_home_page_link_the_register_and_the_work_list(client, people, received):
    received(Status.AWAITING_DIRECTION)
    client.force_login(people["leader"])
    page = client.get("/").content.decode()
    assert "Sổ văn bản đến" in page
    assert "Văn bản cần xử lý" in page
    client.force_login(people["specialist"])
    assert "Sổ văn bản đến" not in client.get("/").content.decode()


def test_only_the_leader_a_document_was_forwarded_to_directs_or_returns_it(
    received, people, make_person, issuer
):
    document = received(IncomingDocument.Status.AWAITING_DIRECTION)
    other_leader = make_person(Role.INCOMING_LEADER, issuer, username="ld-khac")

    with pytest.raises(permissions.NotAllowed):
        service.direct(
            document,
            actor=other_leader,
            direction="Giao xử lý.",
            handler=people["handler"],
            working_days=5,
        )
    with pytest.raises(permissions.NotAllowed):
        service.return_to_clerk(document, actor=other_leader, reason="Không đúng thẩm quyền.")
    document.refresh_from_db()
    assert (document.status, document.leader) == (
        IncomingDocument.Status.AWAITING_DIRECTION,
        people["leader"],
    )


def test_a_search_with_a_superscript_digit_lists_nothing_instead_of_failing(
    client, received, people, issuer
):
    received()
    client.force_login(people["clerk"])
    year = timezone.localdate().year
    response = client.get(f"/incoming-register/{issuer.pk}/{year}/", {"q": "²"})
    assert response.status_code == 200
