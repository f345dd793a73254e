"""Photos: upload checks, metadata prefill, responsive renditions and the social image.

Renditions are made once, when a photo's file or focal point changes, and are
recorded in ``Photo.renditions`` so that rendering a page needs no storage
access beyond ``storage.url()`` and no database query.
"""

import contextlib
import hashlib
import io
import logging
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils.encoding import filepath_to_uri
from django.utils.text import slugify
from PIL import Image, ImageCms, ImageOps, IptcImagePlugin, UnidentifiedImageError

logger = logging.getLogger(__name__)

# The decoders Pillow may try on an upload. Phone cameras' JPEGs with extra
# preview frames open through the JPEG decoder too (Pillow calls them MPO).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPTED_CONTENT_TYPES = "image/jpeg,image/png,image/webp"

WIDTHS = (480, 800, 1200, 1600)
SOCIAL_SIZE = (1200, 630)
JPEG_QUALITY = 82
WEBP_QUALITY = 80
# Bump to rebuild every photo's renditions with `manage.py make_renditions`.
RENDITIONS_VERSION = 1

NOT_AN_IMAGE = (
    "This file is not an image we can use. Upload a JPEG, PNG or WebP photo. "
    "A photo in another format (for example HEIC or TIFF) can be exported as JPEG first."
)
BROKEN_IMAGE = (
    "This image is damaged or incomplete, perhaps because its download or export was cut short. "
    "Export it again and upload the new file."
)
TOO_LARGE = (
    "This image is {width:,} × {height:,} pixels ({megapixels} megapixels); photos can have at most "
    "{limit} megapixels. Resize it (3,000 pixels wide is plenty) and upload it again."
)
TOO_MANY_BYTES = (
    "This file is {size} MB; photos can be at most {limit} MB. Export it again at a smaller size "
    "(3,000 pixels wide is plenty) or a lower quality and upload the new file."
)
FAR_TOO_LARGE = (
    "This image is far too large to be processed safely (more than {limit} megapixels). "
    "Resize it (3,000 pixels wide is plenty) and upload it again."
)


# Upload checks ------------------------------------------------------------


def _readable(upload):
    """Something Pillow can open, from the start of the upload, without moving Django's file."""
    if hasattr(upload, "temporary_file_path"):
        return upload.temporary_file_path()
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return io.BytesIO(data)


def _has_image_signature(upload):
    """Starts like a JPEG, PNG or WebP file, so it is one that got damaged, not some other file."""
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    return head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (head[:4], head[8:12]) == (
        b"RIFF",
        b"WEBP",
    )


def _megapixels(pixels):
    return f"{pixels / 1_000_000:.0f}" if pixels >= 10_000_000 else f"{pixels / 1_000_000:.1f}"


def _megabytes(size):
    return f"{size / 1_000_000:.1f}".removesuffix(".0")


def verify_image(upload):
    """Accept only complete JPEG, PNG or WebP images within PHOTO_MAX_BYTES and PHOTO_MAX_PIXELS.

    Raises ValidationError with a message for editors. Returns the Pillow
    format name and the stored (unrotated) width and height.
    """
    if upload.size > settings.PHOTO_MAX_BYTES:
        # Checked before any decoding: the size alone says no.
        raise ValidationError(
            TOO_MANY_BYTES.format(size=_megabytes(upload.size), limit=_megabytes(settings.PHOTO_MAX_BYTES)),
            code="too_many_bytes",
        )
    limit = settings.PHOTO_MAX_PIXELS
    try:
        # Only the accepted decoders are tried, so no other parser sees the file.
        with Image.open(_readable(upload), formats=ACCEPTED_FORMATS) as image:
            image_format = image.format
            width, height = image.size
            if width * height > limit:
                raise ValidationError(
                    TOO_LARGE.format(
                        width=width,
                        height=height,
                        megapixels=_megapixels(width * height),
                        limit=_megapixels(limit),
                    ),
                    code="too_large",
                )
            # verify() checks the file's structure (PNG checksums, for example)...
            image.verify()
        # ...but not that the pixel data is all there: a JPEG cut short only
        # shows when decoded. The pixel limit above bounds the memory this takes.
        with Image.open(_readable(upload), formats=ACCEPTED_FORMATS) as image:
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(FAR_TOO_LARGE.format(limit=_megapixels(limit)), code="too_large") from error
    except UnidentifiedImageError as error:
        if _has_image_signature(upload):
            raise ValidationError(BROKEN_IMAGE, code="broken_image") from error
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    except Exception as error:  # Pillow raises many kinds of errors for broken files.
        raise ValidationError(BROKEN_IMAGE, code="broken_image") from error
    return image_format, width, height


