"""Responsive renditions and the social image of a photo, made after commit.

Every rendition file is named from the original's content and its own
parameters (size, format, quality, crop), so a new image or a new focal point
gives new names and no cache anywhere can hold a stale copy; a name already
recorded is never made or written again.

Work happens after the transaction that saved the photo commits
(``schedule``), and in this order:

1. read the committed photo and make, in memory, whatever files are not recorded yet;
2. under the photo's row lock: if the photo still has that file and focal
   point, write the new files and record them; otherwise a later save has its
   own work scheduled and this one stops;
3. after that commits, under the row lock again: delete the photo's files that
   its row no longer records.

Writing and deleting both happen under the row lock and against what the
committed row records, so concurrent saves of one photo never delete each
other's files and no recorded file is ever missing.
"""

import hashlib
import io
import logging
from functools import partial
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, ImageCms, ImageOps

from .uploads import ACCEPTED_FORMATS
from .urls import SOCIAL_SIZE, WIDTHS

logger = logging.getLogger(__name__)

JPEG_QUALITY = 82
WEBP_QUALITY = 80
# Part of every rendition's name: bump it when the way renditions are made
# changes, then run `manage.py make_renditions`.
RENDITIONS_VERSION = 2

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def storage():
    """Where renditions live: the media storage, allowed to write a name again (same name, same bytes)."""
    return storages["renditions"]


def folder(pk):
    return f"renditions/{pk}"


# Pixels -------------------------------------------------------------------------


def _in_srgb(image):
    """RGB or RGBA pixels in sRGB, whatever colour space and mode the upload used."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            converted = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode=mode
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            logger.warning("Ignoring an unusable colour profile", exc_info=True)
    return image.convert(mode)


def _flattened(image):
    """JPEG has no transparency: put transparent images on white."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _encode(image, fmt):
    buffer = io.BytesIO()
    # A fresh info dict: nothing of the original's EXIF, GPS, XMP or profile is carried over.
    image.info = {}
    if fmt == "jpeg":
        _flattened(image).save(buffer, "JPEG", quality=JPEG_QUALITY, progressive=True)
    else:
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


def rendition_widths(width):
    """The widths to make for an image this wide: never wider than the original."""
    widths = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    return widths


def focal_crop_box(width, height, focal_x, focal_y, ratio):
    """The largest box of the given ratio centred as near the focal point as the edges allow."""
    if width / height > ratio:
        crop_width, crop_height = round(height * ratio), height
    else:
        crop_width, crop_height = width, round(width / ratio)
    left = min(max(round(focal_x * width - crop_width / 2), 0), width - crop_width)
    top = min(max(round(focal_y * height - crop_height / 2), 0), height - crop_height)
    return left, top, left + crop_width, top + crop_height


def _open_original(photo):
    """The original's SHA-256, its pixels (upright, sRGB, decoded no larger than needed) and upright size."""
    # One read of the original: its bytes give both the name key and the pixels.
    with photo.image.storage.open(photo.image.name, "rb") as file:
        data = file.read()
    digest = hashlib.sha256(data).hexdigest()
    image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    width, height = image.size
    if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):
        width, height = height, width
    # JPEG can decode at 1/2, 1/4 or 1/8 scale, much faster than full size.
    scale = min(1, max(WIDTHS[-1] / width, SOCIAL_SIZE[1] / height))
    if image.format in ("JPEG", "MPO") and scale < 1:
        raw_width, raw_height = image.size
        image.draft("RGB", (int(raw_width * scale) + 1, int(raw_height * scale) + 1))
    ImageOps.exif_transpose(image, in_place=True)
    return digest, _in_srgb(image), (width, height)


# Names --------------------------------------------------------------------------


def _stem(photo):
    """A readable start for file names: the upload's name without its unique suffix."""
    stem = PurePosixPath(photo.image.name).stem
    stem = slugify(stem.rsplit("_", 1)[0] if "_" in stem else stem)[:40].strip("-")
    return stem or "photo"


def rendition_name(photo, source_digest, label, ext, *parameters):
    key = ":".join(map(str, (source_digest, RENDITIONS_VERSION, label, ext, *parameters)))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{folder(photo.pk)}/{_stem(photo)}-{label}-{digest}.{ext}"


def referenced_names(renditions):
    names = {item["name"] for fmt in ("jpeg", "webp") for item in (renditions or {}).get(fmt, [])}
    if (renditions or {}).get("social"):
        names.add(renditions["social"]["name"])
    return names


def renditions_are_current(photo):
    current = photo.renditions or {}
    if not photo.image:
        return not current
    return (
        current.get("version") == RENDITIONS_VERSION
        and current.get("source") == photo.image.name
        and current.get("social", {}).get("focal") == [photo.focal_x, photo.focal_y]
    )


# Making -------------------------------------------------------------------------


