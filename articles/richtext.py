"""Rich text: what editors may write, and the server-side sanitizer that enforces it.

Every rich text field is a RichTextField, which sanitizes in ``pre_save`` so
that no write path (admin, shell, fixtures, bulk_create) can store unsafe HTML.
"""

import nh3
from django.utils.html import strip_tags
from django_prose_editor.fields import ProseEditorField

# What the admin's editor offers; the sanitizer below allows exactly this.
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    "History": True,
}

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener",
    strip_comments=True,
)


def sanitize(html):
    """Return ``html`` with everything outside the allow-list removed."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html).strip()
    # The editor stores an empty document as "<p></p>"; keep blank fields blank.
    if not strip_tags(cleaned).strip() and "<br" not in cleaned:
        return ""
    return cleaned


def plain_text(html):
    """Text content of sanitized HTML, for search, excerpts and metadata."""
    return " ".join(strip_tags(html or "").split())


class RichTextField(ProseEditorField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EXTENSIONS)
        kwargs["sanitize"] = sanitize
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitize(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("extensions", None)
        kwargs.pop("sanitize", None)
        return name, path, args, kwargs
