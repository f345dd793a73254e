"""Drawing quote cards: the quote, the speaker and the publication set on an image with Pillow.

Pure drawing, no models and no storage (articles/cards.py decides what gets a card and keeps the files).
Two sizes: 1200x630 for link previews and 1080x1350 for image posts.
"""

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont, ImageOps

SIZES = {"landscape": (1200, 630), "portrait": (1080, 1350)}
# Bump when the drawing changes, so every card is redrawn under a new name.
CARDS_VERSION = 1
FONTS = Path(settings.BASE_DIR) / "static" / "fonts"

# The site's colours (static/css/site.css). A card carries its own opaque paper and a dark frame,
# so it reads the same on a light or a dark timeline.
PAPER = (244, 242, 238)
INK = (26, 26, 26)
MUTED = (85, 85, 85)
ACCENT = (155, 28, 28)
FRAME = (26, 26, 26)

# Everything readers must see stays this far inside the edges; networks crop and round corners.
SAFE_MARGIN = 64
FRAME_WIDTH = 14


class QuoteTooLong(ValueError):
    """The quote cannot be set on a card at a legible size without cutting it."""


@dataclass(frozen=True)
class CardContent:
    quote: str
    name: str
    role: str = ""
    publication: str = ""
    headline: str = ""
    # An upright RGB image of the speaker, already cropped square at the focal point.
    portrait: Image.Image | None = field(default=None, compare=False)
    portrait_key: str = ""

    def fingerprint(self):
        data = asdict(self)
        data.pop("portrait")
        data["version"] = CARDS_VERSION
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class Layout:
    """Where each piece of text went, so tests (and editors' warnings) can check the result."""

    size: tuple
    quote_lines: list
    quote_font_size: int
    boxes: dict


@cache
def font(name, size):
    return ImageFont.truetype(str(FONTS / name), size)


QUOTE_FONT = "NotoSerif-Regular.ttf"
NAME_FONT = "NotoSans-Bold.ttf"
SMALL_FONT = "NotoSans-Regular.ttf"


def typeset(text):
    """Real quotation marks and dashes, the whole quote inside one pair of marks."""
    text = " ".join(text.split())
    text = text.strip('"“”„«» ')
    # Straight quotes become curly: opening after a space or bracket, closing elsewhere.
    text = re.sub(r'(^|[\s(\[—–-])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[—–-])'", "\\1‘", text)
    text = text.replace("'", "’")
    text = text.replace(" -- ", " – ").replace(" - ", " – ")
    # Inner quotations use single marks, as the outer pair is double.
    text = text.replace("“", "‘").replace("”", "’") if "“" in text else text
    return f"“{text}”"


def _width(text, typeface):
    return typeface.getlength(text)


def _greedy(words, typeface, max_width):
    lines = []
    current = []
    for word in words:
        candidate = " ".join([*current, word])
        if current and _width(candidate, typeface) > max_width:
            lines.append(current)
            current = [word]
        else:
            current.append(word)
    if current:
        lines.append(current)
    return lines


def wrap(text, typeface, max_width):
    """Lines within max_width, as even in length as the same number of lines allows.

    Even lines read better than a full box with a ragged end, and leave no word alone on the
    last line. Returns None when a single word is wider than the line (it would have to be cut).
    """
    words = text.split()
    if any(_width(word, typeface) > max_width for word in words):
        return None
    lines = _greedy(words, typeface, max_width)
    # The narrowest measure that still needs no more lines gives the most even lines.
    width = max_width
    while len(lines) > 1 and width > max_width * 0.6:
        narrower = _greedy(words, typeface, width - max_width * 0.02)
        if len(narrower) != len(lines):
            break
        lines, width = narrower, width - max_width * 0.02
    # Still an orphan: pull the previous line's last word down when the last line has room.
    if len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-2]) > 2:
        moved = [lines[-2][-1], *lines[-1]]
        if _width(" ".join(moved), typeface) <= max_width:
            lines[-2] = lines[-2][:-1]
            lines[-1] = moved
    return [" ".join(line) for line in lines]


def _line_height(size):
    return round(size * 1.32)


def fit_quote(text, box_width, box_height, largest, smallest):
    """The largest font size at which the whole quote fits the box, with its lines."""
    for size in range(largest, smallest - 1, -2):
        typeface = font(QUOTE_FONT, size)
        lines = wrap(text, typeface, box_width)
        if lines is not None and len(lines) * _line_height(size) <= box_height:
            return size, lines
    raise QuoteTooLong(text)


# Per size: the quote's box and font sizes, the footer's height, the portrait's diameter.
GEOMETRY = {
    "landscape": {"quote_top": 128, "footer": 150, "largest": 60, "smallest": 30, "portrait": 110},
    "portrait": {"quote_top": 190, "footer": 250, "largest": 76, "smallest": 40, "portrait": 170},
}


