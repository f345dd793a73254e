"""Each question's own share address, ``/interviews/<slug>/q/<n>/``.

A link shared on a social network is read twice: by the network's crawler, for the preview, and by
the people who follow it. Crawlers read the metadata of the address they fetch (after HTTP
redirects) and never see a ``#fragment``, so a redirect to ``/interviews/<slug>/#q-3`` would give
every question the interview's preview. The share address therefore answers with the interview page
itself, carrying that question's metadata (its text, the answer's quote, the quote card as image)
and ``og:url`` set to the share address; its canonical link names the interview, so search engines
index one page. The site's script scrolls readers to the question, and a link at the top does the
same without script.
"""

from dataclasses import dataclass

from . import cards
from .models import Block
from .richtext import plain_text

# Long enough for a question or a quote in a preview, short enough not to be cut by the network.
TITLE_LENGTH = 150
DESCRIPTION_LENGTH = 220


@dataclass
class SharedQuestion:
    number: int
    question: str
    quote: str
    speaker: str
    card: dict | None
    card_url: str


def shorten(text, length):
    """At most ``length`` characters, cut at a word and marked, never mid-word."""
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:—–-")
    return cut + "…"


def find(article, number, interviewee_links):
    """Question ``number`` (from 1, as the page's #q-N anchors count) with what answers it, or None.

    ``interviewee_links`` are the article's, with their people (rendering.page_parts()).
    """
    blocks = Block.objects.filter(article=article).select_related("speaker").order_by("position", "id")
    count = 0
    question = None
    answer = None
    quote_block = None
    for block in blocks:
        if block.kind == Block.Kind.QUESTION:
            if question is not None:
                break
            count += 1
            if count == number:
                question = block
        elif question is not None:
            if block.kind == Block.Kind.ANSWER and answer is None:
                answer = block
            elif block.kind == Block.Kind.QUOTE and quote_block is None:
                quote_block = block
    if question is None:
        return None
    # The card: the answer's own quote first, else a pull quote inside this question's answer.
    source = answer if answer is not None and (answer.cards or answer.quote) else quote_block or answer
    quote = cards.quote_text(source) if source is not None else ""
    if not quote and answer is not None:
        quote = plain_text(answer.text)
    speaker = ""
    if source is not None and source.speaker_id:
        speaker = source.speaker.name
    elif source is not None and source.kind == Block.Kind.QUOTE:
        speaker = source.attribution
    elif len(interviewee_links) == 1:
        speaker = interviewee_links[0].person.name
    card = (source.cards or {}).get("landscape") if source is not None else None
    return SharedQuestion(
        number=number,
        question=plain_text(question.text),
        quote=quote,
        speaker=speaker,
        card=card,
        card_url=cards.card_url(source) if card else "",
    )
