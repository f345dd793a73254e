"""Hostile input through the desk, as an attacker with a desk account would send it.

Each payload goes into every text field an editor can fill in, posted
through the real admin forms with their CSRF token, exactly as a browser
posts them. Then every admin page and public page that shows those fields is
read back. The rules checked:

- every save answers 200 or 302, never 500;
- what is stored is what was typed, without invisible control characters;
- every page shows plain-text fields character for character, escaped
  exactly once: the parsed page holds the stored text itself, never its
  escaped form (escaped twice) and never markup made from it (not escaped);
- no page carries a script or an event handler that the site did not write;
- feeds and sitemaps stay well-formed and carry the same text.
"""

import gzip
import html
import json

import feedparser
import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from lxml import etree

from articles.models import Article, ArticleInterviewee, Block, Correction, Person, Photo
from articles.richtext import plain_text
from articles.tagging import as_typed
from articles.text import clean_text

from .factories import make_article, make_person
from .test_admin import BrowserForm, change_url
from .workflow_support import errors_text

pytestmark = pytest.mark.django_db

# Written for this suite: markup, attribute and script breakouts, template
# syntax, pre-escaped entities, URLs with hostile schemes, bidirectional
# overrides, control characters (NUL included: PostgreSQL refuses it).
PAYLOADS = [
    '<script>alert("owned")</script>',
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(2)' x='",
    "</textarea></title><svg/onload=alert(3)>",
    "javascript:alert(4)//",
    "{{ request.user }} {% now 'Y' %} ${7*7}",
    "&lt;b&gt;already escaped&lt;/b&gt; &amp;amp; &#x3C;i&#x3E;",
    "</script><!-- <![CDATA[ ]]> -->",
    "Ça va? — “curly” ‘quotes’ 🎉 \u202edesrever\u202c",
    "Line\x0bbreak\x0c feed\x1b[31m esc\x08 bs\x00 nul\x7f del",
    "<style>*{display:none}</style><a href=//evil.example>x</a>",
    "a & b < c > d \" e ' f \\ g",
]

CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "http://www.w3.org/2005/Atom"
# The admin's own scripts are all external files, plus the editor's import map.
ALLOWED_INLINE_SCRIPT_TYPES = {"application/ld+json", "importmap"}


def typed(label, payload):
    return f"{label}: {payload}"


def editor_html(text):
    """What the rich text editor sends for ``text`` typed into it."""
    return f"<p>{escape(text)}</p>"


def expected_line(text):
    """A single-line field as stored: cleaned, and stripped as Django's form fields strip."""
    return clean_text(text, multiline=False).strip()


def expected_lines(text):
    return clean_text(text).strip()


def post(client, url, form):
    response = form.post(client, url)
    assert response.status_code in (200, 302), (url, response.status_code)
    return response


@pytest.fixture
def desk(admin_client):
    return admin_client


def fill_everything(desk, payload):
    """Put ``payload`` into every field the desk edits; return the interview and its people and photo."""
    interviewee = make_person("Plain Interviewee")
    author = make_person("Plain Author")
    article = make_article(
        "Plain title", interviewees=[interviewee], authors=[author], questions=2, photos=1, tags=["plain"]
    )
    photo = article.lead_photo

    url = f"/admin/articles/person/{interviewee.pk}/change/"
    form = BrowserForm(desk.get(url), "person_form")
    form["name"] = typed("Name", payload)
    form["role"] = typed("Role", payload)
    form["organisation"] = typed("Organisation", payload)
    form["bio"] = editor_html(typed("Bio", payload))
    assert post(desk, url, form).status_code == 302
    # Links and the website accept web addresses only: refused with a message, never a 500.
    form = BrowserForm(desk.get(url), "person_form")
    form["links"] = payload
    form["website"] = payload
    response = post(desk, url, form)
    assert response.status_code == 200 and "errorlist" in response.content.decode()

    url = f"/admin/articles/photo/{photo.pk}/change/"
    form = BrowserForm(desk.get(url), "photo_form")
    form["alt_text"] = typed("Alt", payload)
    form["caption"] = typed("Caption", payload)
    form["credit"] = typed("Credit", payload)
    form["licence"] = typed("Licence", payload)
    assert post(desk, url, form).status_code == 302

    url = change_url(article)
    form = BrowserForm(desk.get(url), "article_form")
    form["title"] = typed("Title", payload)
    form["standfirst"] = typed("Standfirst", payload) + "\nSecond line."
    form["seo_title"] = typed("SEO title", payload)
    form["seo_description"] = typed("SEO description", payload)
    form["tags"] = [as_typed(typed("Tag", payload)), "plain"]
    blocks = Block.objects.filter(article=article).order_by("position")
    answers = 0
    for block in blocks:
        row = form.row_for("blocks", block.pk)
        if block.kind == "question":
            form[f"blocks-{row}-text"] = editor_html(typed(f"Question {block.pk}", payload))
        elif block.kind == "answer" and not answers:
            answers += 1
            answer = typed(f"Answer {block.pk}", payload)
            form[f"blocks-{row}-text"] = editor_html(answer + " More words after the quote.")
            form[f"blocks-{row}-quote"] = answer
        elif block.kind == "answer":
            # A crafted post: the payload as markup, which the sanitizer must tame.
            form[f"blocks-{row}-text"] = f"<p>Raw answer {block.pk}: {payload}</p>"
        elif block.kind == "photo":
            form[f"blocks-{row}-caption"] = typed("Block caption", payload)
            form[f"blocks-{row}-credit"] = typed("Block credit", payload)
    form.add_row("blocks", kind="quote", text=editor_html(typed("Pull quote", payload)))
    index = form.rows("blocks") - 1
    form[f"blocks-{index}-attribution"] = typed("Attribution", payload)
    form.add_row("corrections", kind="correction", text=editor_html(typed("Correction", payload)))
    form["interviewee_links-0-role"] = typed("Interview role", payload)
    response = post(desk, url, form)
    assert response.status_code == 302, errors_text(response)
    return (
        Article.objects.get(pk=article.pk),
        Person.objects.get(pk=interviewee.pk),
        Photo.objects.get(pk=photo.pk),
    )


