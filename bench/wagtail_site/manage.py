#!/usr/bin/env python
"""The Wagtail comparison site's manage.py; run it with the benchmark's own virtualenv (see bench/against_wagtail.py)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magazine.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
