"""The yearly work plan's pages, under ``/work-plan/`` (namespace ``workplan``)."""

from django.urls import path  # noqa: F401

app_name = "workplan"
urlpatterns: list = []
