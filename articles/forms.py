import copy

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from . import images, workflow
from .models import Article, ArticleAuthor, ArticleInterviewee, Block, Photo


class PhotoFileField(forms.ImageField):
    """An image upload checked by ``images.verify_image`` in ``PhotoForm.clean_image``.

    Django's own check would turn every problem, including a decompression
    bomb, into one vague message; editors get a precise one instead.
    """

    def to_python(self, data):
        return forms.FileField.to_python(self, data)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:
            attrs["accept"] = images.ACCEPTED_CONTENT_TYPES
        return attrs


class PhotoForm(forms.ModelForm):
    """Photo upload and editing. Owned by the images work: verification and metadata prefill."""

    # Fields that were empty and got their value from the uploaded file; the admin can say so.
    prefilled = ()

    class Meta:
        model = Photo
        fields = ["image", "alt_text", "caption", "credit", "licence", "focal_x", "focal_y"]
        field_classes = {"image": PhotoFileField}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # Only a new upload is checked; an unchanged photo keeps its stored file.
        if isinstance(image, UploadedFile):
            images.verify_image(image)
        return image

    def clean(self):
        cleaned_data = super().clean()
        image = cleaned_data.get("image")
        if isinstance(image, UploadedFile) and not self.has_error("image"):
            prefilled = []
            for field, value in images.read_metadata(image).items():
                # What the editor typed always wins over the file's metadata.
                if field in self.fields and not cleaned_data.get(field):
                    max_length = Photo._meta.get_field(field).max_length
                    cleaned_data[field] = value[:max_length] if max_length else value
                    prefilled.append(field)
            self.prefilled = tuple(prefilled)
        return cleaned_data


class ArticleAdminForm(forms.ModelForm):
    """The interview form in the admin. Owned by the workflow work: publish checks, conflicts.

    ``ArticleAdmin`` sets ``user`` on the form class for each request, and
    hands the inline formsets to the instance (``_admin_formsets``) so that the
    pre-publish check sees the blocks, authors and interviewees saved with it.
    """

    # The interview's last-saved time when the form was loaded; a different
    # one on save means someone else saved in between.
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    user = None
    autosave = False  # Set per request by the admin (admin/autosave.py).

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "standfirst",
            "lead_photo",
            "tags",
            "status",
            "published_at",
            "featured",
            "authorization_required",
            "show_authorized_line",
            "seo_title",
            "seo_description",
        ]
        widgets = {"standfirst": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["loaded_version"] = workflow.version_token(self.instance)
        if "standfirst" in self.fields:
            # Drafts may be incomplete; the pre-publish check asks for it.
            self.fields["standfirst"].required = False
        status = self.fields.get("status")
        if status is not None:
            # autosave.js saves drafts and interviews in review, never a published one.
            published = self.instance.status == Article.Status.PUBLISHED
            status.widget.attrs["data-autosave"] = "off" if published else "on"
        if status is not None and self.user is not None and not workflow.can_publish(self.user):
            status.choices = [c for c in status.choices if c[0] != Article.Status.PUBLISHED]
            status.help_text = "Submit for review when it is ready; an editor publishes it."

    def _save_m2m(self):
        super()._save_m2m()
        # taggit keeps the tags that stay where they were; the order entered matters (the kicker).
        names = self.cleaned_data.get("tags")
        if "tags" in self.fields and names is not None and list(self.instance.tags.names()) != names:
            self.instance.tags.set(names, clear=True)

    def clean(self):
        cleaned_data = super().clean()
        if self.autosave:
            # An autosave never publishes: what only a deliberate save changes stays as stored.
            for name in ("status", "published_at", "featured"):
                if name in cleaned_data:
                    cleaned_data[name] = getattr(self.instance, name)
        self._check_rights(cleaned_data)
        self._check_conflict(cleaned_data)
        if cleaned_data.get("status", self.instance.status) == Article.Status.PUBLISHED:
            self._check_ready(cleaned_data)
            if "published_at" in self.fields and cleaned_data.get("published_at") is None:
                # Published without a time means now (the model's constraint needs one).
                cleaned_data["published_at"] = timezone.now()
        return cleaned_data

    def _check_rights(self, cleaned_data):
        # The admin hides these from contributors; this refuses a crafted form.
        if self.user is None or workflow.can_publish(self.user):
            return
        if cleaned_data.get("status") == Article.Status.PUBLISHED:
            self.add_error("status", "Only editors can publish or schedule. Submit it for review instead.")
        editors_only = {
            "published_at": "Only editors can set the publication time.",
            "featured": "Only editors can feature an interview on the home page.",
            "authorization_required": "Only editors can decide whether an interview needs authorization.",
            "show_authorized_line": "Only editors can decide what readers are told about authorization.",
        }
        for name, refusal in editors_only.items():
            if name in self.changed_data:
                self.add_error(name, refusal)
            elif name not in self.fields and _sent(self.data, self.add_prefix(name)):
                # Shown read-only, so only a crafted form sends it: refuse rather than ignore.
                self.add_error(None, refusal)

    def _check_conflict(self, cleaned_data):
        loaded = cleaned_data.get("loaded_version")
        if not (self.instance.pk and loaded):
            return
        current = workflow.lock_for_saving(self.instance)
        if current is None or workflow.version_token(current) == loaded:
            return
        name, when = workflow.last_change(current)
        self.conflict = f"{name} saved this interview on {when}, while you were editing it."
        self.add_error(
            None,
            f"{self.conflict} Your changes are not "
            "saved yet: they are still in the form below. To keep both, open the interview in a new "
            "tab and copy your changes into it; to replace their version with yours, save again.",
        )
        # A second save is a deliberate overwrite, so compare it with what is saved now.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = workflow.version_token(current)

    def _check_ready(self, cleaned_data):
        formsets = getattr(self.instance, "_admin_formsets", ())
        rows = {}
        for formset in formsets:
            if not formset.is_valid():
                return  # Its own errors come first; the check runs once they are fixed.
            rows[formset.model] = _kept_rows(formset)
        candidate = copy.copy(self.instance)
        for name in ("title", "standfirst", "lead_photo", "authorization_required"):
            if name in cleaned_data:
                setattr(candidate, name, cleaned_data[name])
        authors = rows.get(ArticleAuthor)
        interviewees = rows.get(ArticleInterviewee)
        problems = workflow.publish_problems(
            candidate,
            blocks=rows.get(Block),
            authors=None if authors is None else sum(1 for row in authors if row.person_id),
            interviewees=None if interviewees is None else sum(1 for row in interviewees if row.person_id),
        )
        if problems:
            self.add_error(None, workflow.PublishRefused(problems))


def _sent(data, name):
    """Whether the form data carries a value for ``name`` (split date and time widgets included)."""
    return any(data.get(key) for key in (name, f"{name}_0", f"{name}_1"))


def _kept_rows(formset):
    """The rows a valid inline formset leaves in place once saved, as instances."""
    rows = []
    for form in formset.forms:
        if form.cleaned_data.get("DELETE"):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        rows.append(form.instance)
    return rows
