"""One reader per format, each turning bytes into a ``Document`` of paragraphs.

Word documents go through mammoth (semantic HTML, Word's styles kept as
headings and classes), Markdown through markdown-it, pasted HTML straight to
the HTML reader; text is decoded first (``sources.decode_text``). Transcripts
(WebVTT, SubRip, "Name: text" or "Name 00:01:02" lines) give paragraphs with
their speaker. Every reader refuses with ``ImportRefused`` what it cannot read.
"""

import re
from pathlib import PurePath

import mammoth
import srt
import webvtt
from markdown_it import MarkdownIt

from . import sources
from .document import Document, Image, ImportRefused, Paragraph
from .html_reader import paragraphs_from_html

UNKNOWN_FORMAT = (
    "Files ending in “{suffix}” cannot be imported. Upload a Word document (.docx), a text or "
    "Markdown file (.txt, .md), a web page (.html) or a transcript (.vtt, .srt)."
)
NOTHING_READ = "No text was found in this file. Check that it is the interview and not an empty export."
BROKEN_TRANSCRIPT = (
    "This {kind} transcript could not be read: {reason}. Export it again from the recording tool."
)

# Word's own styles, and those a newsroom's template adds, as mammoth should map them.
DOCX_STYLES = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Caption'] => p.caption:fresh
p[style-name='Question'] => p.question:fresh
p[style-name='Answer'] => p.answer:fresh
"""


def read(name, data):
    """The document in ``data``, a file called ``name`` (its suffix says the format)."""
    sources.check_size(data)
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".docx":
        return read_docx(data)
    if suffix == ".doc":
        raise ImportRefused(sources.OLD_WORD)
    if suffix not in TEXT_READERS:
        raise ImportRefused(UNKNOWN_FORMAT.format(suffix=suffix or name))
    return TEXT_READERS[suffix](sources.decode_text(data))


def read_pasted(text):
    """What an editor pasted: HTML from a word processor or a web page, or plain text."""
    if not text or not text.strip():
        raise ImportRefused("Paste the interview's text, or choose a file to upload.")
    if re.search(r"<(p|div|br|h[1-6]|li|span|b|strong)\b", text, re.I):
        return _document(paragraphs_from_html(text), "html")
    return read_text(text)


# Word ------------------------------------------------------------------------------


def read_docx(data):
    images = []

    def keep(image):
        with image.open() as stream:
            images.append(Image(content=stream.read(), content_type=image.content_type or ""))
        return {"src": f"docx-image:{len(images) - 1}"}

    clean = sources.open_docx(data)
    try:
        result = mammoth.convert_to_html(
            clean, style_map=DOCX_STYLES, convert_image=mammoth.images.img_element(keep)
        )
    except Exception as error:  # mammoth raises many kinds of errors for broken files.
        raise ImportRefused(sources.NOT_DOCX) from error
    paragraphs = paragraphs_from_html(result.value)
    for paragraph in paragraphs:
        if paragraph.src.startswith("docx-image:"):
            paragraph.image = int(paragraph.src.removeprefix("docx-image:"))
            images[paragraph.image].alt_text = paragraph.alt
    return _document(paragraphs, "docx", images)


# Text and Markdown -------------------------------------------------------------------

# "Ines Valtrio 00:01:02" or "Ines Valtrio (1:02)" on a line of its own, as transcription tools write.
TIMED_SPEAKER = re.compile(
    r"^(?P<name>[^\W\d_][\w .'’-]{0,60}?)\s+\(?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\)?\s*$"
)
TIMESTAMP = re.compile(r"^\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?\s*")
# A line that starts a paragraph of its own even without an empty line before it.
MARKED_LINE = re.compile(r"^(?:[^\W\d_][\w.'’-]*(?: [\w.'’-]+){0,3}\s?:|\[?\d{1,2}:\d{2})")


def read_text(text):
    lines = text.split("\n")
    if sum(1 for line in lines if TIMED_SPEAKER.match(line.strip())) >= 2:
        return _document(_timed_transcript(lines), "transcript")
    paragraphs = []
    has_empty_lines = any(not line.strip() for line in lines[1:-1])
    current = []

    def flush():
        if current:
            paragraphs.append(Paragraph.from_text(TIMESTAMP.sub("", " ".join(current))))
            current.clear()

    for line in lines:
        line = " ".join(line.replace("\xa0", " ").split())
        if not line:
            flush()
            continue
        # Without empty lines every line is a paragraph; with them, lines are
        # wrapped text, unless a line starts with a marker ("Q:", "Name:", a time).
        if not has_empty_lines or MARKED_LINE.match(line):
            flush()
        current.append(line)
    flush()
    return _document(paragraphs, "text")


def _timed_transcript(lines):
    paragraphs, speaker, current = [], "", []

    def flush():
        if current:
            paragraphs.append(Paragraph.from_text(" ".join(current), speaker=speaker))
            current.clear()

    for line in lines:
        line = line.strip()
        header = TIMED_SPEAKER.match(line)
        if header:
            flush()
            speaker = header["name"].strip()
        elif line:
            current.append(line)
    flush()
    return paragraphs


def read_markdown(text):
    html = MarkdownIt("commonmark", {"html": False}).render(text)
    return _document(paragraphs_from_html(html), "markdown")


def read_html(text):
    return _document(paragraphs_from_html(text), "html")


# Transcripts -------------------------------------------------------------------------

SPEAKER_IN_CUE = re.compile(
    r"^(?:\[(?P<bracketed>[^\]]{1,60})\]|(?P<name>[^\W\d_][\w .'’-]{0,60}?)\s*:)\s+(?P<text>.+)$", re.S
)


def read_vtt(text):
    try:
        captions = webvtt.from_string(text).captions
    except Exception as error:  # webvtt-py raises its own errors for malformed files.
        raise ImportRefused(
            BROKEN_TRANSCRIPT.format(kind="WebVTT", reason="its cues are malformed")
        ) from error
    cues = []
    for caption in captions:
        cue_text = " ".join(caption.text.split())
        voice = getattr(caption, "voice", None)
        cues.append((voice.strip() if voice else "", cue_text))
    return _document(_turns(cues), "vtt")


def read_srt(text):
    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as error:
        raise ImportRefused(
            BROKEN_TRANSCRIPT.format(kind="SubRip", reason="its numbered cues are malformed")
        ) from error
    return _document(_turns(("", " ".join(item.content.split())) for item in subtitles), "srt")


def _turns(cues):
    """Consecutive cues of one speaker make one paragraph; a cue without a name continues the last speaker."""
    turns = []  # (speaker, [texts])
    for voice, text in cues:
        if not text:
            continue
        if not voice:
            named = SPEAKER_IN_CUE.match(text)
            if named:
                voice = (named["bracketed"] or named["name"]).strip()
                text = named["text"]
        voice = voice or (turns[-1][0] if turns else "")
        if turns and turns[-1][0] == voice:
            turns[-1][1].append(text)
        else:
            turns.append((voice, [text]))
    return [Paragraph.from_text(" ".join(texts), speaker=voice) for voice, texts in turns]


TEXT_READERS = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".vtt": read_vtt,
    ".srt": read_srt,
}


def _document(paragraphs, source, images=None):
    if not any(paragraph.text or paragraph.style == "image" for paragraph in paragraphs):
        raise ImportRefused(NOTHING_READ)
    return Document(paragraphs=paragraphs, images=images or [], source=source)
