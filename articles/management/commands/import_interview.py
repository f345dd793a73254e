"""Turn a document or transcript into a draft interview, as "Import interview" does in the admin.

    python manage.py import_interview interview.docx [--dry-run]

Prints the structure found (counts, the first words of each question,
warnings), then creates one draft. Never publishes. Bad input ends with one
line saying what is wrong, and nothing is created.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.template.defaultfilters import pluralize
from django.urls import reverse

from ...importing import ImportRefused, detect, read
from ...importing.builder import build, find_people, new_person, standfirst_of, title_of
from ...importing.structure import counts


class Command(BaseCommand):
    help = "Import a .docx, .txt, .md, .html, .vtt or .srt file as a draft interview."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The document or transcript to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the structure found; create nothing."
        )
        parser.add_argument(
            "--title", default="", help="The headline, when the document has none or another."
        )
        parser.add_argument(
            "--author", action="append", default=[], help="The interviewer's name (repeat for several)."
        )
        parser.add_argument(
            "--interviewee", action="append", default=[], help="The interviewee's name (repeat for several)."
        )
        parser.add_argument(
            "--create-people",
            action="store_true",
            help="Add people not found by name as new person records (otherwise they are only listed).",
        )
        parser.add_argument("--user", default="", help="Username recorded as the draft's creator.")

    def handle(self, *args, path, dry_run, title, author, interviewee, create_people, user, **options):
        source = Path(path)
        try:
            data = source.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
        creator = None
        if user:
            creator = get_user_model()._default_manager.filter(username=user).first()
            if creator is None:
                raise CommandError(f"There is no user “{user}”.")
        try:
            document = detect(read(source.name, data), interviewers=author)
            self.report(document)
            authors = self.people(author or document.interviewers, "author", create_people and not dry_run)
            interviewees = self.people(
                interviewee or document.interviewees, "interviewee", create_people and not dry_run
            )
            title = title or title_of(document)
            if dry_run:
                self.stdout.write("Dry run: nothing was created.")
                return
            article = build(
                document,
                title=title,
                standfirst=standfirst_of(document),
                interviewees=interviewees,
                authors=authors,
                user=creator,
                bio_for=authors[0] if authors else None,
                source=source.name,
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(f"Nothing was imported: the database refused it ({reason}).") from error
        url = reverse("admin:articles_article_change", args=[article.pk])
        self.stdout.write(f"Created the draft “{article.title}” ({article.blocks.count()} blocks): {url}")

    def report(self, document):
        found = counts(document)
        self.stdout.write(
            f"Read a {document.source} document: {_count(found['questions'], 'question')}, "
            f"{_count(found['answer_paragraphs'], 'answer paragraph')}, {_count(found['photos'], 'photo')}."
        )
        number = 0
        previous = ""
        for paragraph in document.paragraphs:
            if paragraph.kind == "question" and previous != "question":
                number += 1
                words = paragraph.text.split()
                self.stdout.write(f"  {number}. {' '.join(words[:8])}{' …' if len(words) > 8 else ''}")
            previous = paragraph.kind
        for warning in document.warnings:
            self.stdout.write(f"Warning: {warning}")

    def people(self, names, role, create):
        people = []
        for name, person in find_people(names).items():
            if person is None and create:
                person = new_person(name)
                self.stdout.write(f"New {role}: {name}")
            elif person is None:
                self.stdout.write(f"Unknown {role}: {name} (not linked; --create-people adds them)")
                continue
            people.append(person)
        return people


def _count(number, noun):
    return f"{number} {noun}{pluralize(number)}"
