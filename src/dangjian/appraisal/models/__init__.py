from .appraisal import Appraisal, AppraisalStatus, Grade, Participant
from .ratings import MutualRating

__all__ = ["Appraisal", "AppraisalStatus", "Grade", "MutualRating", "Participant"]
