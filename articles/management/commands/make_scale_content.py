"""manage.py make_scale_content [--count N]: many published interviews of realistic size, for measuring.

Each interview has 12 questions with answers of about 150 words, two photos in
the body (reused from the photo library: renditions are not what is measured),
two authors, two interviewees and three tags, like the desk's. As on a real
site, a few names carry many interviews: the first tag of each is one of five
desk tags ("Scale topic 0" to 4) and the first author one of five staff
writers ("Scale Person 0" to 4), so their pages and feeds are full at any
size; the other tags and people are a long tail. Rows are written in bulk, so
this takes minutes, not hours, for 10,000 interviews.
"""

import itertools
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import caching, listings, search
from articles.models import Article, ArticleAuthor, ArticleInterviewee, Block, Person, Photo

QUESTIONS = 12
PEOPLE = 400
TAGS = 80
# The desk tags and staff writers: each is on one interview in five.
REGULARS = 5
BATCH = 500
SENTENCE = "The tide tables we grew up with no longer describe the water that comes over the wall in winter. "


class Command(BaseCommand):
    help = "Create many published interviews of realistic size (for benchmarks; never on a real site)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000, help="How many interviews (default 10,000).")

    def handle(self, *args, count, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        start = Article.objects.filter(slug__startswith="scale-").count()
        with transaction.atomic():
            people = self.people()
            tags = self.tags()
            photos = list(Photo.objects.order_by("id")[:10])
            for first in range(start, start + count, BATCH):
                self.batch(range(first, min(first + BATCH, start + count)), people, tags, photos)
            # Bulk writes send no signals: the lists that now hold the new interviews change.
            caching.changed(caching.LISTINGS, *tags, *people)
        # Fresh statistics for the planner, as the database would gather in time (newsroom/database.py).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Created {count} published interviews ({start + count} scale interviews in all).")

    def people(self):
        existing = {person.slug: person for person in Person.objects.filter(slug__startswith="scale-person-")}
        missing = [
            Person(name=f"Scale Person {n}", slug=f"scale-person-{n}", role="Researcher", bio="<p>A bio.</p>")
            for n in range(PEOPLE)
            if f"scale-person-{n}" not in existing
        ]
        Person.objects.bulk_create(missing)
        return list(Person.objects.filter(slug__startswith="scale-person-").order_by("id"))

    def tags(self):
        for n in range(TAGS):
            Tag.objects.get_or_create(slug=f"scale-topic-{n}", defaults={"name": f"Scale topic {n}"})
        return list(Tag.objects.filter(slug__startswith="scale-topic-").order_by("id"))

    def batch(self, numbers, people, tags, photos):
        now = timezone.now()
        articles = Article.objects.bulk_create(
            Article(
                title=f"Scale Person {n % PEOPLE}: on water and towns, part {n}",
                slug=f"scale-{n}",
                standfirst=SENTENCE * 3,
                status=Article.Status.PUBLISHED,
                # One interview every four hours, the newest an hour ago.
                published_at=now - timedelta(hours=1 + 4 * n),
                first_published_at=now - timedelta(hours=1 + 4 * n),
                lead_photo=photos[n % len(photos)] if photos else None,
            )
            for n in numbers
        )
        blocks, authors, interviewees, tagged = [], [], [], []
        article_type = ContentType.objects.get_for_model(Article)
        for n, article in zip(numbers, articles, strict=True):
            guests = [_tail(people, 3 * n), _tail(people, 3 * n + 1)]
            position = itertools.count(1)
            for q in range(1, QUESTIONS + 1):
                blocks.append(
                    Block(
                        article=article,
                        position=next(position),
                        kind="question",
                        text=f"<p>Question {q}: what changed?</p>",
                    )
                )
                answer = "".join(f"<p>{SENTENCE * 2}</p>" for _ in range(3))
                blocks.append(
                    Block(
                        article=article,
                        position=next(position),
                        kind="answer",
                        text=answer,
                        speaker=guests[q % 2],
                    )
                )
                if photos and q in (4, 9):
                    blocks.append(
                        Block(
                            article=article,
                            position=next(position),
                            kind="photo",
                            photo=photos[(n + q) % len(photos)],
                        )
                    )
            writers = [people[n % REGULARS], _tail(people, 7 * n)]
            authors += [
                ArticleAuthor(article=article, person=person, position=k) for k, person in enumerate(writers)
            ]
            interviewees += [
                ArticleInterviewee(article=article, person=p, position=k) for k, p in enumerate(guests)
            ]
            topics = [tags[n % REGULARS], _tail(tags, n * 7), _tail(tags, n * 7 + 13)]
            tagged += [TaggedItem(content_type=article_type, object_id=article.pk, tag=tag) for tag in topics]
        Block.objects.bulk_create(blocks, batch_size=2000)
        search.refresh_documents(Article.objects.filter(pk__in=[article.pk for article in articles]))
        ArticleAuthor.objects.bulk_create(authors)
        ArticleInterviewee.objects.bulk_create(interviewees)
        TaggedItem.objects.bulk_create(tagged)
        listings.refresh(article.pk for article in articles)


def _tail(names, n):
    """One of the names after the regulars."""
    return names[REGULARS + n % (len(names) - REGULARS)]
