"""The full-disk page in Chromium, by keyboard: a recording meets a really full disk, the kind 503 page keeps the
title and passes axe under the strict CSP, and once there is room "Try again" and the file chosen again go on."""

import pytest

from stories.models import StoryMedia
from tests import media_factory
from tests.browser.conftest import Keys
from tests.browser.test_share_journeys import WITH_JS, assert_no_axe_violations, start
from tests.test_full_disk import KIND, left_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("story_index"),
]


@WITH_JS
def test_a_full_disk_shows_the_kind_page_and_try_again_goes_on(
    live_server, browser_page, private_storage_on_full_disk, tmp_path
):
    page = browser_page
    recording = media_factory.sine_tone(tmp_path / "tone.wav", seconds=5, codec="pcm_s16le")
    keys, _ = start(page, live_server.url, "upload")
    keys.type_into("#id_title", "Kept through a full disk")
    keys.tab_to("#id_media")
    page.set_input_files("#id_media", recording)
    with page.expect_response("**/share/story/") as answered:
        keys.press("Continue")

    assert answered.value.status == 503 and answered.value.headers["retry-after"] == "120"
    page.get_by_role("heading", name=KIND).wait_for()
    assert page.get_by_label("What you wrote").input_value() == "Kept through a full disk"
    assert_no_axe_violations(page)
    assert left_in(private_storage_on_full_disk) == ["story-media"] and StoryMedia.objects.count() == 0

    (private_storage_on_full_disk / "filler").unlink()  # room again
    keys = Keys(page)
    keys.press("Try again")
    page.wait_for_url("**/share/story/")
    assert page.input_value("#id_title") == "Kept through a full disk"  # the title came back; the file is asked for
    keys.tab_to("#id_media")
    page.set_input_files("#id_media", recording)
    keys.press("Continue")
    page.wait_for_url("**/share/choices/")
    assert StoryMedia.objects.count() == 1
