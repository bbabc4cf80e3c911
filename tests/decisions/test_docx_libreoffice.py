"""Our Word files as LibreOffice reads them (Debian's libreoffice-writer-nogui, headless).

1. LibreOffice converts our .docx to PDF, and that PDF says what our own PDF says. Compared,
   after pdftotext: the words of the whole decision as a multiset, and the running text from
   the title to "Nơi nhận:" in order. Excluded, and only these: line breaks and runs of spaces
   (whitespace is normalised to one space), page numbers (a line holding only a number), and
   the "DỰ THẢO" mark (in our PDF a drawn shape, in the .docx the first page's header text).
   The two columns of the header and closing tables are read in a different order by
   pdftotext in the two PDFs, hence the multiset for those.
2. .docx files made by LibreOffice are read back by our importer: our export opened and saved
   again through LibreOffice's own format (docx -> odt -> docx), and the fixture texts turned
   into .docx by LibreOffice's text import.
"""

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from decisions import docx_export, docx_import, rendering, selectors
from decisions.content import DraftContent
from decisions.importer import decode, parse_decision_text, to_draft_content
from tests.decisions.test_docx import REAL, importer_fields, seed_draft
from tests.decisions.test_importer import SEED_000, SEED_001

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
SOFFICE = shutil.which("soffice")
TEXT_FILTER = "Text (encoded):UTF8,LF,,,"


def soffice(workdir: Path, target: str, *sources: Path, infilter: str | None = None) -> Path:
    """Convert `sources` with LibreOffice headless into workdir/out; the output folder."""
    if SOFFICE is None:
        pytest.fail("LibreOffice is missing: apt-get install libreoffice-writer-nogui")
    out = workdir / "out"
    args = [
        SOFFICE,
        f"-env:UserInstallation=file://{workdir / 'profile'}",  # a profile of its own
        "--headless",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        target,
        "--outdir",
        str(out),
        *map(str, sources),
    ]
    subprocess.run(args, check=True, capture_output=True, timeout=300)
    return out


def pdf_text(pdf: bytes) -> str:
    """pdftotext's text, without page numbers, whitespace normalised to single spaces."""
    args = ["pdftotext", "-enc", "UTF-8", "-", "-"]
    text = subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()
    text = re.sub(r"(?m)^\s*\d+\s*$", " ", text)  # page numbers
    return " ".join(text.replace("DỰ THẢO", " ").split())


def running_text(text: str) -> str:
    """From the title "QUYẾT ĐỊNH" to "Nơi nhận:"."""
    start = text.index("QUYẾT ĐỊNH")
    return text[start : text.index("Nơi nhận:", start)]


@pytest.mark.parametrize("seed", [SEED_000, SEED_001], ids=["seed_000", "seed_001"])
def test_libreoffice_prints_our_word_file_with_the_text_of_our_pdf(
    seed, issuer, specialist, make_content, tmp_path
):
    make_content()
    doc = selectors.pdf_context(seed_draft(seed, issuer, specialist))
    source = tmp_path / "du-thao.docx"
    source.write_bytes(docx_export.to_docx(doc))
    theirs = pdf_text((soffice(tmp_path, "pdf", source) / "du-thao.pdf").read_bytes())
    ours = pdf_text(rendering.render_pdf(doc))
    assert "Điều 1." in running_text(theirs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in theirs
    assert Counter(theirs.split()) == Counter(ours.split())
    assert running_text(theirs) == running_text(ours)


def test_libreoffice_prints_an_issued_decision_with_the_text_of_its_pdf(seed_000_issued, tmp_path):
    doc = selectors.pdf_context(seed_000_issued)
    source = tmp_path / "ban-hanh.docx"
    source.write_bytes(docx_export.to_docx(doc))
    theirs = pdf_text((soffice(tmp_path, "pdf", source) / "ban-hanh.pdf").read_bytes())
    with seed_000_issued.pdf.open("rb") as stream:
        ours = pdf_text(stream.read())
    assert f"Số: {seed_000_issued.reference}" in theirs
    assert "Võ Tùng" in theirs or seed_000_issued.signer.get_full_name() in theirs
    assert Counter(theirs.split()) == Counter(ours.split())
    assert running_text(theirs) == running_text(ours)


@pytest.mark.parametrize("seed", [SEED_000, SEED_001], ids=["seed_000", "seed_001"])
def test_our_word_file_saved_again_by_libreoffice_imports_with_the_same_content(
    seed, issuer, specialist, make_content, tmp_path
):
    make_content()
    decision = seed_draft(seed, issuer, specialist)
    source = tmp_path / "du-thao.docx"
    source.write_bytes(docx_export.to_docx(selectors.pdf_context(decision)))
    odt = soffice(tmp_path / "a", "odt", source) / "du-thao.odt"
    resaved = soffice(tmp_path / "b", "docx:MS Word 2007 XML", odt) / "du-thao.docx"
    text = docx_import.docx_text(resaved.read_bytes())
    again = to_draft_content(parse_decision_text(text), issuer=issuer)
    assert importer_fields(again) == importer_fields(DraftContent.of(decision))


def test_fixture_texts_made_into_word_files_by_libreoffice_read_as_the_texts_do(tmp_path):
    sources = [SEED_000, SEED_001, *REAL]
    out = soffice(tmp_path, "docx:MS Word 2007 XML", *sources, infilter=TEXT_FILTER)
    for source in sources:
        expected = parse_decision_text(decode(source.read_bytes())).as_json()
        made = (out / f"{source.stem}.docx").read_bytes()
        read = parse_decision_text(docx_import.docx_text(made)).as_json()
        expected.pop("warnings"), read.pop("warnings")
        assert read == expected, source.name
