"""The easy-read pages: sharing, consent and the moderation policy in short sentences, one idea a line, each beside a
picture drawn for the project (UK easy-read conventions). /share/, the consent text, the policy and every footer link
here.

They are pages staff edit. A fresh site gets them from a data migration (base 0005): an easy-read home at
/easy-read/ with the three pages under it, so no link to them leads nowhere; `load_demo` moves them under the home
page it makes, like the trust pages. The words describe what the code does (the share steps, contributions.forms;
the choices and withdrawal, moderation.choices and moderation.erasure; the reasons, moderation.policy): change them
when the code changes.
"""

from django.db import transaction
from django.utils.translation import gettext_noop
from wagtail.models import Page

from .models import EasyReadPage

HOME_SLUG = "easy-read"


def _heading(text: str) -> dict:
    return {"type": "heading", "value": text}


def _row(picture: str, sentence: str) -> dict:
    return {"type": "row", "value": {"picture": picture, "sentence": f"<p>{sentence}</p>"}}


def default_home() -> dict:
    return {
        "slug": HOME_SLUG,
        "title": gettext_noop("Easy read"),
        "introduction": gettext_noop("Our pages in easy words, with pictures."),
        "body": [
            _row("hello", "These pages use <b>easy words</b> and <b>pictures</b>."),
            _row("steps", "There is <b>one idea</b> on each line."),
            _row("talk", 'You can <a href="/contact/">ask us</a> if something is not clear.'),
        ],
    }


