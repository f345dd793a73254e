"""The review step between reading a document and creating the draft: rows editors can fix.

Each paragraph travels through the review form as a row (kind, text, speaker,
caption, credit, and the HTML it was read as). ``rows_from`` makes the rows
of a detected document; ``document_from`` turns the rows the editor sent back
into a document again, applying their fixes: a changed kind, a paragraph
joined to the one above, a paragraph split at an empty line.
"""

from django.utils.html import escape

from .document import Document, Kind, Paragraph, inline_html
from .structure import warnings


def rows_from(document):
    rows = []
    for paragraph in document.paragraphs:
        rows.append(
            {
                "kind": paragraph.kind,
                "text": paragraph.caption if paragraph.kind == Kind.PHOTO else paragraph.text,
                "html": paragraph.html,
                "speaker": paragraph.speaker,
                "credit": paragraph.credit,
                "image": "" if paragraph.image is None else str(paragraph.image),
                "alt": paragraph.alt,
                "reason": paragraph.reason,
                "join": False,
            }
        )
    return rows


def _paragraphs_of(row):
    """One paragraph, or several when the editor split the text at empty lines."""
    text = (row.get("text") or "").replace("\r\n", "\n").strip()
    kind = row["kind"]
    image = row.get("image")
    common = {"kind": kind, "speaker": (row.get("speaker") or "").strip() if kind == Kind.ANSWER else ""}
    if kind == Kind.PHOTO:
        return [
            Paragraph(
                **common,
                html=escape(text),
                caption=" ".join(text.split()),
                credit=(row.get("credit") or "").strip(),
                image=int(image) if image not in (None, "") else None,
                alt=row.get("alt") or "",
            )
        ]
    # Unchanged text keeps the emphasis and links it was read with.
    original = row.get("html") or ""
    if original and "\n\n" not in text and " ".join(text.split()) == Paragraph(html=original).text:
        return [Paragraph(**common, html=original)]
    parts = [part for part in text.split("\n\n") if part.strip()]
    return [Paragraph(**common, html=inline_html(escape(" ".join(part.split())))) for part in parts]


def document_from(rows, source="", images=()):
    """The document as the editor fixed it; a warning for a photo row that has neither caption nor credit."""
    paragraphs = []
    for row in rows:
        new = _paragraphs_of(row)
        if not new:
            continue
        if row.get("join") and paragraphs and paragraphs[-1].kind != Kind.PHOTO and new[0].kind != Kind.PHOTO:
            above = paragraphs[-1]
            above.html = inline_html(f"{above.html} {new[0].html}")
            new = new[1:]
        paragraphs += new
    document = Document(paragraphs=paragraphs, images=list(images), source=source)
    document.warnings = warnings(document)
    return document
