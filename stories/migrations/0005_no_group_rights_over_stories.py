"""Only Voicebox's own groups have rights over stories, and they act through the workflow.

Wagtail gives its stock Editors and Moderators groups add, edit and publish on the root of the page tree (which
reaches every story below it), and wagtailmedia gives them add, change and delete over the media library (every
item in it is a story's recording). This removes page permissions held on the story tree or any page above it, and
every group's media library rights. Page permission checks for stories ignore groups from here on
(stories.models.StoryPagePermissionTester), so a group given such rights later gains nothing over stories.
"""

from django.db import migrations

STEPLEN = 4  # treebeard's path step: a page's ancestors' paths are its path's prefixes of this length


def remove_group_rights_over_stories(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    story_paths = Page.objects.filter(
        content_type__app_label="stories", content_type__model__in=["storyindexpage", "storypage"]
    ).values_list("path", flat=True)
    above_stories = {path[:end] for path in story_paths for end in range(STEPLEN, len(path) + 1, STEPLEN)}
    GroupPagePermission.objects.filter(page__depth=1).delete()
    GroupPagePermission.objects.filter(page__path__in=above_stories).delete()
    GroupCollectionPermission.objects.filter(permission__content_type__app_label="wagtailmedia").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0004_story_vectors"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [migrations.RunPython(remove_group_rights_over_stories, migrations.RunPython.noop)]
