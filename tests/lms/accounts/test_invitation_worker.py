"""The invitation really travels: Redis → a Celery worker process → an e-mail."""

import time

import pytest

from lms.accounts.models import User
from lms.accounts.services import staff_import_confirm
from lms.accounts.staff_csv import parse_staff_csv
from tests.factories import StaffImportFactory, UserFactory, build_office_tree

CSV = (
    b"nama;email;nip;jenis_kepegawaian;kode_kantor\n"
    b"Kadek Undangan;undangan@example.org;;PNS;51.03\n"
)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_confirmed_import_is_invited_by_a_real_celery_worker(celery_worker_process):
    tree = build_office_tree()
    coordinator = UserFactory(office=tree.bali, coordinates=tree.bali)
    staff_import = StaffImportFactory(owner=coordinator, rows=parse_staff_csv(CSV))

    staff_import_confirm(staff_import=staff_import, actor=coordinator)

    message = celery_worker_process.wait_for_email("undangan@example.org")
    assert "/akun/password/reset/key/" in message
    invitee = User.objects.get(email="undangan@example.org")
    deadline = time.monotonic() + 10
    while invitee.invited_at is None and time.monotonic() < deadline:
        time.sleep(0.2)
        invitee.refresh_from_db()
    assert invitee.invited_at is not None
    assert len(celery_worker_process.emails()) == 1
