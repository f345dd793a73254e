"""Interviews exported to a self-contained archive, and restored from one into any Newsroom site.

The archive is a zip file: ``archive.json`` (every field of every interview,
its bylines, tags, blocks, corrections and old addresses, and the people and
photos they use), the photos' original files under ``photos/``, and each
interview as Markdown under ``markdown/``. It is the backup and the
site-migration path: ``manage.py export_interviews`` and ``import_interviews``.

Fields are written generically (every concrete field of each model, through
the field's own ``value_to_string``/``to_python``), so a field added later
travels without changing this module. Derived values (renditions, quote
cards) are not written: the restoring site makes them again.
"""

import hashlib
import io
import json
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from . import images
from .markdown import interview_markdown
from .models import Article, ArticleAuthor, ArticleInterviewee, Block, Correction, OldSlug, Person, Photo

FORMAT = "newsroom-archive"
VERSION = 1
MANIFEST = "archive.json"
# Recomputed by the site that restores the archive.
DERIVED = {"renditions", "cards", "body_version"}
# Not part of what an interview is: links and accounts of the site that exported it.
SKIPPED = {"image", "created_by", "article", "lead_photo", "portrait", "person", "speaker", "photo"}


class ArchiveRefused(Exception):
    """The archive cannot be restored; the message says why. Nothing was restored."""


def _fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in DERIVED and field.name not in SKIPPED
    ]


def _values(obj):
    values = {}
    for field in _fields(type(obj)):
        value = field.value_from_object(obj)
        values[field.name] = None if value is None else field.value_to_string(obj)
    return values


def _restored(model, values):
    """Field values for ``model`` from the archive's strings; unknown names (a newer site's fields) are left out."""
    result = {}
    for field in _fields(model):
        if field.name in values:
            value = values[field.name]
            result[field.name] = None if value is None else field.to_python(value)
    return result


# Export -------------------------------------------------------------------------------


def export(articles):
    """The archive of ``articles`` (a queryset), as bytes."""
    articles = list(
        articles.select_related("lead_photo", "created_by").prefetch_related(
            "tags", "old_slugs", "corrections", "author_links__person", "interviewee_links__person"
        )
    )
    photos, people = {}, {}

    def photo_ref(photo):
        if photo is None:
            return None
        key = f"p{photo.pk}"
        if key not in photos:
            photos[key] = photo
        return key

    def person_ref(person):
        if person is None:
            return None
        if person.slug not in people:
            people[person.slug] = person
            photo_ref(person.portrait)
        return person.slug

    entries = []
    for article in articles:
        blocks = list(
            article.blocks.select_related("photo", "speaker", "speaker__portrait").order_by("position", "id")
        )
        entry = _values(article)
        entry.update(
            lead_photo=photo_ref(article.lead_photo),
            created_by=article.created_by.get_username() if article.created_by else None,
            tags=list(article.tags.names()),
            old_slugs=sorted(old.slug for old in article.old_slugs.all()),
            authors=[
                {**_values(link), "person": person_ref(link.person)} for link in article.author_links.all()
            ],
            interviewees=[
                {**_values(link), "person": person_ref(link.person)}
                for link in article.interviewee_links.all()
            ],
            blocks=[
                {**_values(block), "speaker": person_ref(block.speaker), "photo": photo_ref(block.photo)}
                for block in blocks
            ],
            corrections=[_values(correction) for correction in article.corrections.all()],
        )
        entries.append((article, blocks, entry))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        photo_entries = {}
        for key, photo in photos.items():
            name = f"photos/{key}/{PurePosixPath(photo.image.name).name}"
            with photo.image.open("rb") as stream:
                data = stream.read()
            # Photos are compressed already.
            archive.writestr(
                zipfile.ZipInfo(name, date_time=_zip_time()), data, compress_type=zipfile.ZIP_STORED
            )
            photo_entries[key] = {**_values(photo), "file": name, "sha256": hashlib.sha256(data).hexdigest()}
        person_entries = {
            slug: {**_values(person), "portrait": photo_ref(person.portrait)}
            for slug, person in people.items()
        }
        for article, blocks, _ in entries:
            archive.writestr(
                f"markdown/{article.slug}.md", interview_markdown(article, blocks, photos=photo_entries)
            )
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now().isoformat(),
            "site_url": settings.SITE_URL,
            "photos": photo_entries,
            "people": person_entries,
            "interviews": [entry for *_, entry in entries],
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return buffer.getvalue()


def _zip_time():
    return timezone.now().timetuple()[:6]


# Restore ------------------------------------------------------------------------------


