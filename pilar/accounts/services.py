"""State changes of accounts and roles. Pages, API views and commands call these;
none of them repeats the rules (see pilar.accounts.policy)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilar.accounts import policy
from pilar.accounts.models import RoleAssignment, User
from pilar.accounts.roles import ROLE_REGION_LEVEL, Role
from pilar.core.history import stamp
from pilar.regions.models import Region, RegionLevel

SYSTEM_REASON = "command line"


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
    return locked


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    region: Region | None,
    acting_user: User | None,
    email: str = "",
    phone: str = "",
) -> User:
    """Create an account with its first role, both or neither."""
    check_role_region(role, region)
    if acting_user is not None:
        _require(policy.can_grant(acting_user, role=role, region_code=region.code if region else None))
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    validate_password(password, user)
    user.set_password(password)
    stamp(user, acting_user, "created" if acting_user else SYSTEM_REASON)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(_("A user with that username already exists."), code="duplicate_username") from None
    grant_role(user, role=role, region=region, acting_user=acting_user, reason="created")
    return user


@transaction.atomic
def set_password(user: User, *, password: str, acting_user: User | None) -> None:
    """An operator sets another user's password (the user's own change goes through
    Django's password-change view, which checks the old password)."""
    if acting_user is not None:
        _require(policy.can_manage_user(acting_user, user))
    validate_password(password, user)
    user.set_password(password)
    stamp(user, acting_user, "password set")
    user.save(update_fields=["password"])


@transaction.atomic
def set_active(user: User, *, is_active: bool, acting_user: User | None, reason: str) -> None:
    if acting_user is not None:
        _require(policy.can_manage_user(acting_user, user))
    user.is_active = is_active
    stamp(user, acting_user, reason)
    user.save(update_fields=["is_active"])
