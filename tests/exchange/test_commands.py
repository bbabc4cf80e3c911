"""`manage.py export_edxml` and `import_edxml`: the package as a file, for platforms that take
files; received with the same checks and into the same register as the endpoint."""

import pytest
from django.core.management import CommandError, call_command

from decisions.exchange import edxml
from decisions.models import IncomingDocument, ReceivedPackage
from tests.exchange.conftest import CODES


def test_a_decision_exported_to_a_file_is_imported_into_each_receivers_register(
    issued, tmp_path, capsys
):
    path = tmp_path / "qd.xml"

    call_command("export_edxml", str(issued.pk), "-o", str(path))
    call_command("import_edxml", str(path))

    package = edxml.parse(path.read_bytes())
    assert package.reference == issued.reference
    assert {p.identifier for p in package.receivers} == set(CODES.values())
    out = capsys.readouterr().out
    assert out.count("1 (") == len(CODES)  # arrival number 1 in each register of the year
    assert IncomingDocument.objects.filter(exchange_document_id=package.document_id).count() == 3


def test_an_export_to_one_receiver_names_only_that_receiver(issued, tmp_path):
    path = tmp_path / "qd.xml"

    call_command("export_edxml", str(issued.pk), "-o", str(path), "--to", CODES["so-khcn"])

    assert [p.identifier for p in edxml.parse(path.read_bytes()).receivers] == [CODES["so-khcn"]]


def test_an_export_to_an_unknown_code_is_refused(issued, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_edxml", str(issued.pk), "-o", str(tmp_path / "x.xml"), "--to", "1")
    assert not (tmp_path / "x.xml").exists()


def test_importing_a_refused_package_fails_with_the_reason_and_registers_nothing(
    signed_package, tmp_path
):
    path = tmp_path / "hong.xml"
    path.write_bytes(signed_package.replace(b"<edXML:Subject>", b"<edXML:Subject><oops>"))

    with pytest.raises(CommandError) as caught:
        call_command("import_edxml", str(path))

    assert "malformed" in str(caught.value)
    assert not IncomingDocument.objects.exists()
    assert ReceivedPackage.objects.get().via == ReceivedPackage.Via.COMMAND


def test_an_oversized_file_is_refused_before_it_is_read(db, tmp_path, settings):
    settings.DECISIONS_EDXML_MAX_BYTES = 10
    path = tmp_path / "big.xml"
    path.write_bytes(b"x" * 11)

    with pytest.raises(CommandError):
        call_command("import_edxml", str(path))
