"""Quote cards: drawn to size, the whole quote set inside the safe area, redrawn when what they show changes."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles import card_drawing, cards
from articles.card_drawing import PAPER, SAFE_MARGIN, SIZES, CardContent
from articles.models import Block

from .factories import make_article, make_person, make_photo
from .workflow_support import contributor, editor

QUOTE = (
    "We did not set out to build a museum. We set out to keep the river's memory alive, "
    'and the "museum" was what people called it.'
)


def content(**fields):
    fields.setdefault("quote", QUOTE)
    fields.setdefault("name", "Ilse Marrow-Vance")
    fields.setdefault("role", "Director, Delta Water Archive")
    fields.setdefault("publication", "Newsroom")
    fields.setdefault("headline", "Ilse Marrow-Vance: the river remembers")
    return CardContent(**fields)


def words(text):
    return "".join(ch for ch in text if ch.isalnum() or ch.isspace()).split()


def ink_pixels(image, box):
    region = image.crop(box).convert("L")
    return sum(count for count, value in region.getcolors(256) if value < 128)


@pytest.mark.parametrize("kind", SIZES)
def test_card_has_its_size_and_the_whole_quote_in_real_quotation_marks(kind):
    image, layout = card_drawing.draw_card(content(), kind)

    assert image.size == SIZES[kind]
    set_text = " ".join(layout.quote_lines)
    assert set_text.startswith("“") and set_text.endswith("”")
    assert "‘museum’" in set_text and "river’s" in set_text and '"' not in set_text
    # Nothing cut: every word of the quote is on the card, in order.
    assert words(set_text) == words(QUOTE)


@pytest.mark.parametrize("kind", SIZES)
def test_every_text_box_is_inked_and_inside_the_safe_area(kind):
    width, height = SIZES[kind]
    image, layout = card_drawing.draw_card(content(portrait=Image.new("RGB", (300, 300), (0, 0, 0))), kind)

    boxes = [
        *layout.boxes["quote"],
        *(layout.boxes[key] for key in ("publication", "name", "role", "headline")),
    ]
    for left, top, right, bottom in boxes:
        assert left >= SAFE_MARGIN and top >= SAFE_MARGIN
        assert right <= width - SAFE_MARGIN and bottom <= height - SAFE_MARGIN
    for box in layout.boxes["quote"]:
        assert ink_pixels(image, box) > 200
    # The band between the frame and the safe area is bare paper all round.
    frame = card_drawing.FRAME_WIDTH
    for box in [
        (frame, frame, width - frame, SAFE_MARGIN),
        (frame, height - SAFE_MARGIN, width - frame, height - frame),
        (frame, frame, SAFE_MARGIN, height - frame),
        (width - SAFE_MARGIN, frame, width - frame, height - frame),
    ]:
        assert [colour for _, colour in image.crop(box).getcolors()] == [PAPER]


def test_portrait_is_placed_round_beside_the_name():
    portrait = Image.new("RGB", (500, 500), (20, 140, 60))
    image, layout = card_drawing.draw_card(content(portrait=portrait), "landscape")

    left, top, right, bottom = layout.boxes["portrait"]
    centre = image.getpixel(((left + right) // 2, (top + bottom) // 2))
    assert all(abs(a - b) < 8 for a, b in zip(centre, (20, 140, 60), strict=True))
    # Round: the corner of its square is paper.
    assert image.getpixel((left + 2, top + 2)) == PAPER
    assert layout.boxes["name"][0] > right


def test_no_word_is_left_alone_on_the_last_line():
    more = "and the towns along the banks remember each of them in their own way"
    for extra in range(len(more.split()) + 1):
        quote = "Rivers keep the record of every flood and every dry year " + " ".join(more.split()[:extra])
        for kind in SIZES:
            _, layout = card_drawing.draw_card(content(quote=quote), kind)
            if len(layout.quote_lines) > 1:
                assert len(layout.quote_lines[-1].split()) > 1, layout.quote_lines


def test_short_quotes_are_set_larger_than_long_ones():
    _, short = card_drawing.draw_card(content(quote="Water remembers."), "landscape")
    _, long = card_drawing.draw_card(content(), "landscape")
    assert short.quote_font_size > long.quote_font_size


@pytest.mark.parametrize(
    "text",
    ["Ελπίζω ότι το ποτάμι θυμάται", "Река помнит всё, что мы забываем", "Żółć, Ærø, Ñandú, Łódź"],
)
def test_greek_cyrillic_and_accented_latin_have_real_glyphs(text):
    typeface = card_drawing.font(card_drawing.QUOTE_FONT, 40)
    missing = bytes(typeface.getmask("\U000e0100"))  # a code point the font has no glyph for
    for ch in text.replace(" ", "").replace(",", ""):
        assert bytes(typeface.getmask(ch)) != missing, ch


@pytest.mark.django_db
def test_a_quote_too_long_for_a_card_is_refused_with_a_clear_message():
    article = make_article()
    block = Block(
        article=article, position=99, kind="quote", text="<p>" + "The river keeps going. " * 30 + "</p>"
    )

    with pytest.raises(ValidationError) as refused:
        block.full_clean()

    assert "too long for a card" in str(refused.value.message_dict["text"])


@pytest.mark.django_db
def test_an_answers_quote_must_come_from_the_answer():
    article = make_article()
    answer = article.blocks.get(kind="answer", position=2)
    answer.quote = "Words nobody said."

    with pytest.raises(ValidationError) as refused:
        answer.full_clean()

    assert "copied exactly from this answer" in str(refused.value.message_dict["quote"])
    answer.quote = "Answer 1, second paragraph."
    answer.full_clean()


def pull_quote(article, text="<p>The archive is a promise.</p>", **fields):
    return Block.objects.create(article=article, position=50, kind="quote", text=text, **fields)


def stored_card(block, kind="landscape"):
    with default_storage.open(block.cards[kind]["name"]) as file:
        return Image.open(io.BytesIO(file.read()))


@pytest.mark.django_db
def test_cards_are_stored_once_per_version_and_renamed_when_the_quote_changes():
    person = make_person("Odile Ferrant")
    article = make_article(interviewees=[person])
    block = pull_quote(article)

    assert cards.refresh_article_cards(article) == 1
    block.refresh_from_db()
    assert {stored_card(block, kind).size for kind in SIZES} == set(SIZES.values())
    first = {kind: block.cards[kind]["name"] for kind in SIZES}

    assert cards.refresh_article_cards(article) == 0  # unchanged: nothing redrawn or rewritten

    Block.objects.filter(pk=block.pk).update(text="<p>The archive is a promise we keep.</p>")
    assert cards.refresh_article_cards(article) == 1
    block.refresh_from_db()
    for kind in SIZES:
        assert block.cards[kind]["name"] != first[kind]
        assert default_storage.exists(block.cards[kind]["name"])
        assert not default_storage.exists(first[kind])


@pytest.mark.django_db
def test_a_new_name_role_or_portrait_redraws_the_card_after_commit(django_capture_on_commit_callbacks):
    person = make_person("Odile Ferrant", role="Archivist", organisation="")
    article = make_article(interviewees=[person])
    block = pull_quote(article)
    cards.refresh_article_cards(article)
    block.refresh_from_db()
    before = block.cards["fingerprint"]

    with django_capture_on_commit_callbacks(execute=True):
        person.role = "Chief archivist"
        person.save()
    block.refresh_from_db()
    after_role = block.cards["fingerprint"]
    assert after_role != before

    with django_capture_on_commit_callbacks(execute=True):
        person.portrait = make_photo(color=(200, 30, 30))
        person.save()
    block.refresh_from_db()
    assert block.cards["fingerprint"] != after_role
    image = stored_card(block)
    # The portrait sits at the left of the footer, under the rule.
    height = SIZES["landscape"][1]
    red = image.getpixel((SAFE_MARGIN + 55, height - SAFE_MARGIN - 150 + 20 + 55))
    assert red[0] > 150 and red[1] < 80


@pytest.mark.django_db
def test_answers_get_a_card_only_when_the_editor_chose_a_quote():
    article = make_article(questions=2)
    answer = article.blocks.filter(kind="answer").first()

    assert cards.refresh_article_cards(article) == 0
    answer.quote = "Answer 1, second paragraph."
    answer.save()
    assert cards.refresh_article_cards(article) == 1
    answer.refresh_from_db()
    assert set(answer.cards) == {"fingerprint", *SIZES}


@pytest.mark.django_db
def test_editor_sees_each_card_beside_its_quote_and_can_redraw_them(client):
    article = make_article()
    block = pull_quote(article)
    url = reverse("admin:articles_article_cards", args=[article.pk])
    client.force_login(editor())

    page = client.get(url)
    assert page.status_code == 200
    assert "The archive is a promise." in page.content.decode()
    assert "No card yet" in page.content.decode()

    response = client.post(url, follow=True)
    block.refresh_from_db()
    html = response.content.decode()
    assert "Redrew the cards of 1 quote" in html
    for kind in SIZES:
        assert default_storage.url(block.cards[kind]["name"]) in html
    assert html.count(" download>") == 2


@pytest.mark.django_db
def test_a_contributor_cannot_redraw_cards_of_an_interview_they_may_not_edit(client):
    article = make_article()
    pull_quote(article)
    client.force_login(contributor())

    response = client.post(reverse("admin:articles_article_cards", args=[article.pk]))

    assert response.status_code == 403
    assert not Block.objects.get(article=article, kind="quote").cards


@pytest.mark.django_db
def test_demo_content_comes_with_its_quote_cards():
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())

    with_cards = Block.objects.exclude(cards={})
    assert sorted(with_cards.values_list("kind", flat=True)) == ["answer", "quote", "quote"]
    for block in with_cards:
        assert {stored_card(block, kind).size for kind in SIZES} == set(SIZES.values())


@pytest.mark.django_db
def test_saving_in_the_admin_makes_the_card_and_shows_it_beside_its_quote(
    client, django_capture_on_commit_callbacks
):
    from .test_admin import BrowserForm, change_url

    article = make_article(status="draft")
    answer = article.blocks.get(kind="answer", position=2)
    client.force_login(editor())
    form = BrowserForm(client.get(change_url(article)), "article_form")
    row = form.row_for("blocks", answer.pk)
    form[f"blocks-{row}-quote"] = "Answer 1, second paragraph."

    with django_capture_on_commit_callbacks(execute=True):
        form.save(client, change_url(article))

    answer.refresh_from_db()
    html = client.get(change_url(article)).content.decode()
    assert f'<img src="{cards.card_url(answer)}"' in html


@pytest.mark.django_db
def test_a_quote_too_long_is_refused_in_the_admin_and_kept_on_the_form(client):
    from .test_admin import BrowserForm, change_url

    article = make_article(status="draft")
    answer = article.blocks.get(kind="answer", position=2)
    long_answer = "<p>" + "The river keeps going past every town. " * 12 + "</p>"
    Block.objects.filter(pk=answer.pk).update(text=long_answer)
    client.force_login(editor())
    form = BrowserForm(client.get(change_url(article)), "article_form")
    row = form.row_for("blocks", answer.pk)
    too_long = " ".join(["The river keeps going past every town."] * 12)
    form[f"blocks-{row}-quote"] = too_long

    response = form.post(client, change_url(article))

    assert response.status_code == 200
    html = response.content.decode()
    assert "too long for a card" in html
    assert too_long in html
    answer.refresh_from_db()
    assert answer.quote == ""
