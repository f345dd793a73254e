"""Photo addresses for pages, feeds and metadata, read from ``Photo.renditions``.

Nothing here touches the storage beyond ``url()`` or runs a query. Renditions
made from another file than the photo's current one (a replaced image whose
new renditions are still being made after commit) are ignored, so readers
get the new original meanwhile, never the previous picture.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.encoding import filepath_to_uri

WIDTHS = (480, 800, 1200, 1600)
SOCIAL_SIZE = (1200, 630)


def current(photo):
    """The photo's renditions if they were made from its current file, else an empty dict."""
    renditions = photo.renditions or {}
    if photo.image and renditions.get("source") == photo.image.name:
        return renditions
    return {}


def absolute_url(url):
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"https:{url}"
    return f"{settings.SITE_URL}{url}"


def dimensions(photo):
    """Width and height as readers see the photo (after EXIF rotation)."""
    renditions = current(photo)
    if renditions.get("width"):
        return renditions["width"], renditions["height"]
    return photo.width, photo.height


def storage_url(name):
    """The address of a rendition file, minus the cost of urljoin() for files on disk.

    FileSystemStorage's url() is its base URL joined with the quoted name; for
    our own rendition names plain concatenation gives the same result, and
    urljoin() was most of the time spent rendering a <picture>.
    """
    storage = storages["renditions"]
    if type(storage) is FileSystemStorage and storage.base_url.endswith("/"):
        return storage.base_url + filepath_to_uri(name)
    return storage.url(name)


def srcset(photo, fmt):
    return ", ".join(f"{storage_url(item['name'])} {item['width']}w" for item in current(photo).get(fmt, []))


def rendition(photo, width=800, fmt="jpeg"):
    """The smallest rendition at least ``width`` wide (else the largest), as a dict with an absolute url.

    Keys: url, width, height, bytes (None for the original) and type. Falls
    back to the original file when the photo has no renditions yet.
    """
    if not photo or not photo.image:
        return None
    items = current(photo).get(fmt) or []
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
    social = current(photo).get("social")
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
