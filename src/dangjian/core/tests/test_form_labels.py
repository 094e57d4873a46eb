"""Every label a form shows is Chinese in the Chinese interface: no "Person *" or "User *" taken from a model field
without a verbose name, nor a field name made pretty by Django."""

from __future__ import annotations

import pkgutil
import re
from importlib import import_module

import django_filters
import pytest
from django import forms
from django.forms.utils import pretty_name
from django.utils import translation

import dangjian

_CJK = re.compile(r"[\u3400-\u9fff]")


def _form_modules() -> list[str]:
    """Every module of the project's apps (forms live in ``forms`` modules, but also beside views and queues)."""
    names = []
    for info in pkgutil.walk_packages(dangjian.__path__, "dangjian."):
        parts = info.name.split(".")
        if {"tests", "migrations", "testing", "wsgi"} & set(parts) or info.name.endswith("pytest_plugin"):
            continue
        names.append(info.name)
    return names


def _subclasses(base: type) -> set[type]:
    out, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in out:
                out.add(sub)
                todo.append(sub)
    return {c for c in out if c.__module__.startswith("dangjian.")}


def _fields(cls) -> dict:
    """The fields as a page shows them: from an instance where the form can be built without arguments (labels set
    in ``__init__`` count), else as the class declares them."""
    if issubclass(cls, django_filters.FilterSet):
        return dict(cls.base_filters)
    try:
        return dict(cls().fields)
    except Exception:  # noqa: BLE001 — a form that needs its page's arguments: judge its declared fields
        return dict(cls.base_fields)


def _labels(cls) -> list[tuple[str, object]]:
    out = []
    for name, field in _fields(cls).items():
        widget = getattr(field, "widget", None)
        if isinstance(widget, forms.HiddenInput):
            continue
        out.append((name, field.label if field.label is not None else pretty_name(name)))
    return out


def test_the_project_forms_are_found():
    modules = _form_modules()
    assert {"dangjian.people.forms", "dangjian.health.followup_forms", "dangjian.audit.views"} <= set(modules)


@pytest.mark.django_db
def test_every_form_label_is_chinese_in_the_chinese_interface():
    for name in _form_modules():
        import_module(name)
    classes = _subclasses(forms.BaseForm) | _subclasses(django_filters.FilterSet)
    assert len(classes) > 20
    english = []
    with translation.override("zh-hans"):
        for cls in sorted(classes, key=lambda c: (c.__module__, c.__qualname__)):
            for field, label in _labels(cls):
                if label and not _CJK.search(str(label)):
                    english.append(f"{cls.__module__}.{cls.__qualname__}.{field}: {label}")
    assert not english, "\n".join(english)
