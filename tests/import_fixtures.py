"""Fictional interviews in every format the importer reads; Word files are built here with python-docx.

The people and their words are invented for these tests.
"""

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Inches

from .factories import image_bytes

TITLE = "Ines Valtrio: the seeds we keep"
STANDFIRST = "The seed banker on frost, patience and the vault under the mountain."
QUESTIONS = [
    "You have spent twenty years counting seeds. Why?",
    "Do you ever lose any?",
    "What would you save first in a fire?",
]
ANSWERS = [
    [
        "Because someone has to. Every seed is a promise we make to the next harvest.",
        "And promises need keeping.",
    ],
    ["We lose some every winter. A seed is alive, and living things die."],
    ["The barley from the northern valleys. Nobody else has it."],
]
CAPTION = "The vault door in January, under a metre of snow."
CREDIT = "Northlight Agency/Jo Lens"
BIO = "Marek Osei writes about farming and food for the magazine."

# What every variant of the seed-bank interview must come out as.
EXPECTED = [
    ("title", "", TITLE),
    ("standfirst", "", STANDFIRST),
    ("byline", "", "By Marek Osei"),
    ("question", "", QUESTIONS[0]),
    ("answer", "", ANSWERS[0][0]),
    ("answer", "", ANSWERS[0][1]),
    ("question", "", QUESTIONS[1]),
    ("answer", "", ANSWERS[1][0]),
    ("photo", CAPTION, CREDIT),
    ("answer", "", "The door weighs four tonnes, and it still squeaks."),
    ("question", "", QUESTIONS[2]),
    ("answer", "", ANSWERS[2][0]),
    ("drop", "", "Share this article"),
    ("drop", "", "About the author"),
    ("bio", "", BIO),
]


def structure(document):
    """(kind, speaker or caption, text or credit) for every paragraph, as the tests compare them."""
    rows = []
    for paragraph in document.paragraphs:
        if paragraph.kind == "photo":
            rows.append(("photo", paragraph.caption, paragraph.credit))
        else:
            rows.append((paragraph.kind, paragraph.speaker, paragraph.text))
    return rows


