"""Learner views: permission matrix, integrity of what reaches the browser, autosave,
stale pages, review options."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from quizzes import services, views
from quizzes.layout import AnswerRefused
from quizzes.models import Attempt, AttemptAnswer, Choice, Question, ReviewWhen

from .factories import UserFactory, enrol, quiz_page

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def message(fn, arg):
    """A user-facing message in the site's default language, as the page shows it."""
    with translation.override("id"):
        return str(fn(arg))


def start(client, quiz):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302, response
    return Attempt.objects.filter(quiz=quiz).latest("pk")


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def form_data(attempt, *, version=None, right=True):
    """The POST a learner's browser sends for the whole attempt."""
    data = {
        "version": str(version or attempt.version),
        "slots": ",".join(str(e["slot"]) for e in attempt.layout),
    }
    for entry in attempt.layout:
        q = Question.objects.get(pk=entry["q"])
        choices = {c.pk: c for c in q.choices.all()}
        name = f"q{entry['slot']}"
        by_id = {cid: tok for tok, cid in entry["opts"]}
        if q.kind in ("single", "truefalse"):
            pick = [c for c in choices.values() if c.is_correct == right][0]
            data[name] = by_id[pick.pk]
        elif q.kind == "multiple":
            data[name] = [
                by_id[c.pk] for c in choices.values() if c.is_correct == right
            ]
        elif q.kind == "ordering":
            ordered = sorted(choices.values(), key=lambda c: c.sort_order)
            if not right:
                ordered.reverse()
            for pos, c in enumerate(ordered, 1):
                data[f"{name}-{by_id[c.pk]}"] = str(pos)
        elif q.kind == "matching":
            answers = {text: tok for tok, text in entry["answers"]}
            for c in choices.values():
                if c.text:
                    data[f"{name}-{by_id[c.pk]}"] = answers[
                        c.match_text if right else "Informasi rahasia negara"
                    ]
        elif q.kind == "date":
            data[name] = q.expected_date().isoformat() if right else "2024-01-02"
        else:
            data[name] = " ATASAN  ppid " if right else "Komisi Informasi"
    return data


