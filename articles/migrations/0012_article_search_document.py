from django.db import migrations, models

from articles import search


def fill_documents(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Block = apps.get_model("articles", "Block")
    texts = {}
    for article_id, text in Block.objects.order_by("article_id", "position", "id").values_list(
        "article_id", "text"
    ):
        texts.setdefault(article_id, []).append(search.block_text(text))
    rows = [Article(pk=pk, search_document=" ".join(filter(None, parts))) for pk, parts in texts.items()]
    Article.objects.bulk_update(rows, ["search_document"], batch_size=500)


def gin_index():
    from django.contrib.postgres.indexes import GinIndex

    # Built from search.search_vector(), the expression the query uses, so
    # the two cannot differ; in the configuration of SITE_LANGUAGE at migrate time.
    return GinIndex(search.search_vector(), name="article_search_idx")


def add_index(apps, schema_editor):
    # PostgreSQL only: SQLite searches with a plain word match.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), gin_index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), gin_index())


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_tags_with_an_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_index, remove_index),
    ]
