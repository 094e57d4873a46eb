from .brand import BranchBrand, BrandEvidence, BrandReview, BrandStatus, ReviewResult
from .indicator import Indicator, Method
from .system import AppliesTo, IndicatorSystem, SystemStatus

__all__ = [
    "AppliesTo",
    "BranchBrand",
    "BrandEvidence",
    "BrandReview",
    "BrandStatus",
    "Indicator",
    "IndicatorSystem",
    "Method",
    "ReviewResult",
    "SystemStatus",
]
