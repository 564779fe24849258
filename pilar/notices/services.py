"""Writing notices (see models): inside the caller's transaction, the mail after it
commits, by the job worker."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilar.accounts.models import User
from pilar.notices.models import Notice, NoticeKind


def describe(notice: Notice) -> str:
    """The sentence shown in the app and mailed, in the active language."""
    texts = {
        NoticeKind.REPORT_SUBMITTED: _("%(worker)s submitted their monthly report for %(month)s: review it."),
        NoticeKind.REPORT_RETURNED: _("Your monthly report for %(month)s was returned: %(comment)s"),
        NoticeKind.REPORT_APPROVED: _("Your monthly report for %(month)s was approved."),
        NoticeKind.PPKS_REJECTED: _("PPKS record #%(record)s that you mapped was rejected: %(reason)s"),
        NoticeKind.ASSIGNMENT_ENDING: _(
            "The assignment of TKSK %(worker)s in %(region)s ends on %(end)s: evaluate and renew it, or let it end."
        ),
    }
    params = dict(notice.params)
    if "month" in params:  # kept as YYYY-MM, named in the reader's language
        params["month"] = date_format(datetime.date.fromisoformat(f"{params['month']}-01"), "F Y")
    if "end" in params:  # kept as YYYY-MM-DD
        params["end"] = date_format(datetime.date.fromisoformat(params["end"]), "j F Y")
    return texts[NoticeKind(notice.kind)] % params


def notify(users: Iterable[Any], kind: str, *, url: str, params: dict[str, Any], excluding: Any = None) -> list[Notice]:
    """A notice for each active user (once, not the one who acted), and their e-mail
    after commit for those who chose it."""
    chosen = {user.pk: user for user in users if user.is_active and (excluding is None or user.pk != excluding.pk)}
    made = Notice.objects.bulk_create(
        [Notice(user=user, kind=kind, url=url, params=params) for user in chosen.values()]
    )
    mailed = [notice.pk for notice in made if notice.user.email and notice.user.email_notices]
    if mailed:
        transaction.on_commit(lambda: mail_notices.enqueue(mailed), robust=True)
    return made


@task()
def mail_notices(notice_ids: list[int]) -> int:
    """Mail the notices not yet mailed (the job worker's task); how many were sent."""
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for notice in Notice.objects.filter(pk__in=notice_ids, mailed_at__isnull=True).select_related("user"):
            text = describe(notice)
            body = f"{text}\n\n{settings.PILAR_BASE_URL}{notice.url}\n"
            send_mail(f"[Pilar] {NoticeKind(notice.kind).label}", body, None, [notice.user.email])
            Notice.objects.filter(pk=notice.pk).update(mailed_at=timezone.now())
            sent += 1
    return sent


def unread(user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
