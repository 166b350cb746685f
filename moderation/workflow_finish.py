"""settings.WAGTAIL_FINISH_WORKFLOW_ACTION.

Wagtail imports this while its own models are still loading, so the module imports nothing at load time and hands
the work to `moderation.publication`.
"""


def finish_workflow(workflow_state, user=None) -> None:
    from .publication import finish_workflow as publish_under_governance

    publish_under_governance(workflow_state, user=user)
