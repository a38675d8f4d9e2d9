"""The aggregate tables: subtree totals that roll up the office tree, exact overdue
counts whatever the day, activity by local day, and a rebuild that replaces."""

import datetime

from django.db.models import Sum
from django.utils import timezone

from courses.models import CourseCompletion, Enrolment
from dashboard import selectors
from dashboard.filters import Filters
from dashboard.models import ActivityStat, CompletionStat, StatsState
from tests.factories import UserFactory

from .conftest import TODAY, at, enrol, populate, refresh

FILTERS = Filters(date_from=TODAY - datetime.timedelta(days=60), date_to=TODAY)


TOTAL = {"course__isnull": True, "employment_type": ""}  # the "all" grain


def totals(office, **filter_kwargs):
    return CompletionStat.objects.filter(
        office=office, **TOTAL, **filter_kwargs
    ).aggregate(enrolled=Sum("enrolled"), completed=Sum("completed"))


def test_each_office_holds_the_total_of_its_subtree(office_tree, course, people):
    t = office_tree
    populate(t, course, 3)  # 3 learners each in Badung, Denpasar, Klaten
    enrol(people.coordinator, course, completed_on=TODAY)  # Bali's own staff
    refresh()
    assert totals(t.badung) == {"enrolled": 3, "completed": 1}
    assert totals(t.bali) == {"enrolled": 7, "completed": 3}
    assert totals(t.jateng) == {"enrolled": 3, "completed": 1}
    assert totals(t.national) == {"enrolled": 10, "completed": 4}


def test_the_dashboard_reads_the_tree_from_the_aggregates(office_tree, course, people):
    t = office_tree
    populate(t, course, 3)
    enrol(people.coordinator, course, completed_on=TODAY)
    refresh()
    scope = selectors.scope_for(people.admin)
    board = selectors.dashboard_for(
        scope=scope,
        focus=scope.offices[t.bali.pk],
        filters=FILTERS,
        today=TODAY,
        course_names={course.pk: course.title},
    )
    rows = {row.label: row for row in board.offices}
    assert board.total.counts.enrolled == 7
    own = board.offices[0]
    assert own.kind == "own" and own.counts.enrolled == 1
    assert rows[t.badung.name].counts.completed == 1
    assert rows[t.badung.name].counts.overdue == 1
    assert board.total.counts.overdue == 2
    assert [row.label for row in board.courses] == [course.title]


def test_every_grain_holds_the_same_total(office_tree, course, other_course, people):
    populate(office_tree, course, 3)
    populate(office_tree, other_course, 2)
    refresh()
    bali = office_tree.bali
    grains = {
        "all": {"course__isnull": True, "employment_type": ""},
        "per course": {"course__isnull": False, "employment_type": ""},
        "per type": {"course__isnull": True, "employment_type__gt": ""},
        "per course and type": {"course__isnull": False, "employment_type__gt": ""},
    }
    for table, measure in ((CompletionStat, "enrolled"), (ActivityStat, "completed")):
        sums = {
            name: table.objects.filter(office=bali, **q).aggregate(n=Sum(measure))["n"]
            for name, q in grains.items()
        }
        assert len(set(sums.values())) == 1, (table, sums)
        assert sums["all"] > 0


def test_overdue_follows_the_calendar_without_a_rebuild(office_tree, course, people):
    enrol(
        people.learner,
        course,
        source="assigned",
        due_on=TODAY + datetime.timedelta(days=2),
    )
    refresh()
    ids = [office_tree.badung.pk]
    assert (
        selectors.status_by_office(ids, filters=FILTERS, today=TODAY)[ids[0]].overdue
        == 0
    )
    later = TODAY + datetime.timedelta(days=3)
    assert (
        selectors.status_by_office(ids, filters=FILTERS, today=later)[ids[0]].overdue
        == 1
    )


def test_a_completed_earlier_attempt_counts_and_dates_from_the_first_completion(
    office_tree, course, people
):
    enrolment = enrol(
        people.learner, course, completed_on=TODAY - datetime.timedelta(days=9)
    )
    CourseCompletion.objects.bulk_create(
        [
            CourseCompletion(
                enrolment=enrolment, attempt=2, completed_at=at(TODAY), score=90
            )
        ]
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(attempt=3)  # a retake in progress
    refresh()
    assert totals(office_tree.badung) == {"enrolled": 1, "completed": 1}
    days = set(
        ActivityStat.objects.filter(
            office=office_tree.badung, completed__gt=0
        ).values_list("day", flat=True)
    )
    assert days == {TODAY - datetime.timedelta(days=9)}


def test_inactive_learners_and_learners_without_an_office_are_left_out(
    office_tree, course, people
):
    enrol(people.learner, course)
    gone = UserFactory(office=office_tree.badung, is_active=False)
    enrol(gone, course)
    enrol(UserFactory(office=None), course)
    refresh()
    assert totals(office_tree.national) == {"enrolled": 1, "completed": 0}


def test_activity_days_are_local_dates(office_tree, course, people):
    # 23:30 UTC is 06:30 the next morning in Jakarta.
    enrolment = enrol(people.learner, course)
    late = timezone.make_aware(
        datetime.datetime.combine(
            TODAY - datetime.timedelta(days=1), datetime.time(23, 30)
        ),
        datetime.UTC,
    )
    CourseCompletion.objects.bulk_create(
        [CourseCompletion(enrolment=enrolment, attempt=1, completed_at=late)]
    )
    refresh()
    row = ActivityStat.objects.get(office=office_tree.badung, completed=1, **TOTAL)
    assert row.day == TODAY


def test_a_rebuild_replaces_the_figures_and_records_when(office_tree, course, people):
    enrol(people.learner, course)
    first = refresh()
    count = CompletionStat.objects.count()
    enrol(people.far, course, completed_on=TODAY)
    second = refresh()
    assert CompletionStat.objects.count() > count
    assert totals(office_tree.national) == {"enrolled": 2, "completed": 1}
    assert StatsState.objects.count() == 1
    assert second.refreshed_at >= first.refreshed_at
    assert second.status_rows == CompletionStat.objects.count()


def test_a_rebuild_with_nothing_to_count_leaves_empty_tables(office_tree):
    state = refresh()
    assert CompletionStat.objects.count() == 0 == ActivityStat.objects.count()
    assert state.status_rows == 0


def test_the_button_does_not_rebuild_figures_under_a_minute_old(office_tree):
    from dashboard.services import stats_refresh_if_stale

    refresh()
    now = timezone.now()
    assert (
        stats_refresh_if_stale(now=now, min_age=datetime.timedelta(minutes=1)) is None
    )
    later = now + datetime.timedelta(minutes=2)
    assert stats_refresh_if_stale(now=later, min_age=datetime.timedelta(minutes=1))


def test_weeks_cover_the_period_with_zeros(office_tree, course, people):
    enrol(people.learner, course, completed_on=TODAY)
    refresh()
    scope = selectors.scope_for(people.coordinator)
    board = selectors.dashboard_for(
        scope=scope,
        focus=None if len(scope.roots) > 1 else scope.roots[0],
        filters=FILTERS,
        today=TODAY,
        course_names={},
    )
    assert board.weeks[0].week <= FILTERS.date_from
    assert board.weeks[-1].week <= TODAY <= board.weeks[-1].week_end
    assert sum(w.activity.completed for w in board.weeks) == 1
    assert all(
        (b.week - a.week).days == 7
        for a, b in zip(board.weeks, board.weeks[1:], strict=False)
    )