def check_stored(article, person, photo, payload):
    """What was stored is what was typed, minus the invisible characters."""
    assert article.title == expected_line(typed("Title", payload))
    assert article.standfirst == expected_lines(typed("Standfirst", payload) + "\nSecond line.")
    assert article.seo_title == expected_line(typed("SEO title", payload))
    assert person.name == expected_line(typed("Name", payload))
    assert person.role == expected_line(typed("Role", payload))
    assert plain_text(person.bio) == " ".join(expected_lines(typed("Bio", payload)).split())
    assert person.links == "" and person.website == ""
    assert photo.caption == expected_lines(typed("Caption", payload))
    assert photo.credit == expected_line(typed("Credit", payload))
    # Tag names also have their runs of spaces collapsed, so that "a  b" and "a b" are one tag.
    tag = " ".join(expected_line(typed("Tag", payload)).split())
    assert list(article.tags.names()).count(tag) == 1
    link = ArticleInterviewee.objects.get(article=article)
    assert link.role == expected_line(typed("Interview role", payload))
    quote = Block.objects.get(article=article, kind="quote")
    assert quote.attribution == expected_line(typed("Attribution", payload))
    correction = Correction.objects.get(article=article)
    assert plain_text(correction.text) == " ".join(expected_lines(typed("Correction", payload)).split())


def shown_values(article, person, photo):
    """Plain-text values, by name, as stored (so, as every page must show them)."""
    values = {
        "title": article.title,
        "standfirst": article.standfirst,
        "name": person.name,
        "interview role": ArticleInterviewee.objects.get(article=article).role,
        "role line": person.role_line,
        "tag": next(name for name in article.tags.names() if name != "plain"),
        "caption": photo.caption,
        "credit": photo.credit,
        "attribution": Block.objects.get(article=article, kind="quote").attribution,
        "block caption": Block.objects.get(article=article, kind="photo").caption,
        "block credit": Block.objects.get(article=article, kind="photo").credit,
        "alt": photo.alt_text,
        "bio": plain_text(person.bio),
        "question": plain_text(Block.objects.filter(article=article, kind="question").first().text),
        "correction": plain_text(Correction.objects.get(article=article).text),
    }
    return values


def page_strings(html):
    """Everything a reader or a script sees of the page: its text and its attribute values, parsed."""
    document = lxml.html.fromstring(html)
    texts = [" ".join(document.text_content().split())]
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        texts += [" ".join(value.split()) for value in element.attrib.values()]
    return document, "\n".join(texts)


