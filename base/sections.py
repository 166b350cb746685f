"""Pages that other apps add to, without the page's app knowing them.

A page names a Wagtail hook; every function registered for it takes the request (and, for a story's page, the story)
and returns a piece of HTML for the page (or "" to add nothing). So the public core's themes page shows research's
emerging themes, and the moderation report shows the themes peers hid, while neither app imports research.
"""

from django.http import HttpRequest
from wagtail import hooks

# The themes page (/themes/), after the curated and suggested themes.
THEME_INDEX_SECTIONS = "theme_index_sections"
# The public moderation report (/moderation/report/), after the figures.
REPORT_SECTIONS = "moderation_report_sections"
# A published story's page, after the story: functions take the request and the story page.
STORY_SECTIONS = "story_page_sections"
# The contributor's private page (/my-story/<key>/), after where the story is: functions take the request and the
# story page, and must say nothing of who did anything with it.
MY_STORY_SECTIONS = "my_story_sections"
# A story's review screen in the admin, after the contributor's replies: functions take the request (a reviewer of
# this story) and the story page.
REVIEW_SECTIONS = "story_review_sections"


def rendered_sections(hook_name: str, request: HttpRequest, *about) -> list[str]:
    return [html for add_section in hooks.get_hooks(hook_name) if (html := add_section(request, *about))]
