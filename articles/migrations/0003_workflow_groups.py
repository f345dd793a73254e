"""The two desk roles. Per-interview rules (own drafts only, publishing) live in articles/workflow.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTRIBUTOR = {
    "articles": [
        "add_article",
        "change_article",
        "view_article",
        "add_block",
        "change_block",
        "delete_block",
        "view_block",
        "add_articleauthor",
        "change_articleauthor",
        "delete_articleauthor",
        "view_articleauthor",
        "add_articleinterviewee",
        "change_articleinterviewee",
        "delete_articleinterviewee",
        "view_articleinterviewee",
        "add_photo",
        "change_photo",
        "view_photo",
        "view_person",
        "view_correction",
    ],
    "taggit": ["view_tag"],
}

EDITOR_MODELS = {
    "articles": [
        "article",
        "block",
        "articleauthor",
        "articleinterviewee",
        "photo",
        "person",
        "correction",
        "previewlink",
        "oldslug",
    ],
    "taggit": ["tag", "taggeditem"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; a fresh
    # database needs them now to attach them to the groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(app_label, codenames):
        found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise RuntimeError(f"Missing permissions for the desk groups: {sorted(missing)}")
        return found

    contributor, _ = Group.objects.get_or_create(name="Contributor")
    for app_label, codenames in CONTRIBUTOR.items():
        contributor.permissions.add(*permissions(app_label, codenames))

    editor, _ = Group.objects.get_or_create(name="Editor")
    for app_label, models in EDITOR_MODELS.items():
        codenames = [
            f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")
        ]
        editor.permissions.add(*permissions(app_label, codenames))
    editor.permissions.add(*permissions("articles", ["publish_article"]))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Contributor", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_created_by"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
