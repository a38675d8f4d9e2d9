"""Lesson blocks validate themselves and render without a network or a 500."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import get_template

from courses.blocks import (
    DeadlineExampleBlock,
    KnowledgeCheckBlock,
    LessonBodyBlock,
    VideoBlock,
    embed_html,
)


def check_value(correct=(0,), options=2):
    block = KnowledgeCheckBlock()
    return block, block.to_python(
        {
            "question": "Apa?",
            "options": [
                {"text": f"Opsi {i}", "correct": i in correct, "feedback": "f"}
                for i in range(options)
            ],
            "explanation": "Karena Pasal 22.",
        }
    )


def test_a_knowledge_check_needs_a_correct_option():
    block, value = check_value(correct=())
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.parametrize("count", [1, 7])
def test_a_knowledge_check_needs_two_to_six_options(count):
    block, value = check_value(options=count)
    with pytest.raises(ValidationError):
        block.clean(value)


def test_a_valid_knowledge_check_knows_its_correct_answers():
    block, value = check_value(correct=(0, 2), options=3)
    value = block.clean(value)
    assert value.multiple
    assert value.is_correct([2, 0])
    assert not value.is_correct([0])


def deadline(step="notice", regime="general", start=datetime.date(2024, 3, 6)):
    block = DeadlineExampleBlock()
    return block, block.to_python(
        {"step": step, "start": start.isoformat(), "regime": regime, "caption": "c"}
    )


def test_a_deadline_example_the_engine_knows_is_valid():
    block, value = deadline()
    assert block.clean(value)["step"] == "notice"


def test_the_election_regime_needs_its_own_rule_for_the_step():
    block, value = deadline(step="objection", regime="election")
    with pytest.raises(ValidationError):
        block.clean(value)
    block, value = deadline(step="notice", regime="election")
    block.clean(value)


def test_a_date_outside_the_engines_calendar_is_rejected():
    block, value = deadline(start=datetime.date(2005, 1, 3))
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.django_db
def test_a_deadline_example_renders_the_engines_due_date_skipped_days_and_basis():
    block, value = deadline()
    html = block.render(value, context={"kip_overrides": (frozenset(), frozenset())})
    assert 'datetime="2024-03-22"' in html  # lms.kip: notice from 6 March 2024
    assert "UU 14/2008 Pasal 22 ayat (7)" in html
    assert 'class="deadline-skipped"' in html
    assert html.count("<li><time") >= 4  # two weekends and Nyepi at least


@pytest.mark.django_db
def test_administrator_closures_move_the_due_date():
    block, value = deadline()
    closed = frozenset({datetime.date(2024, 3, 22)})
    html = block.render(value, context={"kip_overrides": (closed, frozenset())})
    assert 'datetime="2024-03-25"' in html


@pytest.mark.django_db
def test_a_video_that_cannot_be_fetched_renders_a_plain_link(monkeypatch):
    from wagtail.embeds import embeds

    def offline(url, *args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(embeds, "get_embed", offline)
    block = VideoBlock()
    value = block.to_python(
        {
            "url": "https://www.youtube.com/watch?v=x",
            "title": "Video PPID",
            "transcript": "",
        }
    )
    html = block.render(value)
    assert '<a href="https://www.youtube.com/watch?v=x"' in html
    assert "<iframe" not in html
    assert embed_html("https://www.youtube.com/watch?v=x") == ""  # failure remembered


def test_every_block_has_its_own_template_under_templates_blocks():
    templates = [
        child.meta.template for child in LessonBodyBlock().child_blocks.values()
    ]
    assert all(t.startswith("blocks/") for t in templates)
    assert len(set(templates)) == len(templates)
    for template in templates:
        get_template(template)
