from django.urls import path

from stories.feeds import feed_view

from . import views

app_name = "research"

urlpatterns = [
    path("themes/emerging/<int:pk>/", views.emerging_theme, name="emerging_theme"),
    path("feeds/themes/emerging/<int:pk>/", feed_view(views.EmergingThemeFeed), name="emerging_theme_feed"),
]
