"""The trust pages: about, contact, privacy and the accessibility statement, linked from every page's footer.

They are standard pages staff edit. A fresh site gets them from a data migration (base 0003), at the root of the
default site, so a footer link never leads nowhere; `load_demo` moves them under the home page it makes. The
privacy page's defaults describe what the code does: change them when the code changes what is kept.
"""

from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop
from wagtail.models import Page

from .models import StandardPage


def _heading(text: str) -> dict:
    return {"type": "heading", "value": text}


def _paragraph(html: str, **values: str) -> dict:
    # `values` fill {names} left in the words, so the words themselves (what translators see) name no deployment.
    return {"type": "paragraph", "value": html.format(**values) if values else html}


def contact_address() -> str:
    """The address the site's emails come from: where a reply reaches the team until staff write another."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "stories@localhost"


def contact_link() -> str:
    email = contact_address()
    return f'<a href="mailto:{email}">{email}</a>'


def default_pages() -> list[dict]:
    """Each trust page's slug, title, introduction and body (raw StreamField data), in footer order."""
    mail = contact_link()
    return [
        {
            "slug": "about",
            "title": gettext_noop("About Voicebox"),
            "introduction": gettext_noop(
                "Voicebox shares mental-health recovery stories, told by the people who lived them."
            ),
            "body": [
                _heading("Why we are here"),
                _paragraph(
                    "<p>People who use mental-health services, family and carers, peer workers and staff have stories "
                    "that are too often filtered before anyone hears them. Voicebox hosts them simply, in people's "
                    "own words, so they reach the public and the themes come from the stories themselves.</p>"
                ),
                _heading("How we publish"),
                _paragraph(
                    "<p>We publish stories by default. We only change or decline a story for a reason in our "
                    '<a href="/policy/">publishing policy</a>, we always say which reason, and the person who shared '
                    "it can appeal. Criticism of services, of treatment or of us is never a reason. Every decision "
                    'is counted in our <a href="/moderation/report/">moderation report</a>.</p>'
                ),
                _paragraph(
                    "<p>The person who shared a story has the last word: nothing is published in a form they have not "
                    "agreed to, and they can withdraw it at any time.</p>"
                ),
                _heading("Who runs this site"),
                _paragraph(
                    "<p>Voicebox is run by a team of staff and peer moderators with lived experience. "
                    '<a href="/contact/">Contact us</a> to reach a person.</p>'
                ),
            ],
        },
        {
            "slug": "contact",
            "title": gettext_noop("Contact us"),
            "introduction": gettext_noop("How to reach a person at Voicebox, and how to complain."),
            "body": [
                _paragraph(
                    "<p>If you or someone else is in danger now, call 999. Voicebox is not a crisis service; the "
                    "services listed at the end of every story can help now, day and night.</p>"
                ),
                _heading("Reach a person"),
                _paragraph(
                    "<p>Email us at {mail}. A member of our team reads every message. Tell us how you would like us "
                    "to reply.</p>",
                    mail=mail,
                ),
                _heading("About a story you shared"),
                _paragraph(
                    "<p>Use the private link you were given when you shared your story. On that page you can see "
                    "where your story is, reply to a moderator, accept or answer suggested changes, appeal a "
                    "decision, change your choices, take your story down for now, and withdraw it. An appeal always "
                    "goes to a different moderator.</p>"
                    "<p>Lost your link? If you gave us your email address, "
                    '<a href="/my-story/lost-link/">ask for a new one</a>. If you did not, email us: after checking '
                    "the story is yours, we can take it down for you.</p>"
                ),
                _heading("How to complain"),
                _paragraph(
                    "<ol><li>Tell us what went wrong, by email or, about your own story, from its private page. "
                    "You do not need to use any special words.</li>"
                    "<li>Someone who was not involved looks at it and replies, saying what they found and what "
                    "we will do.</li>"
                    "<li>If you are not happy with how we used your personal information, you can also complain to "
                    'the Information Commissioner\'s Office (<a href="https://ico.org.uk/make-a-complaint/">'
                    "ico.org.uk</a>, 0303 123 1113).</li></ol>"
                ),
            ],
        },
        {
            "slug": "privacy",
            "title": gettext_noop("Privacy"),
            "introduction": gettext_noop("What we keep, where, for how long, who sees it, and your rights."),
            "body": [
                _heading("If you share a story"),
                _paragraph(
                    "<p>We keep:</p><ul>"
                    "<li>your story: its title, your words, and any recording you send or make;</li>"
                    "<li>the written version of a recording (the transcript), made on our own server: your recording "
                    "is not sent to anyone else to be transcribed;</li>"
                    "<li>your choices: who may see your story, how you are named, whether your voice or face may be "
                    "published, research use, an end date, and whether small identifying details may be removed "
                    "without asking you, with the version of the consent text you agreed to, when, and how "
                    "(online, or with a member of staff);</li>"
                    "<li>your email address, if you give one. It is only used to tell you about your story;</li>"
                    "<li>moderators' decisions about your story, and your replies and appeals.</li></ul>"
                    "<p>We do not keep your private link itself, only a fingerprint of it that cannot be turned back "
                    "into the link. If you lose it and gave us your email address, you can ask for a new one; the "
                    "old one then stops working.</p>"
                ),
                _heading("Where it is kept"),
                _paragraph(
                    "<p>On the servers that run Voicebox. The recording you send stays in private storage that no web "
                    "address reaches. If your recording is published, the public hears or sees a copy made for "
                    "publishing, with the location and other details a phone or camera stores in a file taken "
                    "out.</p>"
                ),
                _heading("Who sees it"),
                _paragraph(
                    "<ul><li><strong>Everyone</strong>: only what you agreed to, once it is published: the title, "
                    "your story (changed only with your agreement, or the small edits you allowed), your recording "
                    "unless you chose words only, the transcript, the name you chose (or “Anonymous”) and "
                    "the themes. If you said who you share as (someone who uses services, family or carer, peer "
                    "worker, staff), readers can choose stories by it; it is not shown beside your story.</li>"
                    "<li><strong>Moderators</strong> (staff, and peer moderators with lived experience) read your "
                    "story and choices to review it. They do not see your email address.</li>"
                    "<li><strong>Researchers</strong> see stories only when you said yes to research use, and stories "
                    "you shared for researchers only. What they export is your words, the transcript, the themes "
                    "and your consent's dates: never your name, email address or link.</li>"
                    "<li>Services a story mentions see it only once it is published, like everyone else.</li>"
                    "<li>We do not sell or give your information to anyone else.</li></ul>"
                ),
                _heading("How long we keep it"),
                _paragraph(
                    "<ul><li>Your story and everything about it are kept until you withdraw it, whether it is "
                    "published, not published, or past the end date you chose. On the end date it comes off the "
                    "site and is kept privately until you withdraw it. So is a story you take down for now, until "
                    "you put it back or withdraw it.</li>"
                    "<li>When you withdraw, your story is taken down at once and erased: the page and every earlier "
                    "version of it, the recording and every copy, the transcript, search entries, stored copies of "
                    "pages, your choices, your email address, and the decisions, replies and appeals about it. We "
                    "keep only a record with nothing of your story in it: a number, the dates, that it was "
                    "withdrawn, and the fingerprint of your link, so the link can tell you it was withdrawn. "
                    "Researchers who exported your story are asked to delete it.</li>"
                    "<li>A recording you sent but never finished sharing is erased after 24 hours.</li>"
                    "<li>While you fill in the form, your answers are kept with your visit, behind a cookie. They "
                    "are removed when you send your story; if you leave without sending it, they are erased two "
                    "weeks after your last step.</li></ul>"
                ),
                _heading("If you read or listen"),
                _paragraph(
                    "<p>You do not need an account. Everything on the site comes from this site: no advertising, no "
                    "tracking and no third-party services. Two cookies stay on your device and tell us nothing "
                    "about you: the topics you chose to hide from lists, and the stories you said you had "
                    "experienced too (so each is counted once; we keep only the number). To stop floods of "
                    "messages, we count requests from each internet address for a short time, under a code that "
                    "does not store the address. Our web server's logs record addresses and pages visited, with "
                    "private links masked.</p>"
                ),
                _heading("Your rights"),
                _paragraph(
                    "<p>You can ask to see the information we hold about you, to correct it, to have it erased, "
                    "and to limit or object to how we use it. Your story's private page lets you change your "
                    "choices, take your story down for now, or withdraw and erase it: each works straight away and "
                    "needs no reason. For anything else, "
                    "email {mail}. You can also complain to the Information Commissioner's Office "
                    '(<a href="https://ico.org.uk/make-a-complaint/">ico.org.uk</a>).</p>',
                    mail=mail,
                ),
            ],
        },
        {
            "slug": "accessibility",
            "title": gettext_noop("Accessibility statement"),
            "introduction": gettext_noop(
                "We want everyone to be able to read, listen to and share stories on Voicebox."
            ),
            "body": [
                _heading("What we aim for"),
                _paragraph(
                    "<p>Voicebox aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. You "
                    "should be able to:</p><ul>"
                    "<li>use every public page and the whole of sharing a story with a keyboard alone;</li>"
                    "<li>read a transcript of every published recording, and turn on its captions;</li>"
                    "<li>hide stories about topics you would rather not read about;</li>"
                    "<li>share your story in writing, by voice or on video.</li></ul>"
                ),
                _heading("How we check"),
                _paragraph(
                    "<p>Every change to the site is tested in a real web browser with the axe accessibility checker "
                    "on the public pages and the pages for sharing a story, and the sharing journey is tested by "
                    "keyboard. The site has not yet been audited by an independent expert.</p>"
                ),
                _heading("What we know is not perfect"),
                _paragraph(
                    "<ul><li>Transcripts and captions are written by speech recognition. The person who shared the "
                    "story checks them before publication, but some words may still be wrong.</li>"
                    "<li>The staff side of the site (the moderation screens) is not covered by this statement "
                    "yet.</li></ul>"
                ),
                _heading("Tell us about a problem"),
                _paragraph(
                    "<p>If something does not work for you, or you need a story in another format, email {mail} "
                    "and say which page it was. If you are not happy with our reply, you can contact the Equality "
                    'Advisory and Support Service (<a href="https://www.equalityadvisoryservice.com/">'
                    "equalityadvisoryservice.com</a>).</p>",
                    mail=mail,
                ),
            ],
        },
    ]


def ensure_trust_pages(parent: Page) -> None:
    """Put the trust pages under `parent` (the site's root page): move each one that is elsewhere, create each one
    that is missing (with the defaults, published). Pages staff have edited keep their words."""
    with transaction.atomic():
        for defaults in default_pages():
            page = StandardPage.objects.filter(slug=defaults["slug"]).first()
            if page is None:
                page = parent.add_child(instance=StandardPage(**defaults))
                page.save_revision(log_action=False).publish(log_action=False)
            elif page.get_parent().pk != parent.pk:
                page.move(parent, pos="last-child")
