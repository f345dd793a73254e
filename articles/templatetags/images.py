"""Responsive photos in templates: {% picture %}, {% social_image %} and {% rendition_url %}.

Everything reads ``Photo.renditions``, made when the photo was saved, so these
tags run no query and touch the storage only through ``storage.url()``.
"""

from django import template

from articles import images

register = template.Library()

DEFAULT_SIZES = "(min-width: 50rem) 46rem, 100vw"


@register.inclusion_tag("includes/_picture.html")
def picture(
    photo, sizes=DEFAULT_SIZES, loading="lazy", fetchpriority=None, alt=None, css_class="", max_width=None
):
    """A <picture> with WebP and JPEG srcsets, or a plain <img> of the original if there are no renditions.

    loading="eager" is for the photo at the top of the page; it also asks for
    high fetch priority unless ``fetchpriority`` says otherwise. ``max_width``
    leaves out renditions wider than a small picture (a thumbnail) ever needs.
    """
    if not photo or not photo.image:
        return {"photo": None}
    # Partials pass "" for arguments their caller left out.
    loading = loading or "lazy"
    if fetchpriority is None and loading == "eager":
        fetchpriority = "high"
    picture = {
        "photo": photo,
        "alt": photo.alt_text if alt is None else alt,
        "sizes": sizes or DEFAULT_SIZES,
        "css_class": css_class,
        "loading": loading,
        "fetchpriority": fetchpriority,
    }
    renditions = images.current(photo)
    jpegs = _up_to(renditions.get("jpeg"), max_width)
    if not jpegs:
        return {**picture, "src": photo.image.url, "width": photo.width, "height": photo.height}
    largest = renditions["jpeg"][-1]
    fallback = next((item for item in jpegs if item["width"] >= 800), jpegs[-1])
    return {
        **picture,
        "src": images.storage_url(fallback["name"]),
        # The intrinsic size of the photo (its aspect ratio), whichever file the browser picks.
        "width": largest["width"],
        "height": largest["height"],
        "jpeg_srcset": _srcset(jpegs),
        "webp_srcset": _srcset(_up_to(renditions.get("webp"), max_width)),
    }


def _up_to(items, max_width):
    # Always at least the smallest, however small the limit.
    if not items or not max_width:
        return items or []
    return [item for item in items if item["width"] <= max_width] or items[:1]


def _srcset(items):
    return ", ".join(f"{images.storage_url(item['name'])} {item['width']}w" for item in items)


@register.simple_tag
def social_image(photo):
    """Use as {% social_image photo as image %}: image.url (absolute), .width, .height, .alt, .type."""
    return images.social_image(photo)


@register.simple_tag
def rendition_url(photo, width=800):
    """Absolute URL of a JPEG rendition at least ``width`` wide (or the largest there is)."""
    return images.rendition_url(photo, width)
