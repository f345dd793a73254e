"""The photo library and people: what interviews are made from."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path
from django.utils.text import get_text_list

from .. import cards, images, workflow
from ..forms import PhotoForm
from ..models import ArticleAuthor, ArticleInterviewee, Person, Photo
from ..widgets import ADMIN_CSS, PhotoChooser, thumbnail, thumbnail_url
from .editor_csp import NoncedMediaMixin

# Photos -------------------------------------------------------------------------


class PhotoChooserMixin:
    """Every foreign key to a photo gets the chooser with its preview."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Photo and "widget" not in kwargs:
            kwargs["widget"] = PhotoChooser(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# The photo library -------------------------------------------------------------


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["thumbnail_column", "caption_column", "credit", "size_column", "uploaded_at"]
    list_display_links = ["thumbnail_column", "caption_column"]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    readonly_fields = ["preview", "size_column", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["preview", "image", "alt_text", "caption", "credit", "licence"]}),
        ("Cropping", {"fields": ["focal_x", "focal_y"]}),
        ("File", {"fields": ["size_column", "uploaded_at"]}),
    ]

    class Media:
        css = ADMIN_CSS

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_change_photo(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        photo = self.get_object(request, unquote(object_id))
        # Say why the form is read-only to someone who may change other photos.
        in_use = photo is not None and not workflow.can_change_photo(request.user, photo)
        if request.method == "GET" and in_use and super().has_change_permission(request, photo):
            self.message_user(
                request,
                "A published or scheduled interview shows this photo, so only an editor can change it.",
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new file or focal point of someone's portrait redraws the cards that show it.
        for person in obj.portrait_of.all():
            cards.refresh_for_person(person)
        prefilled = [str(form.fields[name].label).lower() for name in getattr(form, "prefilled", ())]
        if prefilled:
            self.message_user(
                request,
                f"The {get_text_list(prefilled, 'and')} came from the file's own metadata. "
                "Check them before using the photo.",
                messages.WARNING,
            )

    @admin.display(description="Photo")
    def thumbnail_column(self, obj):
        return thumbnail(obj)

    @admin.display(description="Caption or alt text", ordering="caption")
    def caption_column(self, obj):
        return obj.caption or obj.alt_text

    @admin.display(description="Size")
    def size_column(self, obj):
        width, height = images.dimensions(obj)
        return f"{width} × {height} px" if width and height else "—"

    @admin.display(description="Preview")
    def preview(self, obj):
        return thumbnail(obj, box=(480, 320)) if obj and obj.pk else "—"

    def get_urls(self):
        preview = path(
            "<int:object_id>/thumbnail/",
            self.admin_site.admin_view(self.thumbnail_view),
            name="articles_photo_thumbnail",
        )
        details = path(
            "<int:object_id>/details/",
            self.admin_site.admin_view(self.details_view),
            name="articles_photo_details",
        )
        return [preview, details, *super().get_urls()]

    def details_view(self, request, object_id):
        """The caption and credit readers see under the photo, for the body editor."""
        photo = self.get_object(request, str(object_id))
        if photo is None:
            raise Http404("No such photo.")
        if not self.has_view_or_change_permission(request, photo):
            raise PermissionDenied
        return JsonResponse({"caption": photo.caption, "credit": photo.credit})

    def thumbnail_view(self, request, object_id):
        """Redirects to a small version of the photo: the chooser's preview."""
        photo = self.get_object(request, str(object_id))
        if photo is None or not photo.image:
            raise Http404("No such photo.")
        if not self.has_view_or_change_permission(request, photo):
            raise PermissionDenied
        return HttpResponseRedirect(thumbnail_url(photo))


# People ------------------------------------------------------------------------


def _count_of(model):
    """How many rows of ``model`` point at the person, as a subquery (no join, no N+1)."""
    rows = model.objects.filter(person=OuterRef("pk")).order_by().values("person")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


@admin.register(Person)
class PersonAdmin(NoncedMediaMixin, PhotoChooserMixin, admin.ModelAdmin):
    list_display = [
        "portrait_column",
        "name",
        "role",
        "organisation",
        "given_column",
        "written_column",
    ]
    list_display_links = ["portrait_column", "name"]
    list_select_related = ["portrait"]
    search_fields = ["name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    list_per_page = 50
    fields = ["name", "slug", "role", "organisation", "portrait", "bio", "website", "links"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                interviews_given_count=_count_of(ArticleInterviewee),
                interviews_written_count=_count_of(ArticleAuthor),
            )
        )

    @admin.display(description="Portrait")
    def portrait_column(self, obj):
        return thumbnail(obj.portrait, box=(60, 60))

    # Not named after the relations (Person.interviews_given), which the list would show instead.
    @admin.display(description="Interviews given", ordering="interviews_given_count")
    def given_column(self, obj):
        return obj.interviews_given_count

    @admin.display(description="Interviews written", ordering="interviews_written_count")
    def written_column(self, obj):
        return obj.interviews_written_count