class TestPermissions:
    def test_anonymous_is_sent_to_sign_in(self, client, quiz, learner):
        client.force_login(learner)
        attempt = start(client, quiz)
        client.logout()
        for name in ("quizzes:attempt", "quizzes:review"):
            response = client.get(reverse(name, args=[attempt.pk]))
            assert response.status_code == 302
            assert "/akun/login/" in response["Location"]
        response = client.post(reverse("quizzes:start", args=[quiz.pk]))
        assert response.status_code == 302 and "/akun/login/" in response["Location"]

    def test_another_learner_gets_404_everywhere(self, client, quiz, learner, course):
        client.force_login(learner)
        attempt = start(client, quiz)
        other = UserFactory()
        enrol(other, course[0])
        client.force_login(other)
        assert (
            client.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 404
        )
        assert (
            client.get(reverse("quizzes:review", args=[attempt.pk])).status_code == 404
        )
        data = form_data(attempt)
        assert (
            client.post(reverse("quizzes:attempt", args=[attempt.pk]), data).status_code
            == 404
        )
        assert (
            client.post(
                reverse("quizzes:autosave", args=[attempt.pk]), data
            ).status_code
            == 404
        )
        assert not AttemptAnswer.objects.filter(
            attempt=attempt, response__isnull=False
        ).exists()

    def test_the_owner_sees_the_attempt(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        assert (
            signed_in.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code
            == 200
        )

    def test_a_learner_not_enrolled_is_told_to_enrol(self, client, quiz):
        client.force_login(UserFactory())
        response = client.get(quiz.url)
        assert response.status_code == 200
        assert reverse("quizzes:start", args=[quiz.pk]) not in response.content.decode()
        response = client.post(reverse("quizzes:start", args=[quiz.pk]), follow=True)
        assert not Attempt.objects.exists()

    def test_the_start_button_only_starts_by_post(self, signed_in, quiz):
        assert (
            signed_in.get(reverse("quizzes:start", args=[quiz.pk])).status_code == 405
        )


class TestIntegrity:
    """Nothing telling the key reaches the browser before the attempt is submitted."""

    def secrets(self, questions):
        found = []
        for q in questions:
            found.append(q.explanation)
            for c in q.choices.all():
                if c.feedback:
                    found.append(c.feedback)
            if q.kind == "short":
                found.extend(c.text for c in q.choices.all())
            if q.kind == "date":
                expected = q.expected_date()
                found += [expected.isoformat(), expected.strftime("%d-%m-%Y")]
        return found

    def test_no_key_feedback_or_explanation_in_any_page_or_asset(
        self, signed_in, quiz, questions
    ):
        attempt = start(signed_in, quiz)
        pages = [
            signed_in.get(quiz.url),
            signed_in.get(reverse("quizzes:attempt", args=[attempt.pk])),
        ]
        html = pages[1].content.decode()
        # Every page of the attempt, and the assets each links to.
        for n in range(2, 4):
            pages.append(
                signed_in.get(
                    reverse("quizzes:attempt", args=[attempt.pk]) + f"?hal={n}"
                )
            )
        autosave = signed_in.post(
            reverse("quizzes:autosave", args=[attempt.pk]),
            {"version": attempt.version, "slots": "1"},
        )
        bodies = [p.content.decode() for p in pages] + [autosave.content.decode()]
        assets = []
        for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            path = finders.find(src.removeprefix("/static/"))
            assert path, src
            assets.append((src, Path(path).read_text()))
        assert any(src.endswith("attempt.js") for src, _ in assets)
        scripts = [text for src, text in assets if src.endswith(".js")]
        for body in [*bodies, *(text for _, text in assets)]:
            for secret in self.secrets(questions):
                assert secret not in body, secret
        # Pages and scripts carry no correctness marker at all (stylesheets may
        # define a class for the review page; no element of these pages uses it).
        for body in [*bodies, *scripts]:
            assert "correct" not in body.lower()
            assert "is_right" not in body.lower()

    def test_option_values_are_tokens_not_ids(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        html = signed_in.get(
            reverse("quizzes:attempt", args=[attempt.pk])
        ).content.decode()
        values = set(
            re.findall(r'name="q\d+(?:-[0-9a-f]+)?"[^>]*value="([^"]*)"', html)
        )
        values |= set(re.findall(r'<option value="([0-9a-f]{8})"', html))
        ids = {str(pk) for pk in Choice.objects.values_list("pk", flat=True)}
        assert values, html
        assert not values & ids
        # No question id either: fields are named by slot number.
        for q in Question.objects.all():
            assert f'data-question="{q.pk}"' not in html

    def test_the_ordering_steps_are_never_shown_in_the_right_order(
        self, signed_in, course, learner
    ):
        from .factories import ordering

        q = ordering(steps=3)
        key = list(q.choices.order_by("sort_order").values_list("text", flat=True))
        for _ in range(15):
            quiz = quiz_page(course[1], [q], max_attempts=0)
            attempt = start(signed_in, quiz)
            html = signed_in.get(
                reverse("quizzes:attempt", args=[attempt.pk])
            ).content.decode()
            shown = re.findall(r"Langkah \d+-\d", html)
            assert shown != key


class TestAnswering:
    def test_a_whole_form_post_saves_and_submit_grades(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        url = reverse("quizzes:attempt", args=[attempt.pk])
        data = form_data(attempt) | {"action": "save"}
        response = signed_in.post(url, data)
        assert response.status_code == 302
        assert (
            AttemptAnswer.objects.filter(
                attempt=attempt, response__isnull=False
            ).count()
            == 7
        )
        response = signed_in.post(url, {"action": "submit", "version": attempt.version})
        assert response["Location"] == reverse("quizzes:review", args=[attempt.pk])
        attempt.refresh_from_db()
        assert attempt.score == 100

    def test_a_score_office_or_flag_posted_by_the_client_is_ignored(
        self, signed_in, quiz
    ):
        attempt = start(signed_in, quiz)
        data = form_data(attempt, right=False) | {
            "action": "submit",
            "score": "100",
            "passed": "1",
            "points_earned": "7",
            "office": "1",
            "user": "1",
            "state": "finished",
            "finished_by": "time_up",
        }
        signed_in.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
        attempt.refresh_from_db()
        assert attempt.score == 0
        assert not attempt.passed
        assert attempt.finished_by == "learner"

    def test_submit_stores_the_answers_it_carries_and_grades_them(
        self, signed_in, quiz
    ):
        attempt = start(signed_in, quiz)
        url = reverse("quizzes:attempt", args=[attempt.pk])
        response = signed_in.post(url, form_data(attempt) | {"action": "submit"})
        assert response["Location"] == reverse("quizzes:review", args=[attempt.pk])
        attempt.refresh_from_db()
        assert attempt.score == 100 and attempt.times_graded == 1
        rows = AttemptAnswer.objects.filter(attempt=attempt)
        assert all(r.response and r.saved_at and r.fraction == 1 for r in rows)

    def test_a_submit_with_a_question_outside_the_attempt_grades_nothing(
        self, signed_in, quiz
    ):
        attempt = start(signed_in, quiz)
        url = reverse("quizzes:attempt", args=[attempt.pk])
        data = form_data(attempt) | {"action": "submit", "q99": "x"}
        response = signed_in.post(url, data)
        assert response["Location"].endswith("?hal=1")
        attempt.refresh_from_db()
        assert attempt.is_open and attempt.times_graded == 0
        assert not AttemptAnswer.objects.filter(
            attempt=attempt, response__isnull=False
        ).exists()

    def test_next_saves_the_page_and_opens_the_following_one(
        self, signed_in, course, questions
    ):
        quiz = quiz_page(course[1], questions, questions_per_page=3)
        attempt = start(signed_in, quiz)
        first_page = attempt.layout[:3]
        data = {
            k: v
            for k, v in form_data(attempt).items()
            if k == "version"
            or any(k.split("-")[0] == f"q{e['slot']}" for e in first_page)
        }
        data |= {
            "slots": ",".join(str(e["slot"]) for e in first_page),
            "page": "1",
            "action": "next",
        }
        url = reverse("quizzes:attempt", args=[attempt.pk])
        response = signed_in.post(url, data)
        assert response["Location"] == f"{url}?hal=2"
        saved = AttemptAnswer.objects.filter(attempt=attempt, response__isnull=False)
        assert sorted(saved.values_list("slot", flat=True)) == [1, 2, 3]
        response = signed_in.post(url, {"version": attempt.version, "goto": "3"})
        assert response["Location"] == f"{url}?hal=3"

    def test_autosave_of_an_emptied_question_clears_its_answer(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        entry = attempt.layout[0]
        url = reverse("quizzes:autosave", args=[attempt.pk])
        answer = {
            k: v
            for k, v in form_data(attempt).items()
            if k.split("-")[0] == f"q{entry['slot']}"
        }
        slot = {"version": attempt.version, "slots": str(entry["slot"])}
        assert signed_in.post(url, slot | answer).status_code == 200
        assert signed_in.post(url, slot).json() == {"ok": True, "saved": [1]}
        saved = AttemptAnswer.objects.get(attempt=attempt, slot=entry["slot"])
        assert saved.response is None and saved.saved_at is not None

    def test_autosave_saves_one_question(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        entry = attempt.layout[0]
        data = {
            k: v
            for k, v in form_data(attempt).items()
            if k == "version" or k.startswith(f"q{entry['slot']}")
        } | {"slots": str(entry["slot"])}
        response = signed_in.post(reverse("quizzes:autosave", args=[attempt.pk]), data)
        assert response.status_code == 200
        assert response.json() == {"ok": True, "saved": [entry["slot"]]}
        saved = AttemptAnswer.objects.get(attempt=attempt, slot=entry["slot"])
        assert saved.response

    def test_resuming_shows_saved_answers_in_the_same_order(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        url = reverse("quizzes:attempt", args=[attempt.pk])
        first = signed_in.get(url).content.decode()
        signed_in.post(url, form_data(attempt) | {"action": "save"})
        again = start(signed_in, quiz)
        assert again.pk == attempt.pk
        second = signed_in.get(url).content.decode()
        order = lambda html: re.findall(r'value="([0-9a-f]{8})"', html)  # noqa: E731
        assert order(first) == order(second)
        assert second.count(" checked") > first.count(" checked")

    def test_an_answer_to_a_question_outside_the_attempt_is_refused(
        self, signed_in, quiz
    ):
        attempt = start(signed_in, quiz)
        response = signed_in.post(
            reverse("quizzes:autosave", args=[attempt.pk]),
            {"version": attempt.version, "slots": "42", "q42": "deadbeef"},
        )
        assert response.status_code == 400
        assert response.json()["error"] == message(
            views.refused_answer_message, AnswerRefused("unknown_question")
        )
        response = signed_in.post(
            reverse("quizzes:attempt", args=[attempt.pk]),
            {"version": attempt.version, "q99": "x", "action": "save"},
            follow=True,
        )
        assert (
            escape(
                message(views.refused_answer_message, AnswerRefused("unknown_question"))
            )
            in response.content.decode()
        )

    def test_an_unknown_option_token_is_refused(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        slot = next(e["slot"] for e in attempt.layout if e["kind"] == "single")
        some_id = str(Choice.objects.first().pk)
        response = signed_in.post(
            reverse("quizzes:autosave", args=[attempt.pk]),
            {"version": attempt.version, "slots": str(slot), f"q{slot}": some_id},
        )
        assert response.status_code == 400

    def test_a_stale_page_after_submission_is_refused_with_a_message(
        self, signed_in, quiz
    ):
        attempt = start(signed_in, quiz)
        url = reverse("quizzes:attempt", args=[attempt.pk])
        old = form_data(attempt)
        signed_in.post(url, {"action": "submit", "version": attempt.version})
        response = signed_in.post(reverse("quizzes:autosave", args=[attempt.pk]), old)
        closed = message(views.closed_message, services.FINISHED)
        assert response.status_code == 409
        assert response.json()["error"] == closed
        response = signed_in.post(url, old | {"action": "save"}, follow=True)
        assert escape(closed) in response.content.decode()
        assert Attempt.objects.get(pk=attempt.pk).score == 0


def test_the_attempt_page_carries_the_autosave_status_texts_in_indonesian(
    signed_in, quiz
):
    attempt = start(signed_in, quiz)
    html = signed_in.get(reverse("quizzes:attempt", args=[attempt.pk])).content
    html = html.decode()
    assert 'data-status-saving="Menyimpan…"' in html
    assert 'data-status-saved="Tersimpan"' in html
    assert (
        'data-status-failed="Belum tersimpan: jawaban akan disimpan saat Anda '
        'menekan Simpan atau Berikutnya."' in html
    )
    # The script shows what the page gives it, in whichever language.
    script = Path(finders.find("quizzes/attempt.js")).read_text()
    assert "Menyimpan" not in script and "Saving" not in script
    assert 'getAttribute("data-status-saving")' in script


class TestReview:
    def test_right_answers_wait_for_a_pass_or_the_last_attempt(
        self, signed_in, course, questions
    ):
        quiz = quiz_page(
            course[1],
            questions,
            max_attempts=2,
            review_answers=ReviewWhen.PASSED_OR_LAST,
            review_feedback=ReviewWhen.PASSED_OR_LAST,
            review_score=ReviewWhen.EACH,
        )
        attempt = start(signed_in, quiz)
        url = reverse("quizzes:attempt", args=[attempt.pk])
        signed_in.post(url, form_data(attempt, right=False) | {"action": "submit"})
        html = signed_in.get(
            reverse("quizzes:review", args=[attempt.pk])
        ).content.decode()
        # The score is shown after each attempt ("0%" or "0,00%").
        assert re.search(r"<strong>0(?:[.,]00)?%</strong>", html)
        for q in questions:
            assert q.explanation not in html
        assert "review-right" not in html

        second = start(signed_in, quiz)
        signed_in.post(
            reverse("quizzes:attempt", args=[second.pk]),
            form_data(second, right=False) | {"action": "submit"},
        )
        html = signed_in.get(
            reverse("quizzes:review", args=[attempt.pk])
        ).content.decode()
        assert "review-right" in html
        for q in questions:
            assert q.explanation in html

    def test_the_score_can_be_hidden(self, signed_in, course, questions):
        quiz = quiz_page(course[1], questions, review_score=ReviewWhen.NEVER)
        attempt = start(signed_in, quiz)
        signed_in.post(
            reverse("quizzes:attempt", args=[attempt.pk]),
            form_data(attempt, right=False) | {"action": "submit"},
        )
        html = signed_in.get(
            reverse("quizzes:review", args=[attempt.pk])
        ).content.decode()
        assert not re.search(r"0[.,]00%", html)
        assert not re.search(r"0[.,]00%", signed_in.get(quiz.url).content.decode())

    def test_an_open_attempt_has_no_review(self, signed_in, quiz):
        attempt = start(signed_in, quiz)
        response = signed_in.get(reverse("quizzes:review", args=[attempt.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
