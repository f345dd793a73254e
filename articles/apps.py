from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.models.signals import pre_save


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Interviews"

    def ready(self):
        from taggit.models import Tag

        from . import listings, rendering, search
        from .tagging import clean_tag

        # taggit's model cannot take a rule of its own; see tagging.py.
        pre_save.connect(clean_tag, sender=Tag, dispatch_uid="articles.clean_tag")
        rendering.connect_signals()
        search.connect_signals()
        listings.connect()

        from . import caching

        caching.connect()

        from newsroom import database

        request_finished.connect(database.keep_statistics, dispatch_uid="newsroom.keep_statistics")
