"""Events other apps subscribe to.

`course_completed` is sent once per completed attempt, after the transaction that
created the CourseCompletion row commits, and only by the request that created it.
Receivers get `completion` (a CourseCompletion) and `enrolment`; they should
enqueue work by id (certificates: a Celery task) rather than do it inline.
"""

from django.dispatch import Signal

course_completed = Signal()
