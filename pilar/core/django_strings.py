"""Django's own interface strings that its Indonesian catalogue does not translate yet.
Named here so that `make messages` keeps them in Pilar's catalogue, which Django
consults before its own. Nothing imports this module."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),  # the empty choice of a select (Django 6)
]
