from .checkup import Checkup, CheckupQuerySet
from .consent import Consent
from .importing import CheckupImportJob, ColumnMapping

__all__ = ["Checkup", "CheckupImportJob", "CheckupQuerySet", "ColumnMapping", "Consent"]
