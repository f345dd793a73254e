"""Documents and transcripts become draft interviews: read, detect the structure, build.

``read`` turns a file (or pasted text) into ``Paragraph``s, whatever its format
(``readers``); ``detect`` gives each paragraph its kind (``structure``);
``build`` creates the draft with its blocks in one transaction (``builder``).
The admin's "Import interview" and ``manage.py import_interview`` are thin
layers over these three. Everything refused raises ``ImportRefused`` with a
message for editors; nothing is saved before ``build``.
"""

from .document import Document, ImportRefused, Paragraph
from .readers import read, read_pasted
from .structure import detect

__all__ = ["Document", "ImportRefused", "Paragraph", "detect", "read", "read_pasted"]
