"""The personal-data registry: every foreign key to the user is exported or
excluded with a reason, so a new app cannot forget its part (docs/privacy.md)."""

import pytest

from lms.accounts import personal_data


def test_every_foreign_key_to_the_user_is_exported_or_excluded_with_a_reason():
    missing = sorted(personal_data.undeclared_foreign_keys())
    assert not missing, (
        "Foreign keys to the user that no app's privacy.py exports or excludes: "
        f"{missing}. Add them to PERSONAL_DATA.exported, or to .excluded with "
        "the reason (see docs/privacy.md)."
    )


def test_declarations_name_real_foreign_keys_to_the_user():
    stale = sorted(
        personal_data.declared_foreign_keys() - personal_data.user_foreign_keys()
    )
    assert not stale, f"privacy.py declarations for fields that do not exist: {stale}"


def test_each_exclusion_gives_a_reason_and_each_section_is_unique():
    parts = personal_data.registered()
    sections = [part.section for part in parts]
    assert len(sections) == len(set(sections))
    for part in parts:
        for name, reason in part.excluded.items():
            assert len(reason.split()) >= 5, f"{name}: give the reason in words"


def test_the_registry_finds_the_apps_in_installed_apps_order():
    sections = [part.section for part in personal_data.registered()]
    assert sections[0] == "account"
    for earlier, later in [("courses", "certificates"), ("quizzes", "practice")]:
        assert sections.index(earlier) < sections.index(later)


def test_an_app_that_forgets_its_part_is_caught(monkeypatch):
    without_quizzes = [
        part for part in personal_data.registered() if part.section != "quizzes"
    ]
    monkeypatch.setattr(personal_data, "registered", lambda: without_quizzes)
    assert "quizzes.Attempt.user" in personal_data.undeclared_foreign_keys()


@pytest.mark.parametrize(
    "label",
    ["accounts.User.invited_by", "certificates.Certificate.user"],
)
def test_foreign_keys_are_found_on_the_model_that_declares_them(label):
    assert label in personal_data.user_foreign_keys()
    # Inherited page fields belong to wagtailcore.Page, not to each page type.
    assert "courses.CoursePage.owner" not in personal_data.user_foreign_keys()