# Metadata prefill -----------------------------------------------------------

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Descriptions some cameras write into every file; they describe nothing.
CAMERA_BOILERPLATE = {
    "",
    "olympus digital camera",
    "sony dsc",
    "default",
    "digital camera",
    "samsung camera pictures",
    "kodak digital still camera",
    "minolta digital camera",
    "konica minolta digital camera",
    "image",
}


def _clean_text(value):
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("cp1252", errors="replace")
    if not isinstance(value, str):
        return ""
    value = value.replace("\x00", " ").strip()
    return "" if value.lower() in CAMERA_BOILERPLATE else value


def _combine_credit(agency, photographer):
    """Credit as "Agency/Photographer", without repeating a name that is already there."""
    if not agency or photographer.lower() in agency.lower():
        return agency or photographer
    if not photographer or agency.lower() in photographer.lower():
        return photographer or agency
    return f"{agency}/{photographer}"


def _xmp_root(image):
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet:
        return None
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    # Entity declarations have no business in XMP; refusing them rules out
    # entity-expansion attacks without needing defusedxml.
    if b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        return None
    try:
        return ET.fromstring(packet.strip(b"\x00 \r\n\t"))
    except ET.ParseError:
        return None


def _xmp_value(root, namespace, name):
    tag = f"{{{namespace}}}{name}"
    for description in root.iter(f"{{{RDF}}}Description"):
        if description.get(tag):
            return _clean_text(description.get(tag))
    for element in root.iter(tag):
        items = list(element.iter(f"{{{RDF}}}li"))
        if not items:
            return _clean_text(element.text or "")
        if element.find(f"{{{RDF}}}Alt") is not None:
            default = [item for item in items if item.get(XML_LANG) == "x-default"]
            return _clean_text((default or items)[0].text or "")
        return ", ".join(filter(None, (_clean_text(item.text or "") for item in items)))
    return ""


def _from_xmp(image):
    root = _xmp_root(image)
    if root is None:
        return {}
    return {
        "caption": _xmp_value(root, DC, "description"),
        "credit": _combine_credit(_xmp_value(root, PHOTOSHOP, "Credit"), _xmp_value(root, DC, "creator")),
        "licence": _xmp_value(root, DC, "rights"),
    }


def _from_iptc(image):
    try:
        iptc = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # A malformed IPTC block only means there is nothing to prefill.
        return {}

    def value(dataset):
        found = iptc.get((2, dataset), b"")
        if isinstance(found, list):
            return ", ".join(filter(None, (_clean_text(item) for item in found)))
        return _clean_text(found)

    return {
        "caption": value(120),
        "credit": _combine_credit(value(110), value(80)),
        "licence": value(116),
    }


def _exif_text(value):
    # EXIF text is meant to be ASCII; Pillow reads it as Latin-1, but most
    # software writes UTF-8 there (a "©" would otherwise arrive as "Â©").
    if isinstance(value, str):
        with contextlib.suppress(UnicodeError):
            value = value.encode("latin-1").decode("utf-8")
    return _clean_text(value)


def _from_exif(image):
    exif = image.getexif()
    return {
        "caption": _exif_text(exif.get(0x010E, "")),
        "credit": _exif_text(exif.get(0x013B, "")),
        "licence": _exif_text(exif.get(0x8298, "")),
    }


