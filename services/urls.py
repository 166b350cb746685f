from django.urls import path

from stories import ids  # noqa: F401 (registers the <id:...> converter)
from stories.feeds import feed_view

from . import contributor, views
from .feeds import ServiceStoriesFeed

app_name = "services"

urlpatterns = [
    path("services/", views.service_index, name="index"),
    path("services/<slug:slug>/", views.service_detail, name="detail"),
    path("feeds/services/<slug:slug>/", feed_view(ServiceStoriesFeed), name="feed"),
    # The contributor's choices about services, on their private page (contributions.keys opens the story).
    path("my-story/<str:key>/services/", contributor.choose, name="my_story"),
    path("my-story/<str:key>/services/reply/<id:response_id>/", contributor.reply, name="my_story_reply"),
    path("my-story/<str:key>/services/name/", contributor.name_service, name="my_story_name"),
]
