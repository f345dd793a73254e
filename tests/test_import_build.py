"""From a detected document to a draft interview: blocks, people, photos, all in one transaction."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from docx import Document as DocxDocument
from PIL import Image as PILImage
from reversion.models import Version

from articles.importing import detect, read
from articles.importing.builder import build, find_people, standfirst_of, title_of
from articles.models import Article, Block, Photo

from . import import_fixtures as fx
from .factories import make_person

pytestmark = pytest.mark.django_db


def blocks_of(article):
    rows = []
    for block in article.blocks.order_by("position").select_related("photo", "speaker"):
        if block.kind == "photo":
            photo = block.photo
            rows.append(
                ("photo", photo.caption if photo else block.caption, photo.credit if photo else block.credit)
            )
        else:
            rows.append((block.kind, block.speaker.name if block.speaker else "", block.text))
    return rows


SEED_BANK_BLOCKS = [
    ("question", "", f"<p>{fx.QUESTIONS[0]}</p>"),
    ("answer", "", f"<p>{fx.ANSWERS[0][0]}</p><p>{fx.ANSWERS[0][1]}</p>"),
    ("question", "", f"<p>{fx.QUESTIONS[1]}</p>"),
    ("answer", "", f"<p>{fx.ANSWERS[1][0]}</p>"),
    ("photo", fx.CAPTION, fx.CREDIT),
    ("answer", "", "<p>The door weighs four tonnes, and it still squeaks.</p>"),
    ("question", "", f"<p>{fx.QUESTIONS[2]}</p>"),
    ("answer", "", f"<p>{fx.ANSWERS[2][0]}</p>"),
]


def import_docx(user=None, **options):
    document = detect(read("seed-bank.docx", fx.seed_bank_docx("bold", **options)))
    people = find_people([*document.interviewers, *document.interviewees])
    author, interviewee = people["Marek Osei"], people["Ines Valtrio"]
    return build(
        document,
        title=title_of(document),
        standfirst=standfirst_of(document),
        interviewees=[interviewee] if interviewee else [],
        authors=[author] if author else [],
        user=user,
        bio_for=author,
        source="seed-bank.docx",
    )


def test_a_document_becomes_a_draft_with_its_blocks_in_order(admin_user, django_capture_on_commit_callbacks):
    author = make_person("Marek Osei", bio="")
    # Matched by name whatever the case and accents.
    interviewee = make_person("Inès VALTRIO")
    with django_capture_on_commit_callbacks(execute=True):
        article = import_docx(user=admin_user, picture=True)

    assert article.status == Article.Status.DRAFT and not article.is_public
    assert (article.title, article.standfirst) == (fx.TITLE, fx.STANDFIRST)
    assert article.created_by == admin_user
    assert list(article.authors.all()) == [author]
    assert list(article.interviewees.all()) == [interviewee]
    assert blocks_of(article) == SEED_BANK_BLOCKS
    photo = article.blocks.get(kind="photo").photo
    assert (photo.alt_text, photo.width, photo.height) == (fx.CAPTION, 320, 200)
    assert photo.image.name.endswith(".jpg")
    assert photo.renditions["jpeg"]
    author.refresh_from_db()
    assert author.bio == f"<p>{fx.BIO}</p>"
    # One revision, as for an interview saved in the admin.
    assert Version.objects.get_for_object(article).get().revision.comment == "Imported from seed-bank.docx."


def test_without_a_picture_the_photo_is_a_slot_and_the_draft_cannot_be_published():
    article = import_docx()
    slot = article.blocks.get(kind="photo")
    assert (slot.photo, slot.caption, slot.credit) == (None, fx.CAPTION, fx.CREDIT)
    assert f"the photo for the slot “{fx.CAPTION}”" in article.publish_problems()
    assert not Photo.objects.exists()


def test_an_author_who_has_a_bio_keeps_it():
    author = make_person("Marek Osei", bio="<p>Already written.</p>")
    import_docx()
    author.refresh_from_db()
    assert author.bio == "<p>Already written.</p>"


def test_a_failure_half_way_leaves_nothing_behind(monkeypatch, media_root):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Block.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_docx(picture=True)
    assert not Article.objects.exists()
    assert not Photo.objects.exists()
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


def test_answers_of_three_speakers_name_each_speaker():
    document = detect(read("vault.srt", fx.THREE_SPEAKERS_SRT.encode()))
    people = [make_person("Ines Valtrio"), make_person("Tomas Ferreira")]
    article = build(document, title="Ines Valtrio and Tomas Ferreira: the vault", interviewees=people)
    assert [(kind, speaker) for kind, speaker, _ in blocks_of(article)] == [
        ("question", ""),
        ("answer", "Ines Valtrio"),
        ("answer", "Tomas Ferreira"),
        ("question", ""),
        ("answer", "Tomas Ferreira"),
    ]


# The command line ------------------------------------------------------------------


def test_the_command_shows_the_structure_and_a_dry_run_creates_nothing(tmp_path):
    path = tmp_path / "seed-bank.docx"
    path.write_bytes(fx.seed_bank_docx("markers"))
    out = StringIO()
    call_command("import_interview", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "Read a docx document: 3 questions, 5 answer paragraphs, 1 photo.",
        "  1. You have spent twenty years counting seeds. Why?",
        "  2. Do you ever lose any?",
        "  3. What would you save first in a fire?",
        "Warning: Photo 1 is a slot: the document has no picture for it. Choose or upload the photo "
        "in the draft; it cannot be published before.",
        "Unknown author: Marek Osei (not linked; --create-people adds them)",
        "Unknown interviewee: Ines Valtrio (not linked; --create-people adds them)",
        "Dry run: nothing was created.",
    ]
    assert not Article.objects.exists()


def test_the_command_creates_one_draft_and_only_adds_people_when_asked(tmp_path):
    path = tmp_path / "seed-bank.docx"
    path.write_bytes(fx.seed_bank_docx("heading"))
    out = StringIO()
    call_command("import_interview", str(path), "--create-people", stdout=out)
    article = Article.objects.get()
    assert article.status == "draft"
    assert [p.name for p in article.authors.all()] == ["Marek Osei"]
    assert [p.name for p in article.interviewees.all()] == ["Ines Valtrio"]
    assert blocks_of(article) == SEED_BANK_BLOCKS
    assert "New author: Marek Osei" in out.getvalue()
    assert (
        f"Created the draft “{fx.TITLE}” (8 blocks): /admin/articles/article/{article.pk}/change/"
        in out.getvalue()
    )


def test_a_picture_without_caption_or_credit_in_the_text_takes_them_from_its_own_metadata(
    django_capture_on_commit_callbacks,
):
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="Fjord Pictures">'
        b'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Seed drawers in the cold room</rdf:li></rdf:Alt>'
        b"</dc:description><dc:creator><rdf:Seq><rdf:li>Ana Lind</rdf:li></rdf:Seq></dc:creator>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 200), (90, 120, 60)).save(buffer, "JPEG", xmp=xmp)
    word = DocxDocument()
    word.add_paragraph("Ines Valtrio: cold rooms")
    word.add_paragraph("The seed banker at work.")
    word.add_paragraph().add_run("What is in the drawers?").bold = True
    word.add_picture(io.BytesIO(buffer.getvalue()))
    word.add_paragraph("Seeds, mostly. And one lost glove.")
    saved = io.BytesIO()
    word.save(saved)

    document = detect(read("cold-rooms.docx", saved.getvalue()))
    assert fx.structure(document) == [
        ("title", "", "Ines Valtrio: cold rooms"),
        ("standfirst", "", "The seed banker at work."),
        ("question", "", "What is in the drawers?"),
        ("photo", "", ""),
        ("answer", "", "Seeds, mostly. And one lost glove."),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        article = build(document, title=title_of(document))
    photo = article.blocks.get(kind="photo").photo
    assert (photo.caption, photo.credit, photo.alt_text) == (
        "Seed drawers in the cold room",
        "Fjord Pictures/Ana Lind",
        "Seed drawers in the cold room",
    )
    # The stored original keeps none of that metadata (as for any upload).
    with photo.image.open("rb") as stream, PILImage.open(stream) as stored:
        assert "xmp" not in stored.info
