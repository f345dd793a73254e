"""Admin widgets for the desk: photo thumbnails, the photo chooser and tag autocomplete."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from taggit.models import Tag

from . import images
from .tagging import as_typed, has_usable_slug, split_tag_names

ADMIN_CSS = {"all": ["admin/css/newsroom_admin.css"]}


def thumbnail_url(photo):
    """The smallest rendition when there is one, else the original file."""
    sizes = (photo.renditions or {}).get("jpeg") or []
    if sizes:
        return default_storage.url(sizes[0]["name"])
    return photo.image.url if photo.image else ""


def thumbnail(photo, box=(120, 80)):
    if photo is None or not photo.image:
        return "—"
    width, height = images.dimensions(photo)
    if width and height:
        scale = min(box[0] / width, box[1] / height, 1)
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
    else:
        width, height = box
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="admin-thumbnail" loading="lazy">',
        thumbnail_url(photo),
        photo.alt_text,
        width,
        height,
    )


class PhotoChooser(AutocompleteSelect):
    """Photo autocomplete that also shows the chosen photo, updated as the editor picks another."""

    def __init__(self, field, admin_site, attrs=None, **kwargs):
        attrs = {"class": "photo-chooser", **(attrs or {})}
        super().__init__(field, admin_site, attrs=attrs, **kwargs)

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        chosen = str(value) if value not in (None, "") else ""
        # The preview goes through a redirecting view, so rendering costs no query per photo.
        preview = (
            format_html(
                '<img src="{}" alt="" class="photo-chooser-image">',
                reverse("admin:articles_photo_thumbnail", args=[chosen]),
            )
            if chosen.isdigit()
            else ""
        )
        return format_html(
            '{}<span class="photo-chooser-preview" data-library-url="{}">{}</span>',
            select,
            reverse("admin:articles_photo_changelist"),
            preview,
        )

    @property
    def media(self):
        return super().media + forms.Media(js=["admin/js/photo_chooser.js"], css=ADMIN_CSS)


class TagAutocomplete(AutocompleteSelectMultiple):
    """Select2 in "tags" mode: pick existing tags by name or type a new one.

    Options carry tag names, not ids, so new and existing tags travel the same way.
    """

    def get_url(self):
        return reverse("admin:articles_article_tag_autocomplete")

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-tags"] = "true"
        # No token separators: the server splits a typed value on commas
        # outside double quotes (tagging.split_tag_names), so "Arts, culture"
        # in quotes stays one tag.
        return attrs

    def optgroups(self, name, value, attr=None):
        names = [v for v in value if v]
        return [(None, [self.create_option(name, v, v, True, i) for i, v in enumerate(names)], 0)]


class TagNamesField(forms.Field):
    widget = TagAutocomplete
    max_length = Tag._meta.get_field("name").max_length

    def prepare_value(self, value):
        return [as_typed(getattr(tag, "name", tag)) for tag in value or []]

    def to_python(self, value):
        if isinstance(value, str):
            value = [value]
        names = {}
        for raw in value or []:
            for name in split_tag_names(raw):
                names.setdefault(name.lower(), name)
        if not names:
            return []
        # Reuse an existing tag whatever its case, rather than make "Climate" next to "climate".
        lookup = Q()
        for name in names.values():
            lookup |= Q(name__iexact=name)
        for existing in Tag.objects.filter(lookup).values_list("name", flat=True):
            names[existing.lower()] = existing
        # In the order entered: the first tag is the interview's kicker.
        return list(names.values())

    def validate(self, value):
        super().validate(value)
        too_long = [name for name in value if len(name) > self.max_length]
        if too_long:
            raise ValidationError(
                "A tag can be at most %(max)d characters long: “%(name)s”.",
                params={"max": self.max_length, "name": too_long[0]},
            )
        addressless = [name for name in value if not has_usable_slug(name)]
        if addressless:
            raise ValidationError(
                "A tag needs at least one letter or digit, so that it can have a page: “%(name)s”.",
                params={"name": addressless[0]},
            )

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return [getattr(tag, "name", tag) for tag in initial or []] != data
