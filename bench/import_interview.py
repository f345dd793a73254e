"""Measure the document import: time for a 20-question Word document, and structure accuracy.

    .venv/bin/python bench/import_interview.py

Runs in a throwaway site (its own SQLite database and media folder in a
temporary directory). Prints the median time of each step (read, detect,
build the draft with its blocks and photos) over a few runs, and the share
of paragraphs whose kind the detector gets right on the test fixtures and
on held-out documents written for this measurement only (never used to tune
the rules). This is a measurement, not a test: numbers depend on the machine.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5

# Held-out interviews: written after the rules, kinds as an editor would set them.
HELD_OUT = [
    (
        "held-out-1.txt",
        """Oskar Lindqvist: the bell foundry

He casts church bells the way his great-grandfather did.

How long does a bell take?

Three months, if the weather behaves. The mould alone takes six weeks.

And if it does not?

Then four. Clay hates the rain.

People still order bells?

More than you would think. Towns want their sound back.

Tell me about the worst casting.

1998. The bell cracked as it cooled, and we heard it from the yard.
""",
        ["title", "standfirst", "question", "answer", "question", "answer", "question", "answer",
         "question", "answer"],
    ),
    (
        "held-out-2.txt",
        """Mira Oduya: counting birds

By Jon Pell

JP: How many birds did you count last year?
MO: Just over forty thousand. Most of them starlings.
JP: Do you ever get tired of starlings?
MO: Never. They are never the same flock twice.
They change shape like weather.
JP: What did you miss?
MO: An owl, probably. Owls do not like to be counted.
""",
        ["title", "byline", "question", "answer", "question", "answer", "answer", "question", "answer"],
    ),
    (
        "held-out-3.md",
        """# Paolo Ferri: on salt

*The salt maker of the lagoon on tides and patience.*

**Why salt?**

My father made it, and his mother before him.

The lagoon decides, not us.

**Is it hard work?**

In August, yes. You rake at dawn before the heat.

The pans at sunrise.

Credit: Laguna Press/Marta Ceci

**What would you change?**

Nothing. Maybe the mosquitoes.

Share this article
""",
        ["title", "standfirst", "question", "answer", "answer", "question", "answer", "photo", "question",
         "answer", "drop"],
    ),
]  # fmt: skip


def setup_site(workdir):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def twenty_questions_docx():
    from docx import Document
    from docx.shared import Inches
    from PIL import Image

    document = Document()
    document.add_paragraph("Ines Valtrio: twenty questions on seeds")
    document.add_paragraph("The seed banker answers everything we could think of asking.")
    document.add_paragraph("By Marek Osei")
    for number in range(1, 21):
        document.add_paragraph().add_run(f"Question {number}: what about seeds, part {number}?").bold = True
        for paragraph in range(3):
            document.add_paragraph(
                f"Answer {number}.{paragraph}: "
                + "A seed keeps its promise for as long as we keep it dry. " * 6
            )
        if number in (5, 15):
            picture = io.BytesIO()
            Image.new("RGB", (1600, 1000), (40 + number, 90, 140)).save(picture, "JPEG", quality=85)
            document.add_picture(picture, width=Inches(5))
            document.add_paragraph(f"The vault in winter, picture {number}.")
            document.add_paragraph("Credit: Northlight Agency/Jo Lens")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def median_ms(function):
    times = []
    result = None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def accuracy(cases):
    from articles.importing import detect, read

    right = total = 0
    for name, content, expected in cases:
        found = [p.kind for p in detect(read(name, content)).paragraphs]
        total += max(len(expected), len(found))
        right += sum(1 for a, b in zip(found, expected, strict=False) if a == b)
    return right, total


def main():
    with tempfile.TemporaryDirectory() as folder:
        setup_site(Path(folder))

        from articles.importing import detect, read
        from articles.importing.builder import build, standfirst_of, title_of
        from tests import import_fixtures as fx

        data = twenty_questions_docx()
        read_ms, document = median_ms(lambda: read("twenty.docx", data))
        detect_ms, document = median_ms(lambda: detect(read("twenty.docx", data)))
        detect_ms -= read_ms
        build_ms, article = median_ms(
            lambda: build(document, title=title_of(document), standfirst=standfirst_of(document))
        )
        print(
            f"20-question .docx ({len(data) / 1024:.0f} KB, 2 embedded photos, {article.blocks.count()} blocks)"
        )
        print(f"  read (mammoth, HTML reader): {read_ms:7.1f} ms")
        print(f"  detect the structure:        {detect_ms:7.1f} ms")
        print(
            f"  build the draft (1 transaction, photos stored, renditions after commit): {build_ms:7.1f} ms"
        )
        print(f"  total:                       {read_ms + detect_ms + build_ms:7.1f} ms (median of {RUNS})")

        fixtures = [
            (f"seed-bank-{q}.docx", fx.seed_bank_docx(q), [k for k, *_ in fx.EXPECTED])
            for q in ("bold", "heading", "markers", "plain")
        ]
        fixtures += [
            (name, text.encode(), [k for k, *_ in fx.EXPECTED])
            for name, text in (
                ("a.txt", fx.SEED_BANK_TEXT),
                ("a.md", fx.SEED_BANK_MARKDOWN),
                ("a.html", fx.SEED_BANK_HTML),
            )
        ]
        fixtures += [
            ("a.vtt", fx.TWO_SPEAKERS_VTT.encode(), ["question", "answer", "question", "answer"]),
            ("a.srt", fx.THREE_SPEAKERS_SRT.encode(), ["question", "answer", "answer", "question", "answer"]),
            ("a.txt", fx.TIMED_TRANSCRIPT.encode(), ["question", "answer", "question", "answer"]),
        ]
        right, total = accuracy(fixtures)
        print(
            f"Structure accuracy on the test fixtures: {right}/{total} paragraphs ({100 * right / total:.1f}%)"
        )
        right, total = accuracy([(name, text.encode(), kinds) for name, text, kinds in HELD_OUT])
        print(
            f"Structure accuracy on held-out documents: {right}/{total} paragraphs ({100 * right / total:.1f}%)"
        )


if __name__ == "__main__":
    main()
