"""Responsive photos in templates: {% picture %}, {% social_image %} and {% rendition_url %}.

Everything reads ``Photo.renditions``, made when the photo was saved, so these
tags run no query and touch the storage only through ``storage.url()``.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from articles import images

register = template.Library()

DEFAULT_SIZES = "(min-width: 50rem) 46rem, 100vw"


@register.simple_tag
def picture(photo, sizes=DEFAULT_SIZES, loading="lazy", fetchpriority=None, alt=None, css_class=""):
    """A <picture> with WebP and JPEG srcsets, or a plain <img> of the original if there are no renditions.

    loading="eager" is for the photo at the top of the page; it also asks for
    high fetch priority unless ``fetchpriority`` says otherwise.
    """
    if not photo or not photo.image:
        return ""
    # Partials pass "" for arguments their caller left out.
    sizes = sizes or DEFAULT_SIZES
    loading = loading or "lazy"
    alt = photo.alt_text if alt is None else alt
    if fetchpriority is None and loading == "eager":
        fetchpriority = "high"
    renditions = images.current(photo)
    jpegs = renditions.get("jpeg")
    if jpegs:
        largest = jpegs[-1]
        fallback = next((item for item in jpegs if item["width"] >= 800), largest)
        src, width, height = images.storage_url(fallback["name"]), largest["width"], largest["height"]
    else:
        src, width, height = photo.image.url, photo.width, photo.height
    attributes = {
        "src": src,
        "srcset": images.srcset(photo, "jpeg") if jpegs else None,
        "sizes": sizes if jpegs else None,
        "width": width,
        "height": height,
        "alt": alt,
        "class": css_class or None,
        "loading": loading,
        "fetchpriority": fetchpriority,
        "decoding": "async",
    }
    # Built with escape() rather than format_html(): this runs for every photo
    # on every page, and format_html's lazy-string handling was half its cost.
    pairs = (f'{name}="{escape(str(value))}"' for name, value in attributes.items() if value is not None)
    img = f"<img {' '.join(pairs)}>"
    if not jpegs:
        return mark_safe(img)
    webp = ""
    if renditions.get("webp"):
        webp_srcset = escape(images.srcset(photo, "webp"))
        webp = f'<source type="image/webp" srcset="{webp_srcset}" sizes="{escape(sizes)}">'
    return mark_safe(f"<picture>{webp}{img}</picture>")


@register.simple_tag
def social_image(photo):
    """Use as {% social_image photo as image %}: image.url (absolute), .width, .height, .alt, .type."""
    return images.social_image(photo)


@register.simple_tag
def rendition_url(photo, width=800):
    """Absolute URL of a JPEG rendition at least ``width`` wide (or the largest there is)."""
    return images.rendition_url(photo, width)
