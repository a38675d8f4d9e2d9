"""Learner views: start, play to the end, feedback, debrief, resume, permissions."""

import pytest
from django.urls import reverse

from quizzes.practice.models import ScenarioAnswer, ScenarioPlay

from .factories import UserFactory
from .helpers import best_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def post_value(scenario, step_id, post=None):
    """The engine value of a POST (as the view parses it), for service-level tests."""
    from django.http import QueryDict

    from quizzes.practice.forms import parse_answer

    post = post or best_post(scenario, step_id)
    data = QueryDict(mutable=True)
    for key, value in post.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return parse_answer(scenario.step(step_id), data)


def start(client, page) -> ScenarioPlay:
    response = client.post(reverse("practice:start", args=[page.pk]))
    assert response.status_code == 302, response
    return ScenarioPlay.objects.filter(page=page).latest("pk")


def test_a_learner_plays_a_scenario_to_its_debrief(signed_in, scenario):
    play = start(signed_in, scenario)
    url = reverse("practice:play", args=[play.pk])
    page = signed_in.get(url)
    assert page.status_code == 200
    assert "Permohonan masuk lewat e-mail" in page.content.decode()
    model = play.snapshot.scenario()
    for _ in range(10):
        play.refresh_from_db()
        if play.is_finished:
            break
        response = signed_in.post(url, best_post(model, play.current_step))
        assert response.status_code == 302, response.content.decode()[:2000]
    assert play.is_finished and play.passed
    assert play.score == model.max_score
    result = signed_in.get(reverse("practice:result", args=[play.pk]))
    html = result.content.decode()
    assert result.status_code == 200
    assert "Jumat, 22 Maret 2024" in html  # the notice deadline, from the engine
    assert ScenarioAnswer.objects.filter(play=play).count() == len(
        play.state["answers"]
    )


def db_state(play):
    """Everything a refused answer must leave as it was."""
    return (
        ScenarioPlay.objects.values().get(pk=play.pk),
        list(ScenarioAnswer.objects.filter(play=play).values()),
    )


def advance_to(client, play, step_id):
    """Answer (best) until `step_id` is the current step."""
    url = reverse("practice:play", args=[play.pk])
    model = play.snapshot.scenario()
    for _ in range(10):
        play.refresh_from_db()
        if play.current_step == step_id:
            return url
        client.post(url, best_post(model, play.current_step))
    raise AssertionError(f"never reached {step_id}")


def test_play_pages_need_a_signed_in_learner(client, learner, scenario):
    play_pk = start(_signed(client, learner), scenario).pk
    client.logout()
    for name in ("practice:play", "practice:result"):
        response = client.get(reverse(name, args=[play_pk]))
        assert response.status_code == 302 and "/akun/login/" in response["Location"]
    response = client.post(reverse("practice:start", args=[scenario.pk]))
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def _signed(client, user):
    client.force_login(user)
    return client


def test_a_learner_cannot_read_another_learners_play(client, learner, scenario, course):
    from .factories import enrol

    play = start(_signed(client, learner), scenario)
    other = UserFactory()
    enrol(other, course[0])
    client.force_login(other)
    for name in ("practice:play", "practice:result"):
        assert client.get(reverse(name, args=[play.pk])).status_code == 404
    before = db_state(play)
    response = client.post(
        reverse("practice:play", args=[play.pk]),
        {"step": "terima-permohonan", "choice": "catat-dan-beri-nomor"},
    )
    assert response.status_code == 404
    assert db_state(play) == before


def test_a_play_resumes_in_a_new_session_at_the_same_step(learner, scenario):
    from django.test import Client

    laptop = Client()
    laptop.force_login(learner)
    play = start(laptop, scenario)
    advance_to(laptop, play, "tenggat-pemberitahuan")
    phone = Client()  # another device: a new session
    phone.force_login(learner)
    landing = phone.get(scenario.url)
    assert reverse("practice:play", args=[play.pk]) in landing.content.decode()
    again = phone.post(reverse("practice:start", args=[scenario.pk]))
    assert again["Location"] == reverse("practice:play", args=[play.pk])
    page = phone.get(again["Location"])
    html = page.content.decode()
    assert 'name="step" value="tenggat-pemberitahuan"' in html
    assert "Kategori informasi di meja PPID" in html  # feedback on the last answer
    assert ScenarioPlay.objects.filter(user=learner).count() == 1


BAD_INPUT = [
    ("terima-permohonan", {}, "Pilih salah satu jawaban"),
    ("terima-permohonan", {"choice": ""}, "Pilih salah satu jawaban"),
    ("terima-permohonan", {"choice": "tidak-ada"}, "tidak-ada"),
    ("klasifikasi-informasi", {}, "Klasifikasikan setiap informasi"),
    ("klasifikasi-informasi", {"item-lra-2023": "berkala"}, "Belum diklasifikasikan"),
    ("klasifikasi-informasi", {"item-lra-2023": "rahasia"}, "rahasia"),
    ("klasifikasi-informasi", {"item-palsu": "berkala"}, "palsu"),
    ("tenggat-pemberitahuan", {"date": ""}, "Isi tanggal batas waktu"),
    ("tenggat-pemberitahuan", {"date": "31/02/2024"}, "31/02/2024"),
    ("tenggat-pemberitahuan", {"date": "2024-02-30"}, "2024-02-30"),
    ("tenggat-pemberitahuan", {"date": "besok"}, "besok"),
    ("isi-pemberitahuan", {}, "Pilih setidaknya satu unsur"),
    ("isi-pemberitahuan", {"element": ["bukan-unsur"]}, "bukan-unsur"),
]


