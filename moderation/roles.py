"""Who may do what: the groups, the one registry of their permissions, and the questions the workflow asks about a
user."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail import hooks
from wagtail.models import GroupPagePermission

MODERATORS = "Moderators"
PEER_MODERATORS = "Peer moderators"
# Reserved for the themes and research work: researchers see stories whose contributors chose research use.
RESEARCHERS = "Researchers"

REVIEW_PERMISSION = "moderation.review_story"
SAFEGUARDING_PERMISSION = "moderation.handle_safeguarding"

# What each role may do. Peer moderators review, decide appeals first and pause for safeguarding; handling the
# safeguarding route, the crisis signposting and the consent texts is for staff moderators.
GROUP_PERMISSIONS = {
    MODERATORS: [
        "wagtailadmin.access_admin",
        REVIEW_PERMISSION,
        SAFEGUARDING_PERMISSION,
        "base.change_crisissignposting",
        "moderation.view_consenttext",
        "moderation.add_consenttext",
        "moderation.change_consenttext",
    ],
    PEER_MODERATORS: ["wagtailadmin.access_admin", REVIEW_PERMISSION],
    RESEARCHERS: [],
}

# Other apps add what these groups may do with their own models through this Wagtail hook: a function returning
# {group name: [permission names]}. Research adds its themes and exports so, without moderation importing research.
GROUP_PERMISSIONS_HOOK = "register_group_permissions"


def group_permissions() -> dict[str, set[str]]:
    """Every group's permissions: moderation's own and every app's additions (the one registry of them)."""
    granted = {name: set(permissions) for name, permissions in GROUP_PERMISSIONS.items()}
    for contribute in hooks.get_hooks(GROUP_PERMISSIONS_HOOK):
        for name, permissions in contribute().items():
            granted.setdefault(name, set()).update(permissions)
    return granted


def _in_group(user, name: str) -> bool:
    return user.is_authenticated and user.groups.filter(name=name).exists()


def is_peer_moderator(user) -> bool:
    return _in_group(user, PEER_MODERATORS)


def can_review(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)


def can_handle_safeguarding(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(SAFEGUARDING_PERMISSION)


def can_take_down(user) -> bool:
    """Whether this user may unpublish a published story (as a recorded decision): staff moderators and superusers,
    the team leads, not peer moderators."""
    return user.is_authenticated and user.is_active and (user.is_superuser or _in_group(user, MODERATORS))


def with_review_right():
    """Everyone who may review stories: members of a group given the right, anyone given it directly, superusers."""
    app_label, codename = REVIEW_PERMISSION.split(".")
    granted = {"permissions__content_type__app_label": app_label, "permissions__codename": codename}
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(**{f"groups__{key}": value for key, value in granted.items()})
            | Q(**{f"user_{key}": value for key, value in granted.items()})
        )
        .distinct()
    )


def appeal_reviewers(involved_user_ids: set[int]):
    """Who may decide an appeal: everyone with the right to review who took no part in the decline, staff and
    superusers included, so that a small team's appeal always reaches someone."""
    return with_review_right().exclude(pk__in=involved_user_ids)


def appeal_invitees(involved_user_ids: set[int]):
    """Who is asked to decide an appeal: peer moderators among those who may (the charter prefers them), or, when
    there is none, everyone who may."""
    eligible = appeal_reviewers(involved_user_ids)
    peers = eligible.filter(groups__name=PEER_MODERATORS)
    return peers if peers.exists() else eligible


def team_leads():
    """Who is told when nobody may decide an appeal, to add someone: staff moderators and superusers."""
    return get_user_model().objects.filter(Q(groups__name=MODERATORS) | Q(is_superuser=True), is_active=True).distinct()


def reviewers():
    """Everyone who reviews stories (members of either moderator group)."""
    return get_user_model().objects.filter(is_active=True, groups__name__in=[MODERATORS, PEER_MODERATORS]).distinct()


def safeguarding_leads():
    return get_user_model().objects.filter(is_active=True, groups__name=MODERATORS).distinct()


def ensure_groups() -> None:
    """Create the groups with every permission the registry gives them. Idempotent; run after every migrate."""
    granted = group_permissions()
    for app_label in {perm.split(".")[0] for perms in granted.values() for perm in perms}:
        # Permissions are normally created after all post-migrate handlers; these groups need them now.
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    for name, perms in granted.items():
        group, _ = Group.objects.get_or_create(name=name)
        if name in (MODERATORS, PEER_MODERATORS):
            # Wagtail's own "Moderators" group starts with add/edit/publish on the whole page tree. Moderators act
            # through the workflow only: page permissions would let them edit or publish a story around it.
            GroupPagePermission.objects.filter(group=group).delete()
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
