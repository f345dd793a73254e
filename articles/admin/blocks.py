"""The rows edited inside an interview (body, bylines, corrections) and saving them in order."""

import json

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from .. import cards, workflow
from ..models import ArticleAuthor, ArticleInterviewee, Block, Correction
from ..richtext import sanitize
from .library import PhotoChooserMixin

# Which block fields matter for each kind; the admin hides the others (block_fields.js).
KIND_FIELDS = {
    Block.Kind.QUESTION: ["text"],
    Block.Kind.ANSWER: ["text", "speaker", "quote", "card_preview"],
    Block.Kind.PARAGRAPH: ["text"],
    Block.Kind.PHOTO: ["photo", "readers_see", "caption", "credit"],
    Block.Kind.QUOTE: ["text", "attribution", "card_preview"],
    Block.Kind.HEADING: ["text"],
}


# Ordered inlines ---------------------------------------------------------------


class OrderedInlineForm(forms.ModelForm):
    """A row with an "Order" box instead of the stored position.

    The admin renumbers the rows 1..n in the order submitted when it saves
    them (``ArticleAdmin.save_formset``); rows left without a number go to the
    end. block_order.js fills the boxes as rows are added and moved.
    """

    order = forms.IntegerField(
        label="Order",
        required=False,
        widget=forms.NumberInput(attrs={"class": "order-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("order", self.instance.position)

    def has_changed(self):
        # The script numbers every row, including blank new ones the editor never touched.
        if self.instance.pk is None:
            return any(name != "order" for name in self.changed_data)
        return super().has_changed()

    def clean(self):
        cleaned_data = super().clean()
        # Checks that look at the rows before they are saved (the pre-publish
        # check) see them in the order submitted.
        if cleaned_data.get("order") is not None:
            self.instance.position = cleaned_data["order"]
        return cleaned_data


class BlockForm(OrderedInlineForm):
    def has_changed(self):
        # A block added and given its kind, but nothing else yet, is still blank (autosave waits).
        if self.instance.pk is None:
            return any(name not in ("order", "kind") for name in self.changed_data)
        return super().has_changed()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].widget.attrs.update(
                {"class": "block-kind", "data-kind-fields": json.dumps(KIND_FIELDS)}
            )

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        is_slot = cleaned_data.get("caption", "").strip() or cleaned_data.get("credit", "").strip()
        if (
            kind == Block.Kind.PHOTO
            and not cleaned_data.get("photo")
            and not is_slot
            and not self.has_error("photo")
        ):
            # A caption or credit without the photo keeps the place as a photo slot.
            self.add_error(
                "photo",
                "Choose the photo to show here. To keep its place for later, give a caption or credit.",
            )
        if kind in Block.TEXT_KINDS and not sanitize(cleaned_data.get("text")) and not self.has_error("text"):
            label = Block.Kind(kind).label.lower()
            self.add_error("text", f"Write the text of this {label}.")
        return cleaned_data


class ArticlePartMixin:
    """Rows of an interview are editable exactly when the interview is (see workflow.can_edit)."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_edit(request.user, obj)


class DeskInlineFormSet(BaseInlineFormSet):
    """Rows told apart by whether they carry an id, not by their number.

    An autosave (autosave.js) creates rows without reloading the page: it
    gives them their ids and counts every row as initial. A row without an
    id is then still a new row, whatever its number, and an untouched one is
    ignored like any blank new row.
    """

    def _is_new(self, index):
        if index >= self.initial_form_count():
            return True
        return self.is_bound and not self.data.get(f"{self.add_prefix(index)}-{self.model._meta.pk.name}")

    def _construct_form(self, i, **kwargs):
        new_in_place = i < self.initial_form_count() and self._is_new(i)
        if new_in_place:
            kwargs.setdefault("empty_permitted", True)
        form = super()._construct_form(i, **kwargs)
        if new_in_place:
            form.fields[self.model._meta.pk.name].required = False
        return form

    @property
    def initial_forms(self):
        return [form for index, form in enumerate(self.forms) if not self._is_new(index)]

    @property
    def extra_forms(self):
        return [form for index, form in enumerate(self.forms) if self._is_new(index)]


class ArticleInlineMixin(ArticlePartMixin):
    formset = DeskInlineFormSet


class OrderedInlineMixin(ArticleInlineMixin):
    form = OrderedInlineForm
    extra = 0
    classes = ["js-reorder"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new interview starts with one empty row to fill; an existing one with none.
        return 1 if obj is None else 0


class ArticleAuthorInline(OrderedInlineMixin, admin.TabularInline):
    model = ArticleAuthor
    fields = ["order", "person"]
    autocomplete_fields = ["person"]
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"


class ArticleIntervieweeInline(OrderedInlineMixin, admin.TabularInline):
    model = ArticleInterviewee
    fields = ["order", "person", "role"]
    autocomplete_fields = ["person"]
    verbose_name = "interviewee"
    verbose_name_plural = "interviewees (in the order introduced)"


# Far more blocks than any interview has (a long one has about 150), and a
# form that fits settings.DATA_UPLOAD_MAX_NUMBER_FIELDS several times over.
MAX_BLOCKS = 1000


class BlockFormSet(DeskInlineFormSet):
    default_error_messages = {
        "too_many_forms": "An interview can have at most %(num)d blocks. Nothing is saved yet and "
        "everything you typed is still below: remove some blocks, or split the interview in two."
    }


class BlockInline(OrderedInlineMixin, PhotoChooserMixin, admin.StackedInline):
    model = Block
    form = BlockForm
    formset = BlockFormSet
    max_num = MAX_BLOCKS
    fields = [
        ("order", "kind"),
        "text",
        "speaker",
        "quote",
        "photo",
        "readers_see",
        "caption",
        "credit",
        "attribution",
        "card_preview",
    ]
    readonly_fields = ["card_preview", "readers_see"]
    autocomplete_fields = ["speaker"]
    verbose_name = "block"
    verbose_name_plural = "body, in reading order"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo", "speaker")

    @admin.display(description="Readers see")
    def readers_see(self, block):
        """The photo's caption and credit as the page shows them; photo_caption.js keeps it current."""
        photo = block.photo if block and block.photo_id else None
        return format_html(
            '<span class="photo-as-seen" data-caption="{}" data-credit="{}">{}</span>',
            photo.caption if photo else "",
            photo.credit if photo else "",
            _as_seen(block.display_caption, block.display_credit) if photo else "Choose a photo.",
        )

    @admin.display(description="Quote card")
    def card_preview(self, block):
        url = cards.card_url(block)
        if not url:
            return "Made when the interview is saved." if cards.quote_text(block) else "—"
        return format_html(
            '<a href="{}" download><img src="{}" width="300" height="158" alt="Quote card: {}"></a>',
            url,
            url,
            cards.quote_text(block),
        )

    def get_formset(self, request, obj=None, **kwargs):
        # Too many blocks get the formset's message, not a silently capped form.
        return super().get_formset(request, obj, **{"validate_max": True, **kwargs})


def _as_seen(caption, credit):
    parts = [caption or "No caption"]
    parts.append(f"Credit: {credit}" if credit else "No credit")
    return " · ".join(parts)


class CorrectionInline(ArticleInlineMixin, admin.StackedInline):
    model = Correction
    fields = ["kind", "created_at", "text"]
    extra = 0
    verbose_name = "correction or update"
    verbose_name_plural = "corrections and updates"


def save_in_submitted_order(formset):
    """Save an ordered inline formset, numbering its rows 1..n in the order submitted.

    Positions are a plain sort key (not unique), so rows simply take their
    new numbers; a row whose only change is its place gets a one-column UPDATE.
    """
    formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    kept = []
    new_forms = formset.extra_forms
    for index, form in enumerate(formset.forms):
        if form in formset.deleted_forms:
            continue
        if form.instance.pk is None:
            if form not in new_forms:
                continue  # Deleted by someone else meanwhile.
            if not form.has_changed():
                continue
        order = form.cleaned_data.get("order")
        kept.append((order is None, order or 0, index, form))
    kept.sort(key=lambda row: row[:3])

    for position, (*_, form) in enumerate(kept, start=1):
        obj = form.instance
        moved = form.initial.get("order") != position  # The stored place, as loaded.
        obj.position = position
        if obj.pk is None or form.has_changed():
            obj.save()
        elif moved:
            # Only the place changes: leave the rest of the row as it is stored.
            formset.model.objects.filter(pk=obj.pk).update(position=position)
    formset.save_m2m()
