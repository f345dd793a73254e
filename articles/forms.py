from django import forms

from .models import Article, Photo


class PhotoForm(forms.ModelForm):
    """Photo upload and editing. Owned by the images work: verification and metadata prefill."""

    class Meta:
        model = Photo
        fields = ["image", "alt_text", "caption", "credit", "licence", "focal_x", "focal_y"]


class ArticleAdminForm(forms.ModelForm):
    """The interview form in the admin. Owned by the workflow work: publish checks, conflicts."""

    class Meta:
        model = Article
        fields = "__all__"
