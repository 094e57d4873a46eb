"""The pages of party work inside the business, under ``/integration/`` (namespace ``integration``).

Each part appends its own block below.
"""

from django.urls import path  # noqa: F401

app_name = "integration"
urlpatterns: list = []