@pytest.mark.parametrize(("step_id", "data", "shown"), BAD_INPUT)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    signed_in, scenario, step_id, data, shown
):
    play = start(signed_in, scenario)
    url = advance_to(signed_in, play, step_id)
    before = db_state(play)
    response = signed_in.post(url, {"step": step_id, **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and shown in html
    assert f'name="step" value="{step_id}"' in html  # the same step, asked again
    assert db_state(play) == before


def test_a_stale_step_is_refused_and_changes_nothing(signed_in, scenario):
    play = start(signed_in, scenario)
    url = advance_to(signed_in, play, "tenggat-pemberitahuan")
    before = db_state(play)
    # An old tab still shows the first step.
    response = signed_in.post(
        url, {"step": "terima-permohonan", "choice": "minta-datang"}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    assert 'name="step" value="tenggat-pemberitahuan"' in response.content.decode()
    assert db_state(play) == before


def test_a_double_submit_records_one_answer(signed_in, scenario):
    play = start(signed_in, scenario)
    url = reverse("practice:play", args=[play.pk])
    data = {"step": "terima-permohonan", "choice": "catat-dan-beri-nomor"}
    signed_in.post(url, data)
    after_first = db_state(play)
    second = signed_in.post(url, data)
    assert second.status_code == 302
    assert db_state(play) == after_first
    assert ScenarioAnswer.objects.filter(play=play).count() == 1


def test_a_date_typed_as_dd_mm_yyyy_is_accepted(signed_in, scenario):
    play = start(signed_in, scenario)
    url = advance_to(signed_in, play, "tenggat-pemberitahuan")
    signed_in.post(url, {"step": "tenggat-pemberitahuan", "date": "22/03/2024"})
    answer = ScenarioAnswer.objects.get(play=play, step_id="tenggat-pemberitahuan")
    assert answer.value == "2024-03-22" and answer.correct
    page = signed_in.get(url).content.decode()
    assert "Jumat, 22 Maret 2024" in page and "Senin, 11 Maret 2024" in page  # Nyepi


def test_answering_a_finished_play_changes_nothing(signed_in, scenario):
    play = start(signed_in, scenario)
    url = advance_to(signed_in, play, "kirim-jawaban")
    signed_in.post(url, {"step": "kirim-jawaban", "choice": "kirim-sekarang"})
    before = db_state(play)
    response = signed_in.post(url, {"step": "kirim-jawaban", "choice": "tunggu-pleno"})
    assert response.status_code == 302
    assert db_state(play) == before
    assert signed_in.get(url)["Location"] == reverse("practice:result", args=[play.pk])


def test_the_landing_page_asks_to_enrol_first(client, scenario):
    client.force_login(UserFactory())
    html = client.get(scenario.url).content.decode()
    assert reverse("practice:start", args=[scenario.pk]) not in html
    response = client.post(reverse("practice:start", args=[scenario.pk]))
    assert response.status_code == 302
    assert not ScenarioPlay.objects.exists()


def test_the_landing_page_offers_a_replay_only_when_allowed(signed_in, learner, course):
    from .factories import scenario_page
    from .test_services import finish

    page = scenario_page(course[1], allow_replay=False)
    finish(learner, page)
    html = signed_in.get(page.url).content.decode()
    assert reverse("practice:start", args=[page.pk]) not in html
    response = signed_in.post(reverse("practice:start", args=[page.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert ScenarioPlay.objects.filter(page=page).count() == 1


def test_a_draft_scenario_cannot_be_played(signed_in, course):
    from .factories import scenario_page

    page = scenario_page(course[1], publish=False)
    assert signed_in.post(reverse("practice:start", args=[page.pk])).status_code == 404


def test_an_anonymous_visitor_sees_the_case_and_a_sign_in_link(client, scenario):
    html = client.get(scenario.url).content.decode()
    assert "I Made Suarta" in html and "/akun/login/?next=" in html


def test_the_debrief_shows_the_path_timeline_and_result(signed_in, scenario):
    play = start(signed_in, scenario)
    url = advance_to(signed_in, play, "tenggat-pemberitahuan")
    signed_in.post(url, {"step": "tenggat-pemberitahuan", "date": "2024-03-21"})
    advance_to(signed_in, play, "kirim-jawaban")
    signed_in.post(url, {"step": "kirim-jawaban", "choice": "tunggu-pleno"})
    html = signed_in.get(reverse("practice:result", args=[play.pk])).content.decode()
    play.refresh_from_db()
    assert play.is_finished and play.score == 13  # 2 + 5 + 0 (late date) + 6 + 0
    for text in (
        "Kamis, 21 Maret 2024",  # the learner's wrong date, on the path
        "Jumat, 22 Maret 2024",  # the true notice deadline
        "Rabu, 3 April 2024",  # the extended notice deadline, on the timeline
        "Pasal 22 ayat (7)",
        "Keberatan atas keterlambatan",  # the ending reached
    ):
        assert text in html, text
