"""Rich text: what editors may write, and the server-side sanitizer that enforces it.

``sanitize`` is the one rule for stored rich text, and ``plain_text`` the one
way to read it as text. Every rich text field is a RichTextField, which
sanitizes on every write path: forms, ``save()`` and ``bulk_create`` through
``pre_save``, and the writes that skip ``pre_save`` (fixtures loaded with
``loaddata``, django-reversion's restores, ``update()`` and ``bulk_update()``)
through ``get_db_prep_save``. Importers and other code that produce rich
text call ``sanitize`` themselves when they need the result before saving.

The sanitizer's time grows with the square of the nesting depth, so input
deeper or longer than any real interview is refused before it is parsed
(``check_limits``), with a message the form shows. A value is sanitized once:
the result is remembered for the few saves in flight, so the form, the
model's validation and the save do not parse it again.
"""

import html
import re
import threading
from collections import OrderedDict

import nh3
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags
from django_prose_editor.fields import ProseEditorField, ProseEditorFormField

from .text import clean_text

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

# A long answer is a few thousand characters and lists nest two or three
# levels deep (ul > li > p > strong > a is five elements); these are far
# beyond that and keep one sanitize call under a few milliseconds.
MAX_LENGTH = 100_000
MAX_DEPTH = 30

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener",
    strip_comments=True,
)

# A paragraph with nothing to read: pasted lines holding only a non-breaking space, say.
_BLANK_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>|</?(?:strong|em|b|i)>)*</p>")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose opening tag ends an open one of the same kind (<li>a<li>b).
_SELF_ENDING = {"li", "p"}


def check_limits(value):
    """Refuse rich text longer than MAX_LENGTH or nested deeper than MAX_DEPTH, in one linear scan."""
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            "This text is too long to save: at most %(max)s characters with its formatting "
            "(it has %(length)s). Split it into several blocks.",
            code="too_long",
            params={"max": f"{MAX_LENGTH:,}", "length": f"{len(value):,}"},
        )
    open_tags = []
    for match in _TAG.finditer(value):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if name in open_tags:
                while open_tags.pop() != name:
                    pass
        elif name not in _VOID and not self_closing:
            if name in _SELF_ENDING and open_tags and open_tags[-1] == name:
                open_tags.pop()
            open_tags.append(name)
            if len(open_tags) > MAX_DEPTH:
                raise ValidationError(
                    "This text is nested too deeply to save (more than %(max)s levels of lists or "
                    "formatting inside each other). Flatten the lists and save again.",
                    code="too_deep",
                    params={"max": MAX_DEPTH},
                )


class _Recent:
    """The last sanitized values, up to ``max_chars`` in all, so one save parses each value once.

    Sized for the longest interview's body saved at once; thread-safe.
    """

    def __init__(self, max_chars):
        self.max_chars = max_chars
        self.chars = 0
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, value):
        with self.lock:
            cleaned = self.items.get(value)
            if cleaned is not None:
                self.items.move_to_end(value)
            return cleaned

    def remember(self, value, cleaned):
        with self.lock:
            # Sanitizing the result again gives the result.
            for key in {value, cleaned}:
                if key not in self.items:
                    self.chars += len(key) + len(cleaned)
                self.items[key] = cleaned
            while self.chars > self.max_chars and self.items:
                key, old = self.items.popitem(last=False)
                self.chars -= len(key) + len(old)


_recent = _Recent(max_chars=4_000_000)


def sanitize(value):
    """Return ``value`` with everything outside the allow-list removed, and no invisible characters.

    Text with no visible content (the editor's empty "<p></p>", or markup that
    sanitizes to nothing) becomes "", so a required field left so is refused.
    Raises ValidationError for input beyond the limits (see ``check_limits``).
    """
    if not value:
        return ""
    cleaned = _recent.get(value)
    if cleaned is not None:
        return cleaned
    check_limits(value)
    cleaned = _cleaner.clean(clean_text(value))
    cleaned = _BLANK_PARAGRAPH.sub("", cleaned).strip()
    if not plain_text(cleaned).strip():
        cleaned = ""
    _recent.remember(value, cleaned)
    return cleaned


def plain_text(value):
    """The text of sanitized HTML, entities decoded, for search, excerpts, labels and metadata.

    The result is text, not HTML: templates and the admin escape it once when
    they show it.
    """
    return html.unescape(" ".join(strip_tags(value or "").split()))


class RichTextFormField(ProseEditorFormField):
    """The editor's form field: sanitized as it is cleaned, so the form shows what will be stored."""

    def to_python(self, value):
        return sanitize(super().to_python(value))


class RichTextField(ProseEditorField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EXTENSIONS)
        kwargs["sanitize"] = sanitize
        super().__init__(*args, **kwargs)

    def clean(self, value, model_instance):
        # Sanitize before the checks, so that a required field holding only
        # markup (or only hostile markup) is refused rather than saved empty.
        return models.TextField.clean(self, sanitize(value), model_instance)

    def pre_save(self, model_instance, add):
        value = sanitize(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        if isinstance(value, str):
            value = sanitize(value)
        return super().get_db_prep_save(value, connection)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("extensions", None)
        kwargs.pop("sanitize", None)
        return name, path, args, kwargs
