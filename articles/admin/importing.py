"""“Import interview” on the interviews list: upload or paste, review the structure, create the draft.

Step one reads the file or the pasted text and shows every paragraph with the
kind detected for it. Nothing is saved until the editor presses “Create
draft”; then the draft is built in one transaction (importing.builder) and
its change form opens. Embedded pictures wait in the cache between the two
steps, for the editor who uploaded them only.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .. import archive
from ..importing import ImportRefused, detect, read, read_pasted
from ..importing.builder import bio_of, build, find_people, new_person, standfirst_of, title_of
from ..importing.document import Kind
from ..importing.review import document_from, rows_from
from ..importing.structure import NO_QUESTION, counts
from ..models import ArticleAuthor, ArticleInterviewee, Person
from ..widgets import ADMIN_CSS

PASTE_LIMIT = 2_000_000
# Pictures of an uploaded document wait this long for the editor to create the draft.
PENDING_SECONDS = 6 * 60 * 60
EXPIRED = (
    "The uploaded file is no longer waiting on the server (after six hours it is dropped). Upload it again."
)


class UploadForm(forms.Form):
    upload = forms.FileField(
        label="Document or transcript",
        required=False,
        allow_empty_file=True,  # The importer says what an empty file means.
        help_text="Word (.docx), text (.txt), Markdown (.md), web page (.html), or a transcript (.vtt, .srt).",
    )
    pasted = forms.CharField(
        label="Or paste the text",
        required=False,
        max_length=PASTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 12, "class": "vLargeTextField"}),
        help_text="From a word processor, an e-mail or a web page: bold, italics and links are kept.",
    )

    document = None

    def clean(self):
        cleaned_data = super().clean()
        upload, pasted = cleaned_data.get("upload"), cleaned_data.get("pasted", "")
        if self.errors:
            return cleaned_data
        if upload and pasted.strip():
            raise forms.ValidationError("Upload a file or paste the text, not both.")
        try:
            if upload:
                self.data_bytes = upload.read()
                self.document = detect(read(upload.name, self.data_bytes))
            else:
                self.document = detect(read_pasted(pasted))
        except ImportRefused as error:
            self.add_error("upload" if upload else "pasted", str(error))
        return cleaned_data


class RowForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.CHOICES, label="Kind")
    text = forms.CharField(
        required=False,
        label="Text",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
    )
    speaker = forms.CharField(
        required=False,
        max_length=200,
        label="Speaker",
        widget=forms.TextInput(attrs={"placeholder": "Speaker", "class": "row-speaker"}),
    )
    credit = forms.CharField(
        required=False,
        max_length=200,
        label="Credit",
        widget=forms.TextInput(attrs={"placeholder": "Photo credit", "class": "row-credit"}),
    )
    join = forms.BooleanField(required=False, label="Join with the paragraph above")
    html = forms.CharField(required=False, widget=forms.HiddenInput)
    image = forms.CharField(required=False, widget=forms.HiddenInput)
    alt = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image and not image.isdigit():
            raise forms.ValidationError("This photo is not one of the document's pictures.")
        return image


RowFormSet = forms.formset_factory(RowForm, extra=0, max_num=3000, validate_max=True)


class ReviewForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="Headline",
        help_text="Usually “Name: theme”.",
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
    )
    standfirst = forms.CharField(
        required=False,
        label="Standfirst",
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
    )
    interviewees = forms.ModelMultipleChoiceField(Person.objects.all(), required=False, label="Interviewees")
    new_interviewees = forms.MultipleChoiceField(
        required=False, label="Add as new people", widget=forms.CheckboxSelectMultiple
    )
    authors = forms.ModelMultipleChoiceField(Person.objects.all(), required=False, label="Authors")
    new_authors = forms.MultipleChoiceField(
        required=False, label="Add as new people", widget=forms.CheckboxSelectMultiple
    )
    use_bio = forms.BooleanField(
        required=False,
        label="Use “About the author” as the first author's bio (only if they have none yet)",
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    filename = forms.CharField(required=False, widget=forms.HiddenInput)
    pending = forms.CharField(required=False, widget=forms.HiddenInput)
    offered = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("new_interviewees") or cleaned_data.get("new_authors")
        ) and not self.user.has_perm("articles.add_person"):
            raise forms.ValidationError(
                "You cannot add people to the site. Choose existing people, or ask an editor to add them."
            )
        return cleaned_data

    def __init__(self, *args, admin_site, user, new_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, link in (("interviewees", ArticleInterviewee), ("authors", ArticleAuthor)):
            field = self.fields[name]
            field.widget = AutocompleteSelectMultiple(link._meta.get_field("person"), admin_site)
            field.widget.choices = field.choices
        if self.is_bound:
            new_names = [name for name in self.data.get("offered", "").split("\n") if name.strip()]
        self.initial["offered"] = "\n".join(new_names)
        offered = [(name, name) for name in dict.fromkeys(new_names)]
        for name in ("new_interviewees", "new_authors"):
            if offered:
                self.fields[name].choices = offered
            else:
                del self.fields[name]  # Nobody to offer.


class ImportMixin:
    """Adds the import view and the export action to the interviews admin."""

    @admin.action(description="Export as an archive (JSON, photos and Markdown)", permissions=["publish"])
    def export_archive(self, request, queryset):
        data = archive.export(queryset.order_by("created_at", "id"))
        name = f"interviews-{timezone.localdate():%Y-%m-%d}.zip"
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_urls(self):
        view = path("import/", self.admin_site.admin_view(self.import_view), name="articles_article_import")
        return [view, *super().get_urls()]

    def import_view(self, request):
        # Importing is adding an interview, so it takes the same permission.
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "step" in request.POST:
            return self._review_posted(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._review(request, form.document, self._initial(request, form))
        return self._render(request, "admin/articles/article/import.html", {"form": form})

    def _initial(self, request, form):
        document = form.document
        upload = form.cleaned_data.get("upload")
        pending = ""
        if document.images:
            pending = uuid.uuid4().hex
            cache.set(
                f"import-pending:{pending}",
                {"user": request.user.pk, "name": upload.name, "data": form.data_bytes},
                PENDING_SECONDS,
            )
        interviewees = find_people(document.interviewees)
        authors = find_people(document.interviewers)
        return {
            "title": title_of(document),
            "standfirst": standfirst_of(document),
            "interviewees": [p.pk for p in interviewees.values() if p],
            "authors": [p.pk for p in authors.values() if p],
            "new_names": [n for n, p in [*interviewees.items(), *authors.items()] if p is None],
            "use_bio": bool(bio_of(document)),
            "source": document.source,
            "filename": upload.name if upload else "",
            "pending": pending,
        }

    def _review(self, request, document, initial, review=None, rows=None):
        new_names = initial.pop("new_names", [])
        review = review or ReviewForm(
            initial=initial, admin_site=self.admin_site, user=request.user, new_names=new_names
        )
        rows = rows or RowFormSet(initial=rows_from(document), prefix="rows")
        context = {
            "review": review,
            "rows": rows,
            "document": document,
            "counts": counts(document),
            "kinds": Kind.LABELS,
            "media": review.media + forms.Media(css=ADMIN_CSS),
        }
        return self._render(request, "admin/articles/article/import_review.html", context)

    def _review_posted(self, request):
        review = ReviewForm(request.POST, admin_site=self.admin_site, user=request.user)
        rows = RowFormSet(request.POST, prefix="rows")
        if not rows.is_valid():
            return self._review(request, document_from([]), {}, review, rows)
        document = document_from(
            [row for row in rows.cleaned_data if row], source=request.POST.get("source", "")
        )
        if "_create" not in request.POST or not review.is_valid():
            # "Update the preview", or a review form with errors: show the rows as fixed so far.
            return self._review(
                request, document, {}, review, RowFormSet(initial=rows_from(document), prefix="rows")
            )
        if not any(p.kind == Kind.QUESTION for p in document.paragraphs):
            review.add_error(None, NO_QUESTION)
            return self._review(request, document, {}, review, rows)
        pending = review.cleaned_data["pending"]
        if pending:
            stored = cache.get(f"import-pending:{pending}")
            if not stored or stored["user"] != request.user.pk:
                review.add_error(None, EXPIRED)
                return self._review(request, document, {}, review, rows)
            try:
                document.images = read(stored["name"], stored["data"]).images
            except ImportRefused as error:
                review.add_error(None, str(error))
                return self._review(request, document, {}, review, rows)
        for paragraph in document.paragraphs:
            if paragraph.image is not None and paragraph.image >= len(document.images):
                paragraph.image = None  # Its picture is gone: the photo stays a slot.
        return self._create(request, document, review)

    def _create(self, request, document, review):
        data = review.cleaned_data
        filename = data["filename"] or "pasted text"
        try:
            with transaction.atomic():
                interviewees = [
                    *data["interviewees"],
                    *(new_person(n) for n in data.get("new_interviewees", [])),
                ]
                authors = [*data["authors"], *(new_person(n) for n in data.get("new_authors", []))]
                article = build(
                    document,
                    title=data["title"],
                    standfirst=data["standfirst"],
                    interviewees=interviewees,
                    authors=authors,
                    user=request.user,
                    bio_for=authors[0] if authors and data["use_bio"] else None,
                    source=filename,
                )
        except ImportRefused as error:
            review.add_error(None, str(error))
            return self._review(request, document, {}, review)
        if data["pending"]:
            cache.delete(f"import-pending:{data['pending']}")
        self.log_addition(request, article, f"Imported from {filename}.")
        found = counts(document)
        messages.success(
            request,
            f"Created the draft “{article.title}” from {filename}: {found['questions']} questions, "
            f"{found['photos']} photos. Check it, then submit it for review.",
        )
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

    def _render(self, request, template, context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import interview",
            "media": context.get("media", forms.Media(css=ADMIN_CSS)),
            **context,
        }
        return TemplateResponse(request, template, context)
