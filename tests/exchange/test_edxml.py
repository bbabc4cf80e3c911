"""edXML packages (QCVN 102:2016): the structure we write, reading it back, and what the
hardened parser refuses before anything is expanded or looked up."""

import hashlib
import os
import re
from pathlib import Path

import pytest

from decisions.exchange import edxml
from decisions.exchange.edxml import PackageError

GOLDEN = Path(__file__).parent / "golden" / "seed_000.edxml.xml"


def normalised(data: bytes) -> str:
    """The package's structure and fixed content: what changes from run to run (the date of
    issue, times, the PDF's bytes and their digest) replaced by placeholders."""
    text = data.decode("utf-8")
    text = re.sub(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}", "<timestamp>", text)
    text = re.sub(r"\d{4}/\d{2}/\d{2}", "<date>", text)
    text = re.sub(r"(ContentTransferEncoded>)[A-Za-z0-9+/=]+(<)", r"\1<base64>\2", text)
    text = re.sub(r"(ContentId>)[0-9a-f]+(<)", r"\1<id>\2", text)
    return re.sub(r"-\d{4}\.pdf", "-<year>.pdf", text)


def test_the_package_of_seed_000_has_the_structure_of_the_golden_file(issued):
    data = edxml.export(issued, edxml.default_receivers(issued))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(normalised(data), encoding="utf-8")
    assert normalised(data) == GOLDEN.read_text(encoding="utf-8")


def test_an_exported_package_reads_back_field_for_field_with_the_pdf_unchanged(issued):
    receivers = edxml.default_receivers(issued)
    expected = edxml.package_for(issued, receivers)
    package = edxml.parse(edxml.build(expected))
    assert package == expected
    assert [party.identifier for party in package.receivers] == [
        "000.00.21.H33",
        "000.01.15.H33",
        "000.15.15.H33",
    ]
    assert package.sender.identifier == "000.00.15.H33"
    assert package.reference == issued.reference
    assert package.promulgation_date == issued.issued_on
    assert (package.type_code, package.type_detail, package.type_name) == (2, 2, "Quyết định")
    assert package.signer_competence == "KT. CHỦ TỊCH"
    assert package.signer_position == "PHÓ CHỦ TỊCH"
    assert package.signer_name == issued.snapshot["signer_name"]
    assert package.to_places == issued.snapshot["recipients"]
    pdf = package.pdf()
    assert pdf is not None
    assert hashlib.sha256(pdf.data).hexdigest() == issued.pdf_sha256
    with issued.pdf.open("rb") as stream:
        assert pdf.data == stream.read()


def refused(data: bytes) -> PackageError:
    with pytest.raises(PackageError) as caught:
        edxml.parse(data)
    return caught.value


def test_a_file_that_is_not_xml_is_refused_as_malformed():
    assert refused(b"<edXML><unclosed>").code == "malformed"


def test_xml_that_is_not_an_edxml_package_is_refused_as_malformed():
    assert refused(b'<?xml version="1.0"?><html><body/></html>').code == "malformed"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol9;</edXML>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><Subject>&secret;</Subject></edXML>"""


def test_a_billion_laughs_package_is_refused_without_expanding_its_entities():
    error = refused(BILLION_LAUGHS)
    assert error.code == "entities"


def test_a_package_naming_an_external_entity_is_refused_without_reading_the_file():
    error = refused(EXTERNAL_ENTITY)
    assert error.code == "entities"
    assert "root:" not in error.message


def test_a_package_above_the_size_limit_is_refused_before_it_is_parsed(settings):
    settings.DECISIONS_EDXML_MAX_BYTES = 1000
    error = refused(b"<" * 1001)  # not even XML: the size is checked first
    assert error.code == "too_large"


def test_a_confidential_or_unissued_decision_has_no_package(issued):
    from decisions.models import Decision

    receivers = edxml.default_receivers(issued)
    issued.confidentiality = Decision.Confidentiality.SECRET  # not saved: issued is frozen
    with pytest.raises(PackageError) as caught:
        edxml.package_for(issued, receivers)
    assert caught.value.code == "confidential"

    issued.confidentiality, issued.status = "", Decision.Status.SIGNED
    with pytest.raises(PackageError) as caught:
        edxml.package_for(issued, receivers)
    assert caught.value.code == "not_issued"
