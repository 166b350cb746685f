from django.urls import path  # noqa: F401  (helpers add the share flow, contributor page, policy and report)

app_name = "moderation"

urlpatterns = []
