"""The confidence marks as model and form choices, translated (the labels are defined in ``confidence``)."""

from django.utils.translation import gettext_lazy

from .confidence import LABELS, Confidence

CHOICES = [(c.value, gettext_lazy(LABELS[c])) for c in Confidence]
