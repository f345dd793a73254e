"""Quote cards: which blocks get one, what each shows, and their files in the media storage.

Every pull quote gets a card, and every answer whose editor chose a quote for it. A card's files
are named from a fingerprint of everything drawn on it, so an edit of the quote, the speaker's
name, role or portrait, or the headline, gives new names, and no cache can serve an old card.
Cards are drawn after the transaction commits, once per version: an unchanged card costs nothing.
"""

import logging
from dataclasses import replace

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps

from . import caching, card_drawing, rendering
from .card_drawing import SIZES, CardContent, QuoteTooLong
from .richtext import plain_text

logger = logging.getLogger(__name__)

PORTRAIT_PIXELS = 400


def quote_text(block):
    """The words on the block's card, or "" when it has none."""
    if block.kind == block.Kind.QUOTE:
        return plain_text(block.text)
    if block.kind == block.Kind.ANSWER:
        return " ".join(block.quote.split())
    return ""


def quote_problem(block):
    """Why this block's quote cannot go on a card, in the editor's words; "" when it can."""
    quote = quote_text(block)
    if not quote:
        return ""
    if block.kind == block.Kind.ANSWER and quote not in plain_text(block.text):
        return "The quote for a card must be copied exactly from this answer."
    try:
        card_drawing.check_fits(quote)
    except QuoteTooLong:
        return (
            f"This quote is too long for a card ({len(quote)} characters): choose a shorter "
            "passage, about 250 characters at most. Cards never cut a quote."
        )
    return ""


def _speaker(block, article):
    """The person quoted and the role to print: the block's speaker, else the sole interviewee."""
    links = list(article.interviewee_links.all())
    person = block.speaker
    if person is None and block.kind == block.Kind.QUOTE and block.attribution:
        person = next((link.person for link in links if link.person.name == block.attribution), None)
        if person is None:
            return None, block.attribution, ""
    if person is None and len(links) == 1:
        person = links[0].person
    if person is None:
        return None, block.attribution, ""
    link = next((link for link in links if link.person_id == person.pk), None)
    return person, person.name, link.role_line if link else person.role_line


def _portrait(photo):
    """The portrait, square at its focal point, small enough to draw quickly."""
    from .images import focal_crop_box

    with photo.image.storage.open(photo.image.name, "rb") as file:
        image = Image.open(file)
        image.draft("RGB", (PORTRAIT_PIXELS * 2, PORTRAIT_PIXELS * 2))
        image = ImageOps.exif_transpose(image).convert("RGB")
    box = focal_crop_box(image.width, image.height, photo.focal_x, photo.focal_y, 1)
    return image.crop(box).resize((PORTRAIT_PIXELS, PORTRAIT_PIXELS), Image.LANCZOS)


def card_content(block, article):
    """What the block's card shows, or None when the block has no card.

    The portrait is named (``portrait_key``) but not decoded: that waits until a card is drawn.
    """
    quote = quote_text(block)
    if not quote or quote_problem(block):
        return None
    person, name, role = _speaker(block, article)
    photo = person.portrait if person is not None and person.portrait_id else None
    content = CardContent(
        quote=quote,
        name=name or settings.SITE_NAME,
        role=role,
        publication=settings.SITE_NAME,
        headline=article.title,
        portrait_key=f"{photo.image.name}@{photo.focal_x},{photo.focal_y}" if photo else "",
    )
    return content, photo


def card_url(block, kind="landscape"):
    card = (block.cards or {}).get(kind)
    return default_storage.url(card["name"]) if card else ""


def refresh_block_cards(block, article, force=False):
    """Draw the block's cards when what they show changed; returns True when files were written."""
    content, photo = card_content(block, article) or (None, None)
    old = block.cards or {}
    if content is None:
        new = {}
    else:
        fingerprint = content.fingerprint()
        if old.get("fingerprint") == fingerprint and not force:
            return False
        new = {"fingerprint": fingerprint}
        if photo is not None:
            content = replace(content, portrait=_portrait(photo))
        for kind in SIZES:
            image, _ = card_drawing.draw_card(content, kind)
            name = f"cards/{article.pk}/{block.pk}-{fingerprint}-{kind}.png"
            # The name is the content: if it is there already, it is this very card.
            if force or not default_storage.exists(name):
                if default_storage.exists(name):
                    default_storage.delete(name)
                name = default_storage.save(name, ContentFile(card_drawing.encode(image)))
            new[kind] = {"name": name, "width": image.width, "height": image.height}
    if new == old:
        return False
    type(block).objects.filter(pk=block.pk).update(cards=new)
    # update() sends no signal: pages that show the card (a question's share
    # address, whose metadata is kept under the interview's version) must hear of it.
    caching.changed(caching.article_key(block.article_id))
    rendering.article_changed(block.article_id)
    block.cards = new
    _delete_unused(old, new)
    return True


def _delete_unused(old, new):
    keep = {card["name"] for kind, card in new.items() if kind in SIZES}
    for kind in SIZES:
        card = old.get(kind)
        if card and card["name"] not in keep:
            default_storage.delete(card["name"])


def refresh_article_cards(article, force=False):
    """Bring every card of the interview up to date; returns how many blocks got new cards."""
    from .models import Article, Block

    # Fresh from the database: after commit, with every speaker's role and portrait in one go.
    article = Article.objects.prefetch_related("interviewee_links__person__portrait").get(pk=article.pk)
    blocks = Block.objects.filter(article=article).select_related("speaker__portrait")
    made = 0
    for block in blocks:
        try:
            made += refresh_block_cards(block, article, force=force)
        except OSError:
            # A missing portrait file must not stop the editor's save; the card waits for the next one.
            logger.exception("Could not draw the quote card of block %s", block.pk)
    return made


def refresh_after_commit(article):
    transaction.on_commit(lambda: refresh_article_cards(article))


def refresh_for_person(person):
    """A person's name, role or portrait changed: the cards quoting them are redrawn after commit."""
    from .models import Article

    def refresh():
        articles = Article.objects.filter(interviewee_links__person=person).distinct()
        for article in articles.prefetch_related("interviewee_links__person"):
            refresh_article_cards(article)

    transaction.on_commit(refresh)
