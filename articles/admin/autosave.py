"""Autosave of drafts: the change form saved every few seconds as an ordinary save (autosave.js).

An autosave is the admin's own save, marked ``_autosave``: the same
permissions, checks, rows and revision as a save by hand, with three
differences. It never publishes (status, publication time and featuring
stay as they are stored; a published interview is not autosaved at all), it
answers with JSON instead of a page, and an edit conflict stops it instead of
offering to overwrite: someone else's newer save always wins.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format

from .. import workflow
from ..models import Article

# What an autosave leaves as it is stored, whatever the form says.
KEPT_AS_STORED = ("status", "published_at", "featured")


def is_autosave(request):
    return request.method == "POST" and request.POST.get("_autosave") == "1"


class AutosaveMixin:
    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.autosave = is_autosave(request)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if is_autosave(request) and object_id is not None:
            stored = Article.objects.filter(pk=object_id).values_list("status", flat=True).first()
            if stored == Article.Status.PUBLISHED:
                return JsonResponse(
                    {
                        "state": "off",
                        "message": "Autosave is off: this interview is published, so changes go live "
                        "only when you save them.",
                    }
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if is_autosave(request):
            # The ids of the rows saved, by form number, so the page updates them next time.
            request.autosaved_rows = {
                formset.prefix: {
                    index: row.instance.pk
                    for index, row in enumerate(formset.forms)
                    if row.instance.pk is not None and row not in formset.deleted_forms
                }
                for formset in formsets
            }

    def _autosaved(self, request, obj, change_url=None):
        answer = {
            "state": "saved",
            "saved_at": time_format(timezone.localtime(obj.updated_at), "H:i"),
            "version": workflow.version_token(obj),
            "rows": getattr(request, "autosaved_rows", {}),
        }
        if change_url:
            answer["change_url"] = change_url
        return JsonResponse(answer)

    def response_change(self, request, obj):
        if is_autosave(request):
            return self._autosaved(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if is_autosave(request):
            change_url = reverse("admin:articles_article_change", args=[obj.pk])
            return self._autosaved(request, obj, change_url=change_url)
        return super().response_add(request, obj, post_url_continue)

    def render_change_form(self, request, context, *args, **kwargs):
        if not is_autosave(request):
            return super().render_change_form(request, context, *args, **kwargs)
        form = context["adminform"].form
        conflict = getattr(form, "conflict", None)
        if conflict:
            return JsonResponse({"state": "conflict", "message": "Autosave stopped. " + conflict})
        errors = [str(message) for messages in context.get("errors") or [] for message in messages]
        message = "Not saved automatically yet: " + (errors[0] if errors else "the form is incomplete.")
        return JsonResponse({"state": "invalid", "message": message})
