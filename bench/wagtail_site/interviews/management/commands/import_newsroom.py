"""manage.py import_newsroom ARCHIVE --site-url URL: the published interviews of a Newsroom export, as Wagtail pages.

ARCHIVE is what Newsroom's ``manage.py export_interviews`` writes: a zip with
``archive.json`` (interviews, their blocks, bylines and tags, the people and
photos they use) and the photos' files. Each photo becomes a Wagtail image
from the same file, each person a snippet, each published interview an
InterviewPage under /interviews/ whose StreamField holds the same blocks in
the same order. Run it once, on an empty site: it replaces the home page that
Wagtail's migrations create.
"""

import io
import json
import re
import zipfile
from datetime import datetime
from urllib.parse import urlsplit

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page, Site

from interviews.models import (
    HomePage,
    InterviewIndexPage,
    InterviewPage,
    InterviewPageAuthor,
    InterviewPageInterviewee,
    Person,
    Photo,
)

# The share of the photo that Newsroom's focal point becomes, as Wagtail's focal box.
FOCAL_BOX = 0.2


class Command(BaseCommand):
    help = "Import the published interviews of a Newsroom export archive into this Wagtail site."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--site-url", required=True, help="The address the site is served at.")

    @transaction.atomic
    def handle(self, *args, archive, site_url, **options):
        with zipfile.ZipFile(archive) as source:
            data = json.loads(source.read("archive.json"))
            photos = {key: self.photo(source, entry) for key, entry in data["photos"].items()}
        people = {slug: self.person(entry, photos) for slug, entry in data["people"].items()}
        index = self.site(site_url)
        now = timezone.now()
        published = [
            entry
            for entry in data["interviews"]
            if entry["status"] == "published" and datetime.fromisoformat(entry["published_at"]) <= now
        ]
        for entry in published:
            self.interview(entry, index, people, photos)
        self.stdout.write(
            f"Imported {len(published)} interviews, {len(people)} people and {len(photos)} photos."
        )

    def photo(self, source, entry):
        width, height = int(entry["width"]), int(entry["height"])
        box_w, box_h = int(width * FOCAL_BOX), int(height * FOCAL_BOX)
        photo = Photo(
            title=(entry["caption"] or entry["alt_text"])[:255],
            description=entry["alt_text"][:255],
            caption=entry["caption"],
            credit=entry["credit"],
            focal_point_x=int(float(entry["focal_x"]) * width),
            focal_point_y=int(float(entry["focal_y"]) * height),
            focal_point_width=box_w,
            focal_point_height=box_h,
            # The same file as Newsroom's, under the same name.
            file=ImageFile(io.BytesIO(source.read(entry["file"])), name=entry["file"].rsplit("/", 1)[-1]),
        )
        photo.save()
        return photo

    def person(self, entry, photos):
        return Person.objects.create(
            name=entry["name"],
            slug=entry["slug"],
            role=entry["role"],
            organisation=entry["organisation"],
            bio=entry["bio"],
            portrait=photos.get(entry["portrait"]),
        )

    def site(self, site_url):
        """A HomePage at the root of the only Site, with the interviews' index page under it."""
        address = urlsplit(site_url)
        root = Page.get_first_root_node()
        for welcome in root.get_children():
            welcome.delete()
        home = root.add_child(instance=HomePage(title="Magazine", slug="home"))
        Site.objects.all().delete()
        Site.objects.create(
            hostname=address.hostname,
            port=address.port or 80,
            root_page=home,
            is_default_site=True,
            site_name="Magazine",
        )
        return home.add_child(instance=InterviewIndexPage(title="Interviews", slug="interviews"))

    def interview(self, entry, index, people, photos):
        published_at = datetime.fromisoformat(entry["published_at"])
        page = InterviewPage(
            title=entry["title"],
            slug=entry["slug"],
            seo_title=entry["seo_title"],
            search_description=entry["seo_description"],
            standfirst=entry["standfirst"],
            lead_photo=photos.get(entry["lead_photo"]),
            featured=entry["featured"] == "True",
            body=[block for block in (stream_block(b, people, photos) for b in entry["blocks"]) if block],
            live=True,
            first_published_at=published_at,
            last_published_at=published_at,
        )
        page.author_links = [
            InterviewPageAuthor(person=people[link["person"]], sort_order=int(link["position"]))
            for link in entry["authors"]
        ]
        page.interviewee_links = [
            InterviewPageInterviewee(
                person=people[link["person"]], role=link["role"], sort_order=int(link["position"])
            )
            for link in entry["interviewees"]
        ]
        page.tags.add(*entry["tags"])
        index.add_child(instance=page)


def stream_block(block, people, photos):
    """One Newsroom block as StreamField data; None for a photo slot still waiting for its photo."""
    kind, text = block["kind"], block["text"]
    if kind == "photo":
        photo = photos.get(block["photo"])
        if photo is None:
            return None
        value = {
            "image": photo.pk,
            "caption": block["caption"] or photo.caption,
            "credit": block["credit"] or photo.credit,
            "alt": photo.description,
        }
    elif kind == "answer":
        speaker = people.get(block["speaker"])
        value = {"speaker": speaker.name if speaker else "", "text": text}
    elif kind == "quote":
        kind, value = "pull_quote", {"text": plain(text), "attribution": block["attribution"]}
    elif kind == "heading":
        value = plain(text)
    else:
        value = text
    return {"type": kind, "value": value}


def plain(html):
    return re.sub(r"\s+", " ", strip_tags(html)).strip()
