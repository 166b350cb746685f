from django.urls import path

from .views import appeals, decisions, my_story, policy, report, share, transcript_review

app_name = "moderation"

urlpatterns = [
    # The share flow and the contributor's private page.
    path("share/", share.how_step, name="share"),
    path("share/story/", share.story_step, name="share_story"),
    path("share/choices/", share.choices_step, name="share_choices"),
    path("share/check/", share.check_step, name="share_check"),
    path("share/done/", share.done, name="share_done"),
    path("share/recording/", share.held_recording, name="share_recording"),
    path("my-story/<str:key>/", my_story.story_status, name="my_story"),
    path("my-story/<str:key>/recording/", my_story.story_media, name="my_story_media"),
    path("my-story/<str:key>/withdraw/", my_story.withdraw, name="my_story_withdraw"),
    path("my-story/<str:key>/transcript/", transcript_review.review_transcript, name="my_story_transcript"),
    # Moderation: the contributor's answers to edits and declines, the public policy and report.
    path("my-story/<str:key>/edits/", decisions.proposed_edits, name="my_story_edits"),
    path("my-story/<str:key>/appeal/", appeals.appeal, name="my_story_appeal"),
    path("policy/", policy.policy_page, name="policy"),
    path("moderation/report/", report.moderation_report, name="report"),
]
