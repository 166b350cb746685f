"""Moderation's public pages: the published policy and the live moderation report."""

from django.urls import path

from .views import policy, report

app_name = "moderation"

urlpatterns = [
    path("policy/", policy.policy_page, name="policy"),
    path("moderation/report/", report.moderation_report, name="report"),
]
