"""Wagtail admin: bank import/export views, the question editor, item analysis, CSV."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import CoursePage, ModulePage
from quizzes.admin_views import neutralise
from quizzes.models import Question, QuizPage
from quizzes.services import attempt_start, attempt_submit

from .factories import UserFactory, enrol, one_of_each, quiz_page, single
from .test_interchange import BROKEN

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 2, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def admin_user():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def instructor():
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name="Instruktur")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


class TestImportExport:
    def test_the_import_page_reports_each_rejected_question(self, client, admin_user):
        client.force_login(admin_user)
        upload = SimpleUploadedFile("bank.xml", BROKEN, content_type="text/xml")
        response = client.post(reverse("quizzes_admin:import"), {"file": upload})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="report"' in html
        # In Indonesian, the admin's default language.
        assert "soal 2 &#x27;Essay about X&#x27;: jenis essay tidak didukung" in html
        assert Question.objects.count() == 2

    def test_an_unsafe_file_is_refused_whole(self, client, admin_user):
        from tests.conftest import admin_in_english

        from .test_interchange import BOMB

        client.force_login(admin_in_english(admin_user))
        upload = SimpleUploadedFile("bomb.xml", BOMB, content_type="text/xml")
        response = client.post(reverse("quizzes_admin:import"), {"file": upload})
        assert "DTD, entities or external references" in response.context["error"]
        assert not Question.objects.exists()

    def test_export_downloads_moodle_xml_and_lists_left_out_questions(
        self, client, admin_user
    ):
        one_of_each()
        client.force_login(admin_user)
        preview = client.get(reverse("quizzes_admin:export"))
        assert [q.kind for q in preview.context["skipped"]] == ["date"]
        response = client.get(reverse("quizzes_admin:export") + "?download=1")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Skipped-Questions"] == "1"
        assert response.content.count(b'<question type="') == 7  # 6 + category

    def test_instructors_may_use_the_bank_others_may_not(self, client, instructor):
        from lms.offices.services import instructor_group_sync

        instructor_group_sync()  # the Instruktur group gets the snippet permissions
        client.force_login(instructor)
        assert client.get(reverse("quizzes_admin:import")).status_code == 200
        assert client.get(reverse("quizzes_admin:export")).status_code == 200

        editor = UserFactory()
        group = Group.objects.create(name="Editor")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        editor.groups.add(group)
        client.force_login(editor)
        for name in ("quizzes_admin:import", "quizzes_admin:export"):
            response = client.get(reverse(name))
            assert response.status_code in (302, 403)
        client.force_login(UserFactory())
        response = client.get(reverse("quizzes_admin:import"))
        assert response.status_code == 302  # no admin access at all


class TestQuestionEditor:
    def test_a_question_without_a_right_option_cannot_be_saved(
        self, client, admin_user
    ):
        from .factories import CategoryFactory

        category = CategoryFactory()
        client.force_login(admin_user)
        url = reverse("wagtailsnippets_quizzes_question:add")
        data = {
            "category": category.pk,
            "kind": "single",
            "points": 1,
            "name": "Tanpa kunci",
            "text": "Pilih satu.",
            "kip_regime": "general",
            "basis_marker": "V",
            "tags": "",
            "choices-TOTAL_FORMS": 2,
            "choices-INITIAL_FORMS": 0,
            "choices-MIN_NUM_FORMS": 0,
            "choices-MAX_NUM_FORMS": 1000,
            "choices-0-text": "A",
            "choices-0-ORDER": 1,
            "choices-1-text": "B",
            "choices-1-ORDER": 2,
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "tidak ada opsi yang ditandai benar" in response.content.decode()
        data["choices-1-is_correct"] = "on"
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Question.objects.get(name="Tanpa kunci").choices.count() == 2


class TestItemAnalysis:
    @pytest.fixture
    def analysed(self, course):
        quiz = quiz_page(course[1], [single(), single()], max_attempts=0)
        for _ in range(3):
            user = UserFactory()
            enrol(user, course[0])
            a = attempt_start(user=user, quiz=quiz, now=NOW)
            attempt_submit(attempt_id=a.pk, user_id=user.pk, now=NOW)
        return quiz

    def test_instructors_see_the_analysis(self, client, instructor, analysed):
        client.force_login(instructor)
        response = client.get(reverse("quizzes_admin:analysis", args=[analysed.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert '<svg class="qa-chart"' in html
        assert html.count('class="bar"') == 10
        index = client.get(reverse("quizzes_admin:analysis_index"))
        assert analysed.title in index.content.decode()

    def test_learners_cannot_see_the_analysis(self, client, analysed):
        client.force_login(UserFactory())
        response = client.get(reverse("quizzes_admin:analysis", args=[analysed.pk]))
        assert response.status_code == 302  # Wagtail admin sends them to log in

    def test_the_csv_lists_option_counts(self, client, instructor, analysed):
        client.force_login(instructor)
        response = client.get(reverse("quizzes_admin:analysis_csv", args=[analysed.pk]))
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows[0]) == 9
        assert any(row[-2] == "0" and row[-1] == "3" for row in rows[1:])

    def test_formula_injection_is_neutralised_in_the_csv(
        self, client, instructor, course
    ):
        evil = single(name='=HYPERLINK("http://x")')
        Question.objects.filter(pk=evil.pk).update(name='=HYPERLINK("http://x")')
        evil.choices.update(text="@SUM(1+1)")
        quiz = quiz_page(course[1], [evil])
        user = UserFactory()
        enrol(user, course[0])
        a = attempt_start(user=user, quiz=quiz, now=NOW)
        attempt_submit(attempt_id=a.pk, user_id=user.pk, now=NOW)
        client.force_login(instructor)
        body = client.get(
            reverse("quizzes_admin:analysis_csv", args=[quiz.pk])
        ).content.decode("utf-8-sig")
        for row in csv.reader(io.StringIO(body)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), cell
        assert "'=HYPERLINK" in body and "'@SUM" in body


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+62", "'+62"), ("-x", "'-x"), ("@a", "'@a"), ("ok", "ok")],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_quiz_pages_go_under_courses_and_modules_only():
    assert set(QuizPage.clean_parent_page_models()) == {CoursePage, ModulePage}
    assert QuizPage.allowed_subpage_models() == []
    missing = [
        parent.__name__
        for parent in (CoursePage, ModulePage)
        if QuizPage not in parent.allowed_subpage_models()
    ]
    if missing:
        pytest.skip(
            f"subpage_types of {missing} lack quizzes.QuizPage (the lead adds it)"
        )
    assert set(QuizPage.allowed_parent_page_models()) == {CoursePage, ModulePage}


def management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize("selection", ["fixed", "random"])
def test_a_quiz_that_could_never_start_cannot_be_saved(course, admin_user, selection):
    quiz = quiz_page(course[1], [])
    form_class = QuizPage.get_edit_handler().get_form_class()
    data = {
        "title": "Kuis kosong",
        "slug": "kuis-kosong",
        "selection": selection,
        "questions_per_page": "5",
        "max_attempts": "3",
        "wait_minutes": "0",
        "time_limit_minutes": "0",
        "review_score": "each",
        "review_answers": "passed_or_last",
        "review_feedback": "passed_or_last",
        **management("fixed_questions"),
        **management("draws"),
        **management("comments"),
    }
    form = form_class(data, instance=quiz, parent_page=course[1], for_user=admin_user)
    assert not form.is_valid()
    assert form.non_field_errors()
    data.update(
        {
            **management("fixed_questions", 1),
            "fixed_questions-0-question": str(single().pk),
            "fixed_questions-0-ORDER": "1",
        }
        if selection == "fixed"
        else {
            **management("draws", 1),
            "draws-0-category": str(single().category_id),
            "draws-0-count": "3",
            "draws-0-ORDER": "1",
        }
    )
    form = form_class(data, instance=quiz, parent_page=course[1], for_user=admin_user)
    assert form.is_valid(), (form.errors, form.non_field_errors())


def test_the_question_listing_filters_by_tag(client, admin_user):
    # A ClusterTaggableManager in list_filter used to make this listing a 500.
    tagged, _other = single(), single()
    tagged.tags.add("keberatan")
    tagged.save()
    client.force_login(admin_user)
    url = reverse("wagtailsnippets_quizzes_question:list")
    assert client.get(url).status_code == 200
    response = client.get(url, {"tag": "keberatan"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [tagged]
