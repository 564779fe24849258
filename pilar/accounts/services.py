"""State changes of accounts and roles. Pages, API views and commands call these;
none of them repeats the rules (see pilar.accounts.policy)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pilar.accounts import policy
from pilar.accounts.models import RoleAssignment, User
from pilar.accounts.roles import ROLE_REGION_LEVEL, Role
from pilar.core.history import stamp
from pilar.regions.models import Region, RegionLevel

# The reason of changes made where no user acts (see pilar.core.history).
SYSTEM_REASON = gettext_noop("Through the command line")


def check_role_region(role: str, region: Region | None) -> None:
    """Raise ValidationError unless `region` is of the level `role` is tied to."""
    if role not in Role.values:
        raise ValidationError(
            _("Unknown role %(role)s. Choose one of: %(roles)s.") % {"role": role, "roles": ", ".join(Role.values)},
            code="unknown_role",
        )
    expected_level = ROLE_REGION_LEVEL[role]
    label = Role(role).label
    if expected_level is None:
        if region is not None:
            raise ValidationError(
                _("The role %(role)s covers the whole nation and takes no region.") % {"role": label},
                code="region_not_allowed",
            )
        return
    if region is None:
        raise ValidationError(
            _("The role %(role)s needs a region: a %(level)s.")
            % {"role": label, "level": RegionLevel(expected_level).label.lower()},
            code="region_required",
        )
    if region.level != expected_level:
        raise ValidationError(
            _("The role %(role)s needs a %(level)s; %(region)s is a %(actual)s.")
            % {
                "role": label,
                "level": RegionLevel(expected_level).label.lower(),
                "region": region,
                "actual": RegionLevel(region.level).label.lower(),
            },
            code="wrong_region_level",
        )
    if not region.is_active:
        raise ValidationError(
            _("%(region)s is no longer an active region.") % {"region": region}, code="inactive_region"
        )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this for that role or region."))


@transaction.atomic
def grant_role(
    user: User, *, role: str, region: Region | None, acting_user: User | None, reason: str = ""
) -> RoleAssignment:
    """Give `user` a role. `acting_user` None means the command line (no policy check)."""
    check_role_region(role, region)
    if acting_user is not None:
        _require(policy.can_grant(acting_user, role=role, region_code=region.code if region else None, target=user))
    # The unique constraints on active roles decide a duplicate, also between two
    # simultaneous grants; the savepoint keeps the outer transaction usable.
    assignment = RoleAssignment(user=user, role=role, region=region, granted_by=acting_user)
    stamp(assignment, acting_user, reason or (SYSTEM_REASON if acting_user is None else ""))
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise ValidationError(
            _("%(user)s already holds this role in this region.") % {"user": user.username}, code="duplicate_role"
        ) from None
    user.forget_cached_roles()
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, acting_user: User | None, reason: str) -> RoleAssignment:
    if acting_user is not None:
        _require(
            policy.can_grant(
                acting_user, role=assignment.role, region_code=assignment.region_id, target=assignment.user
            )
        )
    locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not locked.is_active:
        raise ValidationError(_("This role has already been revoked."), code="already_revoked")
    locked.is_active = False
    locked.revoked_at = timezone.now()
    locked.revoked_by = acting_user
    locked.revoke_reason = reason
    stamp(locked, acting_user, reason)
    locked.save()
    assignment.user.forget_cached_roles()
    assignment.user.end_sessions()  # a session never keeps a role that is gone
    return locked


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None = None,
    full_name: str,
    role: str,
    region: Region | None,
    acting_user: User | None,
    email: str = "",
    phone: str = "",
) -> User:
    """Create an account with its first role, both or neither. Without `password` the
    account has none until its user chooses one through `issue_password_link`."""
    check_role_region(role, region)
    if acting_user is not None:
        _require(policy.can_grant(acting_user, role=role, region_code=region.code if region else None))
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    stamp(user, acting_user, "" if acting_user else SYSTEM_REASON)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(_("A user with that username already exists."), code="duplicate_username") from None
    grant_role(user, role=role, region=region, acting_user=acting_user, reason=gettext_noop("With the new account"))
    return user


@transaction.atomic
def issue_password_link(user: User, *, acting_user: User | None) -> str:
    """A single-use link (its path) with which `user` chooses their own password.

    No operator ever sets or learns another user's password: they hand over this
    link, printed or sent to the user's e-mail. It works once (it stops working
    when the password changes or the user signs in) and for PASSWORD_RESET_TIMEOUT
    (`PILAR_PASSWORD_LINK_HOURS`); each link issued is recorded in the user's history.
    """
    if acting_user is not None:
        _require(policy.can_manage_user(acting_user, user))
    if not user.is_active:
        raise ValidationError(_("The account is deactivated; activate it first."), code="inactive")
    token = default_token_generator.make_token(user)
    path = reverse(
        "accounts:password-link", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}
    )
    stamp(user, acting_user, gettext_noop("Password link issued"))
    user.save(update_fields=["full_name"])  # the history row that records the link
    if user.email:
        link = f"{settings.PILAR_BASE_URL}{path}"
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        text = _(
            "Hello %(name)s,\n\nChoose your Pilar password with this link (it works once, for %(hours)s hours):"
            "\n\n%(link)s\n\nIf you did not expect it, tell your Dinsos office."
        ) % {"name": user.full_name, "hours": hours, "link": link}
        address = user.email
        # robust: a mail server that is down is logged and never undoes the link.
        transaction.on_commit(lambda: send_mail(_("Your Pilar sign-in"), text, None, [address]), robust=True)
    return path


@transaction.atomic
def set_active(user: User, *, is_active: bool, acting_user: User | None, reason: str) -> None:
    if acting_user is not None:
        _require(policy.can_manage_user(acting_user, user))
    user.is_active = is_active
    stamp(user, acting_user, reason)
    user.save(update_fields=["is_active"])
    if not is_active:
        user.end_sessions()
