"""The structure detector on fictional interviews in every format: exact kinds, texts, order, photos."""

import codecs

import pytest

from articles.importing import detect, read, read_pasted

from . import import_fixtures as fx


@pytest.mark.parametrize("questions", ["bold", "heading", "markers", "plain"])
def test_a_word_document_comes_out_as_written_whatever_marks_its_questions(questions):
    document = detect(read("seed-bank.docx", fx.seed_bank_docx(questions)))
    assert fx.structure(document) == fx.EXPECTED
    assert document.interviewers == ["Marek Osei"]
    assert document.interviewees == ["Ines Valtrio"]


def test_an_embedded_photo_with_its_credit_line_becomes_a_photo_with_its_picture():
    document = detect(read("seed-bank.docx", fx.seed_bank_docx("bold", picture=True)))
    assert fx.structure(document) == fx.EXPECTED
    photo = next(p for p in document.paragraphs if p.kind == "photo")
    assert photo.image == 0
    assert document.images[0].content_type == "image/jpeg"
    assert document.images[0].content.startswith(b"\xff\xd8")
    assert not any("slot" in warning for warning in document.warnings)


def test_a_credit_line_without_a_picture_is_a_slot_and_the_review_says_so():
    document = detect(read("seed-bank.docx", fx.seed_bank_docx("bold")))
    photo = next(p for p in document.paragraphs if p.kind == "photo")
    assert (photo.image, photo.caption, photo.credit) == (None, fx.CAPTION, fx.CREDIT)
    assert document.warnings == [
        "Photo 1 is a slot: the document has no picture for it. Choose or upload the photo in the "
        "draft; it cannot be published before."
    ]


def test_word_paragraph_styles_named_question_and_answer_are_followed():
    document = detect(read("maps.docx", fx.styled_docx()))
    assert fx.structure(document) == [
        ("title", "", "Lio Brandt: on maps"),
        ("standfirst", "", "A cartographer on drawing what is not there yet."),
        ("question", "", "Tell me about your first map."),
        ("answer", "", "It was of my grandmother's garden, with a dragon in it."),
        ("question", "", "And now?"),
        ("answer", "", "Now the dragons are data."),
    ]


@pytest.mark.parametrize(
    "name,content",
    [
        ("seed-bank.txt", fx.SEED_BANK_TEXT),
        ("seed-bank.md", fx.SEED_BANK_MARKDOWN),
        ("seed-bank.html", fx.SEED_BANK_HTML),
    ],
)
def test_text_markdown_and_html_files_give_the_same_interview(name, content):
    assert fx.structure(detect(read(name, content.encode()))) == fx.EXPECTED


def test_pasted_html_keeps_emphasis_and_links_but_nothing_unsafe():
    pasted = (
        "<h1>Lio Brandt: on maps</h1><p>A cartographer.</p>"
        '<p><b>Where do you <i>start</i>?</b></p><p onclick="steal()">With a <a href="https://maps.example.org/x" '
        'style="color:red">blank sheet</a>, <em>always</em>.<img src="x" onerror="steal()"></p>'
        '<p><b><a href="javascript:steal()">Really?</a></b></p><p>Really.</p>'
    )
    document = detect(read_pasted(pasted))
    assert [(p.kind, p.html) for p in document.paragraphs] == [
        ("title", "Lio Brandt: on maps"),
        ("standfirst", "A cartographer."),
        ("question", "<strong>Where do you <em>start</em>?</strong>"),
        (
            "answer",
            'With a <a href="https://maps.example.org/x" rel="noopener">blank sheet</a>, <em>always</em>.',
        ),
        ("question", "<strong>Really?</strong>"),
        ("answer", "Really."),
    ]
    assert "A picture that was only linked, not embedded, was left out." in document.warnings


def test_pasted_plain_text_with_speaker_names_and_initials():
    pasted = """Ola Brenne: the last lighthouse keeper

She kept the light at Skarvik for thirty years.

OB: Good morning. Are you ready?
IV: As ready as the sea allows.
Most days it does not.
OB: Why stay so long?
IV: Someone had to keep the lamp clean.
"""
    document = detect(read_pasted(pasted), interviewers=["Olav Berg"])
    assert fx.structure(document) == [
        ("title", "", "Ola Brenne: the last lighthouse keeper"),
        ("standfirst", "", "She kept the light at Skarvik for thirty years."),
        ("question", "", "Good morning. Are you ready?"),
        ("answer", "IV", "As ready as the sea allows. Most days it does not."),
        ("question", "", "Why stay so long?"),
        ("answer", "IV", "Someone had to keep the lamp clean."),
    ]