def assert_safe_page(html, where):
    document, _ = page_strings(html)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        handlers = [name for name in element.attrib if name.lower().startswith("on")]
        assert not handlers, (where, element.tag, handlers)
        if element.tag == "script" and not element.get("src"):
            assert element.get("type") in ALLOWED_INLINE_SCRIPT_TYPES, (where, element.text)
        for name in ("href", "src", "action", "formaction"):
            value = (element.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text", "vbscript:")), (where, name, value)
        assert element.tag not in ("style", "iframe", "object", "embed") or element.get("nonce"), (
            where,
            element.tag,
        )


def assert_shows(html, values, names, where):
    """Each named value is on the page once escaped: as text, never as its escaped form or as markup."""
    _, strings = page_strings(html)
    for name in names:
        value = " ".join(values[name].split())
        assert value in strings, (where, name, value)
        if escape(value) != value:
            assert escape(value) not in strings, (where, name, "escaped twice")


def public_pages(article, person, tag_slug):
    query = article.title.split(":")[0]
    return {
        "interview": (article.get_absolute_url(), PAGE_FIELDS["interview"]),
        "home": (reverse("articles:home"), ["title", "standfirst", "name"]),
        "person": (person.get_absolute_url(), ["name", "role line", "bio", "title"]),
        "tag": (reverse("articles:tag", kwargs={"slug": tag_slug}), ["tag", "title"]),
        "search": (reverse("articles:search") + f"?q={query}", ["title"]),
    }


PAGE_FIELDS = {
    "interview": [
        "title",
        "standfirst",
        "name",
        "interview role",
        "tag",
        "caption",
        "credit",
        "attribution",
        "block caption",
        "block credit",
        "alt",
        "question",
        "correction",
    ],
}


def admin_pages(article, person, photo):
    return {
        "article list": (reverse("admin:articles_article_changelist"), ["title", "name"]),
        "article change": (
            change_url(article),
            ["title", "standfirst", "tag", "attribution", "block caption"],
        ),
        "article history": (reverse("admin:articles_article_history", args=[article.pk]), ["title"]),
        "article delete": (reverse("admin:articles_article_delete", args=[article.pk]), ["title"]),
        "article preview": (
            reverse("admin:articles_article_preview", args=[article.pk]),
            PAGE_FIELDS["interview"],
        ),
        "person list": (reverse("admin:articles_person_changelist"), ["name"]),
        "person change": (f"/admin/articles/person/{person.pk}/change/", ["name"]),
        "photo list": (reverse("admin:articles_photo_changelist"), ["credit", "alt"]),
        "photo change": (f"/admin/articles/photo/{photo.pk}/change/", ["caption", "credit", "alt"]),
        "tag list": (reverse("admin:taggit_tag_changelist"), ["tag"]),
    }


def content(response):
    body = response.content
    return gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"payload{n}" for n in range(len(PAYLOADS))])
def test_hostile_input_everywhere(desk, payload):
    article, person, photo = fill_everything(desk, payload)
    check_stored(article, person, photo, payload)
    values = shown_values(article, person, photo)
    tag = article.tags.exclude(name="plain").get()
    reader = Client()

    for where, (url, names) in public_pages(article, person, tag.slug).items():
        response = reader.get(url)
        assert response.status_code == 200, (where, response.status_code)
        html = content(response).decode()
        assert_safe_page(html, where)
        assert_shows(html, values, names, where)

    for where, (url, names) in admin_pages(article, person, photo).items():
        response = desk.get(url)
        assert response.status_code == 200, (where, response.status_code)
        html = response.content.decode()
        assert_safe_page(html, where)
        assert_shows(html, values, names, where)

    check_feeds(reader, article, person, tag, values)


def check_feeds(reader, article, person, tag, values):
    title = " ".join(values["title"].split())
    feeds = [reverse("articles:feed_rss"), reverse("articles:feed_atom")]
    feeds += [reverse(f"articles:tag_feed_{kind}", kwargs={"slug": tag.slug}) for kind in ("rss", "atom")]
    feeds += [
        reverse(f"articles:person_feed_{kind}", kwargs={"slug": person.slug}) for kind in ("rss", "atom")
    ]
    for url in feeds:
        response = reader.get(url)
        assert response.status_code == 200, url
        body = content(response)
        document = etree.fromstring(body)  # Well-formed XML, or this raises.
        for item_html in document.iter(f"{{{CONTENT}}}encoded", f"{{{ATOM}}}content"):
            assert_safe_page(item_html.text, url)
            assert_shows(item_html.text, values, ["question", "name", "caption", "correction"], url)
        parsed = feedparser.parse(body)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        # RSS titles are HTML for feed readers (escaped once more); Atom's are text.
        shown = [html.unescape(e.title) if "/rss/" in url else e.title for e in parsed.entries]
        assert [" ".join(entry.split()) for entry in shown] == [title], url
    for url in (
        reverse("articles:feed_json"),
        reverse("articles:person_feed_json", kwargs={"slug": person.slug}),
    ):
        data = json.loads(content(reader.get(url)))
        assert [" ".join(item["title"].split()) for item in data["items"]] == [title], url
    news = etree.fromstring(content(reader.get(reverse("articles:sitemap_news"))))
    titles = news.findall(".//{http://www.google.com/schemas/sitemap-news/0.9}title")
    assert [" ".join(element.text.split()) for element in titles] == [title]
    for section in ("sitemap", "sitemap_news"):
        etree.fromstring(content(reader.get(reverse(f"articles:{section}"))))
    for name in ("interviews", "tags", "people"):
        etree.fromstring(content(reader.get(reverse("articles:sitemap_section", kwargs={"section": name}))))