def _saved(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_bank_docx(questions="bold", picture=False):
    """The seed-bank interview as Word writes it.

    ``questions``: "bold" (bold paragraphs), "heading" (Heading 2 style), "markers"
    (Q:/A: at the start), or "plain" (nothing but the question marks).
    """
    document = Document()
    if questions == "heading":
        document.add_paragraph(TITLE, style="Title")
        document.add_paragraph(STANDFIRST, style="Subtitle")
    else:
        document.add_paragraph(TITLE)
        document.add_paragraph(STANDFIRST)
    document.add_paragraph("By Marek Osei")
    document.add_paragraph("\u00a0")  # Left by a careless edit: dropped.
    for number, (question, answer) in enumerate(zip(QUESTIONS, ANSWERS, strict=True)):
        if questions == "bold":
            document.add_paragraph().add_run(question).bold = True
        elif questions == "heading":
            document.add_paragraph(question, style="Heading 2")
        elif questions == "markers":
            document.add_paragraph(f"Q: {question}")
        else:
            document.add_paragraph(question)
        for index, text in enumerate(answer):
            document.add_paragraph(f"A: {text}" if questions == "markers" and index == 0 else text)
        if number == 1:
            if picture:
                document.add_picture(io.BytesIO(image_bytes(320, 200)), width=Inches(3))
            document.add_paragraph(CAPTION)
            document.add_paragraph(f"Credit: {CREDIT}")
            document.add_paragraph("The door weighs four tonnes, and it still squeaks.")
        document.add_paragraph("")
    document.add_paragraph("Share this article")
    document.add_paragraph("About the author")
    document.add_paragraph(BIO)
    return _saved(document)


def styled_docx():
    """Questions and answers in a newsroom template's own "Question" and "Answer" styles."""
    document = Document()
    for name in ("Question", "Answer"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Lio Brandt: on maps", style="Title")
    document.add_paragraph("A cartographer on drawing what is not there yet.")
    document.add_paragraph("Tell me about your first map.", style="Question")
    document.add_paragraph("It was of my grandmother's garden, with a dragon in it.", style="Answer")
    document.add_paragraph("And now?", style="Question")
    document.add_paragraph("Now the dragons are data.", style="Answer")
    return _saved(document)


SEED_BANK_TEXT = f"""{TITLE}

{STANDFIRST}

By Marek Osei

{QUESTIONS[0]}

{ANSWERS[0][0]}

{ANSWERS[0][1]}

{QUESTIONS[1]}

{ANSWERS[1][0]}

{CAPTION}
Credit: {CREDIT}

The door weighs four tonnes, and it still squeaks.

{QUESTIONS[2]}

{ANSWERS[2][0]}

Share this article

About the author

{BIO}
"""

SEED_BANK_MARKDOWN = f"""# {TITLE}

*{STANDFIRST}*

By Marek Osei

**{QUESTIONS[0]}**

{ANSWERS[0][0]}

{ANSWERS[0][1]}

**{QUESTIONS[1]}**

{ANSWERS[1][0]}

{CAPTION}

Credit: {CREDIT}

The door weighs four tonnes, and it still squeaks.

**{QUESTIONS[2]}**

{ANSWERS[2][0]}

Share this article

## About the author

{BIO}
"""

# As a word processor puts it on the clipboard (Google Docs' wrapper included).
SEED_BANK_HTML = f"""<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1234">
<h1>{TITLE}</h1>
<p><span style="font-style:italic">{STANDFIRST}</span></p>
<p>By Marek Osei</p>
<p>&nbsp;</p>
<p><span style="font-weight:700">{QUESTIONS[0]}</span></p>
<p>{ANSWERS[0][0]}</p><p>{ANSWERS[0][1]}</p>
<p><strong>{QUESTIONS[1]}</strong></p>
<p>{ANSWERS[1][0]}</p>
<p><em>{CAPTION}</em></p><p>Credit: {CREDIT}</p>
<p>The door weighs four tonnes, and it still squeaks.</p>
<p><b>{QUESTIONS[2]}</b></p>
<p>{ANSWERS[2][0]}<script>alert(1)</script></p>
<p><a href="https://example.org/share">Share this article</a></p>
<h3>About the author</h3>
<p>{BIO}</p>
</b>"""

# Two speakers, as a video-call tool writes them (voice tags), then as a SubRip file.
TWO_SPEAKERS_VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Marek Osei>Welcome. What brought you to the mountain?</v>

00:00:04.500 --> 00:00:07.000
<v Ines Valtrio>The cold, mostly.</v>

00:00:07.000 --> 00:00:09.000
<v Ines Valtrio>Seeds like the cold.</v>

00:00:09.500 --> 00:00:12.000
<v Marek Osei>And do you?</v>

00:00:12.500 --> 00:00:15.000
<v Ines Valtrio>I have learned to.</v>
"""

THREE_SPEAKERS_SRT = """1
00:00:01,000 --> 00:00:04,000
Marek Osei: Two of you run the vault. Who decides what goes in?

2
00:00:04,500 --> 00:00:07,000
Ines Valtrio: Farmers, really. They send what they grow.

3
00:00:07,500 --> 00:00:10,000
Tomas Ferreira: And I say no to the weeds.

4
00:00:10,500 --> 00:00:13,000
Marek Osei: Do you ever disagree?

5
00:00:13,500 --> 00:00:16,000
Tomas Ferreira: Every Tuesday.

6
00:00:16,500 --> 00:00:18,000
about the thistles.
"""

ONE_SPEAKER_VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Ines Valtrio>I am recording a note to myself.</v>

00:00:05.000 --> 00:00:08.000
<v Ines Valtrio>Remember to check the humidity?</v>
"""

TIMED_TRANSCRIPT = """Marek Osei  00:00:01
Welcome. What brought you to the mountain?

Ines Valtrio  00:00:05
The cold, mostly.

Marek Osei  00:00:09
And do you like it?

Ines Valtrio  00:00:12
I have learned to.
"""
