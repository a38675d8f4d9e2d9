"""Wagtail admin: the question bank (snippets), import/export, item analysis."""

from django import forms
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import PopularTagsFilter, WagtailFilterSet
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls
from .forms import QuestionForm
from .models import Question, QuestionCategory, QuestionTag
from .permissions import user_can_manage_bank


class QuestionFilterSet(WagtailFilterSet):
    """Kind, category, basis marker and tag. django-filter cannot derive a filter
    for a ClusterTaggableManager (`list_filter = [..., "tags"]` made the listing
    fail with a 500), so the tag filter is Wagtail's own, as on the image listing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = (
            QuestionTag.objects.order_by("tag__name")
            .values_list("tag__name", flat=True)
            .distinct()[:30]
        )
        if names:
            self.filters["tag"] = PopularTagsFilter(
                label=_("Tag"),
                field_name="tags__name",
                choices=[(name, name) for name in names],
                widget=forms.CheckboxSelectMultiple,
                use_subquery=True,
            )

    class Meta:
        model = Question
        fields = ["kind", "category", "basis_marker"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    add_to_admin_menu = False
    menu_label = _("Questions")
    list_display = ["name", "kind", "category", "points", "updated_at"]
    filterset_class = QuestionFilterSet
    search_fields = ["name", "text"]
    ordering = ["category__name", "name"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    add_to_admin_menu = False
    menu_label = _("Question categories")
    list_display = ["name", "regulation", "topic"]
    list_filter = ["regulation"]
    search_fields = ["name", "topic"]


register_snippet(QuestionViewSet)
register_snippet(QuestionCategoryViewSet)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [path("kuis/", include((admin_urls.urlpatterns, "quizzes_admin")))]


class BankMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_manage_bank(request.user)


class AnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        from lms.offices.permissions import user_is_instructor

        return user_is_instructor(request.user) or request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_quiz_menu():
    items = [
        BankMenuItem(
            _("Questions"),
            reverse("wagtailsnippets_quizzes_question:list"),
            icon_name="help",
            order=100,
        ),
        BankMenuItem(
            _("Categories"),
            reverse("wagtailsnippets_quizzes_questioncategory:list"),
            icon_name="folder-open-inverse",
            order=200,
        ),
        BankMenuItem(
            _("Import questions"),
            reverse("quizzes_admin:import"),
            icon_name="upload",
            order=300,
        ),
        BankMenuItem(
            _("Export questions"),
            reverse("quizzes_admin:export"),
            icon_name="download",
            order=400,
        ),
        AnalysisMenuItem(
            _("Item analysis"),
            reverse("quizzes_admin:analysis_index"),
            icon_name="table",
            order=500,
        ),
    ]
    return SubmenuMenuItem(
        _("Quizzes"),
        Menu(items=items),
        icon_name="tasks",
        order=250,
        name="quizzes",
    )
