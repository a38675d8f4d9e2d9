"""Playing through the services: grading by the engine, records, replays, versions."""

import datetime

import pytest
from django.db import IntegrityError

from quizzes.practice import services
from quizzes.practice.adapters import kip_oracle
from quizzes.practice.models import ScenarioAnswer, ScenarioPlay, ScenarioSnapshot
from quizzes.scenarios import ScenarioInputError

from .factories import NOW, UserFactory, enrol, scenario_page
from .helpers import best_post
from .test_views import post_value

pytestmark = pytest.mark.django_db


def answer(play, step_id, value, *, at=NOW):
    return services.play_answer(
        play=play, step_id=step_id, value=value, now=at, oracle=kip_oracle()
    )


def to_deadline(play):
    answer(play, "terima-permohonan", "catat-dan-beri-nomor")
    scenario = play.snapshot.scenario()
    answer(play, "klasifikasi-informasi", post_value(scenario, "klasifikasi-informasi"))
    play.refresh_from_db()
    assert play.current_step == "tenggat-pemberitahuan"
    return play


def test_a_deadline_step_is_graded_by_the_legal_engine(learner, scenario):
    """KIP-001: received Wednesday 2024-03-06 (Nyepi and cuti bersama on 11-12 March)
    → the written notice is due Friday 2024-03-22."""
    play = to_deadline(services.play_start(user=learner, page=scenario, now=NOW))
    wrong = answer(play, "tenggat-pemberitahuan", "2024-03-20")
    assert not wrong.result.correct and wrong.result.points == 0
    assert any("2024-03-22" in d.en for d in wrong.result.feedback.details)


def test_the_right_date_scores(learner, scenario):
    play = to_deadline(services.play_start(user=learner, page=scenario, now=NOW))
    right = answer(play, "tenggat-pemberitahuan", "2024-03-22")
    assert right.result.correct and right.result.points == 3


def test_every_answer_is_recorded_with_its_time(learner, scenario):
    play = services.play_start(user=learner, page=scenario, now=NOW)
    later = NOW + datetime.timedelta(minutes=3)
    answer(play, "terima-permohonan", "minta-datang", at=later)
    row = ScenarioAnswer.objects.get(play=play)
    assert (row.seq, row.step_id, row.kind, row.value) == (
        1,
        "terima-permohonan",
        "decision",
        "minta-datang",
    )
    assert row.answered_at == later and row.correct is False and row.points == 0
    assert row.next_step == "klasifikasi-informasi"
    play.refresh_from_db()
    assert play.path == "terima-permohonan/klasifikasi-informasi"
    assert play.updated_at == later


def test_a_play_finishes_with_pass_or_fail(learner, scenario):
    play = services.play_start(user=learner, page=scenario, now=NOW)
    model = play.snapshot.scenario()
    while not play.is_finished:
        post = best_post(model, play.current_step)
        answer(play, play.current_step, post_value(model, play.current_step, post))
        play.refresh_from_db()
    assert play.status == ScenarioPlay.Status.FINISHED and play.passed
    assert play.score == play.max_score == 18 and play.finished_at == NOW


def test_an_open_play_is_resumed_not_duplicated(learner, scenario):
    first = services.play_start(user=learner, page=scenario, now=NOW)
    again = services.play_start(user=learner, page=scenario, now=NOW)
    assert first.pk == again.pk
    assert ScenarioPlay.objects.count() == 1


def test_the_database_allows_one_open_play_per_learner(learner, scenario):
    play = services.play_start(user=learner, page=scenario, now=NOW)
    with pytest.raises(IntegrityError):
        ScenarioPlay.objects.create(
            user=learner,
            page=scenario,
            snapshot=play.snapshot,
            number=2,
            state=play.state,
            current_step="x",
            max_score=1,
            pass_mark=1,
            started_at=NOW,
            updated_at=NOW,
        )


def finish(learner, page):
    play = services.play_start(user=learner, page=page, now=NOW)
    model = play.snapshot.scenario()
    while not play.is_finished:
        post = best_post(model, play.current_step)
        answer(play, play.current_step, post_value(model, play.current_step, post))
        play.refresh_from_db()
    return play


def test_a_replay_is_allowed_when_the_scenario_allows_it(learner, scenario):
    first = finish(learner, scenario)
    second = services.play_start(user=learner, page=scenario, now=NOW)
    assert second.pk != first.pk and second.number == 2
    assert ScenarioPlay.objects.filter(user=learner).count() == 2  # each play kept


def test_a_replay_is_refused_when_the_scenario_forbids_it(learner, course):
    page = scenario_page(course[1], allow_replay=False)
    finish(learner, page)
    with pytest.raises(services.PlayRefused) as caught:
        services.play_start(user=learner, page=page, now=NOW)
    assert caught.value.code == services.NO_REPLAY
    assert ScenarioPlay.objects.count() == 1


def test_a_new_course_attempt_allows_a_new_play(learner, course):
    page = scenario_page(course[1], allow_replay=False)
    finish(learner, page)
    enrolment = learner.enrolments.get()
    enrolment.attempt = 2
    enrolment.save()
    play = services.play_start(user=learner, page=page, now=NOW)
    assert play.course_attempt == 2


def test_a_learner_not_enrolled_cannot_start(course, scenario):
    with pytest.raises(services.PlayRefused) as caught:
        services.play_start(user=UserFactory(), page=scenario, now=NOW)
    assert caught.value.code == services.NOT_ENROLLED


def test_a_play_keeps_its_version_when_the_page_is_edited(learner, scenario):
    play = services.play_start(user=learner, page=scenario, now=NOW)
    answer(play, "terima-permohonan", "catat-dan-beri-nomor")
    scenario.title = "Judul baru"
    scenario.save_revision().publish()
    play.refresh_from_db()
    assert play.snapshot.data["title"] != "Judul baru"
    answer(
        play,
        "klasifikasi-informasi",
        post_value(play.snapshot.scenario(), "klasifikasi-informasi"),
    )
    other = UserFactory()
    enrol(other, scenario.get_parent().get_parent().specific)
    fresh = services.play_start(user=other, page=scenario.specific, now=NOW)
    assert fresh.snapshot.data["title"] == "Judul baru"
    assert ScenarioSnapshot.objects.filter(page=scenario).count() == 2


def test_a_refused_answer_writes_nothing(learner, scenario):
    play = services.play_start(user=learner, page=scenario, now=NOW)
    before = ScenarioPlay.objects.values().get(pk=play.pk)
    for step_id, value in [
        ("terima-permohonan", ""),
        ("terima-permohonan", "tidak-ada"),
        ("klasifikasi-informasi", "catat-dan-beri-nomor"),
    ]:
        with pytest.raises(ScenarioInputError):
            answer(play, step_id, value)
    assert ScenarioPlay.objects.values().get(pk=play.pk) == before
    assert not ScenarioAnswer.objects.exists()
