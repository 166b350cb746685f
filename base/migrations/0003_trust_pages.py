"""The trust pages (about, contact, privacy, accessibility) at the root of the default site, published, so a fresh
site's footer links answer from the start. Historical models only: the page tree's path is worked out here as
treebeard would (four base-36 characters a level)."""

import uuid

from django.db import migrations
from django.utils import timezone

from base.trust_pages import default_pages

STEP = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return digits.rjust(STEP, "0")


def create_trust_pages(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    StandardPage = apps.get_model("base", "StandardPage")
    ContentType = apps.get_model("contenttypes", "ContentType")

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    parent = site.root_page
    content_type, _ = ContentType.objects.get_or_create(app_label="base", model="standardpage")
    now = timezone.now()
    for defaults in default_pages():
        if StandardPage.objects.filter(slug=defaults["slug"]).exists():
            continue
        last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
        number = int(last.path[-STEP:], len(ALPHABET)) + 1 if last else 1
        StandardPage.objects.create(
            **defaults,
            draft_title=defaults["title"],
            content_type=content_type,
            path=parent.path + _step(number),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{defaults['slug']}/",
            locale_id=parent.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
        )
        Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.get(pk=parent.pk).numchild + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0002_standard_page"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_trust_pages, migrations.RunPython.noop)]
