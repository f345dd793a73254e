"""The editors' desk: interviews with their blocks inline, the photo library and people.

Split by concern: ``interviews`` (the interview admin, its workflow hooks and
revisions), ``blocks`` (the rows inside an interview and their ordering),
``library`` (photos and people), ``preview_links``, ``accounts`` (sign-in
lockouts), ``authorization`` (interviewees approving their answers), ``tags``
(taggit's, with rights checked) and ``editor_csp`` (the rich text editor under
the strict Content-Security-Policy). Importing them here registers every admin
with the site once.
"""

from . import accounts, authorization, interviews, library, preview_links, tags
from .editor_csp import EDITOR_STYLE_HASH

__all__ = ["EDITOR_STYLE_HASH", "accounts", "authorization", "interviews", "library", "preview_links", "tags"]
