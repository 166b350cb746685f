"""The contributor side in the Wagtail admin: who may set the ways to reach someone who helps people share."""

from wagtail import hooks

from moderation import roles


@hooks.register(roles.GROUP_PERMISSIONS_HOOK)
def contributions_group_permissions():
    """Staff moderators keep the "help to share" contact routes, as they keep the crisis signposting."""
    return {roles.MODERATORS: ["contributions.change_sharinghelp"]}
