"""The generic scope test's objects for the integration pages: each part keeps its own module, chosen by the URL
name's first word (``project_detail`` → ``business_scope``)."""

from __future__ import annotations

import importlib

MODULES = {
    "line": "business_scope",
    "stage": "business_scope",
    "project": "business_scope",
    "milestone": "business_scope",
    "post": "posts_scope",
    "zone": "posts_scope",
    "taskforce": "team_scope",
    "pledge": "team_scope",
    "partner": "joint_scope",
    "joint": "joint_scope",
    "liaison": "joint_scope",
    "link": "joint_scope",
    "matrix": "matrix_scope",
    "carrier": "matrix_scope",
    "evidence": "matrix_scope",
}


def object_for(world, name: str, param: str):
    module = importlib.import_module(f"{__package__}.{MODULES[name.split('_')[0]]}")
    return module.object_for(world, name, param)
