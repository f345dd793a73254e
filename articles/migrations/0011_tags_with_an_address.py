"""Tags saved before every tag got an address (a name like "!!!" left the slug empty) get one now."""

from django.db import migrations

from articles.tagging import fallback_slug


def give_every_tag_an_address(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    # Empty, or "_1" when taggit met a second such tag (see tagging.clean_tag).
    for tag in Tag.objects.filter(slug__regex=r"^(_[0-9]+)?$"):
        Tag.objects.filter(pk=tag.pk).update(slug=fallback_slug(tag.name))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_article_body_version"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(give_every_tag_an_address, migrations.RunPython.noop)]
