from django import template
from django.utils import timezone

from articles import rendering

register = template.Library()


@register.filter
def iso(value):
    """A datetime as HTML and ISO 8601 want it: local time, whole seconds, with offset.

    Django's "c" format adds microseconds, which <time datetime> does not accept.
    """
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


@register.simple_tag
def page_url(request, param, number):
    """The current address with ``param`` set to page ``number`` (other parameters kept)."""
    query = request.GET.copy()
    if number == 1:
        query.pop(param, None)
    else:
        query[param] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


@register.filter
def absolute_links(stored_html):
    """Stored rich text with the site's own links made absolute, for feed readers."""
    return rendering.absolute_links(stored_html)
