from django import forms
from django.core.files.uploadedfile import UploadedFile

from . import images
from .models import Article, Photo


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
    """The interview form in the admin. Owned by the workflow work: publish checks, conflicts."""

    class Meta:
        model = Article
        fields = "__all__"
