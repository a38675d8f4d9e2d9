"""Wagtail admin for accounts: the audit-log action of an erasure, and the
user listing's bulk "Delete", which erases instead of deleting rows
(docs/privacy.md). The user viewset itself is in viewsets.py.

Also for the whole admin: its widgets started without inline script
(lms/admin_init.py, docs/security.md).
"""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.widgets import BaseChooser
from wagtail.users.views.bulk_actions.user_bulk_action import UserBulkAction

from lms.admin_init import chooser_render

from .permissions import user_can_erase_account
from .services import account_erase

# wagtail.snippets imports every wagtail_hooks module while the apps load
# (django.setup()), so this is in place before any chooser renders.
BaseChooser.render = chooser_render


@hooks.register("insert_global_admin_js")
def admin_init_js():
    return format_html('<script src="{}" defer></script>', static("js/admin-init.js"))


class EraseBulkAction(UserBulkAction):
    """Replaces Wagtail's bulk delete of users (same action type, registered
    later): a hard delete would fail on issued certificates or take them along."""

    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Delete selected users")
    template_name = "accounts/admin/confirm_bulk_erase.html"
    action_priority = 10
    classes = {"serious"}

    def check_perm(self, obj):
        # Never one's own account from the listing (as Wagtail's delete).
        return obj.pk != self.request.user.pk and user_can_erase_account(
            self.request.user, obj
        )

    def get_execution_context(self):
        return {"actor": self.request.user}

    @classmethod
    def execute_action(cls, objects, actor=None, **kwargs):
        erased = sum(account_erase(account=obj, actor=actor).erased for obj in objects)
        return erased, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d account has been deleted: personal data removed, issued "
            "certificates kept.",
            "%(count)d accounts have been deleted: personal data removed, issued "
            "certificates kept.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


# After wagtail.users' own registration (order 0), so that this one wins.
hooks.register("register_bulk_action", EraseBulkAction, order=100)


@hooks.register("register_log_actions")
def account_log_actions(actions):
    actions.register_action(
        "accounts.erase",
        _("Erase personal data"),
        _("Personal data erased on request"),
    )
