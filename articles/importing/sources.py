"""Checks on the raw bytes before any parser sees them: size, zip bombs, binary junk, encodings."""

import codecs
import io
import zipfile

from charset_normalizer import from_bytes
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .document import ImportRefused

EMPTY = "This file is empty. Export the document again and upload the new file."
TOO_LARGE = (
    "This file is {size}; imports can be at most {limit}. If it holds large photos, "
    "import the text alone and upload the photos to the library."
)
NOT_DOCX = (
    "This file is named .docx but is not a Word document. Open it in Word, LibreOffice or "
    "Google Docs and save or download it as “Word document (.docx)” again."
)
DOCX_TOO_LARGE = (
    "This Word document unpacks to more than {limit}, far more than any interview needs; "
    "it is refused as a possible zip bomb. Save a copy without its large embedded files."
)
NOT_TEXT = (
    "This file is not text we can read (it looks like a binary file). Upload a Word document "
    "(.docx), a text or Markdown file (.txt, .md), or a transcript (.vtt, .srt)."
)
UNKNOWN_ENCODING = (
    "The characters of this text file could not be read with certainty. Save it as UTF-8 "
    "(in most editors: “Save as”, encoding “UTF-8”) and upload it again."
)
OLD_WORD = (
    "This is an old Word document (.doc). Open it in Word or LibreOffice and save it as "
    "“Word document (.docx)”, then upload that file."
)

# A compressed document of a few megabytes holds at most some tens of megabytes of XML
# and pictures; far more means a crafted file.
MAX_COMPRESSION_RATIO = 200


def check_size(data):
    if not data:
        raise ImportRefused(EMPTY)
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRefused(TOO_LARGE.format(size=filesizeformat(len(data)), limit=filesizeformat(limit)))


def open_docx(data):
    """The document as a ZipFile, once its members are known to unpack within the limits."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(OLD_WORD)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportRefused(NOT_DOCX) from error
    if "word/document.xml" not in {member.filename for member in members}:
        raise ImportRefused(NOT_DOCX)
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    # The sizes in the directory can lie; reading stops at the limit whatever they say.
    declared = sum(member.file_size for member in members)
    if declared > limit or any(
        member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO
        for member in members
        if member.file_size > 1024 * 1024
    ):
        raise ImportRefused(DOCX_TOO_LARGE.format(limit=filesizeformat(limit)))
    total = 0
    unpacked = {}
    for member in members:
        if member.is_dir():
            continue
        try:
            with archive.open(member) as stream:
                chunks = []
                while chunk := stream.read(64 * 1024):
                    total += len(chunk)
                    if total > limit:
                        raise ImportRefused(DOCX_TOO_LARGE.format(limit=filesizeformat(limit)))
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
            raise ImportRefused(NOT_DOCX) from error
        unpacked[member.filename] = b"".join(chunks)
    # Handed on rebuilt from what was read, so the parser never unpacks anything itself.
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_STORED) as clean:
        for name, content in unpacked.items():
            clean.writestr(name, content)
    rebuilt.seek(0)
    return rebuilt


def _looks_binary(text):
    """Control characters (other than tab, newline, carriage return, form feed) in more than 1% of it."""
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    return "\x00" in text or controls > max(2, len(text) // 100)


def decode_text(data):
    """Text of a text file: UTF-8 (with or without BOM), UTF-16 with a BOM, or a legacy 8-bit encoding."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise ImportRefused(UNKNOWN_ENCODING) from error
            break
    else:
        text = _without_bom(data)
    if _looks_binary(text):
        raise ImportRefused(NOT_TEXT)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportRefused(EMPTY)
    return text


def _without_bom(data):
    # UTF-16 without a BOM: every other byte of Latin text is zero (and would pass as UTF-8).
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        try:
            return data.decode("utf-16-le")
        except UnicodeDecodeError:
            pass
    if len(data) >= 4 and data[0::2].count(0) > len(data) // 4:
        try:
            return data.decode("utf-16-be")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise ImportRefused(NOT_TEXT)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ImportRefused(NOT_TEXT)
    # Newsrooms' legacy files are Western European; anything else detected from a
    # short file is more likely a wrong guess than a Cyrillic or Greek document.
    if best.encoding.replace("_", "-") not in LEGACY_ENCODINGS:
        text = data.decode("cp1252", errors="replace")
        if "\ufffd" in text:
            raise ImportRefused(UNKNOWN_ENCODING)
        return text
    return str(best)


LEGACY_ENCODINGS = {
    "cp1252",
    "latin-1",
    "iso8859-1",
    "iso8859-15",
    "mac-roman",
    "cp1250",
    "iso8859-2",
    "ascii",
}
