"""Restore interviews from an archive written by ``export_interviews`` (another site's, or a backup).

    python manage.py import_interviews backup.zip [--dry-run]

Interviews keep everything they had, their status and publication time
included (this restores a site; a document import is ``import_interview``).
Interviews already here are skipped; people already here (same slug) are
used as they are. All or nothing: an error restores nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from ...archive import ArchiveRefused, restore


class Command(BaseCommand):
    help = "Restore interviews, their people and photos from an export_interviews archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive, for example backup.zip.")
        parser.add_argument("--dry-run", action="store_true", help="Check the archive; restore nothing.")

    def handle(self, *args, archive, dry_run, **options):
        try:
            data = Path(archive).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {archive}: {error.strerror or error}.") from error
        try:
            restored, skipped = restore(data, dry_run=dry_run)
        except ArchiveRefused as error:
            raise CommandError(str(error)) from error
        except (DatabaseError, OSError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(f"Nothing was restored ({reason}).") from error
        for title in skipped:
            self.stdout.write(f"Already here, skipped: {title}")
        verb = "Would restore" if dry_run else "Restored"
        self.stdout.write(f"{verb} {len(restored)} interview{'s' if len(restored) != 1 else ''}.")
