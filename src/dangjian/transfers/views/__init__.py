"""Pages of organisational-relation transfers (组织关系转接) and lost contact (失联党员), one module each.

``transfers``: the list, a new or incoming transfer, its page, its steps and the introduction letter;
``lost``: lost-contact cases, their contact attempts and decisions.
"""
