"""Tag names as editors type them, and tags that always have a usable address.

Tags are django-taggit's model, which the project cannot change, so its
saves are checked by a ``pre_save`` receiver (connected in ``apps.py``):
whatever path creates a tag (the admin, an import, ``article.tags.add()``),
its name is clean text and its slug is never empty, so every tag page and
feed has an address.
"""

import csv
import hashlib
import re

from taggit.models import Tag

from .text import clean_text


def split_tag_names(raw):
    """The tag names in one typed value: commas separate tags, double quotes keep a comma in one.

    ``'"Arts, culture", climate'`` is two tags, ``Arts, culture`` and ``climate``.
    """
    text = clean_text(str(raw), multiline=False)
    names = []
    for row in csv.reader([text], skipinitialspace=True):
        names += [" ".join(part.split()) for part in row]
    return [name for name in names if name]


def as_typed(name):
    """``name`` as the form sends it back, so that ``split_tag_names`` gives the same one tag."""
    if "," in name or name.startswith('"'):
        return '"' + name.replace('"', '""') + '"'
    return name


def has_usable_slug(name):
    """Whether ``name`` gives an address of its own (it has a letter or a digit)."""
    return bool(Tag().slugify(name))


def fallback_slug(name):
    """A stable address for a tag whose name has no letter or digit (for example "!!!")."""
    return "tag-" + hashlib.sha256(name.encode()).hexdigest()[:10]


def clean_tag(sender, instance, raw=False, **kwargs):
    """``pre_save`` for taggit's Tag: clean name, non-empty slug."""
    instance.name = " ".join(clean_text(instance.name or "", multiline=False).split())
    if not instance.slug or re.fullmatch(r"_\d+", instance.slug):
        # taggit leaves the slug empty for such names ("_1" after a clash).
        instance.slug = fallback_slug(instance.name)
