"""The prose editor under the site's Content-Security-Policy."""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from js_asset import Media as AssetMedia

# The base styles that the editor (Tiptap) injects as a <style> element; it
# offers no nonce for it through django-prose-editor. tests/test_admin.py
# recomputes this from the installed editor.js, so an upgrade that changes
# the styles fails there rather than silently in the browser.
EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


class NoncedMediaMixin:
    """Rich text forms work under the strict CSP without loosening it.

    The prose editor needs an inline ``<script type="importmap">``. Its media
    (django-js-asset) can carry a nonce, so the change form's media gets this
    request's nonce and the response's policy adds it to script-src, along
    with the hash of the one style element the editor injects. The nonce only
    appears in the header when a page used it: other admin pages and every
    public page keep ``script-src 'self'`` and ``style-src 'self'``.
    """

    def render_change_form(self, request, context, *args, **kwargs):
        media = context.get("media")
        if isinstance(media, AssetMedia):
            context["media"] = media.with_nonce(request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    @method_decorator(csp_update({"script-src": [NONCE], "style-src": [EDITOR_STYLE_HASH]}))
    def changeform_view(self, request, *args, **kwargs):
        return super().changeform_view(request, *args, **kwargs)
