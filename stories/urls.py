from django.urls import path  # (public views: media delivery, search, feeds)

from . import embedding, feeds, ids, views  # noqa: F401 (ids registers the <id:...> converter)

app_name = "stories"

urlpatterns = [
    # Not under /stories/ (Wagtail's page routing) nor MEDIA_URL (public files): its own prefix, checked per story.
    path("story-media/<id:page_id>/<str:filename>", views.published_media, name="published_media"),
    path("story-media/review/<id:media_id>/", views.staff_media, name="staff_media"),
    path("captions/<id:page_id>.vtt", views.captions, name="captions"),
    # Public pages beside Wagtail's page tree (/, /stories/ and story pages are Wagtail pages).
    path("themes/", views.theme_index, name="theme_index"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("search/", views.search, name="search"),
    path("reading-preferences/", views.reading_preferences, name="reading_preferences"),
    path("experienced-too/<id:story_id>/", views.experienced_too, name="experienced_too"),
    path("feeds/stories/", feeds.feed_view(feeds.StoriesFeed), name="feed"),
    path("feeds/stories/atom/", feeds.feed_view(feeds.AtomStoriesFeed), name="feed_atom"),
    path("feeds/themes/<slug:slug>/", feeds.feed_view(feeds.ThemeStoriesFeed), name="theme_feed"),
    path("feeds/podcast/", feeds.feed_view(feeds.PodcastFeed), name="podcast"),
    # The only pages another site may frame, and how a CMS finds them from a story's address.
    path("embed/stories/<id:page_id>/", embedding.embed_story, name="embed_story"),
    path("oembed/", embedding.oembed, name="oembed"),
]
