"""Pages of accounts, one module per concern.

``accounts``: sign-in and the second factor, one's own password, users, role assignments, the security policy;
``tokens``: each user's own API tokens.
"""
