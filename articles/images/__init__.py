"""Photos: upload checks, metadata, renditions and their addresses, one module per concern.

- ``uploads``: which files are accepted, and originals re-encoded without their metadata;
- ``metadata``: caption, credit and licence read from an upload;
- ``renditions``: responsive sizes and the social image, made after commit under content-hashed names;
- ``urls``: the addresses pages, feeds and metadata use, without storage access.

The names below are the ones the rest of the site uses.
"""

from .metadata import read_metadata
from .renditions import (
    RENDITIONS_VERSION,
    focal_crop_box,
    missing_files,
    referenced_names,
    refresh,
    rendition_widths,
    renditions_are_current,
)
from .uploads import (
    ACCEPTED_CONTENT_TYPES,
    BROKEN_IMAGE,
    NOT_AN_IMAGE,
    TOO_MANY_BYTES,
    clean_original,
    verify_image,
)
from .urls import (
    SOCIAL_SIZE,
    WIDTHS,
    absolute_url,
    current,
    dimensions,
    rendition,
    rendition_url,
    social_image,
    srcset,
    storage_url,
)

__all__ = [
    "ACCEPTED_CONTENT_TYPES",
    "BROKEN_IMAGE",
    "NOT_AN_IMAGE",
    "RENDITIONS_VERSION",
    "SOCIAL_SIZE",
    "TOO_MANY_BYTES",
    "WIDTHS",
    "absolute_url",
    "clean_original",
    "current",
    "dimensions",
    "focal_crop_box",
    "missing_files",
    "read_metadata",
    "referenced_names",
    "refresh",
    "rendition",
    "rendition_url",
    "rendition_widths",
    "renditions_are_current",
    "social_image",
    "srcset",
    "storage_url",
    "verify_image",
]
