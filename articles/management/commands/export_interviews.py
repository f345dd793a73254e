"""Export interviews to a self-contained archive (JSON, the photo files and Markdown).

    python manage.py export_interviews backup.zip [--slug SLUG ...] [--status published]

The archive restores into any Newsroom site with ``import_interviews``: the
backup and site-migration path (see README, "Backups and moving a site").
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from ...archive import export
from ...models import Article


class Command(BaseCommand):
    help = "Write interviews, with their people and photos, to a zip archive that import_interviews restores."

    def add_arguments(self, parser):
        parser.add_argument("output", help="The archive to write, for example backup.zip.")
        parser.add_argument(
            "--slug", action="append", default=[], help="Only this interview (repeat for several)."
        )
        parser.add_argument(
            "--status", choices=[choice for choice, _ in Article.Status.choices], help="Only these."
        )

    def handle(self, *args, output, slug, status, **options):
        articles = Article.objects.order_by("created_at", "id")
        if slug:
            articles = articles.filter(slug__in=slug)
            missing = set(slug) - set(articles.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No interview has the address “{sorted(missing)[0]}”.")
        if status:
            articles = articles.filter(status=status)
        try:
            count = articles.count()
            data = export(articles)
        except (DatabaseError, OSError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(f"Could not export ({reason}).") from error
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from error
        self.stdout.write(
            f"Exported {count} interview{'s' if count != 1 else ''} to {output} ({len(data):,} bytes)."
        )