def _recorded(previous):
    items = [*previous.get("jpeg", []), *previous.get("webp", [])]
    if previous.get("social"):
        items.append(previous["social"])
    return {item["name"]: item for item in items}


def render(photo, force=False):
    """The renditions ``photo`` should have, and the files among them not recorded yet.

    Returns (renditions, {name: bytes}). Recorded files are reused, not
    encoded again, unless ``force``.
    """
    digest, image, (width, height) = _open_original(photo)
    recorded = {} if force else _recorded(photo.renditions or {})
    files = {}

    def made(name, encode, **fields):
        if name in recorded:
            return recorded[name]
        data = encode()
        files[name] = data
        return {"name": name, **fields, "bytes": len(data)}

    sizes = {"jpeg": [], "webp": []}
    source = image
    # Largest first, each size resized from the one before: much less work
    # than resizing the original every time, and no visible difference.
    for size in reversed(rendition_widths(image.width)):
        size_height = max(1, round(image.height * size / image.width))
        if size != source.width:
            source = source.resize((size, size_height), Image.LANCZOS)
        for fmt, ext, quality in (("webp", "webp", WEBP_QUALITY), ("jpeg", "jpg", JPEG_QUALITY)):
            name = rendition_name(photo, digest, size, ext, quality)
            entry = made(name, partial(_encode, source, fmt), width=size, height=size_height)
            sizes[fmt].insert(0, entry)

    focal = [photo.focal_x, photo.focal_y]
    box = focal_crop_box(image.width, image.height, *focal, SOCIAL_SIZE[0] / SOCIAL_SIZE[1])

    def social_bytes():
        # Social networks expect exactly this size, so a small original is enlarged here only.
        return _encode(image.crop(box).resize(SOCIAL_SIZE, Image.LANCZOS), "jpeg")

    name = rendition_name(photo, digest, "social", "jpg", JPEG_QUALITY, *box)
    social = made(name, social_bytes, width=SOCIAL_SIZE[0], height=SOCIAL_SIZE[1])
    renditions = {
        "version": RENDITIONS_VERSION,
        "source": photo.image.name,
        "source_sha256": digest,
        "width": width,
        "height": height,
        **sizes,
        "social": {**social, "focal": focal},
    }
    return renditions, files


def refresh(pk, force=False):
    """Make and record the renditions of photo ``pk`` from its committed state (steps 1 and 2 above).

    Returns "made", "current", "superseded" (a later save changed the file or
    focal point meanwhile), "gone" or "failed". Never raises for a bad file.
    """
    from articles.models import Photo

    photo = Photo.objects.filter(pk=pk).first()
    if photo is None:
        return "gone"
    if not force and renditions_are_current(photo):
        return "current"
    state = (photo.image.name, photo.focal_x, photo.focal_y)
    try:
        renditions, files = render(photo, force=force) if photo.image else ({}, {})
    except Exception:
        logger.exception("Could not make renditions for photo %s (%s)", photo.pk, photo.image.name)
        return "failed"
    with transaction.atomic():
        locked = Photo.objects.select_for_update().filter(pk=pk).first()
        if locked is None:
            return "gone"
        if (locked.image.name, locked.focal_x, locked.focal_y) != state:
            return "superseded"
        for name, data in files.items():
            storage().save(name, ContentFile(data))
        locked.renditions = renditions
        # A save, not an update(): whatever follows photo saves (page caches) hears of it.
        locked.save(update_fields=["renditions"])
        transaction.on_commit(partial(prune, pk))
    photo.renditions = renditions
    return "made"


def prune(pk):
    """Delete the files of photo ``pk`` that its committed row does not record (step 3 above)."""
    from articles.models import Photo

    with transaction.atomic():
        recorded = Photo.objects.select_for_update().filter(pk=pk).values_list("renditions", flat=True)
        keep = referenced_names(next(iter(recorded), {}))
        try:
            _, files = storage().listdir(folder(pk))
        except (FileNotFoundError, NotImplementedError):
            return
        for filename in files:
            name = f"{folder(pk)}/{filename}"
            if name not in keep:
                storage().delete(name)


def schedule(photo):
    """Make the photo's renditions once the current transaction commits, if they are out of date."""
    if not renditions_are_current(photo):
        transaction.on_commit(partial(refresh, photo.pk), robust=True)


def delete_original_after_commit(name):
    """Delete a photo's previous or deleted original, once no committed row names it."""
    from articles.models import Photo

    def delete():
        if not Photo.objects.filter(image=name).exists():
            default_storage.delete(name)

    transaction.on_commit(delete, robust=True)


def delete_files_after_commit(photo):
    """A deleted photo: its original and every rendition go once the deletion commits."""
    if photo.image:
        delete_original_after_commit(photo.image.name)
    transaction.on_commit(partial(prune, photo.pk), robust=True)


def missing_files(photo):
    """Rendition files recorded for the photo but absent from storage (used by make_renditions)."""
    return [name for name in referenced_names(photo.renditions) if not storage().exists(name)]
