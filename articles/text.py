"""Plain text as it is stored: no invisible control characters, no Unicode non-characters.

Text arrives pasted from word processors, transcripts and e-mails, which carry
characters no reader can see and XML cannot hold (Word writes U+000B for a
line break inside a paragraph): one of them in a headline would break every
feed and sitemap that shows it. ``clean_text`` is the one rule; the model
fields below apply it on every write path (forms, ``save()``, fixtures
loaded with ``loaddata``, revision restores, ``bulk_create`` and
``update()``), and the rich text sanitizer applies it before sanitizing.
Importers and other code that writes text call ``clean_text`` too.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

# C0 controls other than tab, newline and carriage return; DEL; C1 controls;
# lone surrogates; the Unicode non-characters (U+FDD0 to U+FDEF and the last
# two code points of every plane). XML 1.0 refuses the C0 controls,
# surrogates, U+FFFE and U+FFFF; the others are never text anyone meant.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)
# Line breaks other than newline: U+000B (Word's line break), form feed, U+0085.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x85]")
# Everything that ends a line or tabs, for fields that hold a single line.
_LINE_SPACE = re.compile("\r\n|[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def clean_text(value, *, multiline=True):
    """``value`` without invisible control characters and non-characters.

    Line breaks pasted as U+000B or form feed become newlines, or spaces when
    ``multiline`` is false (a title, a name), where tabs and newlines become
    spaces too. Everything else is kept as it is, character for character.
    Non-strings (None, numbers) are returned unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    value = _OTHER_BREAKS.sub("\n", value) if multiline else _LINE_SPACE.sub(" ", value)
    return _INVISIBLE.sub("", value)


def xml_safe(value):
    """``value`` with every character XML 1.0 cannot hold removed: output's last line of defence.

    Stored text is already clean; feeds and sitemaps also show names from
    other apps (tags) and must never fail or emit invalid XML.
    """
    if not isinstance(value, str):
        return value
    return _INVISIBLE.sub("", _OTHER_BREAKS.sub(" ", value))


class CleanTextMixin:
    """Model field behaviour: the stored value always goes through ``clean_text``.

    ``pre_save`` keeps the instance in step with what is stored;
    ``get_db_prep_save`` covers the writes that skip ``pre_save`` (raw saves
    from fixtures and revision restores, ``update()``, ``bulk_update()``).
    Migrations see the plain Django field, as nothing changes in the schema.
    """

    multiline = True

    def pre_save(self, model_instance, add):
        value = clean_text(super().pre_save(model_instance, add), multiline=self.multiline)
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        return super().get_db_prep_save(clean_text(value, multiline=self.multiline), connection)

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", CleanCharFormField)
        field = super().formfield(**kwargs)
        if isinstance(field, CleanCharFormField):
            field.multiline = self.multiline
        return field

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path.replace("articles.text.Clean", "django.db.models."), args, kwargs


class CleanCharFormField(forms.CharField):
    """A form field that cleans what was typed, so the form shows what will be stored."""

    multiline = True

    def to_python(self, value):
        return super().to_python(clean_text(value, multiline=self.multiline))


class CleanCharField(CleanTextMixin, models.CharField):
    """A single line of text: a title, a name, a credit."""

    multiline = False


class CleanTextField(CleanTextMixin, models.TextField):
    """Text that may run over several lines: a standfirst, a caption."""


# Addresses ---------------------------------------------------------------------

_web_address = URLValidator(schemes=["http", "https"])


def is_web_address(value):
    """Whether ``value`` is an http or https address, safe to use as a link."""
    try:
        _web_address(value)
    except ValidationError:
        return False
    return True


def link_lines(value):
    """The non-empty lines of a one-address-per-line field."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def validate_links(value, field=None):
    """Refuse a one-address-per-line field holding anything but http(s) addresses, naming the first."""
    for line in link_lines(value):
        if not is_web_address(line):
            error = ValidationError(
                "“%(line)s” is not a web address. Put one address per line, starting with https://.",
                code="invalid_link",
                params={"line": line},
            )
            raise ValidationError({field: error}) if field else error
