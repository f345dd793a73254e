import django.db.models.deletion
from django.db import migrations, models

BATCH = 500


def fill(apps, schema_editor):
    """The entries of the interviews already published, as listings.refresh() makes them."""
    Article = apps.get_model("articles", "Article")
    ListEntry = apps.get_model("articles", "ListEntry")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ContentType = apps.get_model("contenttypes", "ContentType")
    article_type = ContentType.objects.filter(app_label="articles", model="article").first()
    sources = [
        ("given", apps.get_model("articles", "ArticleInterviewee"), "person_id", "article_id"),
        ("written", apps.get_model("articles", "ArticleAuthor"), "person_id", "article_id"),
    ]
    published = list(Article.objects.filter(status="published").values_list("pk", "published_at"))
    for start in range(0, len(published), BATCH):
        times = dict(published[start : start + BATCH])
        rows = []
        if article_type is not None:
            taggings = TaggedItem.objects.filter(content_type=article_type, object_id__in=times)
            rows += [("tag", *pair) for pair in taggings.values_list("tag_id", "object_id")]
        for kind, model, item, article in sources:
            links = model.objects.filter(article_id__in=times).values_list(item, article)
            rows += [(kind, *pair) for pair in links]
        ListEntry.objects.bulk_create(
            ListEntry(kind=kind, item_id=item_id, article_id=article_id, published_at=times[article_id])
            for kind, item_id, article_id in rows
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_search_vector_and_listing_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("tag", "Tagged"),
                            ("given", "Interview given"),
                            ("written", "Interview written"),
                        ],
                        max_length=10,
                    ),
                ),
                ("item_id", models.BigIntegerField()),
                ("published_at", models.DateTimeField()),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="articles.article"
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "list entries",
                "indexes": [
                    models.Index(
                        fields=["kind", "item_id", "-published_at", "-article"], name="list_entry_order_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "item_id", "article"), name="list_entry_once"),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["tag", "given", "written"])),
                        name="list_entry_kind_valid",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
