import secrets
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from pilar.accounts import services
from pilar.accounts.models import User
from pilar.accounts.roles import Role
from pilar.regions.models import Region


class Command(BaseCommand):
    help = "Create a user with a role, or add a role to an existing user."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--region", default="", help="Region code; leave out for pusat and admin.")
        parser.add_argument("--full-name", default="", help="Defaults to the username.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the new user's password from standard input (otherwise one is generated and printed).",
        )

    def handle(
        self, *args: Any, username: str, role: str, region: str, full_name: str, password_stdin: bool, **options: Any
    ) -> None:
        region_object = None
        if region:
            region_object = Region.objects.filter(code=region).first()
            if region_object is None:
                raise CommandError(_("There is no region with code %(code)s.") % {"code": region})
        try:
            with transaction.atomic():
                existing = User.objects.filter(username=username).first()
                if existing is not None:
                    services.grant_role(existing, role=role, region=region_object, acting_user=None)
                    self.stdout.write(_("Role %(role)s added to %(username)s.") % {"role": role, "username": username})
                    return
                generated = not password_stdin
                password = secrets.token_urlsafe(12) if generated else sys.stdin.readline().rstrip("\n")
                services.create_user(
                    username=username,
                    password=password,
                    full_name=full_name or username,
                    role=role,
                    region=region_object,
                    acting_user=None,
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(_("User %(username)s created with the role %(role)s.") % {"username": username, "role": role})
        if generated:
            self.stdout.write(_("Password: %(password)s") % {"password": password})
