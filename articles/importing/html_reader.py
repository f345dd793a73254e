"""HTML (pasted from a word processor or a web page, or made from .docx and Markdown) to paragraphs.

Only the text, its emphasis and links survive; every paragraph's HTML then
goes through the site's sanitizer (``richtext.sanitize``).
"""

import re
from html import escape
from html.parser import HTMLParser

from .document import Paragraph, inline_html

BLOCKS = {
    "p", "div", "li", "blockquote", "figcaption", "figure", "dt", "dd", "td", "th", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "tr", "ul", "ol", "table",
}  # fmt: skip
# Never part of an interview: scripts, styles and a web page's furniture.
SKIPPED = {
    "script",
    "style",
    "head",
    "title",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
}
VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source"}
INLINE = {"strong": "strong", "b": "strong", "em": "em", "i": "em"}

_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.I)
_NOT_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(normal|[1-4]00)", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.I)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self.skipping = 0
        self.parts = []
        self.style = ""
        self.block_styles = []  # (tag, style) of open block elements
        # Open inline elements: (tag, emitted closing tag or "", bold, italic).
        self.inline = []
        self.text_chars = 0
        self.bold_chars = 0
        self.italic_chars = 0
        self.breaks = 0

    # Paragraph boundaries.

    def flush(self):
        html = inline_html("".join(self.parts))
        if html:
            self.paragraphs.append(
                Paragraph(
                    html=html,
                    style=self.current_style(),
                    bold=self.text_chars > 0 and self.bold_chars >= self.text_chars * 0.9,
                    italic=self.text_chars > 0 and self.italic_chars >= self.text_chars * 0.9,
                )
            )
        self.parts = []
        self.text_chars = self.bold_chars = self.italic_chars = 0
        self.breaks = 0
        # Emphasis still open carries on into the next paragraph.
        self.parts = [f"<{closing.strip('</>')}>" for _, closing, *_ in self.inline if closing]

    def current_style(self):
        for _tag, style in reversed(self.block_styles):
            if style:
                return style
        return ""

    @staticmethod
    def style_of(tag, attrs):
        classes = (attrs.get("class") or "").split()
        for name in ("title", "subtitle", "question", "answer", "caption"):
            if name in classes:
                return name
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return tag
        if tag == "blockquote":
            return "quote"
        if tag in ("li", "figcaption"):
            return "caption" if tag == "figcaption" else "li"
        return ""

    # Parser callbacks.

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED:
            if tag not in VOID:
                self.skipping += 1
            return
        if self.skipping:
            return
        if tag in BLOCKS:
            self.flush()
            self.block_styles.append((tag, self.style_of(tag, attrs)))
        elif tag == "br":
            self.breaks += 1
            if self.breaks >= 2:  # An empty line inside a paragraph ends it.
                self.flush()
            else:
                self.parts.append("<br>")
        elif tag == "img":
            self.flush()
            self.paragraphs.append(
                Paragraph(style="image", src=attrs.get("src") or "", alt=attrs.get("alt") or "")
            )
        elif tag in INLINE or tag in ("span", "a", "font", "u", "sup", "sub"):
            self.open_inline(tag, attrs)

    def open_inline(self, tag, attrs):
        style = attrs.get("style") or ""
        bold = (tag in ("strong", "b") and not _NOT_BOLD_STYLE.search(style)) or bool(
            _BOLD_STYLE.search(style)
        )
        italic = tag in ("em", "i") or bool(_ITALIC_STYLE.search(style))
        if tag in ("b", "strong", "span", "font") and _NOT_BOLD_STYLE.search(style) and not italic:
            # Google Docs wraps a whole paste in <b style="font-weight:normal">.
            self.inline.append((tag, "", False, False))
            return
        closing = ""
        if tag == "a" and (attrs.get("href") or "").startswith(("http://", "https://", "mailto:")):
            self.parts.append(f'<a href="{escape(attrs["href"])}">')
            closing = "</a>"
        elif bold:
            self.parts.append("<strong>")
            closing = "</strong>"
        elif italic:
            self.parts.append("<em>")
            closing = "</em>"
        self.inline.append((tag, closing, bold, italic))

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag in BLOCKS:
            self.flush()
            for index in range(len(self.block_styles) - 1, -1, -1):
                if self.block_styles[index][0] == tag:
                    del self.block_styles[index:]
                    break
            return
        for index in range(len(self.inline) - 1, -1, -1):
            if self.inline[index][0] == tag:
                for _, closing, *_ in reversed(self.inline[index:]):
                    if closing:
                        self.parts.append(closing)
                del self.inline[index:]
                break

    def handle_data(self, data):
        if self.skipping:
            return
        if data.strip():
            self.breaks = 0
        text = " ".join(data.replace("\xa0", " ").split())
        if not text:
            if data and self.parts and not self.parts[-1].endswith(" "):
                self.parts.append(" ")
            return
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace():
            text += " "
        self.parts.append(escape(text, quote=False))
        count = len(text.strip())
        self.text_chars += count
        if any(bold for *_, bold, _ in self.inline):
            self.bold_chars += count
        if any(italic for *_, italic in self.inline):
            self.italic_chars += count

    def close(self):
        super().close()
        self.flush()


def paragraphs_from_html(html):
    """Paragraphs of ``html``; an ``<img>`` becomes a paragraph of style "image" with its ``src`` and ``alt``."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.paragraphs
