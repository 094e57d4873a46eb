"""Pages of party dues (党费), one module per concern.

``ledger``: the monthly ledger, a member's page, arrears, the summary and its export;
``entries``: what is entered: payments, bases, reliefs and their decisions, the bank's pay sheet.
"""
