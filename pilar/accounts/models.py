from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilar.accounts.roles import NATIONAL_ROLES, Role
from pilar.core.scoping import RegionScopedQuerySet, Scope
from pilar.regions.models import Region


class UserQuerySet(models.QuerySet["User"]):
    def holding(self, role: str, region_code: str | None) -> UserQuerySet:
        """Active users who hold `role` at exactly `region_code` (those a case, a report
        or a notice goes to there), by id."""
        return (
            self.filter(
                is_active=True,
                role_assignments__is_active=True,
                role_assignments__role=role,
                role_assignments__region_id=region_code,
            )
            .distinct()
            .order_by("pk")
        )

    def visible_to(self, viewer: Any) -> UserQuerySet:
        """Users holding at least one active role inside the viewer's scope.

        A national role sees every user, including those without a role yet.
        """
        if Scope.for_user(viewer).everything:
            return self
        roles_in_scope = RoleAssignment.objects.visible_to(viewer).filter(user=OuterRef("pk"), is_active=True)
        return self.filter(Exists(roles_in_scope))

    def search(self, query: str) -> UserQuerySet:
        """Users whose username or full name contains `query` (all users when it is empty)."""
        query = query.strip()
        if not query:
            return self
        return self.filter(Q(username__icontains=query) | Q(full_name__icontains=query))

    def with_current_roles(self) -> UserQuerySet:
        """Prefetch each user's active roles (with their regions) into `current_roles`."""
        return self.prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(is_active=True).select_related("region"),
                to_attr="current_roles",
            )
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A person who signs in. What they may see and do comes only from their roles."""

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        error_messages={"unique": _("A user with that username already exists.")},
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    # Notifications and notices also by e-mail (to `email`), or in the app only.
    email_notices = models.BooleanField(_("notifications by e-mail too"), default=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Raised to end every session and API token of the user at once (see end_sessions).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_epoch"])

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """A session holds this hash; it stops matching, and the session is refused on
        its next request, when the password changes or `end_sessions` is called."""
        return salted_hmac(
            "pilar.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def end_sessions(self) -> None:
        """End every session and API token of the user from their next request on:
        deactivation, a role revoked, a new password, a second factor reset."""
        from rest_framework.authtoken.models import Token

        if self.pk is None:
            return
        User.objects.filter(pk=self.pk).update(session_epoch=models.F("session_epoch") + 1)
        self.refresh_from_db(fields=["session_epoch"])
        Token.objects.filter(user=self).delete()

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.end_sessions()

    def active_role_assignments(self) -> list[RoleAssignment]:
        """The user's active roles, read once per request (the instance lives one request)."""
        cached: list[RoleAssignment] | None = getattr(self, "_active_role_assignments", None)
        if cached is None:
            if self.pk is None:
                cached = []
            else:
                cached = list(
                    self.role_assignments.filter(is_active=True).select_related("region").order_by("role", "region_id")
                )
            self._active_role_assignments = cached
        return cached

    def forget_cached_roles(self) -> None:
        self.__dict__.pop("_active_role_assignments", None)

    def has_role(self, *roles: str) -> bool:
        return any(assignment.role in roles for assignment in self.active_role_assignments())


class RoleAssignment(models.Model):
    """One role of a user, tied to one region (or to the nation for pusat and admin).

    Revoking keeps the row (inactive) so that who held which role, and when, stays known.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("region"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("granted by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("revoked by")
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    history = HistoricalRecords()

    # Nationwide assignments (no region) are visible only to national roles.
    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["role", "region_id"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=sorted(NATIONAL_ROLES), region__isnull=True)
                | (~Q(role__in=sorted(NATIONAL_ROLES)) & Q(region__isnull=False)),
                name="role_has_region_unless_national",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(is_active=True, region__isnull=False),
                name="one_active_regional_role_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(is_active=True, region__isnull=True),
                name="one_active_national_role_per_user",
            ),
        ]
        indexes = [models.Index(fields=["region", "role"], name="role_region_role")]

    def __str__(self) -> str:
        where = self.region.name if self.region else _("Indonesia")
        return f"{self.get_role_display()} · {where}"
