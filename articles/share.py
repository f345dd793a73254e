"""Share links, built on the server as plain links.

No third-party script, widget or pixel: each network gets an ordinary link to
its own share form, so sharing works without JavaScript and tells the network
nothing until the reader clicks.
"""

from urllib.parse import quote

from django.utils.safestring import mark_safe

# Key, visible label, and the share address with placeholders for the
# percent-encoded parts: u (the page address), t (the text shared), s (the
# mail subject: the page title) and w (the text followed by the address).
NETWORKS = [
    ("x", "X", "https://x.com/intent/post?text={t}&url={u}"),
    ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?u={u}"),
    ("linkedin", "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={u}"),
    ("bluesky", "Bluesky", "https://bsky.app/intent/compose?text={w}"),
    ("whatsapp", "WhatsApp", "https://wa.me/?text={w}"),
    ("reddit", "Reddit", "https://www.reddit.com/submit?url={u}&title={t}"),
    ("email", "Email", "mailto:?subject={s}&body={w}"),
]


def _q(value):
    # Encode everything, including "&", "#", "/" and ":", so a title can never
    # end the parameter early or start a fragment. quote() encodes spaces as
    # %20, which mail clients understand in mailto: links (unlike "+").
    return quote(value, safe="")


def _item_template(key, label, href):
    # A mail client opens by itself; a new tab for it would stay empty.
    target = "" if key == "email" else ' target="_blank" rel="noopener"'
    prefix = "Share by " if key == "email" else "Share on "
    # The placeholders only ever receive percent-encoded text, so escaping
    # the "&" of the template is all the href needs.
    return (
        f'<li><a class="share__link share__link--{key}" href="{href.replace("&", "&amp;")}"{target}>'
        f'<span class="visually-hidden">{prefix}</span>{label}</a></li>'
    )


# All the <li> items as one format string: one str.format() call per set of links.
_ITEMS = "".join(_item_template(*network) for network in NETWORKS)


def share_links(url, title, text=None):
    """The share links for ``url``, as dicts: key, label (visible), prefix (for screen readers), href.

    ``title`` names the page (the headline); ``text`` is what the reader shares
    (a question, say), and defaults to the title.
    """
    text = text or title
    parts = {"u": _q(url), "t": _q(text), "s": _q(title), "w": _q(f"{text} {url}")}
    return [
        {
            "key": key,
            "label": label,
            "href": href.format(**parts),
            "prefix": "Share by " if key == "email" else "Share on ",
            "new_tab": key != "email",
        }
        for key, label, href in NETWORKS
    ]


def share_items(url, title):
    """The page's share links as <li> items, with the screen-reader prefix and new-tab attributes.

    Built here rather than in a template loop because every question of a
    long interview has its own set (see QuestionShares), and this is several
    times cheaper.
    """
    u, t = _q(url), _q(title)
    return mark_safe(_ITEMS.format(u=u, t=t, s=t, w=f"{t}%20{u}"))


class QuestionShares:
    """Share items for each question of one page, sharing "question (title)" and the question's address.

    Percent-encoding works character by character, so the page address and
    title are encoded once here and each question only encodes its own text.
    """

    def __init__(self, url, title):
        self.url, self.title = _q(url), _q(title)
        self.suffix = _q(f" ({title})")

    def items(self, anchor, question):
        u = f"{self.url}%23{_q(anchor)}"
        t = _q(question) + self.suffix
        return mark_safe(_ITEMS.format(u=u, t=t, s=self.title, w=f"{t}%20{u}"))
