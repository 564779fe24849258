"""Telling workers what reached them: a `Notification` row in the app, and an e-mail
sent by the job worker after the change is committed, to those who chose e-mail
(User.email_notices; the console backend in the demo).

The e-mail carries the case number and a link only, never the person's name or the
story: mail leaves Pilar's protection (UU PDP), the link brings the reader back to
the page that checks their access.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pilar.cases.models import Notification, NotificationKind

if TYPE_CHECKING:
    from pilar.accounts.models import User
    from pilar.cases.models import Case


def describe(kind: str, case_id: int) -> str:
    """The sentence shown in the app and mailed, in the active language."""
    texts = {
        NotificationKind.ARRIVED: _("Case #%(id)s reached your level and waits for your action."),
        NotificationKind.ASSIGNED: _("Case #%(id)s was assigned to you."),
        NotificationKind.REFERRAL_ANSWERED: _("A referral of case #%(id)s was answered."),
        NotificationKind.DEADLINE_NEAR: _("The deadline of case #%(id)s is near."),
        NotificationKind.DEADLINE_EXTENDED: _("The deadline of case #%(id)s was extended."),
        NotificationKind.HELD_BACK: _(
            "Case #%(id)s is past its deadline and was not escalated, as it is being worked on: "
            "extend its deadline or escalate it."
        ),
    }
    return texts[NotificationKind(kind)] % {"id": case_id}


def notify(users: Iterable[User], case: Case, kind: str, *, excluding: Any = None) -> list[Notification]:
    """Notify each user once (not the one who made the change), inside the caller's transaction."""
    now = timezone.now()
    chosen: dict[int, User] = {}
    for user in users:
        if user.is_active and (excluding is None or user.pk != excluding.pk):
            chosen[user.pk] = user
    made = Notification.objects.bulk_create(
        [Notification(user=user, case=case, kind=kind, created_at=now) for user in chosen.values()]
    )
    addresses = [user.email for user in chosen.values() if user.email and user.email_notices]
    if addresses:
        case_id = case.pk
        # By the job worker after commit: a mail server that is down never undoes,
        # breaks or slows the change.
        transaction.on_commit(lambda: mail.enqueue(addresses, kind, case_id), robust=True)
    return made


@task()
def mail(addresses: list[str], kind: str, case_id: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = describe(kind, case_id)
        link = reverse("cases:case-detail", args=[case_id])
        body = f"{text}\n\n{settings.PILAR_BASE_URL}{link}\n"
        send_mail(f"[Pilar] {text}", body, None, addresses)
