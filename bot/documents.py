"""A brand's offer sent as a document (PDF, DOCX or TXT): its bytes turned into text, in memory.

``decode(data, name)`` never touches the disk and never raises: it gives the text, or a reason
code (``too_big``, ``too_many_pages``, ``no_text``, ``password``, ``broken``, ``unsupported``)
whose friendly words live in ``prompts/reading/document.j2``. The caps keep a hostile file
cheap: bytes (Telegram lets a bot download 20 MB), pages, the unpacked size of a DOCX (a zip
bomb), and the characters of text kept. Transport-free: Telegram and the terminal chat both
hand it bytes. The file's bytes and text are the caller's to drop once read (issue 17: only the
facts and their quotes are kept).
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from typing import Literal

Reason = Literal["too_big", "too_many_pages", "no_text", "password", "broken", "unsupported"]

MAX_BYTES = 20 * 1024 * 1024  # what Telegram lets a bot download
MAX_PAGES = 40  # a contract longer than this is pasted in parts
MAX_UNPACKED = 50 * 1024 * 1024  # a DOCX's parts, unzipped
MAX_CHARS = 100_000  # text kept for reading (the reader is linear; this bounds its work)
MIN_CHARS = 20  # less than this from a PDF: a scan, or an empty page

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE file: an old .doc, or an encrypted DOCX
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a document, or why there is none; ``cut`` when only its start was kept."""

    text: str | None = None
    reason: Reason | None = None
    kind: str = ""  # pdf, docx or txt
    pages: int = 0
    cut: bool = False


def _kept(text: str, kind: str, pages: int = 0) -> Decoded:
    text = text.replace("\x00", "").strip()
    return Decoded(text=text[:MAX_CHARS], kind=kind, pages=pages, cut=len(text) > MAX_CHARS)


def _pdf(data: bytes) -> Decoded:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a malformed file is our answer, not a log
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone opens
            return Decoded(reason="password", kind="pdf")
        count = len(reader.pages)
        if count > MAX_PAGES:
            return Decoded(reason="too_many_pages", kind="pdf", pages=count)
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > MAX_CHARS:
                break
    except FileNotDecryptedError:
        return Decoded(reason="password", kind="pdf")
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, NotImplementedError, OSError):
        return Decoded(reason="broken", kind="pdf")
    text = "\n".join(parts)
    if len(text.strip()) < MIN_CHARS:
        return Decoded(reason="no_text", kind="pdf", pages=count)
    return _kept(text, "pdf", count)


def _docx(data: bytes) -> Decoded:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(item.file_size for item in archive.infolist()) > MAX_UNPACKED:
                return Decoded(reason="too_big", kind="docx")
            if "word/document.xml" not in archive.namelist():
                return Decoded(reason="unsupported")
        document = Document(io.BytesIO(data))
        lines = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, TypeError,
            AttributeError, OSError, SyntaxError):  # lxml's XMLSyntaxError is a SyntaxError
        return Decoded(reason="broken", kind="docx")
    text = "\n".join(line for line in lines if line.strip())
    if not text.strip():
        return Decoded(reason="no_text", kind="docx")
    return _kept(text, "docx")


def _txt(data: bytes) -> Decoded:
    if b"\x00" in data[:4096]:
        return Decoded(reason="unsupported")  # binary, or UTF-16: not a text file we take
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # an older Windows editor's text
    if not text.strip():
        return Decoded(reason="no_text", kind="txt")
    return _kept(text, "txt")


def decode(data: bytes, name: str = "", max_bytes: int = MAX_BYTES) -> Decoded:
    """The text of a PDF, DOCX or TXT document, told apart by its bytes (``name`` only breaks a
    tie: a text file must be called ``.txt`` or have no extension)."""
    if len(data) > max_bytes:
        return Decoded(reason="too_big")
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return _pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _docx(data)
    if data.startswith(_CFB):
        encrypted = _ENCRYPTED_OOXML in data[:1_000_000]
        return Decoded(reason="password" if encrypted else "unsupported", kind="docx")
    suffix = name.rpartition(".")[2].casefold() if "." in name else ""
    if suffix in ("", "txt", "text", "md", "eml"):
        return _txt(data)
    return Decoded(reason="unsupported")
