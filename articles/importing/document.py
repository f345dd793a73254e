"""What an imported document is made of, between reading it and building the draft."""

import html as html_module
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.html import escape

from ..richtext import plain_text, sanitize


class ImportRefused(Exception):
    """The file or text cannot become an interview; the message says why, for editors."""


class Kind:
    """What a paragraph becomes. The block kinds, plus the parts of the interview around the body."""

    TITLE = "title"
    STANDFIRST = "standfirst"
    BYLINE = "byline"
    QUESTION = "question"
    ANSWER = "answer"
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    QUOTE = "quote"
    PHOTO = "photo"
    BIO = "bio"
    DROP = "drop"

    CHOICES = [
        (TITLE, "Headline"),
        (STANDFIRST, "Standfirst"),
        (BYLINE, "Byline (author's name)"),
        (QUESTION, "Question"),
        (ANSWER, "Answer"),
        (PARAGRAPH, "Paragraph"),
        (HEADING, "Heading"),
        (QUOTE, "Pull quote"),
        (PHOTO, "Photo"),
        (BIO, "About the author"),
        (DROP, "Leave out"),
    ]
    LABELS = dict(CHOICES)


@dataclass
class Image:
    """A picture embedded in the document, kept in memory until the draft is built."""

    content: bytes
    content_type: str = ""
    alt_text: str = ""


@dataclass
class Paragraph:
    """One paragraph of the source, as read and then as detected.

    ``html`` is sanitized inline rich text (what goes inside ``<p>``). The
    reader fills ``style`` ("title", "subtitle", "h1".."h6", "quote",
    "caption", "question", "answer", "li"), ``bold``, ``italic``,
    ``image`` (an index into ``Document.images``) and, for transcripts,
    ``speaker``; the detector sets ``kind`` and, for photos, ``caption``
    and ``credit``.
    """

    html: str = ""
    style: str = ""
    bold: bool = False
    italic: bool = False
    image: int | None = None
    src: str = ""  # An <img>'s address, until the reader turns it into ``image``.
    alt: str = ""
    speaker: str = ""
    kind: str = ""
    caption: str = ""
    credit: str = ""
    # Why the detector chose the kind, shown in the review ("ends with a question mark").
    reason: str = ""

    @property
    def text(self):
        return html_module.unescape(plain_text(self.html))

    @classmethod
    def from_text(cls, text, **fields):
        return cls(html=inline_html(escape(text)), **fields)


@dataclass
class Document:
    paragraphs: list[Paragraph]
    images: list[Image] = field(default_factory=list)
    source: str = ""  # "docx", "text", "markdown", "html", "vtt", "srt", "transcript"
    warnings: list[str] = field(default_factory=list)
    # Speakers named by the source (transcripts, "Name:" paragraphs), in order of appearance.
    interviewers: list[str] = field(default_factory=list)
    interviewees: list[str] = field(default_factory=list)

    @property
    def is_transcript(self):
        return self.source in ("vtt", "srt", "transcript")


_EMPTY_INLINE = re.compile(r"<(strong|em|b|i|a)\b[^>]*>\s*</\1>")
_EDGE_BREAKS = re.compile(r"^(\s|<br>)+|(\s|<br>)+$")


def inline_html(html):
    """Sanitized inline HTML of one paragraph: no wrapping <p>, no empty tags or edge breaks."""
    try:
        cleaned = sanitize(f"<p>{html}</p>")
    except ValidationError as error:  # Beyond the sanitizer's limits: longer than any real paragraph.
        raise ImportRefused(" ".join(error.messages)) from error
    cleaned = cleaned.removeprefix("<p>").removesuffix("</p>")
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = _EDGE_BREAKS.sub("", _EMPTY_INLINE.sub("", cleaned))
    return cleaned.strip()
