"""Load the demo interviews, people and photos from ``articles/demo``.

Idempotent: people are found by slug, interviews by slug (current or old), and
photos are only drawn for an interview or person being created. A second run
therefore changes nothing: an interview an editor has changed is left alone,
and only one that was deleted is created again.
"""

import contextlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from articles import cards, listings, search
from articles.demo import content, pictures
from articles.models import Article, ArticleAuthor, ArticleInterviewee, Block, OldSlug, Person, Photo


class Command(BaseCommand):
    help = "Create the demo interviews, with their people, tags and photos. Running it again changes nothing."

    def handle(self, *args, **options):
        loader = DemoLoader()
        try:
            with transaction.atomic():
                loader.load()
        except (DatabaseError, OSError) as error:
            loader.discard_files()
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(
                f"Could not load the demo content ({reason}). Has `python manage.py migrate` been run, "
                "and can the media folder be written to?"
            ) from error
        self.stdout.write(loader.summary())


class DemoLoader:
    def __init__(self):
        self.photos = {}
        self.people = {}
        self.created = {"photos": 0, "people": 0}
        self.articles_created = []
        self.articles_present = 0
        self.saved_files = []
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)

    def load(self):
        for spec in content.ARTICLES:
            slug = spec["slug"]
            if Article.objects.filter(slug=slug).exists() or OldSlug.objects.filter(slug=slug).exists():
                self.articles_present += 1
                continue
            self.articles_created.append(self.make_article(spec))

    def photo(self, key):
        if key not in self.photos:
            spec = content.PHOTOS[key]
            photo = Photo(
                alt_text=spec["alt_text"],
                caption=spec["caption"],
                credit=spec["credit"],
                licence=content.LICENCE,
                focal_x=spec["focal"][0],
                focal_y=spec["focal"][1],
            )
            name = f"demo-{key}.jpg"
            # A named file, or Django cannot store the width and height (and
            # would then open the file to measure it on every page view).
            photo.image = ContentFile(pictures.render(spec["scene"]), name=name)
            # Saving through the model stores the file; renditions follow the commit.
            photo.save()
            self.saved_files.append(photo.image.name)
            self.photos[key] = photo
            self.created["photos"] += 1
        return self.photos[key]

    def person(self, slug):
        if slug not in self.people:
            person = Person.objects.filter(slug=slug).first()
            if person is None:
                spec = dict(content.PEOPLE[slug])
                portrait = spec.pop("portrait", None)
                person = Person.objects.create(
                    slug=slug, portrait=self.photo(portrait) if portrait else None, **spec
                )
                self.created["people"] += 1
            self.people[slug] = person
        return self.people[slug]

    def make_article(self, spec):
        if "published_days_ago" in spec:
            published_at = self.now - timedelta(days=spec["published_days_ago"])
        elif "published_in_days" in spec:
            published_at = self.now + timedelta(days=spec["published_in_days"])
        else:
            published_at = None
        article = Article.objects.create(
            slug=spec["slug"],
            title=spec["title"],
            standfirst=spec["standfirst"],
            status=spec["status"],
            published_at=published_at,
            featured=spec.get("featured", False),
            lead_photo=self.photo(spec["lead_photo"]),
        )
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=article, person=self.person(slug), position=position)
            for position, slug in enumerate(spec["authors"])
        )
        ArticleInterviewee.objects.bulk_create(
            ArticleInterviewee(article=article, person=self.person(slug), position=position)
            for position, slug in enumerate(spec["interviewees"])
        )
        # The bylines were written in bulk, without the signals that put the interview on their lists.
        listings.refresh([article.pk])
        article.tags.add(*spec["tags"])
        Block.objects.bulk_create(
            self.block(article, position, block) for position, block in enumerate(spec["blocks"], start=1)
        )
        search.refresh_documents(Article.objects.filter(pk=article.pk))
        cards.refresh_article_cards(article)
        for block in article.blocks.exclude(cards={}):
            self.saved_files.extend(_file_names(block.cards))
        return article

    def block(self, article, position, spec):
        block = Block(article=article, position=position, kind=spec["kind"])
        if spec["kind"] == Block.Kind.PHOTO:
            block.photo = self.photo(spec["photo"])
            block.caption = spec["caption"]
            return block
        block.text = spec["text"]
        block.attribution = spec.get("attribution", "")
        block.quote = spec.get("quote", "")
        if spec.get("speaker"):
            block.speaker = self.person(spec["speaker"])
        return block

    def discard_files(self):
        """The transaction rolled back; remove the files it would have referenced."""
        storage = Photo._meta.get_field("image").storage
        for name in self.saved_files:
            with contextlib.suppress(OSError):
                storage.delete(name)

    def summary(self):
        if not self.articles_created:
            return (
                f"Demo content already loaded ({self.articles_present} interviews); nothing changed. "
                "Delete a demo interview to have it recreated."
            )
        states = {"public": 0, "scheduled": 0, "draft": 0}
        for article in self.articles_created:
            if article.is_public:
                states["public"] += 1
            elif article.is_scheduled:
                states["scheduled"] += 1
            else:
                states["draft"] += 1
        made = len(self.articles_created)
        text = (
            f"Demo content loaded: {_count(made, 'interview')} "
            f"({states['public']} published, {states['scheduled']} scheduled, {states['draft']} draft), "
            f"{_count(self.created['people'], 'person', 'people')}, {_count(self.created['photos'], 'photo')}"
        )
        if self.articles_present:
            text += f"; {self.articles_present} interviews were already there"
        return text + "."


def _count(number, singular, plural=None):
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _file_names(renditions):
    """Every file name recorded in a photo's renditions, whatever their layout."""
    if isinstance(renditions, dict):
        if isinstance(renditions.get("name"), str):
            yield renditions["name"]
        for value in renditions.values():
            yield from _file_names(value)
    elif isinstance(renditions, list):
        for value in renditions:
            yield from _file_names(value)
