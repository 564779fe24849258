"""Settings for the test suite: the real settings with a throwaway key and a fast hasher.

Argon2 is the production hasher (asserted by tests/accounts/test_login.py); tests
that create many users use MD5 so the suite stays fast.
"""

import os

os.environ.setdefault("PILAR_SECRET_KEY", "tests-only-not-secret")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
LOGGING["loggers"] = {"axes": {"level": "WARNING"}}  # noqa: F405
# Jobs run at once, in the test's process (the demo and production use the database queue).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
