"""Photo uploads: only complete JPEG, PNG or WebP images of a sensible size, stored without their metadata.

``verify_image`` gives editors a precise reason for refusing a file.
``clean_original`` re-encodes an accepted upload before it is stored: the
pixels (turned upright) and the colour profile stay; the location, camera
details, comments and anything else riding in the file do not. Caption,
credit and licence are read from the upload first (``metadata.read_metadata``).
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

# The decoders Pillow may try on an upload. Phone cameras' JPEGs with extra
# preview frames open through the JPEG decoder too (Pillow calls them MPO).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPTED_CONTENT_TYPES = "image/jpeg,image/png,image/webp"

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


# Re-encoding originals --------------------------------------------------------

EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
# WebP originals are rare; re-encoded at a quality no reader can tell from the upload.
WEBP_ORIGINAL_QUALITY = 95


def clean_original(upload, name):
    """The upload re-encoded without metadata, as a ContentFile named ``name`` with the right extension.

    JPEGs keep their own quantisation tables and chroma subsampling, so
    re-encoding costs no visible quality; PNGs are lossless. EXIF
    orientation is applied to the pixels, so nothing of the EXIF is needed.
    """
    with Image.open(_readable(upload), formats=ACCEPTED_FORMATS) as image:
        image_format = image.format
        icc_profile = image.info.get("icc_profile")
        options = {}
        if image_format in ("JPEG", "MPO"):
            options = {
                "qtables": image.quantization,
                "subsampling": JpegImagePlugin.get_sampling(image),
                "progressive": True,
            }
            if image.mode not in ("RGB", "L", "CMYK"):
                image = image.convert("RGB")
        elif image_format == "PNG":
            options = {"optimize": False}
            if "transparency" in image.info and image.mode in ("P", "L", "RGB"):
                options["transparency"] = image.info["transparency"]
        else:
            options = {"quality": WEBP_ORIGINAL_QUALITY, "method": 4}
        upright = ImageOps.exif_transpose(image)
        if options.get("subsampling") == -1:
            del options["subsampling"]
        # A fresh info dict: no EXIF, GPS, XMP, IPTC, comments or text chunks are written.
        upright.info = {}
        if icc_profile:
            options["icc_profile"] = icc_profile
        buffer = io.BytesIO()
        upright.save(buffer, "JPEG" if image_format == "MPO" else image_format, **options)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "photo"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{EXTENSIONS[image_format]}")
