from .indicator import Indicator, Method
from .system import AppliesTo, IndicatorSystem, SystemStatus

__all__ = ["AppliesTo", "Indicator", "IndicatorSystem", "Method", "SystemStatus"]
