from django.urls import path  # noqa: F401  (public views: media delivery, search, feeds)

app_name = "stories"

urlpatterns = []
