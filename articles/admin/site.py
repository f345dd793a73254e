"""Site-wide admin views that need a per-object check Django's own do not make."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site" redirect, only for what the user may see in the admin.

    Django's own redirects any staff member to any object's address, which
    names a draft or an embargoed interview by its slug.
    """
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
        obj = content_type.get_object_for_this_type(pk=object_id)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise Http404("No such object.") from None
    model_admin = admin.site._registry.get(content_type.model_class())
    if model_admin is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404("No such object.")
    return shortcut(request, content_type_id, object_id)
