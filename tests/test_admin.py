"""The editors' admin: interviews with their blocks, the photo library and people."""

import base64
import hashlib
import io
import re
from datetime import timedelta
from pathlib import Path

import django_prose_editor
import lxml.html
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from taggit.models import Tag

from articles.admin import EDITOR_STYLE_HASH
from articles.models import Article, Block, Photo

from .factories import image_bytes, make_article, make_person, make_photo

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


class BrowserForm:
    """A change form filled in and sent as a browser sends it.

    Every field goes with the value the page gave it, management forms
    included; ``add_row`` does what the "Add another" link does.
    """

    def __init__(self, response, form_id):
        assert response.status_code == 200, response.status_code
        page = lxml.html.fromstring(response.content.decode())
        form = page.get_element_by_id(form_id)
        self.data = {}
        self.templates = {}
        for name, value in self._successful_controls(form):
            if "__prefix__" in name:
                prefix, _, field = name.partition("-__prefix__-")
                self.templates.setdefault(prefix, {})[field] = value
            else:
                self.data.setdefault(name, []).append(value)

    @staticmethod
    def _successful_controls(form):
        for element in form.inputs:
            name = element.name
            if not name or "disabled" in element.attrib:
                continue
            if element.tag == "textarea":
                # Browsers drop a textarea's first newline; lxml keeps it.
                value = element.value or ""
                yield name, value[1:] if value.startswith("\n") else value
            elif element.tag == "select":
                values = element.value if element.multiple else [element.value]
                yield from ((name, value) for value in values if value is not None)
            elif element.type not in ("submit", "image", "reset", "file", "button"):
                if element.checkable and not element.checked:
                    continue
                yield name, element.get("value", "on" if element.checkable else "")

    def __getitem__(self, name):
        values = self.data[name]
        return values[0] if len(values) == 1 else values

    def __setitem__(self, name, value):
        self.data[name] = value if isinstance(value, list) else [value]

    def __delitem__(self, name):
        self.data.pop(name, None)

    def add_row(self, prefix, **fields):
        index = int(self[f"{prefix}-TOTAL_FORMS"])
        for field, value in {**self.templates[prefix], **fields}.items():
            self[f"{prefix}-{index}-{field}"] = value
        self[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
        return index

    def rows(self, prefix):
        return int(self[f"{prefix}-TOTAL_FORMS"])

    def row_for(self, prefix, pk):
        """The form number of the saved row ``pk``."""
        for index in range(self.rows(prefix)):
            if self.data.get(f"{prefix}-{index}-id") == [str(pk)]:
                return index
        raise AssertionError(f"no row for {pk} in {prefix}")

    def post(self, client, url, button="_save"):
        return client.post(url, {**self.data, button: "Save"})

    def save(self, client, url):
        """Post and check that the admin saved, showing its errors if it did not."""
        response = self.post(client, url)
        if response.status_code != 302:
            errors = response.context["errors"] if response.context else response.content[:500]
            pytest.fail(f"not saved ({response.status_code}): {errors!r}")
        return response


def interview(*args, **fields):
    """An interview with a small lead photo, so that making many stays quick."""
    if "lead_photo" not in fields:
        fields["lead_photo"] = make_photo(size=(64, 48))
    return make_article(*args, **fields)


def body(article):
    return list(
        Block.objects.filter(article=article).order_by("position").values_list("kind", "text", "position")
    )


def texts(article):
    return [text for _, text, _ in body(article)]


# Creating and editing an interview -------------------------------------------


def test_creating_an_interview_with_its_blocks(admin_client):
    interviewee = make_person("Amara Quell")
    author = make_person("Tomasz Vell")
    photo = make_photo(size=(64, 48))
    form = BrowserForm(admin_client.get(ADD_URL), "article_form")
    # A new interview starts with one empty row in each ordered inline.
    assert form.rows("blocks") == form.rows("author_links") == form.rows("interviewee_links") == 1
    form["title"] = "Amara Quell: the tide tables"
    form["slug"] = "amara-quell-tide-tables"
    form["standfirst"] = "A harbour master on reading the sea."
    form["lead_photo"] = str(photo.pk)
    form["tags"] = ["Harbours", "Climate"]
    form["interviewee_links-0-person"] = str(interviewee.pk)
    form["author_links-0-person"] = str(author.pk)
    form["blocks-0-kind"] = "question"
    form["blocks-0-text"] = "<p>When did you first read a tide table?</p>"
    form.add_row("blocks", kind="answer", text="<p>At six, on my <strong>father's</strong> boat.</p>")
    form.add_row("blocks", kind="photo", photo=str(photo.pk), caption="The harbour at dawn.")
    form.add_row("blocks", kind="quote", text="<p>The sea keeps its own time.</p>", attribution="Amara Quell")

    form.save(admin_client, ADD_URL)

    article = Article.objects.get(slug="amara-quell-tide-tables")
    assert article.status == Article.Status.DRAFT
    assert article.lead_photo == photo
    assert [kind for kind, _, _ in body(article)] == ["question", "answer", "photo", "quote"]
    assert [position for *_, position in body(article)] == [1, 2, 3, 4]
    assert "<strong>father's</strong>" in texts(article)[1]
    assert article.blocks.get(kind="photo").caption == "The harbour at dawn."
    assert list(article.interviewees.all()) == [interviewee]
    assert list(article.authors.all()) == [author]
    assert sorted(article.tags.names()) == ["Climate", "Harbours"]


def test_rich_text_from_the_admin_is_sanitized(admin_client):
    article = interview(questions=1)
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    first = form.row_for("blocks", article.blocks.get(position=1).pk)
    form[f"blocks-{first}-text"] = '<p onclick="steal()">Why?<script>steal()</script></p>'
    form.save(admin_client, change_url(article))
    assert texts(article)[0] == "<p>Why?</p>"


def test_swapping_two_blocks_keeps_the_new_order(admin_client):
    article = interview(questions=2, status="draft")
    q1, a1, q2, a2 = article.blocks.order_by("position")
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    assert [form[f"blocks-{i}-order"] for i in range(4)] == ["1", "2", "3", "4"]
    form[f"blocks-{form.row_for('blocks', q1.pk)}-order"] = "2"
    form[f"blocks-{form.row_for('blocks', a1.pk)}-order"] = "1"

    form.save(admin_client, change_url(article))

    assert list(article.blocks.order_by("position")) == [a1, q1, q2, a2]
    assert [block.position for block in article.blocks.order_by("position")] == [1, 2, 3, 4]


def test_reversing_every_block_saves_without_colliding(admin_client):
    article = interview(questions=3, status="draft")
    blocks = list(article.blocks.order_by("position"))
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    for place, block in enumerate(reversed(blocks), start=1):
        form[f"blocks-{form.row_for('blocks', block.pk)}-order"] = str(place)

    form.save(admin_client, change_url(article))
    assert list(article.blocks.order_by("position")) == blocks[::-1]
    assert [block.position for block in article.blocks.order_by("position")] == [1, 2, 3, 4, 5, 6]


def test_rows_sent_under_other_form_numbers_still_save_in_their_order(admin_client):
    """After moving rows, the page sends saved rows numbered in page order (block_order.js)."""
    article = interview(questions=1, status="draft")
    question, answer = article.blocks.order_by("position")
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    first, second = form.row_for("blocks", question.pk), form.row_for("blocks", answer.pk)
    renamed = {}
    for name, values in form.data.items():
        match = re.fullmatch(r"blocks-(\d+)-(.+)", name)
        if match and int(match[1]) in (first, second):
            index = second if int(match[1]) == first else first
            renamed[f"blocks-{index}-{match[2]}"] = values
        else:
            renamed[name] = values
    form.data = renamed
    form[f"blocks-{first}-order"] = "1"  # The answer's row, now first on the page.
    form[f"blocks-{second}-order"] = "2"
    form[f"blocks-{first}-text"] = "<p>Answer, edited after the move.</p>"

    form.save(admin_client, change_url(article))
    assert list(article.blocks.order_by("position")) == [answer, question]
    assert texts(article)[0] == "<p>Answer, edited after the move.</p>"


def test_deleting_a_block_closes_the_gap(admin_client):
    article = interview(questions=2, status="draft")
    q1, a1, q2, a2 = article.blocks.order_by("position")
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form[f"blocks-{form.row_for('blocks', a1.pk)}-DELETE"] = "on"

    form.save(admin_client, change_url(article))
    assert not Block.objects.filter(pk=a1.pk).exists()
    assert list(article.blocks.order_by("position")) == [q1, q2, a2]
    assert [block.position for block in article.blocks.order_by("position")] == [1, 2, 3]


def test_a_new_block_without_a_number_goes_to_the_end(admin_client):
    article = interview(questions=1, status="draft")
    question, answer = article.blocks.order_by("position")
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form.add_row("blocks", kind="paragraph", text="<p>A closing note.</p>")
    form[f"blocks-{form.row_for('blocks', question.pk)}-order"] = "2"
    form[f"blocks-{form.row_for('blocks', answer.pk)}-order"] = "1"

    form.save(admin_client, change_url(article))
    assert body(article) == [
        ("answer", answer.text, 1),
        ("question", question.text, 2),
        ("paragraph", "<p>A closing note.</p>", 3),
    ]


def test_a_new_block_can_be_placed_between_others(admin_client):
    article = interview(questions=1, status="draft")
    question, answer = article.blocks.order_by("position")
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form.add_row("blocks", kind="heading", text="<p>Beginnings</p>", order="1")
    form[f"blocks-{form.row_for('blocks', question.pk)}-order"] = "2"
    form[f"blocks-{form.row_for('blocks', answer.pk)}-order"] = "3"

    form.save(admin_client, change_url(article))
    assert [kind for kind, _, _ in body(article)] == ["heading", "question", "answer"]


def test_an_untouched_new_row_numbered_by_the_page_is_ignored(admin_client):
    article = interview(questions=1, status="draft")
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form.add_row("blocks", order="3")  # Numbered by block_order.js, never filled in.

    form.save(admin_client, change_url(article))
    assert article.blocks.count() == 2


def test_reordering_bylines(admin_client):
    first, second = make_person("Ilse Marrow"), make_person("Joon Pardo")
    article = interview(authors=[first, second])
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    links = {link.person_id: link.pk for link in article.author_links.all()}
    form[f"author_links-{form.row_for('author_links', links[first.pk])}-order"] = "2"
    form[f"author_links-{form.row_for('author_links', links[second.pk])}-order"] = "1"

    form.save(admin_client, change_url(article))
    assert list(article.authors.order_by("author_links__position")) == [second, first]


def test_a_form_error_keeps_everything_the_editor_typed(admin_client):
    photo = make_photo(size=(64, 48))
    form = BrowserForm(admin_client.get(ADD_URL), "article_form")
    form["title"] = "Noor Halvard: on glaciers"
    form["slug"] = "noor-halvard-glaciers"
    form["standfirst"] = "A glaciologist on what the ice remembers."
    form["lead_photo"] = str(photo.pk)
    form["tags"] = ["Ice"]
    form["blocks-0-kind"] = "quote"
    form["blocks-0-attribution"] = "Noor Halvard"  # The quote itself is forgotten.
    form.add_row("blocks", kind="answer", text="<p>The ice keeps every winter.</p>", order="2")
    form.add_row("blocks", kind="photo", order="1")  # Nothing chosen yet.
    form.add_row("blocks", kind="paragraph", text="<p>Unnumbered and kept.</p>")

    response = form.post(admin_client, ADD_URL)

    assert response.status_code == 200
    assert not Article.objects.exists()
    html = response.content.decode()
    assert "Write the text of this pull quote." in html
    # A new photo block given nothing at all (no photo, caption or credit) is blank like any
    # untouched new row, so an autosave made just after adding it does not fail on it.
    assert "Choose the photo to show here." not in html
    again = BrowserForm(response, "article_form")
    assert again["title"] == "Noor Halvard: on glaciers"
    assert again["standfirst"] == "A glaciologist on what the ice remembers."
    assert again["lead_photo"] == str(photo.pk)
    assert again["tags"] == "Ice"
    assert again.rows("blocks") == 4
    assert [again[f"blocks-{i}-kind"] for i in range(4)] == ["quote", "answer", "photo", "paragraph"]
    # The numbers stay as typed, so block_order.js shows the rows in the editor's order again.
    assert [again[f"blocks-{i}-order"] for i in range(4)] == ["", "2", "1", ""]
    assert again["blocks-0-attribution"] == "Noor Halvard"
    assert again["blocks-1-text"] == "<p>The ice keeps every winter.</p>"
    assert again["blocks-3-text"] == "<p>Unnumbered and kept.</p>"


def test_an_order_that_is_not_a_number_is_refused_and_nothing_is_lost(admin_client):
    article = interview(questions=1, status="draft")
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    row = form.row_for("blocks", article.blocks.get(position=2).pk)
    form[f"blocks-{row}-order"] = "first"
    form[f"blocks-{row}-text"] = "<p>A better answer.</p>"

    response = form.post(admin_client, change_url(article))

    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()
    assert BrowserForm(response, "article_form")[f"blocks-{row}-text"] == "<p>A better answer.</p>"
    assert "A better answer" not in "".join(texts(article))


def test_slug_is_prefilled_from_the_title(admin_client):
    html = admin_client.get(ADD_URL).content.decode()
    assert 'data-prepopulated-fields="' in html
    assert "&quot;#id_slug&quot;" in html and "&quot;#id_title&quot;" in html


def test_view_on_site_only_for_interviews_readers_can_see(admin_client):
    live = interview()
    draft = interview(status="draft")
    assert live.get_absolute_url() in admin_client.get(change_url(live)).content.decode()
    assert "viewsitelink" not in admin_client.get(change_url(draft)).content.decode()


# Tags and photos in the interview form -------------------------------------


def test_tags_reuse_existing_names_whatever_their_case(admin_client):
    Tag.objects.create(name="Climate", slug="climate")
    article = interview()
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form["tags"] = ["climate", " Deep   sea ", "CLIMATE"]
    form.save(admin_client, change_url(article))
    assert sorted(article.tags.names()) == ["Climate", "Deep sea"]
    assert Tag.objects.filter(name__iexact="climate").count() == 1


def test_tag_autocomplete_suggests_existing_tags_by_name(admin_client):
    for name in ("Oceans", "Ocean policy", "Forests"):
        Tag.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    url = reverse("admin:articles_article_tag_autocomplete")
    data = admin_client.get(url, {"term": "ocean"}).json()
    assert data["results"] == [
        {"id": "Ocean policy", "text": "Ocean policy"},
        {"id": "Oceans", "text": "Oceans"},
    ]


def test_tag_autocomplete_is_for_editors_only(client):
    url = reverse("admin:articles_article_tag_autocomplete")
    response = client.get(url, {"term": "a"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(User.objects.create_user("visitor", is_staff=True))
    assert client.get(url, {"term": "a"}).status_code == 403


def test_the_photo_chooser_shows_the_chosen_photo(admin_client):
    article = interview(photos=1)
    block = article.blocks.get(kind="photo")
    page = lxml.html.fromstring(admin_client.get(change_url(article)).content.decode())
    for select_id, photo in (("id_lead_photo", article.lead_photo), ("id_blocks-2-photo", block.photo)):
        select = page.get_element_by_id(select_id)
        assert "photo-chooser" in select.get("class").split()
        assert select.value == str(photo.pk)
        [preview] = select.getparent().find_class("photo-chooser-preview")
        assert [img.get("src") for img in preview.iter("img")] == [
            reverse("admin:articles_photo_thumbnail", args=[photo.pk])
        ]
    # A block without a photo has an empty preview, which photo_chooser.js fills when one is chosen.
    [preview] = page.get_element_by_id("id_blocks-0-photo").getparent().find_class("photo-chooser-preview")
    assert list(preview.iter("img")) == []
    assert preview.get("data-library-url") == reverse("admin:articles_photo_changelist")


def test_the_thumbnail_view_sends_a_small_version_of_the_photo(admin_client, client):
    photo = make_photo()
    url = reverse("admin:articles_photo_thumbnail", args=[photo.pk])
    response = admin_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/media/" + photo.renditions["jpeg"][0]["name"]
    assert (
        admin_client.get(reverse("admin:articles_photo_thumbnail", args=[photo.pk + 99])).status_code == 404
    )
    assert client.get(url).status_code == 302 and "/login/" in client.get(url)["Location"]
    client.force_login(User.objects.create_user("visitor", is_staff=True))
    assert client.get(url).status_code == 403


def test_autocomplete_finds_people_and_photos(admin_client):
    make_person("Odile Varga")
    make_photo(caption="Fishing boats at the quay", alt_text="Boats")
    autocomplete = reverse("admin:autocomplete")
    people = admin_client.get(
        autocomplete,
        {"term": "varga", "app_label": "articles", "model_name": "articleauthor", "field_name": "person"},
    ).json()
    photos = admin_client.get(
        autocomplete,
        {"term": "quay", "app_label": "articles", "model_name": "article", "field_name": "lead_photo"},
    ).json()
    assert [result["text"] for result in people["results"]] == ["Odile Varga"]
    assert [result["text"] for result in photos["results"]] == ["Fishing boats at the quay"]


# The interview list ------------------------------------------------------------


def make_listing(rows):
    photo = make_photo(size=(64, 48))
    people = [make_person() for _ in range(3)]
    for n in range(rows):
        interview(
            questions=1,
            lead_photo=photo,
            authors=[people[n % 3], people[(n + 1) % 3]],
            interviewees=[people[(n + 2) % 3]],
            tags=[f"tag-{n % 4}", "interviews"],
            status="published" if n % 2 else "draft",
        )


# The exact numbers. Every list: the session, the user, whether they set up
# two-factor sign-in, the count with and without filters, the page of rows. Interviews add the two filter choice
# lists (tags, authors), the authors and the interviewees of the page and the
# savepoint around the list (two statements). Photos add their date hierarchy;
# people need nothing more (portraits are joined, interview counts are subqueries).
ARTICLE_LIST_QUERIES = 12
PHOTO_LIST_QUERIES = 8
PERSON_LIST_QUERIES = 6


@pytest.mark.parametrize("rows", [3, 30])
def test_the_interview_list_costs_the_same_queries_for_any_number_of_rows(
    admin_client, django_assert_num_queries, rows
):
    make_listing(rows)
    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        response = admin_client.get(LIST_URL)
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_a_searched_and_filtered_list_costs_the_same_queries_too(
    admin_client, django_assert_num_queries, rows
):
    make_listing(rows)
    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        response = admin_client.get(LIST_URL, {"q": "Question", "status__exact": "draft"})
    assert len(response.context["cl"].result_list) == rows - rows // 2


def test_the_list_shows_status_time_and_bylines(admin_client):
    interview(
        "Pell Oduya: harvests",
        status="published",
        published_at=timezone.now() + timedelta(days=2),
        authors=[make_person("Rhea Mint"), make_person("Sol Abara")],
        interviewees=[make_person("Pell Oduya")],
    )
    interview("Ines Kaldor: bridges", status="review")
    page = lxml.html.fromstring(admin_client.get(LIST_URL).content.decode())
    rows = {
        row.findtext(".//th//a"): [cell.text_content().strip() for cell in row.findall("td")]
        for row in page.xpath("//table[@id='result_list']/tbody/tr")
    }
    # Cells after the checkbox: status, publication time, authors, interviewees, featured.
    assert rows["Pell Oduya: harvests"][1] == "Scheduled"
    assert rows["Pell Oduya: harvests"][3] == "Rhea Mint, Sol Abara"
    assert rows["Pell Oduya: harvests"][4] == "Pell Oduya"
    assert rows["Ines Kaldor: bridges"][1] == "In review"


def test_search_finds_an_interview_by_its_block_text_once(admin_client):
    wanted = interview("Lumi Sarkis: lighthouses", questions=0)
    Block.objects.create(article=wanted, position=1, kind="question", text="<p>Who keeps the lighthouse?</p>")
    Block.objects.create(
        article=wanted, position=2, kind="answer", text="<p>The lighthouse keeps itself.</p>"
    )
    interview("Other: harbours")
    response = admin_client.get(LIST_URL, {"q": "lighthouse"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_search_covers_title_and_standfirst(admin_client):
    by_title = interview("Ravel Ostrom: salt")
    by_standfirst = interview("Someone else", standfirst="A salt-marsh warden on tides.")
    interview("Unrelated")
    response = admin_client.get(LIST_URL, {"q": "salt"})
    assert set(response.context["cl"].result_list) == {by_title, by_standfirst}


def test_filter_by_tag_and_author(admin_client):
    author = make_person("Vera Lind")
    tagged = interview(tags=["rivers"])
    written = interview(authors=[author])
    interview()
    tag = Tag.objects.get(name="rivers")
    page = lxml.html.fromstring(admin_client.get(LIST_URL).content.decode())
    filters = page.get_element_by_id("changelist-filter")
    titles = [" ".join(title.text_content().split()) for title in filters.iter("summary", "h3")]
    assert {"By status", "By tag", "By author"} <= set(titles)
    assert list(admin_client.get(LIST_URL, {"tags__id__exact": tag.pk}).context["cl"].result_list) == [tagged]
    assert list(admin_client.get(LIST_URL, {"authors__id__exact": author.pk}).context["cl"].result_list) == [
        written
    ]


def filter_links(client, title):
    """The choices a list filter offers, by the filter's title ("By tag"): {label: address}."""
    page = lxml.html.fromstring(client.get(LIST_URL).content.decode())
    for details in page.get_element_by_id("changelist-filter").iter("details"):
        if " ".join(details.find("summary").text_content().split()) == title:
            return {" ".join(link.text_content().split()): link.get("href") for link in details.iter("a")}
    raise AssertionError(f"No filter {title!r}")


def filter_choices(client, title):
    return list(filter_links(client, title))


def test_the_filters_offer_only_what_the_user_may_read(client, admin_client):
    from .workflow_support import contributor

    writer = make_person("Ines Corvo")
    interview(tags=["harbours"], authors=[writer], status="published")
    interview(tags=["merger talks"], authors=[make_person("Oskar Brunn")], status="draft")
    # "-": the interviews without any.
    assert filter_choices(admin_client, "By tag") == ["All", "harbours", "merger talks", "-"]
    assert filter_choices(admin_client, "By author") == ["All", "Ines Corvo", "Oskar Brunn", "-"]
    # Someone else's draft is not for a contributor, nor are the names only it carries.
    client.force_login(contributor())
    assert filter_choices(client, "By tag") == ["All", "harbours", "-"]
    assert filter_choices(client, "By author") == ["All", "Ines Corvo", "-"]


def test_filter_by_publication_date(admin_client):
    recent = interview(status="published", published_at=timezone.now() - timedelta(days=2))
    interview(status="published", published_at=timezone.now() - timedelta(days=400))
    past_week = filter_links(admin_client, "By publication time")["Past 7 days"]
    assert list(admin_client.get(LIST_URL + past_week).context["cl"].result_list) == [recent]


def act(client, action, articles):
    return client.post(
        LIST_URL,
        {"action": action, "_selected_action": [str(article.pk) for article in articles]},
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_publish_now_publishes_drafts_and_scheduled_interviews(admin_client):
    draft = interview("Ada Ferro: kilns", status="draft")
    scheduled = interview("Bo Lantern: lamps", published_at=timezone.now() + timedelta(days=3))
    response = act(admin_client, "publish_now", [draft, scheduled])
    for article in (draft, scheduled):
        article.refresh_from_db()
        assert article.is_public
    [message] = messages_of(response)
    assert message.startswith("Published now: ")
    assert "“Ada Ferro: kilns”" in message and "“Bo Lantern: lamps”" in message


def test_publish_now_refuses_an_incomplete_interview_and_says_why(admin_client):
    ready = interview("Cy Moravec: looms", status="draft")
    incomplete = interview("Dia Umber: inks", status="draft", lead_photo=None)
    response = act(admin_client, "publish_now", [ready, incomplete])
    ready.refresh_from_db()
    incomplete.refresh_from_db()
    assert ready.is_public
    assert incomplete.status == Article.Status.DRAFT
    refusal = [m for m in messages_of(response) if m.startswith("“Dia Umber: inks” was not published.")]
    assert len(refusal) == 1 and "a photo, as the lead photo or in the body" in refusal[0]
    assert "Published now: “Cy Moravec: looms”." in messages_of(response)


def test_back_to_draft_takes_interviews_off_the_site(admin_client):
    live = interview("Eun Sallow: orchards")
    already = interview("Fen Oster: dams", status="draft")
    response = act(admin_client, "back_to_draft", [live, already])
    live.refresh_from_db()
    assert live.status == Article.Status.DRAFT
    assert not Article.objects.published().filter(pk=live.pk).exists()
    assert "Back to draft, off the public site: “Eun Sallow: orchards”." in messages_of(response)
    assert "“Fen Oster: dams” was already a draft." in messages_of(response)


# The photo library and people ----------------------------------------------


def make_photos(rows):
    for n in range(rows):
        make_photo(size=(64, 48), caption=f"Harbour view {n}")


@pytest.mark.parametrize("rows", [3, 30])
def test_the_photo_list_costs_the_same_queries_for_any_number_of_rows(
    admin_client, django_assert_num_queries, rows
):
    make_photos(rows)
    url = reverse("admin:articles_photo_changelist")
    with django_assert_num_queries(PHOTO_LIST_QUERIES):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == rows
    assert response.content.decode().count('class="admin-thumbnail"') == rows


def test_the_photo_list_searches_caption_credit_and_alt_text(admin_client):
    small = (64, 48)
    by_caption = make_photo(size=small, caption="Nets drying on the pier")
    by_credit = make_photo(size=small, credit="Pier Agency/K. Osei")
    by_alt = make_photo(size=small, alt_text="A pier in fog")
    make_photo(size=small, caption="Mountains", credit="Other", alt_text="Peaks")
    response = admin_client.get(reverse("admin:articles_photo_changelist"), {"q": "pier"})
    assert set(response.context["cl"].result_list) == {by_caption, by_credit, by_alt}


def test_uploading_a_photo_needs_alt_text_and_keeps_what_was_typed(admin_client):
    url = reverse("admin:articles_photo_add")
    form = BrowserForm(admin_client.get(url), "photo_form")
    form["caption"] = "Rope coiled on a deck."
    form["alt_text"] = ""
    data = {**form.data, "image": SimpleUploadedFile("rope.jpg", image_bytes(320, 200), "image/jpeg")}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert not Photo.objects.exists()
    assert response.context["adminform"].form.errors["alt_text"] == ["This field is required."]
    assert BrowserForm(response, "photo_form")["caption"] == "Rope coiled on a deck."

    data["alt_text"] = "A coil of rope on a wooden deck"
    data["image"] = SimpleUploadedFile("rope.jpg", image_bytes(320, 200), "image/jpeg")
    assert admin_client.post(url, data).status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (320, 200)


def test_the_desk_is_told_which_fields_came_from_the_file(admin_client):
    exif = PILImage.Exif()
    exif[0x010E] = b"Nets drying on the harbour wall"  # ImageDescription
    exif[0x013B] = b"Lou Prism"  # Artist
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), (20, 90, 120)).save(buffer, "JPEG", exif=exif)
    url = reverse("admin:articles_photo_add")
    data = {**BrowserForm(admin_client.get(url), "photo_form").data, "alt_text": "Fishing nets on a wall"}
    data["image"] = SimpleUploadedFile("nets.jpg", buffer.getvalue(), "image/jpeg")

    response = admin_client.post(url, {**data, "_continue": "Save"}, follow=True)

    photo = Photo.objects.get()
    assert (photo.caption, photo.credit) == ("Nets drying on the harbour wall", "Lou Prism")
    assert (
        "The caption and credit came from the file's own metadata. Check them before using the photo."
        in messages_of(response)
    )


def test_the_photo_page_shows_a_preview(admin_client):
    photo = make_photo()
    html = admin_client.get(reverse("admin:articles_photo_change", args=[photo.pk])).content.decode()
    assert 'class="admin-thumbnail"' in html and f'alt="{photo.alt_text}"' in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_people_list_costs_the_same_queries_for_any_number_of_rows(
    admin_client, django_assert_num_queries, rows
):
    portrait = make_photo(size=(64, 48))
    people = [make_person(portrait=portrait) for _ in range(rows)]
    for person in people[:3]:
        interview(questions=0, lead_photo=None, authors=[person], interviewees=people[:2])
    with django_assert_num_queries(PERSON_LIST_QUERIES):
        response = admin_client.get(reverse("admin:articles_person_changelist"))
    assert len(response.context["cl"].result_list) == rows


def test_the_people_list_counts_interviews_given_and_written(admin_client):
    writer = make_person("Gus Tamarind")
    subject = make_person("Hana Ruel")
    for _ in range(3):
        interview(authors=[writer], interviewees=[subject])
    interview(authors=[writer, subject], interviewees=[])
    response = admin_client.get(reverse("admin:articles_person_changelist"))
    page = lxml.html.fromstring(response.content.decode())
    headers = [th.text_content().strip() for th in page.xpath("//table[@id='result_list']/thead/tr/th")]
    assert headers[-2:] == ["Interviews given", "Interviews written"]
    rows = {
        row.xpath("string(.//td[contains(@class, 'field-name')])").strip(): [
            cell.text_content().strip() for cell in row.findall("td")
        ][-2:]
        for row in page.xpath("//table[@id='result_list']/tbody/tr")
    }
    assert rows["Gus Tamarind"] == ["0", "4"]
    assert rows["Hana Ruel"] == ["3", "1"]


def test_people_have_their_slug_prefilled_and_a_rich_text_bio(admin_client):
    html = admin_client.get(reverse("admin:articles_person_add")).content.decode()
    assert "&quot;#id_slug&quot;" in html and "&quot;#id_name&quot;" in html
    assert "data-django-prose-editor" in html


# The rich text editor under the Content-Security-Policy --------------------


def inline_scripts(html):
    page = lxml.html.fromstring(html)
    return [script for script in page.iter("script") if not script.get("src")]


@pytest.mark.parametrize(
    "url",
    [ADD_URL, reverse("admin:articles_person_add")],
)
def test_the_editor_pages_allow_their_inline_scripts_by_nonce_only(admin_client, url):
    response = admin_client.get(url)
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy)[1].split()
    nonces = [source for source in script_src if source.startswith("'nonce-")]
    assert len(nonces) == 1 and "'unsafe-inline'" not in script_src and "'self'" in script_src
    nonce = nonces[0][len("'nonce-") : -1]
    scripts = inline_scripts(response.content.decode())
    assert [script.get("type") for script in scripts if script.get("type") == "importmap"] == ["importmap"]
    assert all(script.get("nonce") == nonce for script in scripts)
    assert "'unsafe-inline'" not in policy


def test_a_change_page_with_an_editor_added_row_uses_the_same_media(admin_client):
    """Rows added with "Add another" are clones of the empty form: the editor starts on them
    from the already loaded scripts (django-prose-editor listens for formset:added)."""
    article = interview()
    html = admin_client.get(change_url(article)).content.decode()
    page = lxml.html.fromstring(html)
    template = page.get_element_by_id("blocks-empty")
    assert template.xpath(".//textarea[@data-django-prose-editor-configurable]")
    assert not template.xpath(".//script")


def test_other_pages_keep_the_strict_policy(admin_client, client):
    article = interview()
    for response in (admin_client.get(LIST_URL), client.get(article.get_absolute_url())):
        assert response.status_code == 200
        assert "nonce-" not in response["Content-Security-Policy"]
        assert "script-src 'self';" in response["Content-Security-Policy"] + ";"


def test_the_allowed_editor_style_is_the_one_the_installed_editor_injects(admin_client):
    editor_js = Path(django_prose_editor.__file__).parent / "static/django_prose_editor/editor.js"
    css = re.search(r"`(\.ProseMirror \{.*?)`", editor_js.read_text(), re.S)[1]
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == EDITOR_STYLE_HASH
    policy = admin_client.get(ADD_URL)["Content-Security-Policy"]
    assert re.search(r"style-src ([^;]+)", policy)[1].split() == ["'self'", EDITOR_STYLE_HASH]
