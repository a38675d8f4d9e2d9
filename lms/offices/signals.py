"""Events other apps subscribe to.

`office_merged` is sent inside `office_merge`'s transaction with `source`, `target`
and `actor`, after members, sub-offices and coordinator scopes have moved. An app
that keeps per-office records which should follow the members (course
assignments, certificate templates) moves them in a receiver; a failure there
rolls the whole merge back.
"""

from django.dispatch import Signal

office_merged = Signal()