def default_pages() -> list[dict]:
    """Each easy-read page's slug, title, introduction and body (raw StreamField data), in the order they are listed."""
    return [
        {
            "slug": "sharing",
            "title": gettext_noop("Easy read: how to share your story"),
            "introduction": gettext_noop("How to share your story, and what happens next."),
            "body": [
                _heading("Sharing your story"),
                _row("hello", "You can <b>share your story</b> about mental health."),
                _row("heart", "It is <b>your story</b>, in your own words."),
                _row("write", "You can <b>write</b> your story."),
                _row("microphone", "Or you can <b>record your voice</b>."),
                _row("video", "Or you can <b>record a video</b>."),
                _row("two-people", "Where we can, a <b>peer worker</b> or our staff can <b>help</b> you."),
                _heading("The 4 steps"),
                _row("steps", "Sharing has <b>4 short steps</b>."),
                _row("choices", "<b>Step 1</b>: choose to write or to record."),
                _row("write", "<b>Step 2</b>: write or record <b>your story</b>."),
                _row("people", "<b>Step 3</b>: make <b>your choices</b>."),
                _row("agree", "<b>Step 4</b>: check it all, then <b>send</b> it."),
                _row("change", "You can <b>go back</b> and change anything."),
                _row("no", "<b>Nothing is sent</b> until the last step."),
                _heading("What happens next"),
                _row("key", "You get a <b>private link</b>. It is only for you."),
                _row("key", "We show it <b>only once</b>. Keep it <b>safe</b>."),
                _row("read", "A <b>moderator</b> reads or listens to your story."),
                _row("write", "If you recorded it, we <b>write out</b> what you said."),
                _row("agree", "You <b>check</b> those words on your private page."),
                _row("edit", "We may <b>suggest changes</b>. <b>You decide</b>."),
                _row("published", "Then we <b>publish</b> your story, the way you chose."),
                _row("no", 'We only say <b>no</b> for <a href="/easy-read/policy/">a few reasons</a>.'),
                _row("email", "If you give your <b>email</b>, we tell you how it is going."),
                _heading("If you need help now"),
                _row("help", "If you are <b>in danger now</b>, call <b>999</b>."),
                _row("help", "Or call <b>Samaritans</b> free on <b>116 123</b>, day or night."),
            ],
        },
        {
            "slug": "consent",
            "title": gettext_noop("Easy read: what you agree to"),
            "introduction": gettext_noop("What you agree to when you share, your choices, and changing your mind."),
            "body": [
                _heading("What you agree to"),
                _row("heart", "Your story is <b>yours</b>."),
                _row("choices", "Before you send it, you read what you <b>agree</b> to."),
                _row("agree", "Then you tick a box to say <b>yes</b>."),
                _row("read", "We <b>keep</b> your story so we can check it."),
                _row("read", "A <b>moderator</b> reads it before it is published."),
                _row("edit", "We show you <b>any change</b> before it is published."),
                _row("published", "We publish only what <b>you choose</b>."),
                _heading("Your choices"),
                _row("people", "You choose <b>who can see</b> your story."),
                _row("people", "<b>Everyone</b> on the website, or only <b>researchers</b>, or both."),
                _row("name-tag", "You choose <b>your name</b>: your first name, or a made-up name."),
                _row("name-tag", "Or you can be <b>anonymous</b>. That is safest."),
                _row("video", "For a recording, you choose if we use <b>your voice and face</b>."),
                _row("write", "Or we publish only the <b>written words</b>."),
                _row("email", "Your <b>email</b> is up to you. We only write about your story."),
                _row("calendar", "You can choose a <b>date</b> to take your story down."),
                _row("edit", "You choose if we can <b>remove names</b> without asking you."),
                _heading("Changing your mind"),
                _row("key", "Your <b>private link</b> opens your own page."),
                _row("change", "There you can <b>change your choices</b> at any time."),
                _row("change", "Showing <b>less</b> of your story works <b>straight away</b>."),
                _row("read", "Showing <b>more</b>: a moderator checks it first."),
                _heading("Taking it down"),
                _row("take-down", "You can <b>take your story down for now</b>."),
                _row("take-down", "We keep it <b>private</b> until you <b>put it back</b>."),
                _row("bin", "Or you can <b>withdraw</b> your story at any time."),
                _row("bin", "Then we take it down and <b>erase</b> it."),
                _row("bin", "We erase your <b>recording</b> and your <b>choices</b> too."),
                _row("heart", "You do <b>not need a reason</b>."),
                _heading("Lost your link?"),
                _row("email", 'If you gave your email, <a href="/my-story/lost-link/">ask for a <b>new link</b></a>.'),
                _row("talk", 'If not, <a href="/contact/"><b>email us</b></a>. We can take your story down.'),
                _heading("If you may be at risk"),
                _row("help", "If your story says you may be <b>at risk now</b>, we <b>pause</b> it."),
                _row("heart", "We follow our plan to <b>keep people safe</b>."),
                _row("published", "A pause is <b>not a no</b>. We can still publish your story."),
            ],
        },
        {
            "slug": "policy",
            "title": gettext_noop("Easy read: what we publish"),
            "introduction": gettext_noop("What we publish, the few reasons we do not, and what you can do."),
            "body": [
                _heading("We want to publish your story"),
                _row("published", "We <b>publish</b> stories. That is what we are for."),
                _row("people", "<b>Everyone</b> is welcome to share: people who use services, families, staff."),
                _row("heart", "We <b>never</b> say no because you <b>criticise</b> services or treatment."),
                _row("heart", "Or because you <b>criticise us</b>."),
                _row("heart", "Or because you are <b>angry</b> or <b>sad</b>, or there is no happy ending."),
                _row("heart", "Or because of <b>swearing</b>, spelling, or the <b>language</b> you use."),
                _row("heart", "Or because you <b>hear voices</b> or see things others do not."),
                _row("heart", "You do not have to use the word <b>recovery</b>."),
                _heading("Small changes"),
                _row("edit", "Sometimes we <b>remove a few words</b> to keep people safe."),
                _row("edit", "For example, other people's <b>names</b>, or <b>phone numbers</b>."),
                _row("edit", "Or details that show <b>who you are</b>, more than you chose."),
                _row("edit", "Or exactly <b>how</b> someone hurt themselves."),
                _row("edit", "Or <b>slurs</b> that attack people for who they are."),
                _row("edit", "We put a label like <b>[name removed]</b> instead."),
                _row("agree", "You <b>see every change</b>, and <b>you decide</b>."),
                _heading("The few reasons we say no"),
                _row("no", "We only say <b>no</b> for <b>4 reasons</b>."),
                _row("no", "1. It is <b>not about</b> someone's own mental health."),
                _row("no", "2. The same person <b>already shared</b> this story."),
                _row("no", "3. It is <b>against the law</b>, and editing cannot fix it."),
                _row("no", "4. It is <b>someone else's story</b>, and they did not agree."),
                _row("two-people", "<b>Two moderators</b> must agree before we say no."),
                _row("talk", "We tell you the <b>reason</b> and the <b>words</b> it is about."),
                _heading("If we say no"),
                _row("talk", "You can <b>reply</b> to us from your private link."),
                _row("two-people", "You can <b>appeal</b>. That means asking us to look again."),
                _row("two-people", "Then a <b>different moderator</b> looks at your story."),
                _row("heart", "Where we can, they have had <b>mental health problems</b> too."),
                _row("email", 'You can also <a href="/contact/"><b>tell us</b></a> what went wrong.'),
                _heading("Your say"),
                _row("change", "You can <b>change your choices</b> or <b>withdraw</b> at any time."),
                _row("published", 'We count every decision in our <a href="/moderation/report/"><b>report</b></a>.'),
                _row("choices", 'The full version is our <a href="/policy/"><b>moderation policy</b></a>.'),
            ],
        },
    ]


def ensure_easy_read_pages(parent: Page) -> None:
    """Put the easy-read home under `parent` (the site's root page), moving it if it is elsewhere, and create each
    missing page (with the defaults, published). Pages staff have edited keep their words."""
    with transaction.atomic():
        home = EasyReadPage.objects.filter(slug=HOME_SLUG).first()
        if home is None:
            home = _publish(parent, default_home())
        elif home.get_parent().pk != parent.pk:
            home.move(parent, pos="last-child")
            home.refresh_from_db()
        for defaults in default_pages():
            if not EasyReadPage.objects.child_of(home).filter(slug=defaults["slug"]).exists():
                _publish(home, defaults)


def _publish(parent: Page, defaults: dict) -> EasyReadPage:
    page = parent.add_child(instance=EasyReadPage(**defaults))
    page.save_revision(log_action=False).publish(log_action=False)
    return page
