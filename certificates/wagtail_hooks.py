"""Wagtail admin: certificate layouts as snippets with a PDF preview; audit actions."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.models import ModelLogEntry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from .models import Certificate, CertificateLayout


def _preview_url(layout) -> str:
    return reverse("certificate_layouts:preview_pdf", args=[layout.pk])


class LayoutEditView(EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                _("Preview PDF"),
                url=_preview_url(self.object),
                icon_name="doc-full",
                attrs={"target": "_blank", "rel": "noopener"},
                priority=5,
            )
        )
        return buttons


class CertificateLayoutViewSet(SnippetViewSet):
    model = CertificateLayout
    icon = "doc-full-inverse"
    menu_label = _("Certificate layouts")
    menu_name = "certificate_layouts"
    add_to_admin_menu = True
    menu_order = 450
    url_namespace = "certificate_layouts"
    list_display = ["__str__", "number_pattern", "updated_at"]
    search_fields = ["office__name"]
    edit_view_class = LayoutEditView

    def preview_pdf(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        from .views import layout_preview

        return layout_preview(request, pk)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview-pdf/<int:pk>/", self.preview_pdf, name="preview_pdf"),
        ]


register_snippet(CertificateLayoutViewSet)


@hooks.register("register_snippet_listing_buttons")
def layout_preview_button(snippet, user, next_url=None):
    if isinstance(snippet, CertificateLayout):
        yield ListingButton(
            _("Preview PDF"),
            _preview_url(snippet),
            attrs={"target": "_blank", "rel": "noopener"},
            priority=5,
        )


@hooks.register("register_log_actions")
def certificate_log_actions(actions):
    actions.register_model(Certificate, ModelLogEntry)
    actions.register_action(
        "certificates.issue", _("Issue certificate"), _("Certificate issued")
    )
    actions.register_action(
        "certificates.revoke", _("Revoke certificate"), _("Certificate revoked")
    )
    actions.register_action(
        "certificates.reissue", _("Re-issue certificate"), _("Certificate re-issued")
    )


@hooks.register("courses_certificate_urls")
def certificate_links_on_my_learning(completion_ids, request):
    """ "View certificate" on /belajar/ for each completed course that has one."""
    from .selectors import certificate_links_for_completions

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return certificate_links_for_completions(user=user, completion_ids=completion_ids)
