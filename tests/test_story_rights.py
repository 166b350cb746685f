"""Only the contributor's words, and media that live and die with the story: no group but Voicebox's has rights over
stories or their media (Wagtail's stock Editors and Moderators lose theirs; a group given page rights later gains
nothing over stories), and deleting a story's media any way at all removes its published copy."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

from moderation import roles, workflows
from stories.models import StoryMedia
from tests.factories import ConsentRecordFactory, ContributionFactory, StoryMediaFactory, StoryPageFactory, site_tree
from tests.moderators import make_user, moderator, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.ungoverned]


def test_the_migration_leaves_stock_groups_no_rights_over_stories_or_media():
    for name in ("Editors", roles.MODERATORS):
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        assert not GroupPagePermission.objects.filter(group=group).exists(), name
        assert not GroupCollectionPermission.objects.filter(
            group=group, permission__content_type__app_label="wagtailmedia"
        ).exists(), name


@pytest.fixture
def editor():
    """A member of a group given every page right on the whole tree, as Wagtail's stock Editors once had."""
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"):
        GroupPagePermission.objects.create(group=group, page=root, permission=Permission.objects.get(codename=codename))
    return sign_in(make_user("ed", "Editors"))


@pytest.fixture
def story():
    contribution = ContributionFactory(story=StoryPageFactory(parent=site_tree()[1], title="Words of my own"))
    ConsentRecordFactory(contribution=contribution)
    workflows.start_moderation(contribution)
    return contribution.story.specific


def test_an_editor_cannot_read_edit_or_publish_a_story(editor, story):
    index = site_tree()[1]
    listing = editor.get(f"/admin/pages/{index.pk}/")
    assert listing.status_code == 200
    assert "Words of my own" not in listing.content.decode()
    for url in (
        f"/admin/pages/{story.pk}/edit/",
        f"/admin/pages/{story.pk}/edit/preview/",
        f"/admin/pages/{story.pk}/revisions/{story.latest_revision.pk}/view/",
        f"/admin/pages/{story.pk}/history/",
        f"/admin/pages/{story.pk}/unpublish/",
        f"/admin/pages/{story.pk}/delete/",
        f"/admin/pages/add/stories/storypage/{index.pk}/",
    ):
        response = editor.get(url)
        assert response.status_code in (302, 403), url
        assert "Words of my own" not in response.content.decode(), url
    editor.post(f"/admin/pages/{story.pk}/edit/", {"title": "An editor's words", "action-publish": "1"})
    story.refresh_from_db()
    assert story.title == "Words of my own"
    assert story.revisions.count() == 1
    assert not story.live


def test_nobody_adds_changes_or_deletes_story_media_in_the_library():
    media = StoryMediaFactory()
    for user in (moderator(), make_user("root", superuser=True)):
        client = sign_in(user)
        for url in (f"/admin/media/edit/{media.pk}/", f"/admin/media/delete/{media.pk}/", "/admin/media/audio/add/"):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"title": "Changed"}).status_code == 403, url
    media.refresh_from_db()
    assert StoryMedia.objects.filter(pk=media.pk).exists() and media.title != "Changed"


def test_deleting_story_media_any_way_removes_its_published_copy(django_capture_on_commit_callbacks):
    media = StoryMediaFactory()
    media.published_file.save("copy.ogg", ContentFile(b"the published copy"), save=True)
    files = [Path(media.file.path), Path(media.published_file.path)]
    assert all(path.exists() for path in files)
    with django_capture_on_commit_callbacks(execute=True):
        media.delete()  # however a row goes (the library refuses; a cascade or a script would not)
    assert not StoryMedia.objects.filter(pk=media.pk).exists()
    assert not any(path.exists() for path in files)
