"""Health management pages (健康管理), one module per concern.

``records``: people in scope with their consent and checkup status, a person's record, consents;
``imports``: checkup imports and column mappings; ``queue``: the follow-up queue and a person's follow-up;
``runs``: screening runs; ``aggregates``: the leaders' counts without names.
"""
