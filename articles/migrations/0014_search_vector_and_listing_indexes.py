import django.contrib.postgres.search
from django.db import migrations, models

import articles.search

# 0012's index on the expression, and the index on the stored column that replaces it.
EXPRESSION_INDEX = "article_search_idx"
VECTOR_INDEX = "article_search_vector_idx"


def gin_index(*expressions, **options):
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(*expressions, **options)


def index_the_stored_vector(apps, schema_editor):
    # PostgreSQL only: SQLite searches with a plain word match. The stored
    # column replaces 0012's index on the expression.
    if schema_editor.connection.vendor == "postgresql":
        Article = apps.get_model("articles", "Article")
        schema_editor.remove_index(Article, gin_index(fields=["title"], name=EXPRESSION_INDEX))
        schema_editor.add_index(Article, gin_index(fields=["search_vector"], name=VECTOR_INDEX))


def index_the_expression(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        Article = apps.get_model("articles", "Article")
        schema_editor.remove_index(Article, gin_index(fields=["search_vector"], name=VECTOR_INDEX))
        schema_editor.add_index(Article, gin_index(articles.search.search_vector(), name=EXPRESSION_INDEX))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_content_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=articles.search.StoredVector(),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(index_the_stored_vector, index_the_expression),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("featured", True), ("status", "published")),
                fields=["-published_at", "-id"],
                name="article_featured_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-published_at", "-id"], name="article_desk_order_idx"),
        ),
    ]
