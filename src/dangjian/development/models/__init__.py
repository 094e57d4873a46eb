from .development import CaseStatus, Contact, ContactRole, Development, DevelopmentStage, Override, StepRecord

__all__ = ["CaseStatus", "Contact", "ContactRole", "Development", "DevelopmentStage", "Override", "StepRecord"]
