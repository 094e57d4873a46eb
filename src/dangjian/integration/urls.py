"""The pages of party work inside the business, under ``/integration/`` (namespace ``integration``).

Each part appends its own block below.
"""

from django.urls import path  # noqa: F401

app_name = "integration"
urlpatterns: list = []

from .views import evidence as evidence_views  # noqa: E402
from .views import matrix as matrix_views  # noqa: E402

# the integration matrix (融合矩阵) and the evidence files of every carrier
urlpatterns += [
    path("matrix/", matrix_views.matrix, name="matrix"),
    path("matrix/cell/", matrix_views.matrix_cell, name="matrix_cell"),
    path("matrix/export/", matrix_views.matrix_export, name="matrix_export"),
    path("evidence/<int:pk>/", evidence_views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/withdraw/", evidence_views.evidence_withdraw, name="evidence_withdraw"),
]
