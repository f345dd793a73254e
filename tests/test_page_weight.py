"""The interview page stays light: one share menu for all questions, compressed responses."""

import gzip

import pytest
from django.utils import timezone

from articles.models import Block

from .factories import make_article, make_person, make_photo

pytestmark = pytest.mark.django_db

# The weight a 10-question interview may have, in bytes of HTML before compression.
MAX_PAGE_BYTES = 35_000
SENTENCE = "We measured the tide against the old marks on the harbour wall, and the numbers kept rising. "


def realistic_interview(questions=10):
    """An interview of the size the desk publishes: 10 questions, answers of three paragraphs
    (about 150 words), three photos, two authors, two interviewees, three tags, related interviews."""
    photo = {"size": (1600, 1000)}
    authors = [make_person(f"Author {n}", portrait=make_photo(size=(200, 200))) for n in (1, 2)]
    guests = [make_person("Céline Marchetti", role="Hydrologist"), make_person("Dev Okafor", role="Mayor")]
    article = make_article(
        "Céline Marchetti & Dev Okafor: “Rivers keep the ledger” — on water and towns",
        standfirst=SENTENCE * 3,
        questions=0,
        authors=authors,
        interviewees=guests,
        tags=["Climate", "Water", "Towns"],
        lead_photo=make_photo(**photo),
    )
    blocks = []
    for n in range(1, questions + 1):
        blocks.append(Block(kind="question", text=f"<p>Question {n}: what did the river teach the town?</p>"))
        paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(3))
        blocks.append(Block(kind="answer", text=paragraphs, speaker=guests[n % 2]))
        if n in (2, 5, 8):
            blocks.append(Block(kind="photo", photo=make_photo(**photo)))
    for position, block in enumerate(blocks, start=1):
        block.article, block.position = article, position
    Block.objects.bulk_create(blocks)
    for _ in range(4):
        make_article(tags=["Water"], lead_photo=make_photo(**photo), published_at=timezone.now())
    return article


def test_a_ten_question_interview_weighs_at_most_35000_bytes(client):
    article = realistic_interview()
    html = client.get(article.get_absolute_url()).content
    text = "".join(Block.objects.filter(article=article).values_list("text", flat=True))
    assert len(text) > 8_000  # the text itself is not what got lighter
    assert len(html) <= MAX_PAGE_BYTES, len(html)
    assert html.count(b"https://x.com/intent/post") == 2  # the full share bar: its link and its template
    assert html.count(b'class="qa-q"') == 10
    print(f"10-question interview: {len(html)} bytes, {len(gzip.compress(html))} gzipped")
