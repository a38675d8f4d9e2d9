"""Demo accounts for `manage.py seed_demo`.

Other apps add their own demo content in a `demo` module with a `seed(stdout)`
function; seed_demo calls them after these accounts exist.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from lms.offices.models import Office
from lms.offices.permissions import INSTRUCTOR_GROUP
from lms.offices.services import (
    coordinator_scopes_set,
    instructor_group_sync,
    offices_load,
)

from .models import User
from .services import user_email_vouch

# The demo password is printed in README.md, so it is public anyway. It contains
# "ppid", which ContextWordValidator refuses for real accounts: seeding sets it
# with set_password(), deliberately bypassing the validators, and seed_demo
# refuses to run under production settings.
DEMO_PASSWORD = "ppid-demo-2026"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    office_code: str
    employment_type: str = User.EmploymentType.PNS
    nip: str = ""
    superuser: bool = False
    instructor: bool = False
    coordinates: str = ""
    intern: bool = False


DEMO_ACCOUNTS = (
    DemoAccount(
        email="admin@example.org",
        full_name="Admin Akademi",
        role="administrator",
        office_code="00",
        superuser=True,
    ),
    DemoAccount(
        email="instruktur@example.org",
        full_name="Rina Wulandari",
        role="instructor",
        office_code="00",
        nip="198204172006042003",
        instructor=True,
    ),
    DemoAccount(
        email="koordinator@example.org",
        full_name="I Gusti Ngurah Putra Wijaya",
        role="coordinator, KPU Provinsi Bali",
        office_code="51",
        nip="197911232005011004",
        coordinates="51",
    ),
    DemoAccount(
        email="peserta@example.org",
        full_name="Ni Made Ayu Lestari",
        role="learner, PNS, KPU Kabupaten Badung",
        office_code="51.03",
        nip="199003122015032002",
    ),
    DemoAccount(
        email="magang@example.org",
        full_name="Dimas Aditya Nugroho",
        role="learner, intern, KPU Kabupaten Klaten",
        office_code="33.10",
        employment_type=User.EmploymentType.MAGANG,
        intern=True,
    ),
)


def _intern_dates(today: date) -> tuple[date, date]:
    return today - timedelta(days=30), today + timedelta(days=60)


@transaction.atomic
def seed_accounts(stdout=None, *, today: date | None = None) -> list[User]:
    """Load the offices and create or refresh the demo accounts. Idempotent."""
    today = today or timezone.localdate()
    result = offices_load()
    _write(
        stdout,
        f"Offices: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged.",
    )
    instructors = instructor_group_sync()
    offices = {
        o.code: o
        for o in Office.objects.filter(
            code__in={a.office_code for a in DEMO_ACCOUNTS}
            | {a.coordinates for a in DEMO_ACCOUNTS if a.coordinates}
        )
    }
    users = []
    for account in DEMO_ACCOUNTS:
        start, end = _intern_dates(today) if account.intern else (None, None)
        user, created = User.objects.update_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "office": offices[account.office_code],
                "employment_type": account.employment_type,
                "nip": account.nip,
                "intern_start": start,
                "intern_end": end,
                "is_superuser": account.superuser,
                "is_staff": account.superuser,
                "is_active": True,
            },
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user_email_vouch(user=user)
        if account.instructor:
            user.groups.add(instructors)
        else:
            user.groups.remove(*Group.objects.filter(name=INSTRUCTOR_GROUP))
        coordinator_scopes_set(
            user=user,
            offices=[offices[account.coordinates]] if account.coordinates else [],
        )
        users.append(user)
        _write(
            stdout,
            f"  {'created' if created else 'updated'} {account.email} ({account.role})",
        )
    _write(stdout, f"Demo password for every account: {DEMO_PASSWORD}")
    return users


def _write(stdout, line: str) -> None:
    if stdout is not None:
        stdout.write(line)
