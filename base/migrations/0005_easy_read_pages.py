"""The easy-read pages (an easy-read home with sharing, consent and the policy under it) at the root of the default
site, published, so the links from /share/, the policy and the footer answer from the start. Historical models
only; tree paths as the trust pages' migration (0003) works them out."""

import importlib
import uuid

from django.db import migrations
from django.utils import timezone

from base.easy_read import default_home, default_pages

trust_pages = importlib.import_module("base.migrations.0003_trust_pages")


def create_easy_read_pages(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    EasyReadPage = apps.get_model("base", "EasyReadPage")
    ContentType = apps.get_model("contenttypes", "ContentType")

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or EasyReadPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="base", model="easyreadpage")
    now = timezone.now()

    def add(parent, defaults):
        last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
        number = int(last.path[-trust_pages.STEP :], len(trust_pages.ALPHABET)) + 1 if last else 1
        page = EasyReadPage.objects.create(
            **defaults,
            draft_title=defaults["title"],
            content_type=content_type,
            path=parent.path + trust_pages._step(number),
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
        return page

    home = add(site.root_page, default_home())
    for defaults in default_pages():
        add(home, defaults)


class Migration(migrations.Migration):
    dependencies = [("base", "0004_easy_read_page")]

    operations = [migrations.RunPython(create_easy_read_pages, migrations.RunPython.noop)]
