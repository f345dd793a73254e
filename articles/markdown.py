"""An interview as Markdown: readable anywhere, and read back by the importer as the same structure.

Questions are bold paragraphs, photos an image line with their caption and a
"Credit:" line, so ``importing`` finds questions, answers and photos again.
"""

import re
from html.parser import HTMLParser

from .richtext import plain_text

_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")


def _escape(text):
    return _SPECIAL.sub(r"\\\1", text)


class _ToMarkdown(HTMLParser):
    """Sanitized rich text (p, br, strong, em, a, ul, ol, li) to Markdown paragraphs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self.current = []
        self.lists = []
        self.href = []

    def flush(self):
        text = "".join(self.current).strip()
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.flush()
        elif tag in ("strong", "b"):
            self.current.append("**")
        elif tag in ("em", "i"):
            self.current.append("*")
        elif tag == "br":
            self.current.append("  \n")
        elif tag == "a":
            self.href.append(dict(attrs).get("href") or "")
            self.current.append("[")
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append([tag, 0])
        elif tag == "li":
            self.flush()
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            self.current.append("- " if kind[0] == "ul" else f"{kind[1]}. ")

    def handle_endtag(self, tag):
        if tag in ("p", "li"):
            self.flush()
        elif tag in ("strong", "b"):
            self.current.append("**")
        elif tag in ("em", "i"):
            self.current.append("*")
        elif tag == "a":
            self.current.append(f"]({self.href.pop() if self.href else ''})")
        elif tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()

    def handle_data(self, data):
        self.current.append(_escape(" ".join(data.split()) if data.strip() else " "))

    def close(self):
        super().close()
        self.flush()


def paragraphs(html):
    parser = _ToMarkdown()
    parser.feed(html or "")
    parser.close()
    return parser.paragraphs


def _names(links):
    return ", ".join(link.person.name for link in links)


def interview_markdown(article, blocks, *, photos=None):
    """The interview as Markdown; ``photos`` maps "p<id>" to archive entries, whose files the images link to."""
    photos = photos or {}
    interviewee_links = list(article.interviewee_links.all())
    lines = [f"# {_escape(article.title)}", ""]
    if article.standfirst:
        lines += [f"*{_escape(' '.join(article.standfirst.split()))}*", ""]
    authors = list(article.author_links.all())
    if authors:
        lines += [f"By {_escape(_names(authors))}", ""]
    details = [f"Status: {article.get_status_display()}"]
    if article.published_at:
        details.append(f"published {article.published_at:%Y-%m-%d %H:%M %Z}")
    if interviewee_links:
        details.append(f"interviewees: {_escape(_names(interviewee_links))}")
    tags = list(article.tags.names())
    if tags:
        details.append(f"tags: {_escape(', '.join(tags))}")
    lines += ["<!-- " + "; ".join(details).replace("--", "–") + " -->", ""]
    show_speakers = len(interviewee_links) > 1
    for block in blocks:
        if block.kind == "photo":
            caption = block.display_caption
            if block.photo_id:
                entry = photos.get(f"p{block.photo_id}")
                target = f"../{entry['file']}" if entry else block.photo.image.url
                lines += [f"![{_escape(block.photo.alt_text)}]({target})", ""]
            if caption:
                lines += [_escape(" ".join(caption.split())), ""]
            if block.display_credit:
                lines += [f"Credit: {_escape(block.display_credit)}", ""]
            continue
        texts = paragraphs(block.text)
        if block.kind == "question":
            texts = [f"**{text}**" for text in texts]
        elif block.kind == "heading":
            texts = [f"## {_escape(plain_text(block.text))}"]
        elif block.kind == "quote":
            texts = [f"> {text}" for text in texts]
            if block.attribution and texts:
                texts[-1] += f"  \n> — {_escape(block.attribution)}"
        elif block.kind == "answer" and show_speakers and block.speaker_id and texts:
            texts[0] = f"{_escape(block.speaker.name)}: {texts[0]}"
        for text in texts:
            lines += [text, ""]
    corrections = list(article.corrections.all())
    for correction in corrections:
        body = " ".join(paragraphs(correction.text))
        lines += [f"*{correction.get_kind_display()} ({correction.created_at:%Y-%m-%d}):* {body}", ""]
    return "\n".join(lines).rstrip() + "\n"
