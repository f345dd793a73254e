"""Caption, credit and licence that a photo agency put in the file: XMP, then IPTC, then EXIF."""

import contextlib
import logging
import xml.etree.ElementTree as ET

from PIL import Image, IptcImagePlugin

from .uploads import ACCEPTED_FORMATS, _readable

logger = logging.getLogger(__name__)

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