def read_metadata(upload):
    """Caption, credit and licence a photo agency put in the file (XMP, then IPTC, then EXIF).

    Returns only the values found. Never raises for odd metadata.
    """
    found = {}
    try:
        with Image.open(_readable(upload), formats=ACCEPTED_FORMATS) as image:
            for source in (_from_xmp, _from_iptc, _from_exif):
                try:
                    values = source(image)
                except Exception:
                    logger.warning("Unreadable %s metadata in %s", source.__name__, upload, exc_info=True)
                    continue
                for field, value in values.items():
                    if value and field not in found:
                        found[field] = value
    except Exception:
        return {}
    return found


# Renditions -------------------------------------------------------------------

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


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


def _open_oriented(photo):
    """The photo's pixels, upright, in sRGB, decoded no larger than the renditions need.

    Returns the image and the upright size of the original file.
    """
    with photo.image.storage.open(photo.image.name, "rb") as file:
        image = Image.open(file, formats=ACCEPTED_FORMATS)
        width, height = image.size
        if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):
            width, height = height, width
        # JPEG can decode at 1/2, 1/4 or 1/8 scale, much faster than full size.
        scale = min(1, max(WIDTHS[-1] / width, SOCIAL_SIZE[1] / height))
        if image.format in ("JPEG", "MPO") and scale < 1:
            raw_width, raw_height = image.size
            image.draft("RGB", (int(raw_width * scale) + 1, int(raw_height * scale) + 1))
        ImageOps.exif_transpose(image, in_place=True)
        return _in_srgb(image), (width, height)


def _stem(photo):
    stem = slugify(PurePosixPath(photo.image.name).stem)[:40].strip("-")
    return stem or "photo"


def _save(name, data):
    # A rebuild writes the same names again; delete first so storage does not rename.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def _make_sizes(photo, image, key):
    folder = f"renditions/{photo.pk}"
    stem = _stem(photo)
    made = {"jpeg": [], "webp": []}
    source = image
    # Largest first, each size resized from the one before: much less work
    # than resizing the original every time, and no visible difference.
    for width in reversed(rendition_widths(image.width)):
        height = max(1, round(image.height * width / image.width))
        if width != source.width:
            source = source.resize((width, height), Image.LANCZOS)
        for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")):
            data = _encode(source, fmt)
            name = _save(f"{folder}/{stem}-{key}-{width}.{ext}", data)
            made[fmt].insert(0, {"name": name, "width": width, "height": height, "bytes": len(data)})
    return made


def _make_social(photo, image, key):
    focal = [photo.focal_x, photo.focal_y]
    box = focal_crop_box(image.width, image.height, *focal, SOCIAL_SIZE[0] / SOCIAL_SIZE[1])
    # Social networks expect exactly this size, so a small original is enlarged here only.
    social = image.crop(box).resize(SOCIAL_SIZE, Image.LANCZOS)
    data = _encode(social, "jpeg")
    focal_key = hashlib.sha256(repr(focal).encode()).hexdigest()[:6]
    name = _save(f"renditions/{photo.pk}/{_stem(photo)}-{key}-social-{focal_key}.jpg", data)
    return {
        "name": name,
        "width": SOCIAL_SIZE[0],
        "height": SOCIAL_SIZE[1],
        "bytes": len(data),
        "focal": focal,
    }


def _referenced_names(renditions):
    names = {item["name"] for fmt in ("jpeg", "webp") for item in renditions.get(fmt, [])}
    if renditions.get("social"):
        names.add(renditions["social"]["name"])
    return names


def _delete_unreferenced(photo, keep):
    folder = f"renditions/{photo.pk}"
    try:
        _, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for filename in files:
        if f"{folder}/{filename}" not in keep:
            default_storage.delete(f"{folder}/{filename}")


def renditions_are_current(photo):
    current = photo.renditions or {}
    if not photo.image:
        return not current
    return (
        current.get("version") == RENDITIONS_VERSION
        and current.get("source") == photo.image.name
        and current.get("social", {}).get("focal") == [photo.focal_x, photo.focal_y]
    )