def quote_box(kind):
    width, height = SIZES[kind]
    geometry = GEOMETRY[kind]
    left = SAFE_MARGIN
    right = width - SAFE_MARGIN
    # Clear of the rule above the footer.
    bottom = height - SAFE_MARGIN - geometry["footer"] - 24
    return left, geometry["quote_top"], right, bottom


def check_fits(quote):
    """Raise QuoteTooLong unless the quote fits both card sizes; editors get this message."""
    text = typeset(quote)
    for kind in SIZES:
        left, top, right, bottom = quote_box(kind)
        geometry = GEOMETRY[kind]
        fit_quote(text, right - left, bottom - top, geometry["largest"], geometry["smallest"])


def _fit_line(text, font_name, size, smallest, max_width):
    """One line of furniture (name, headline): smaller type first, then whole words dropped."""
    for current in range(size, smallest - 1, -2):
        typeface = font(font_name, current)
        if _width(text, typeface) <= max_width:
            return text, typeface
    typeface = font(font_name, smallest)
    words = text.split()
    while len(words) > 1 and _width(" ".join(words) + "…", typeface) > max_width:
        words.pop()
    return " ".join(words) + "…", typeface


def _round_portrait(image, diameter):
    square = ImageOps.fit(image.convert("RGB"), (diameter, diameter), Image.LANCZOS)
    mask = Image.new("L", (diameter * 4, diameter * 4), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, diameter * 4 - 1, diameter * 4 - 1), fill=255)
    return square, mask.resize((diameter, diameter), Image.LANCZOS)


def draw_card(content, kind):
    """The card as a Pillow image, and where its text went."""
    width, height = SIZES[kind]
    geometry = GEOMETRY[kind]
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, height - 1), outline=FRAME, width=FRAME_WIDTH)
    boxes = {}

    # A short accent rule with the publication's name above the quote.
    publication, typeface = _fit_line(content.publication.upper(), NAME_FONT, 26, 18, width - 2 * SAFE_MARGIN)
    draw.rectangle((SAFE_MARGIN, SAFE_MARGIN, SAFE_MARGIN + 56, SAFE_MARGIN + 6), fill=ACCENT)
    position = (SAFE_MARGIN, SAFE_MARGIN + 18)
    draw.text(position, publication, font=typeface, fill=ACCENT)
    boxes["publication"] = draw.textbbox(position, publication, font=typeface)

    left, top, right, bottom = quote_box(kind)
    text = typeset(content.quote)
    size, lines = fit_quote(text, right - left, bottom - top, geometry["largest"], geometry["smallest"])
    typeface = font(QUOTE_FONT, size)
    line_height = _line_height(size)
    # The quote sits in the middle of its box, so short quotes do not cling to the top.
    y = top + (bottom - top - len(lines) * line_height) // 2
    quote_boxes = []
    for line in lines:
        draw.text((left, y), line, font=typeface, fill=INK)
        quote_boxes.append(draw.textbbox((left, y), line, font=typeface))
        y += line_height
    boxes["quote"] = quote_boxes

    # Footer: portrait, name and role on the left; the headline under them.
    footer_top = height - SAFE_MARGIN - geometry["footer"]
    draw.line((SAFE_MARGIN, footer_top, width - SAFE_MARGIN - 1, footer_top), fill=MUTED, width=2)
    text_left = SAFE_MARGIN
    diameter = geometry["portrait"]
    row_top = footer_top + 20
    if content.portrait is not None:
        square, mask = _round_portrait(content.portrait, diameter)
        image.paste(square, (SAFE_MARGIN, row_top), mask)
        boxes["portrait"] = (SAFE_MARGIN, row_top, SAFE_MARGIN + diameter, row_top + diameter)
        text_left = SAFE_MARGIN + diameter + 28
    text_width = width - SAFE_MARGIN - text_left
    name_size = 34 if kind == "landscape" else 44
    name, typeface = _fit_line(content.name, NAME_FONT, name_size, 22, text_width)
    draw.text((text_left, row_top), name, font=typeface, fill=INK)
    boxes["name"] = draw.textbbox((text_left, row_top), name, font=typeface)
    y = boxes["name"][3] + 8
    for key, value in (("role", content.role), ("headline", content.headline)):
        if not value:
            continue
        small = 24 if kind == "landscape" else 32
        line, typeface = _fit_line(value, SMALL_FONT, small, 18, text_width)
        draw.text((text_left, y), line, font=typeface, fill=MUTED if key == "role" else INK)
        boxes[key] = draw.textbbox((text_left, y), line, font=typeface)
        y = boxes[key][3] + 8
    return image, Layout((width, height), lines, size, boxes)


def encode(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
