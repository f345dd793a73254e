"""An answer as text an interviewee can edit in a plain box, and back; and the editor's word-level diff.

Interviewees are not asked to handle formatting: they get the answer's words,
one paragraph per block of lines. Paragraphs they leave as they were keep
their original HTML (emphasis, links); the ones they change become plain
paragraphs. Everything they send goes through richtext.sanitize.
"""

import difflib
import html
import re

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from .richtext import sanitize
from .text import clean_text

# Sanitized rich text has a small, known set of top-level elements (richtext.ALLOWED_TAGS).
_TOP_LEVEL = re.compile(r"<(p|ul|ol)\b[^>]*>.*?</\1>", re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>")
_ITEM_END = re.compile(r"</li>")
_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n\s*\n")


def _chunk_text(chunk):
    """The words of one top-level element, with its line breaks; list items one per line."""
    chunk = _BREAK.sub("\n", chunk)
    chunk = _ITEM_END.sub("\n", chunk)
    text = html.unescape(_TAG.sub("", chunk))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _chunks(stored_html):
    """(text, html) for each paragraph or list of ``stored_html``."""
    found = [match.group(0) for match in _TOP_LEVEL.finditer(stored_html or "")]
    if not found and (stored_html or "").strip():
        found = [stored_html]
    return [(_chunk_text(chunk), chunk) for chunk in found]


def editable_text(stored_html):
    """The answer as the interviewee edits it: paragraphs separated by an empty line."""
    return "\n\n".join(text for text, _ in _chunks(stored_html) if text)


def normalise(text):
    """Text as typed, with the differences that mean nothing (spaces, line endings) removed."""
    text = clean_text((text or "").replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = _BLANK_LINES.split(text)
    cleaned = []
    for paragraph in paragraphs:
        lines = [" ".join(line.split()) for line in paragraph.splitlines()]
        lines = [line for line in lines if line]
        if lines:
            cleaned.append("\n".join(lines))
    return "\n\n".join(cleaned)


def to_html(text, seen_html):
    """The interviewee's text as sanitized rich text, keeping the HTML of every paragraph left unchanged."""
    originals = {}
    for chunk_text, chunk_html in _chunks(seen_html):
        originals.setdefault(chunk_text, chunk_html)
    parts = []
    for paragraph in normalise(text).split("\n\n"):
        if not paragraph:
            continue
        if paragraph in originals:
            parts.append(originals[paragraph])
        else:
            lines = [escape(line) for line in paragraph.split("\n")]
            parts.append("<p>" + "<br>".join(lines) + "</p>")
    return sanitize("".join(parts))


def word_diff(before_html, after_html):
    """The change from ``before_html`` to ``after_html``, word by word, as ``<del>`` and ``<ins>``.

    Paragraph breaks show as "¶" so that a split or joined paragraph is visible.
    """
    before = _words(before_html)
    after = _words(after_html)
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", " ".join(before[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", " ".join(after[b1:b2])))
    return mark_safe(" ".join(parts))


def has_changes(before_html, after_html):
    return _words(before_html) != _words(after_html)


def _words(stored_html):
    words = []
    for paragraph in editable_text(stored_html).split("\n\n"):
        if words:
            words.append("¶")
        words += paragraph.split()
    return words


def paragraphs(text):
    """Plain text (a comment or a reply) as paragraphs for a template, escaped."""
    return format_html_join(
        "", "<p>{}</p>", ((paragraph,) for paragraph in normalise(text).split("\n\n") if paragraph)
    )
