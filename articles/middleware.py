"""Requests refused before any view sees them."""

from django.core.exceptions import BadRequest
from django.views.defaults import bad_request


class RefuseNulMiddleware:
    """Answer 400 to a NUL character in the path or the query string.

    No address or search of the site uses one, and PostgreSQL cannot hold one
    in a query: without this, every view or admin filter that puts request
    input into a query would answer 500. Forms are left alone, as their fields
    already clean or refuse it with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Most requests have no query string: nothing to parse then.
        in_query = request.META.get("QUERY_STRING") and any(
            "\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values
        )
        if "\x00" in request.path or in_query:
            return bad_request(request, BadRequest("NUL character in the address."))
        return self.get_response(request)
