"""The draft interview made from a detected document, in one transaction. Never published."""

import logging

import reversion
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from .. import images, search
from ..models import Article, ArticleAuthor, ArticleInterviewee, Block, Person, Photo
from .document import ImportRefused, Kind
from .structure import fold, initials

logger = logging.getLogger(__name__)

NO_TITLE = "The interview needs a headline: mark a paragraph as the headline or type one."
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def find_people(names):
    """Each name -> the person with that name (case and accents folded), or None when there is none."""
    wanted = {fold(name): name for name in names if name.strip()}
    found = dict.fromkeys(wanted.values())
    if not wanted:
        return found
    for person in Person.objects.only("id", "name", "slug"):
        key = fold(person.name)
        if key in wanted and found[wanted[key]] is None:
            found[wanted[key]] = person
    return found


def _free_slug(model, text, fallback):
    base = slugify(text)[:180] or fallback
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def new_person(name):
    """A person record for ``name``, with a slug of its own. Only called when the editor asked for it."""
    return Person.objects.create(name=name.strip()[:200], slug=_free_slug(Person, name, "person"))


def unique_slug(title):
    return _free_slug(Article, title, "interview")


def title_of(document):
    return " ".join(p.text for p in document.paragraphs if p.kind == Kind.TITLE)[:200]


def standfirst_of(document):
    return "\n\n".join(p.text for p in document.paragraphs if p.kind == Kind.STANDFIRST)


def bio_of(document):
    return "".join(f"<p>{p.html}</p>" for p in document.paragraphs if p.kind == Kind.BIO)


def _without_whole_emphasis(html):
    """A question or heading that was all bold (how the document marked it) loses that bold: the page sets it apart."""
    for tag in ("strong", "em"):
        opening, closing = f"<{tag}>", f"</{tag}>"
        if html.startswith(opening) and html.endswith(closing) and html.count(opening) == 1:
            html = html[len(opening) : -len(closing)]
    return html


def block_specs(document):
    """The blocks the body becomes, as dicts: runs of one kind (and one speaker) join into one block."""
    specs = []
    for paragraph in document.paragraphs:
        kind = paragraph.kind
        if kind in (Kind.TITLE, Kind.STANDFIRST, Kind.BYLINE, Kind.BIO, Kind.DROP):
            continue
        if kind == Kind.PHOTO:
            specs.append({"kind": kind, "paragraph": paragraph})
            continue
        html = paragraph.html
        if kind in (Kind.QUESTION, Kind.HEADING):
            html = _without_whole_emphasis(html)
        previous = specs[-1] if specs else None
        joins = kind in (Kind.QUESTION, Kind.ANSWER, Kind.PARAGRAPH)
        if joins and previous and previous["kind"] == kind and previous.get("speaker") == paragraph.speaker:
            previous["text"] += f"<p>{html}</p>"
        else:
            specs.append({"kind": kind, "text": f"<p>{html}</p>", "speaker": paragraph.speaker})
    return specs


def _speaker_person(name, people):
    if not name:
        return None
    key = fold(name)
    for person in people:
        if fold(person.name) == key or initials(person.name) == key.replace(" ", ""):
            return person
    return None


def _photo_from(paragraph, document, stored):
    """The library photo for an embedded picture, or None when the picture is unusable (the block stays a slot)."""
    picture = document.images[paragraph.image]
    upload = ContentFile(picture.content, name=f"import.{EXTENSIONS.get(picture.content_type, 'jpg')}")
    try:
        image_format, _, _ = images.verify_image(upload)
    except ValidationError:
        return None
    found = images.read_metadata(upload)
    photo = Photo(
        alt_text=(paragraph.alt or paragraph.caption or found.get("caption") or "Photo from the interview")[
            :300
        ],
        caption=paragraph.caption or found.get("caption", ""),
        credit=(paragraph.credit or found.get("credit", ""))[:200],
        licence=found.get("licence", "")[:200],
    )
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}.get(image_format, "jpg")
    # Saved like an upload: the original is re-encoded without its metadata, renditions follow the commit.
    photo.image = ContentFile(
        picture.content, name=f"{slugify(photo.caption)[:50] or 'imported-photo'}.{extension}"
    )
    stored.append(photo)
    photo.save()
    return photo


def build(document, *, title, standfirst="", interviewees=(), authors=(), user=None, bio_for=None, source=""):
    """Create the draft interview for ``document``; returns it. One transaction: all or nothing.

    ``interviewees`` and ``authors`` are Person records (new ones are made by
    the caller, only when the editor asked). ``bio_for`` is the person who gets
    the "About the author" text as their bio when they have none yet.
    """
    if not title.strip():
        raise ImportRefused(NO_TITLE)
    stored = []
    try:
        with transaction.atomic(), reversion.create_revision():
            article = Article.objects.create(
                title=title.strip()[:200],
                slug=unique_slug(title),
                standfirst=standfirst.strip(),
                status=Article.Status.DRAFT,
                created_by=user,
            )
            for position, person in enumerate(dict.fromkeys(interviewees)):
                ArticleInterviewee.objects.create(article=article, person=person, position=position)
            for position, person in enumerate(dict.fromkeys(authors)):
                ArticleAuthor.objects.create(article=article, person=person, position=position)
            blocks = []
            for position, spec in enumerate(block_specs(document), start=1):
                block = Block(article=article, position=position, kind=spec["kind"])
                if spec["kind"] == Kind.PHOTO:
                    paragraph = spec["paragraph"]
                    photo = _photo_from(paragraph, document, stored) if paragraph.image is not None else None
                    block.photo = photo
                    if photo is None:
                        # A slot keeps what the document said about the photo.
                        block.caption = paragraph.caption or paragraph.alt or f"Photo {position}"
                        block.credit = paragraph.credit[:200]
                else:
                    block.text = spec["text"]
                    if spec["kind"] == Kind.ANSWER:
                        block.speaker = _speaker_person(spec["speaker"], interviewees)
                blocks.append(block)
            for block in blocks:
                try:
                    block.full_clean(
                        exclude=["article", "photo", "speaker"],
                        validate_unique=False,
                        validate_constraints=False,
                    )
                except ValidationError as error:
                    raise ImportRefused(
                        f"Block {block.position} cannot be saved: {' '.join(error.messages)}"
                    ) from error
            Block.objects.bulk_create(blocks)
            search.refresh_documents(Article.objects.filter(pk=article.pk))
            bio = bio_of(document)
            if bio and bio_for is not None and not bio_for.bio:
                bio_for.bio = bio
                bio_for.save(update_fields=["bio"])
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment(f"Imported from {source}." if source else "Imported.")
    except BaseException:
        for photo in stored:
            _delete_files(photo)
        raise
    return article


def _delete_files(photo):
    """The original stored for a photo whose row was rolled back: nothing half-created stays behind.

    Renditions are only made after a commit, so a rolled-back photo has none.
    """
    try:
        if photo.image and photo.image._committed:
            photo.image.storage.delete(photo.image.name)
    except Exception:  # Cleaning up after a failure must not hide the failure itself.
        logger.warning("Could not delete the file of an import that failed", exc_info=True)
