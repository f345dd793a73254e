"""Share links, built on the server as plain links.

No third-party script, widget or pixel: each network gets an ordinary link to
its own share form, so sharing works without JavaScript and tells the network
nothing until the reader clicks. The page's share bar carries the links for the
page; each question's Share button opens one share menu, whose links the
site's script makes from the same address templates.
"""

from urllib.parse import quote

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


def _link(key, label, href, template):
    return {
        "key": key,
        "label": label,
        "href": href,
        "template": template,
        "prefix": "Share by " if key == "email" else "Share on ",
        # A mail client opens by itself; a new tab for it would stay empty.
        "new_tab": key != "email",
    }


def share_links(url, title, text=None):
    """The share links for ``url``, as dicts: key, label (visible), prefix (for screen readers), href,
    new_tab, and template: the address with placeholders, for the share menu.

    ``title`` names the page (the headline); ``text`` is what the reader shares
    (a question, say), and defaults to the title.
    """
    text = text or title
    parts = {"u": _q(url), "t": _q(text), "s": _q(title), "w": _q(f"{text} {url}")}
    return [_link(key, label, href.format(**parts), href) for key, label, href in NETWORKS]
