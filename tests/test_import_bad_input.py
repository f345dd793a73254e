"""Files that cannot become an interview: one clear message, a non-zero exit, nothing created."""

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Person, Photo

from . import import_fixtures as fx

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def zip_bomb():
    """A .docx-shaped zip whose document unpacks to 120 MB of nothing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(120):
                member.write(block)
    return buffer.getvalue()


def zip_bomb_with_lying_sizes():
    """The same, with headers claiming the document is 1,000 bytes long."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    name = b"word/document.xml"
    for signature, name_at, size_at in ((b"PK\x01\x02", 46, 24), (b"PK\x03\x04", 30, 22)):
        position = 0
        while (position := data.find(signature, position)) != -1:
            if data[position + name_at : position + name_at + len(name)] == name:
                data[position + size_at : position + size_at + 4] = struct.pack("<I", 1000)
            position += 4
    return bytes(data)


NO_QUESTION_TEXT = (
    "Ines Valtrio: the seeds we keep\n\nA profile without a single question.\n\nIt simply goes on.\n"
)

BAD_INPUT = {
    "empty file": ("interview.docx", lambda: b"", "This file is empty."),
    "not a Word document": (
        "interview.docx",
        lambda: b"%PDF-1.7\n" + os.urandom(2000),
        "This file is named .docx but is not a Word document.",
    ),
    "zip bomb": ("interview.docx", zip_bomb, "refused as a possible zip bomb"),
    # Unpacking stops at the size claimed, and the checksum then fails.
    "zip bomb with lying sizes": ("interview.docx", zip_bomb_with_lying_sizes, "is not a Word document"),
    "50 MB file": ("interview.txt", lambda: b"Q: why?\n" * (50 * 1024 * 1024 // 8), "imports can be at most 20"),
    "binary junk": ("interview.txt", lambda: bytes(range(256)) * 64, "This file is not text we can read"),
    "no question": ("profile.txt", lambda: NO_QUESTION_TEXT.encode(), "No question was found in this document"),
    "one speaker": ("note.vtt", lambda: fx.ONE_SPEAKER_VTT.encode(), "This transcript has only one speaker (Ines Valtrio)"),
    "one endless paragraph": (
        "endless.txt",
        lambda: ("Q: Why?\n\nA: " + "and then " * 20_000 + "\n").encode(),
        "This text is too long to save",
    ),
    "old Word format": ("interview.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Word document (.doc)"),
    "unknown format": ("interview.pdf", lambda: b"%PDF-1.7", "Files ending in “.pdf” cannot be imported."),
}  # fmt: skip


@pytest.fixture(params=list(BAD_INPUT), ids=list(BAD_INPUT))
def bad_file(request, tmp_path):
    name, make, message = BAD_INPUT[request.param]
    path = tmp_path / name
    path.write_bytes(make())
    return path, message


def assert_nothing_created(media_root):
    assert not Article.objects.exists()
    assert not Photo.objects.exists()
    assert not Person.objects.exists()
    assert not [path for path in Path(media_root).rglob("*") if path.is_file()]


def test_the_command_refuses_with_the_reason(bad_file, media_root):
    path, message = bad_file
    with pytest.raises(
        CommandError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        call_command("import_interview", str(path), "--create-people", stdout=io.StringIO())
    assert_nothing_created(media_root)


@pytest.mark.parametrize("case", ["not a Word document", "zip bomb", "one speaker"])
def test_from_a_shell_it_is_one_line_and_a_non_zero_exit(case, tmp_path):
    name, make, message = BAD_INPUT[case]
    path = tmp_path / name
    path.write_bytes(make())
    result = subprocess.run(
        [sys.executable, "manage.py", "import_interview", str(path), "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"},
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CommandError: ") and message in lines[0]


def test_a_missing_file_is_one_line_too(tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot read .*nowhere\.docx: No such file or directory\.$"):
        call_command("import_interview", str(tmp_path / "nowhere.docx"))
