from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pilar.core"
