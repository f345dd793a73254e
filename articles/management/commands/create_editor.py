"""Create the editor account for a fresh site, printing its random password once.

Safe to run again (``make run`` does): an existing account is left untouched.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError


class Command(BaseCommand):
    help = "Create a superuser (default “editor”) with a random password, printed once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor", help="Defaults to “editor”.")
        parser.add_argument("--email", default="", help="Optional e-mail address for the account.")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("The username cannot be empty.")
        try:
            if User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists():
                self.stdout.write(
                    f"The user “{username}” already exists; to set a new password run: "
                    f"python manage.py changepassword {username}"
                )
                return
            password = secrets.token_urlsafe(15)
            user = User._default_manager.create_superuser(username=username, email=email, password=password)
            # The group carries the desk's permissions, so the account still
            # works as an editor if someone later removes superuser status.
            group = Group.objects.filter(name="Editor").first()
            if group is not None:
                user.groups.add(group)
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(
                f"Could not create the user ({reason}). Has `python manage.py migrate` been run?"
            ) from error
        self.stdout.write(
            f"Created the superuser “{username}” with the password {password} "
            "(shown only this once; sign in at /admin/)."
        )
