from __future__ import annotations

from datetime import date

from ninja import Field, Schema


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None  # required for the roles in DANGJIAN_2FA_ROLES: authenticator or recovery code


class TokenOut(Schema):
    token: str
    expires_at: str


class ErrorOut(Schema):
    detail: str | list


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    joint: bool
    path: str
    depth: int
    parent_id: int | None = None
    founded_on: date | None
    dissolved_on: date | None


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: date
    id_number: str
    phone: str
    ethnicity: str
    education: str
    department_id: int | None
    post: str
    title: str
    employment: str
    political_status: str
    hire_date: date | None
    employee_no: str


class PersonListOut(PersonOut):
    """Lists never carry full ID numbers or phones, whatever the role."""

    @staticmethod
    def resolve_id_number(obj) -> str:
        return obj.masked_id_number

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.masked_phone if obj.phone else ""


class PersonIn(Schema):
    name: str
    id_number: str
    sex: str | None = None
    birth_date: date | None = None
    ethnicity: str = "汉族"
    education: str = ""
    phone: str = ""
    department_id: int | None = None
    post: str = ""
    title: str = ""
    employment: str = "staff"
    political_status: str = "masses"
    hire_date: date | None = None
    employee_no: str = ""


class PersonPatch(Schema):
    name: str | None = None
    ethnicity: str | None = None
    education: str | None = None
    phone: str | None = None
    department_id: int | None = None
    post: str | None = None
    title: str | None = None
    employment: str | None = None
    hire_date: date | None = None
    employee_no: str | None = None


class MembershipOut(Schema):
    id: int
    person_id: int
    organization_id: int
    group_id: int | None
    status: str
    applied_on: date | None
    admitted_on: date | None
    converted_on: date | None
    started_on: date
    ended_on: date | None
    end_reason: str
    # Read-only: why the membership began and ended (the statistics' 党员增加/减少 causes), as the code of
    # people.models.StartCause / EndCause ("" when not recorded) and its Chinese label.
    start_cause: str = Field(description="增加原因代码（StartCause），未记录时为空")
    start_cause_label: str = Field(description="增加原因")
    end_cause: str = Field(description="减少原因代码（EndCause），未终止或未记录时为空")
    end_cause_label: str = Field(description="减少原因")

    @staticmethod
    def resolve_start_cause_label(obj) -> str:
        return str(obj.get_start_cause_display()) if obj.start_cause else ""

    @staticmethod
    def resolve_end_cause_label(obj) -> str:
        return str(obj.get_end_cause_display()) if obj.end_cause else ""


class MoveIn(Schema):
    to_branch_id: int
    on: date
    group_id: int | None = None
    reason: str = ""


class OrganizationIn(Schema):
    parent_id: int
    kind: str
    code: str
    name: str
    short_name: str = ""
    joint: bool = False
    founded_on: date | None = None
    order: int = 0


class OrganizationPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    joint: bool | None = None
    founded_on: date | None = None
    order: int | None = None


class DissolveIn(Schema):
    on: date
    reason: str