def test_without_markers_a_question_asks_and_may_run_over_two_paragraphs():
    text = """Nadia Sorel: sound and silence

A composer who writes for empty rooms.

You once said silence is an instrument.
Is that still true?

More than ever. I write the rests first.

Why “rests”?

Because that is what they are called. Who decides what a pause means? The listener does, every time, and no score can stop them hearing it differently, which is the whole joy of writing for people and not machines, and I would not trade it for anything in the world, not even a quiet life.

And after that?

Silence again.
"""
    document = detect(read("sorel.txt", text.encode()))
    assert fx.structure(document) == [
        ("title", "", "Nadia Sorel: sound and silence"),
        ("standfirst", "", "A composer who writes for empty rooms."),
        # Lines wrapped without an empty line between them are one paragraph.
        ("question", "", "You once said silence is an instrument. Is that still true?"),
        ("answer", "", "More than ever. I write the rests first."),
        ("question", "", "Why “rests”?"),
        ("answer", "", "Because that is what they are called. Who decides what a pause means? The listener does, every time, and no score can stop them hearing it differently, which is the whole joy of writing for people and not machines, and I would not trade it for anything in the world, not even a quiet life."),
        ("question", "", "And after that?"),
        ("answer", "", "Silence again."),
    ]  # fmt: skip


def test_a_transcript_with_two_speakers():
    document = detect(read("call.vtt", fx.TWO_SPEAKERS_VTT.encode()))
    assert fx.structure(document) == [
        ("question", "", "Welcome. What brought you to the mountain?"),
        ("answer", "Ines Valtrio", "The cold, mostly. Seeds like the cold."),
        ("question", "", "And do you?"),
        ("answer", "Ines Valtrio", "I have learned to."),
    ]
    assert (document.interviewers, document.interviewees) == (["Marek Osei"], ["Ines Valtrio"])


def test_a_transcript_with_three_speakers_keeps_who_answers():
    document = detect(read("vault.srt", fx.THREE_SPEAKERS_SRT.encode()))
    assert fx.structure(document) == [
        ("question", "", "Two of you run the vault. Who decides what goes in?"),
        ("answer", "Ines Valtrio", "Farmers, really. They send what they grow."),
        ("answer", "Tomas Ferreira", "And I say no to the weeds."),
        ("question", "", "Do you ever disagree?"),
        ("answer", "Tomas Ferreira", "Every Tuesday. about the thistles."),
    ]
    assert document.interviewees == ["Ines Valtrio", "Tomas Ferreira"]


def test_the_interviewer_is_the_author_when_named_even_if_the_other_asks_more():
    document = detect(read("vault.srt", fx.THREE_SPEAKERS_SRT.encode()), interviewers=["Tomas Ferreira"])
    assert [p.kind for p in document.paragraphs] == ["answer", "answer", "question", "answer", "question"]


def test_a_plain_transcript_with_times_after_the_names():
    document = detect(read("call.txt", fx.TIMED_TRANSCRIPT.encode()))
    assert fx.structure(document) == [
        ("question", "", "Welcome. What brought you to the mountain?"),
        ("answer", "Ines Valtrio", "The cold, mostly."),
        ("question", "", "And do you like it?"),
        ("answer", "Ines Valtrio", "I have learned to."),
    ]


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + fx.SEED_BANK_TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + fx.SEED_BANK_TEXT.encode("utf-16-le"),
        fx.SEED_BANK_TEXT.encode("utf-16-le"),
    ],
    ids=["utf-8-bom", "utf-16-bom", "utf-16-no-bom"],
)
def test_text_in_utf8_with_bom_and_utf16_is_read(encoded):
    assert fx.structure(detect(read("seed-bank.txt", encoded))) == fx.EXPECTED


def test_latin1_text_is_detected():
    text = "Zoë Marchand: café society\n\nLa patronne du café à Noël.\n\nPourquoi ce café?\n\nParce que j'aime le thé.\n"
    document = detect(read("cafe.txt", text.encode("latin-1")))
    assert fx.structure(document) == [
        ("title", "", "Zoë Marchand: café society"),
        ("standfirst", "", "La patronne du café à Noël."),
        ("question", "", "Pourquoi ce café?"),
        ("answer", "", "Parce que j'aime le thé."),
    ]
