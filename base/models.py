"""What belongs to the whole site: crisis signposting (edited in the admin; UK services by default) and standard
pages of the site's own words, such as the trust pages (about, contact, privacy, accessibility), and the easy-read
pages (pictures and short sentences)."""

from django.db import models
from django.templatetags.static import static
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.search import index


class HelpServiceBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=80, help_text="For example: Samaritans")
    how = blocks.ChoiceBlock(choices=[("call", "Call"), ("text", "Text")], default="call")
    number = blocks.CharBlock(max_length=30, help_text="As people should dial or text it, for example: 116 123")
    message = blocks.CharBlock(
        max_length=30, required=False, help_text='Texting services only: the word to send, for example "SHOUT".'
    )
    detail = blocks.CharBlock(max_length=200, required=False, help_text="When it is open, what it costs, options.")

    class Meta:
        icon = "help"


# The default words are marked for translation (gettext_noop: stored in English, as ever). Templates pass what they
# show through {% translate %}, so the defaults read in the reader's language and an admin's own words, which no
# catalogue holds, show as they were written.
UK_SERVICES = [
    {
        "name": _("Emergency services"),
        "how": "call",
        "number": "999",
        "message": "",
        "detail": _("If you or someone else is in danger now, or has seriously hurt themselves."),
    },
    {
        "name": "NHS 111",
        "how": "call",
        "number": "111",
        "message": "",
        "detail": _("Choose option 2 for urgent mental health help. Free, any time, day or night."),
    },
    {
        "name": _("Samaritans"),
        "how": "call",
        "number": "116 123",
        "message": "",
        "detail": _("Someone to talk to. Free, any time, day or night."),
    },
    {
        "name": "Shout",
        "how": "text",
        "number": "85258",
        "message": "SHOUT",
        "detail": _("If you would rather text than talk. Free, any time."),
    },
]


def _uk_services():
    return [("service", service) for service in UK_SERVICES]


@register_setting(icon="help")
class CrisisSignposting(BaseSiteSetting):
    """Shown where people share and read stories, on the contributor's page, and in safeguarding emails."""

    heading = models.CharField(max_length=120, default=_("If you need help now"))
    introduction = models.TextField(
        default=_("You don't have to wait for us. These services are free, and you can contact them now.")
    )
    services = StreamField([("service", HelpServiceBlock())], default=_uk_services)

    panels = [FieldPanel("heading"), FieldPanel("introduction"), FieldPanel("services")]

    class Meta:
        verbose_name = "crisis signposting"

    @classmethod
    def for_default_site(cls) -> "CrisisSignposting":
        """The settings where there is no request (emails)."""
        return cls.reading(Site.objects.filter(is_default_site=True).first())

    @classmethod
    def reading(cls, site: Site | None) -> "CrisisSignposting":
        """The site's settings, or the UK defaults until someone saves them. Never writes: reading a public page must
        not change the database (a new row would invalidate the public page cache on every first view)."""
        saved = cls.objects.filter(site=site).first() if site else None
        return saved or cls(site=site)


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "base/blocks/heading.html"


class BodyBlock(blocks.StreamBlock):
    """What a standard page is written in: headings and paragraphs of rich text with links and lists, no embeds or
    pictures from elsewhere (the site makes no third-party requests)."""

    heading = HeadingBlock(max_length=120, help_text="A section heading.")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])


class StandardPage(Page):
    """A page of the site's own words that staff edit: about, contact, privacy, the accessibility statement
    (created with defaults by base.trust_pages; linked from every page's footer)."""

    introduction = models.TextField(blank=True, help_text="A sentence or two shown under the title.")
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction"), index.SearchField("body")]
    subpage_types = []
    template = "base/standard_page.html"


# The easy-read pictures drawn for the project (static/img/easy-read/<name>.svg), each with the words that say what
# it shows. A picture's alt text lives here, beside its file, so every row that uses it says the same thing; it is
# marked for translation and shown in the reader's language (the choices in the page editor stay in English).
EASY_READ_PICTURES = {
    "hello": _("A smiling person waving hello."),
    "write": _("A hand writing on a sheet of paper with a pencil."),
    "microphone": _("A microphone for recording your voice."),
    "video": _("A video camera."),
    "steps": _("Steps going up, one after the other."),
    "choices": _("A list with boxes to tick."),
    "people": _("A group of people who can see the story."),
    "name-tag": _("A name badge with a question mark on it."),
    "agree": _("A box with a tick in it."),
    "email": _("An envelope for an email."),
    "key": _("A key for your private link."),
    "read": _("A person reading a page with a magnifying glass."),
    "edit": _("A page with some words crossed out by a pencil."),
    "published": _("A computer screen showing a story with a star."),
    "no": _("A round sign with a cross in it."),
    "talk": _("Two speech bubbles, one for you and one for us."),
    "two-people": _("Two different people side by side."),
    "change": _("Two arrows going round in a circle."),
    "take-down": _("An arrow taking a page down into a box."),
    "bin": _("A page going into a bin."),
    "calendar": _("A calendar page with one day circled."),
    "help": _("A telephone for getting help now."),
    "heart": _("A heart."),
}


class EasyReadRowBlock(blocks.StructBlock):
    """One easy-read line: a picture on the left, one short sentence on the right with its key words in bold."""

    picture = blocks.ChoiceBlock(
        choices=[(name, f"{name}: {alt}") for name, alt in EASY_READ_PICTURES.items()],
        help_text="A picture drawn for easy read; screen readers read out its description.",
    )
    sentence = blocks.RichTextBlock(
        features=["bold", "link"],
        help_text="One idea in one short sentence, 15 words at most. Bold the key words.",
    )

    class Meta:
        icon = "image"
        template = "base/blocks/easy_read_row.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["picture_url"] = static(f"img/easy-read/{value['picture']}.svg")
        alt = EASY_READ_PICTURES.get(value["picture"], "")
        context["alt"] = gettext(alt) if alt else ""
        return context


class EasyReadBlock(blocks.StreamBlock):
    heading = HeadingBlock(max_length=80, help_text="A short section heading, a question or a few words.")
    row = EasyReadRowBlock()


class EasyReadPage(Page):
    """An easy-read version of a page: pictures and short sentences, one idea a line (UK easy-read conventions).
    The easy-read home (/easy-read/) lists the pages under it; created with defaults by base.easy_read."""

    introduction = models.TextField(blank=True, help_text="One short sentence shown under the title.")
    body = StreamField(EasyReadBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["wagtailcore.Page", "base.EasyReadPage"]
    subpage_types = ["base.EasyReadPage"]
    template = "base/easy_read_page.html"
