"""Published health-risk screening models (HEALTH_MODELS.md), as pure functions.

Importable without Django settings: nothing here imports Django. Every function takes keyword arguments only,
with units in the argument names; a missing, mistyped or out-of-range input raises ``ScoreInputError`` (a
``ValueError``) whose Chinese message names the field and the accepted range. Results are frozen dataclasses
carrying the model's name, version and citation. The models' scores are on different scales: never add them.
"""

from ._inputs import ScoreInputError
from .china_par import ChinaParResult, china_par_10y_risk, china_par_category
from .colorectal import ApcsScore, apcs_category, apcs_score, crc_questionnaire_high_risk
from .gastric import GastricCancerScore, gastric_cancer_score, gastric_category

__all__ = [
    "ApcsScore",
    "ChinaParResult",
    "GastricCancerScore",
    "ScoreInputError",
    "apcs_category",
    "apcs_score",
    "china_par_10y_risk",
    "china_par_category",
    "crc_questionnaire_high_risk",
    "gastric_cancer_score",
    "gastric_category",
]
