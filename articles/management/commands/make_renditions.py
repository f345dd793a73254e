from django.core.management.base import BaseCommand, CommandError

from articles import images
from articles.models import Photo


class Command(BaseCommand):
    help = (
        "Make the responsive renditions and social image of every photo whose renditions are missing, "
        "incomplete or out of date. Safe to run again: up-to-date photos are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Only these photo ids (default: every photo).")
        parser.add_argument("--force", action="store_true", help="Remake renditions even when up to date.")

    def handle(self, *args, ids, force, **options):
        photos = Photo.objects.order_by("pk")
        if ids:
            photos = photos.filter(pk__in=ids)
        counts = {"made": 0, "current": 0, "failed": 0, "gone": 0}
        for photo in photos.iterator():
            # Files lost from storage (a restored database, a new bucket) are remade too.
            status = images.refresh(photo.pk, force=force or bool(images.missing_files(photo)))
            if status == "failed":
                self.stderr.write(f"Photo {photo.pk} ({photo.image.name}): could not make renditions.")
            counts["made" if status in ("made", "superseded") else status] += 1
        self.stdout.write(
            f"Renditions made for {counts['made']} photo(s); {counts['current']} already up to date; "
            f"{counts['failed']} failed."
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} photo(s) failed; see the messages above.")
