"""The contributor's side: the share flow at /share/ and the private pages under /my-story/<key>/."""

from django.urls import path

from .views import appeal, card, choices, code, edits, event, for_now, lost_link, my_story, replies, share, transcript

app_name = "contributions"

urlpatterns = [
    path("share/", share.how_step, name="share"),
    path("share/story/", share.story_step, name="share_story"),
    path("share/choices/", share.choices_step, name="share_choices"),
    path("share/check/", share.check_step, name="share_check"),
    path("share/done/", share.done, name="share_done"),
    path("share/recording/", share.held_recording, name="share_recording"),
    # Sharing at an event on a shared device; "card" before <token>: it is not a token (tokens are 24 characters).
    path("share/event/card/", event.event_card, name="share_event_card"),
    path("share/event/<str:token>/", event.open_event, name="share_event"),
    # Before /my-story/<key>/: "lost-link" and "code" are neither a key (43 characters) nor a code (28, no L, O or U).
    path("my-story/code/", code.enter_code, name="my_story_code"),
    path("my-story/lost-link/", lost_link.ask, name="lost_link"),
    path("my-story/lost-link/<str:token>/", lost_link.open_link, name="lost_link_open"),
    path("my-story/<str:key>/", my_story.story_status, name="my_story"),
    path("my-story/<str:key>/recording/", my_story.story_media, name="my_story_media"),
    path("my-story/<str:key>/progress/", my_story.story_progress, name="my_story_progress"),
    path("my-story/<str:key>/card/", card.key_card, name="my_story_card"),
    path("my-story/<str:key>/reply/", replies.reply, name="my_story_reply"),
    path("my-story/<str:key>/critical/", replies.mark_critical, name="my_story_critical"),
    path("my-story/<str:key>/withdraw/", my_story.withdraw, name="my_story_withdraw"),
    path("my-story/<str:key>/take-down/", for_now.take_down, name="my_story_take_down"),
    path("my-story/<str:key>/put-back/", for_now.put_back, name="my_story_put_back"),
    path("my-story/<str:key>/choices/", choices.change_choices, name="my_story_choices"),
    path("my-story/<str:key>/transcript/", transcript.review_transcript, name="my_story_transcript"),
    path("my-story/<str:key>/edits/", edits.proposed_edits, name="my_story_edits"),
    path("my-story/<str:key>/edits/recording/", edits.proposed_edits_recording, name="my_story_edits_recording"),
    path("my-story/<str:key>/appeal/", appeal.appeal, name="my_story_appeal"),
]