def refresh_renditions(photo, force=False):
    """Make the photo's renditions if its file or focal point changed since they were made.

    Updates ``photo.renditions`` in memory (the caller saves it) and returns
    "made", "current" or "failed". A failure leaves no renditions, so pages
    fall back to the original file rather than show a previous image.
    """
    if not force and renditions_are_current(photo):
        return "current"
    if not photo.image:
        photo.renditions = {}
        return "made"
    previous = photo.renditions or {}
    key = hashlib.sha256(f"{photo.image.name}:{RENDITIONS_VERSION}".encode()).hexdigest()[:8]
    try:
        image, (width, height) = _open_oriented(photo)
        same_source = (
            previous.get("source") == photo.image.name and previous.get("version") == RENDITIONS_VERSION
        )
        if same_source and not force:
            # Only the focal point moved: the sizes stay, the social crop is redone.
            sizes = {"jpeg": previous["jpeg"], "webp": previous["webp"]}
        else:
            sizes = _make_sizes(photo, image, key)
        renditions = {
            "version": RENDITIONS_VERSION,
            "source": photo.image.name,
            "width": width,
            "height": height,
            **sizes,
            "social": _make_social(photo, image, key),
        }
    except Exception:
        logger.exception("Could not make renditions for photo %s (%s)", photo.pk, photo.image.name)
        photo.renditions = {}
        return "failed"
    _delete_unreferenced(photo, _referenced_names(renditions))
    photo.renditions = renditions
    return "made"


def missing_files(photo):
    """Rendition files recorded for the photo but absent from storage (used by make_renditions)."""
    return [name for name in _referenced_names(photo.renditions or {}) if not default_storage.exists(name)]


# Reading renditions when rendering (no storage access beyond url()) ---------------


def absolute_url(url):
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"https:{url}"
    return f"{settings.SITE_URL}{url}"


def dimensions(photo):
    """Width and height as readers see the photo (after EXIF rotation)."""
    renditions = photo.renditions or {}
    if renditions.get("width"):
        return renditions["width"], renditions["height"]
    return photo.width, photo.height


def storage_url(name):
    """``default_storage.url(name)``, minus the cost of urljoin() for files on disk.

    FileSystemStorage's url() is its base URL joined with the quoted name; for
    our own rendition names plain concatenation gives the same result, and
    urljoin() was most of the time spent rendering a <picture>.
    """
    storage = getattr(default_storage, "_wrapped", default_storage)
    if type(storage) is FileSystemStorage and storage.base_url.endswith("/"):
        return storage.base_url + filepath_to_uri(name)
    return default_storage.url(name)


def srcset(photo, fmt):
    return ", ".join(
        f"{storage_url(item['name'])} {item['width']}w" for item in photo.renditions.get(fmt, [])
    )


def rendition(photo, width=800, fmt="jpeg"):
    """The smallest rendition at least ``width`` wide (else the largest), as a dict with an absolute url.

    Keys: url, width, height, bytes (None for the original) and type. Falls
    back to the original file when the photo has no renditions yet.
    """
    if not photo or not photo.image:
        return None
    items = (photo.renditions or {}).get(fmt) or []
    if not items:
        url = photo.image.url
        return {
            "url": absolute_url(url),
            "width": photo.width,
            "height": photo.height,
            "bytes": None,
            "type": _content_type(photo.image.name),
        }
    chosen = next((item for item in items if item["width"] >= width), items[-1])
    return {
        "url": absolute_url(storage_url(chosen["name"])),
        "width": chosen["width"],
        "height": chosen["height"],
        "bytes": chosen.get("bytes"),
        "type": "image/webp" if fmt == "webp" else "image/jpeg",
    }


def rendition_url(photo, width=800):
    """Absolute URL of a JPEG about ``width`` wide, for feeds and e-mail."""
    found = rendition(photo, width)
    return found["url"] if found else ""


def social_image(photo):
    """The 1200×630 crop for og:image and Twitter cards: url (absolute), width, height, alt, type."""
    if not photo or not photo.image:
        return None
    social = (photo.renditions or {}).get("social")
    if not social:
        original = rendition(photo, WIDTHS[-1])
        return {**original, "alt": photo.alt_text}
    return {
        "url": absolute_url(storage_url(social["name"])),
        "width": social["width"],
        "height": social["height"],
        "alt": photo.alt_text,
        "type": "image/jpeg",
    }


def _content_type(name):
    suffix = PurePosixPath(name).suffix.lower()
    return {".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}.get(suffix, "image/jpeg")
