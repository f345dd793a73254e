"""Share links, built on the server as plain links.

No third-party script, widget or pixel: each network gets an ordinary link to
its own share form, so sharing works without JavaScript and tells the network
nothing until the reader clicks.
"""

from urllib.parse import quote

from django.utils.safestring import mark_safe


def _q(value):
    # Encode everything, including "&", "#", "/" and ":", so a title can never
    # end the parameter early or start a fragment. quote() encodes spaces as
    # %20, which mail clients understand in mailto: links (unlike "+").
    return quote(value, safe="")


def share_links(url, title, text=None):
    """The share links for ``url``, as dicts: key, label (visible), prefix (for screen readers), href.

    ``title`` names the page (the headline); ``text`` is what the reader shares
    (a question, say), and defaults to the title.
    """
    text = text or title
    u, t = _q(url), _q(text)
    with_url = _q(f"{text} {url}")
    links = [
        {"key": "x", "label": "X", "href": f"https://x.com/intent/post?text={t}&url={u}"},
        {"key": "facebook", "label": "Facebook", "href": f"https://www.facebook.com/sharer/sharer.php?u={u}"},
        {
            "key": "linkedin",
            "label": "LinkedIn",
            "href": f"https://www.linkedin.com/sharing/share-offsite/?url={u}",
        },
        {"key": "bluesky", "label": "Bluesky", "href": f"https://bsky.app/intent/compose?text={with_url}"},
        {"key": "whatsapp", "label": "WhatsApp", "href": f"https://wa.me/?text={with_url}"},
        {"key": "reddit", "label": "Reddit", "href": f"https://www.reddit.com/submit?url={u}&title={t}"},
        {
            "key": "email",
            "label": "Email",
            "href": f"mailto:?subject={_q(title)}&body={with_url}",
        },
    ]
    for link in links:
        link["prefix"] = "Share by " if link["key"] == "email" else "Share on "
        # A mail client opens by itself; a new tab for it would stay empty.
        link["new_tab"] = link["key"] != "email"
    return links


def share_items(links):
    """The links as <li> items, with the screen-reader prefix and new-tab attributes.

    Built here rather than in a template loop because every question of a
    long interview has its own set, and this is several times cheaper. The
    hrefs hold only percent-encoded text, so escaping "&" is all they need.
    """
    items = []
    for link in links:
        target = ' target="_blank" rel="noopener"' if link["new_tab"] else ""
        href = link["href"].replace("&", "&amp;")
        items.append(
            f'<li><a class="share__link share__link--{link["key"]}" href="{href}"{target}>'
            f'<span class="visually-hidden">{link["prefix"]}</span>{link["label"]}</a></li>'
        )
    return mark_safe("".join(items))