def _manifest(archive):
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise ArchiveRefused(f"This is not a Newsroom archive: it has no {MANIFEST}.") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveRefused(f"The archive's {MANIFEST} is damaged: it is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused("This is not a Newsroom archive.")
    if manifest.get("version") != VERSION:
        raise ArchiveRefused(
            f"This archive is in version {manifest.get('version')} of the format; this site reads version {VERSION}."
        )
    return manifest


def restore(data, *, dry_run=False):
    """Restore the archive in ``data``; returns (restored, skipped) interview titles.

    Interviews already on the site (the same uuid) are skipped; people already
    on the site (the same slug) are used as they are. One transaction: an
    error anywhere restores nothing and leaves no file behind.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ArchiveRefused("This file is not a Newsroom archive (it is not a zip file).") from error
    manifest = _manifest(archive)
    stored = []
    try:
        with transaction.atomic():
            result = _Restorer(archive, manifest, stored).run()
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    if dry_run:
        for name in stored:
            default_storage.delete(name)
    return result


class _Restorer:
    def __init__(self, archive, manifest, stored):
        self.archive = archive
        self.manifest = manifest
        self.stored = stored
        self.photos = {}
        self.people = {}
        self.users = {}

    def run(self):
        interviews = self.manifest.get("interviews") or []
        existing = set(
            Article.objects.filter(uuid__in=[entry.get("uuid") for entry in interviews]).values_list(
                "uuid", flat=True
            )
        )
        restored, skipped = [], []
        for entry in interviews:
            article_uuid = Article._meta.get_field("uuid").to_python(entry.get("uuid"))
            if article_uuid in existing:
                skipped.append(entry.get("title", ""))
                continue
            restored.append(self.article(entry).title)
        return restored, skipped

    def photo(self, key):
        if key is None:
            return None
        if key not in self.photos:
            spec = (self.manifest.get("photos") or {}).get(key)
            if spec is None:
                raise ArchiveRefused(f"The archive names photo {key} but does not hold it.")
            try:
                data = self.archive.read(spec["file"])
            except KeyError as error:
                raise ArchiveRefused(
                    f"The archive lacks the file of photo {key} ({spec['file']})."
                ) from error
            if spec.get("sha256") and hashlib.sha256(data).hexdigest() != spec["sha256"]:
                raise ArchiveRefused(f"The file of photo {key} is damaged (its checksum does not match).")
            upload = ContentFile(data, name=PurePosixPath(spec["file"]).name)
            try:
                images.verify_image(upload)
            except ValidationError as error:
                raise ArchiveRefused(f"Photo {key}: {' '.join(error.messages)}") from error
            if _carries_metadata(data):
                # From a site that kept camera metadata: stored cleaned, like any upload.
                photo = Photo(image=upload, **_restored(Photo, spec))
                photo.save()
                self.stored.append(photo.image.name)
            else:
                # Stored as it is (it was cleaned when first uploaded), so the restore is byte for byte.
                name = default_storage.save(f"photos/restored/{key}-{upload.name}", upload)
                self.stored.append(name)
                photo = Photo(image=name, **_restored(Photo, spec))
                photo.save()
            uploaded_at = _restored(Photo, spec).get("uploaded_at")
            if uploaded_at:
                Photo.objects.filter(pk=photo.pk).update(uploaded_at=uploaded_at)
            self.photos[key] = photo
        return self.photos[key]

    def person(self, slug):
        if slug is None:
            return None
        if slug not in self.people:
            person = Person.objects.filter(slug=slug).first()
            if person is None:
                spec = (self.manifest.get("people") or {}).get(slug)
                if spec is None:
                    raise ArchiveRefused(f"The archive names the person “{slug}” but does not describe them.")
                person = Person(**_restored(Person, spec))
                person.portrait = self.photo(spec.get("portrait"))
                _save_checked(person, f"the person “{slug}”")
            self.people[slug] = person
        return self.people[slug]

    def user(self, username):
        if not username:
            return None
        if username not in self.users:
            User = get_user_model()
            self.users[username] = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        return self.users[username]

    def article(self, entry):
        fields = _restored(Article, entry)
        slug = fields.get("slug")
        if Article.objects.filter(slug=slug).exists() or OldSlug.objects.filter(slug=slug).exists():
            raise ArchiveRefused(
                f"Another interview on this site already has the address “{slug}”; nothing was restored. "
                "Change that interview's slug first."
            )
        article = Article(**fields)
        article.lead_photo = self.photo(entry.get("lead_photo"))
        article.created_by = self.user(entry.get("created_by"))
        _save_checked(article, f"the interview “{slug}”")
        for name in entry.get("tags") or []:
            # One by one: the order is the one editors gave (the first tag is the kicker).
            article.tags.add(Tag.objects.filter(name=name).first() or name)
        for old in entry.get("old_slugs") or []:
            OldSlug.objects.update_or_create(slug=old, defaults={"article": article})
        for link_model, key in ((ArticleAuthor, "authors"), (ArticleInterviewee, "interviewees")):
            for spec in entry.get(key) or []:
                link_model.objects.create(
                    article=article, person=self.person(spec.get("person")), **_restored(link_model, spec)
                )
        for spec in entry.get("blocks") or []:
            block = Block(article=article, **_restored(Block, spec))
            block.speaker = self.person(spec.get("speaker"))
            block.photo = self.photo(spec.get("photo"))
            _save_checked(block, f"a block of “{slug}”")
        for spec in entry.get("corrections") or []:
            Correction.objects.create(article=article, **_restored(Correction, spec))
        # Saving set these to now; the archive's times are the interview's own.
        times = {name: fields[name] for name in ("created_at", "updated_at") if fields.get(name)}
        if times:
            Article.objects.filter(pk=article.pk).update(**times)
        return article


METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "photoshop", "comment", "iptc", "Raw profile type exif"}


def _carries_metadata(data):
    """Whether the picture holds EXIF, XMP, IPTC or comments (a public original must not)."""
    with Image.open(io.BytesIO(data)) as image:
        return bool(METADATA_KEYS & set(image.info)) or bool(image.getexif())


def _save_checked(obj, label):
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False, exclude=_relations(obj))
    except ValidationError as error:
        raise ArchiveRefused(f"Cannot restore {label}: {' '.join(error.messages)}") from error
    obj.save()


def _relations(obj):
    return [field.name for field in obj._meta.concrete_fields if isinstance(field, models.ForeignKey)] + [
        "image"
    ]
