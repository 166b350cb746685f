"""Transcription jobs in the Wagtail admin: where every story's transcript stands, with progress while it runs.

Read only: a job is changed by the worker, the sweeper and the contributor's review, never by hand here. Anyone with
the "view transcription job" permission (and superusers) sees the list; moderators see each story's transcript on
their review screen.
"""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import TranscriptionJob


class ViewOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")


class TranscriptionJobViewSet(ModelViewSet):
    model = TranscriptionJob
    icon = "media"
    menu_label = "Transcriptions"
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["story", "status", "progress", "attempts", "language", "model_name", "updated_at"]
    list_filter = ["status"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "story",
        "status",
        "progress",
        "attempts",
        "language",
        "error",
        "model_name",
        "created_at",
        "updated_at",
        "finished_at",
    ]
    copy_view_enabled = False
    exclude_form_fields = []  # the add and edit views exist but the policy refuses them to everyone


register_permission_policy(TranscriptionJob, ViewOnlyPolicy(TranscriptionJob))
transcription_job_viewset = TranscriptionJobViewSet("transcription_jobs")


@hooks.register("register_admin_viewset")
def register_transcription_jobs():
    return transcription_job_viewset
