"""Documents a creator sends (PDF, DOCX, TXT) read in memory, with real small files made in the
test: the text comes out, and every file that can't be read gets its reason and its words."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from bot import documents
from bot.documents import decode
from flows.reading.offer import read_offer
from prompts import render_text
from tests.unit.documents import blank_pdf, docx_file, locked_pdf, text_pdf

CONTRACT = ("3. Deliverables. Influencer shall produce one (1) Instagram reel.\n"
            "4. Compensation. Company shall pay Influencer a flat fee of $4,000.\n"
            "5. Payment. Payment will be made within 60 days of receipt of invoice.\n"
            "11. Usage. Brand may use the Content in all media worldwide in perpetuity.")


def test_a_pdf_contract_is_read_through_to_its_facts() -> None:
    decoded = decode(text_pdf(CONTRACT, "12. Morals. Company may terminate at will."), "c.pdf")
    assert decoded.reason is None and decoded.kind == "pdf" and decoded.pages == 2
    assert "flat fee of $4,000" in (decoded.text or "")
    answers = read_offer(decoded.text or "").answers()
    assert answers["usage_rights"] == "perpetual" and answers["payment_terms"] == "net60_plus"


def test_a_docx_is_read_with_its_tables() -> None:
    data = docx_file("Hi Priya, Aurora Skincare here.",
                     table=[["Fee", "$3,500 in total"], ["Usage", "12 months organic"]])
    decoded = decode(data, "terms.docx")
    assert decoded.kind == "docx" and decoded.reason is None
    assert "Aurora Skincare" in (decoded.text or "") and "Fee | $3,500 in total" in (
        decoded.text or "")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_a_text_file_in_any_common_encoding(encoding: str) -> None:
    decoded = decode("Hola Lucía, te ofrecemos 800 € por 1 reel.".encode(encoding), "offer.txt")
    assert decoded.text == "Hola Lucía, te ofrecemos 800 € por 1 reel."


@pytest.mark.parametrize(("data", "name", "reason"), [
    (blank_pdf(), "scan.pdf", "no_text"),
    (locked_pdf(CONTRACT), "locked.pdf", "password"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "cut.pdf", "broken"),
    (text_pdf(CONTRACT)[:200], "half.pdf", "broken"),
    (blank_pdf(documents.MAX_PAGES + 1), "long.pdf", "too_many_pages"),
    (b"PK\x03\x04" + b"\x00" * 64, "broken.docx", "broken"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.png", "unsupported"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"), "x.docx",
     "password"),
    (b"   \n ", "empty.txt", "no_text"),
])
def test_a_file_that_cannot_be_read_says_why(data: bytes, name: str, reason: str) -> None:
    decoded = decode(data, name)
    assert decoded.reason == reason and decoded.text is None
    words = render_text("reading/document.j2", {"reason": reason, "pages": decoded.pages,
                                                "max_pages": documents.MAX_PAGES})
    assert "step by step" in words and "{{" not in words


def test_too_big_is_refused_before_anything_is_parsed() -> None:
    assert decode(text_pdf(CONTRACT), "c.pdf", max_bytes=100).reason == "too_big"


def test_a_zip_bomb_docx_is_too_big_unpacked() -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (documents.MAX_UNPACKED + 1))
    data = out.getvalue()
    assert len(data) < 1_000_000 and decode(data, "bomb.docx").reason == "too_big"


def test_the_text_kept_is_capped() -> None:
    decoded = decode(b"a" * (documents.MAX_CHARS + 10), "long.txt")
    assert decoded.cut and len(decoded.text or "") == documents.MAX_CHARS
