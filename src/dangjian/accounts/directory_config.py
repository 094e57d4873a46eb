"""The settings of the optional directory sign-in (LDAP / Active Directory), read from the environment.

Off unless ``DANGJIAN_LDAP_URL`` is set: then ``settings.py`` adds ``accounts.directory.DirectoryBackend`` after the
local backend and the ``AUTH_LDAP_*`` settings below, which django-auth-ldap reads. Kept apart from ``settings.py``
(no database, no request) so that a test can read what a given environment turns on.

The user is found by a search (``DANGJIAN_LDAP_USER_FILTER``, Active Directory's ``sAMAccountName`` by default;
``(uid=%(user)s)`` for OpenLDAP) and bound as with their password; their account here is found through the person
whose 工号 (``DANGJIAN_LDAP_EMPLOYEE_NO_ATTR``) or ID number (``DANGJIAN_LDAP_ID_NUMBER_ATTR``) the entry carries
(``accounts.directory``). Nothing else of the entry is copied: the roster stays the source of names and units.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

BACKEND = "dangjian.accounts.directory.DirectoryBackend"
# Where accounts.directory leaves the reason of a refusal for the login form and the audit log (one request).
REFUSAL_ATTR = "dangjian_directory_refusal"
DEFAULT_USER_FILTER = "(sAMAccountName=%(user)s)"
DEFAULT_EMPLOYEE_NO_ATTR = "employeeNumber"
# A login waits at most this long for an unreachable directory before the local refusal is shown.
TIMEOUT_SECONDS = 5


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def ldap_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The ``AUTH_LDAP_*`` and ``DANGJIAN_LDAP_*`` settings for ``environ``; empty when directory sign-in is off."""
    url = environ.get("DANGJIAN_LDAP_URL", "").strip()
    if not url:
        return {}
    import ldap
    from django_auth_ldap.config import LDAPSearch

    options: dict[int, Any] = {
        # Active Directory answers a search with referrals that the library would chase anonymously.
        ldap.OPT_REFERRALS: 0,
        ldap.OPT_NETWORK_TIMEOUT: TIMEOUT_SECONDS,
        ldap.OPT_TIMEOUT: TIMEOUT_SECONDS,
    }
    ca_file = environ.get("DANGJIAN_LDAP_CA_FILE", "").strip()
    if ca_file:  # the institute's own CA, for ldaps:// or StartTLS; the server's certificate is always checked
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: makes the TLS options above take effect on this connection
    base = environ.get("DANGJIAN_LDAP_USER_SEARCH_BASE", "").strip()
    user_filter = environ.get("DANGJIAN_LDAP_USER_FILTER", "").strip() or DEFAULT_USER_FILTER
    return {
        "AUTH_LDAP_SERVER_URI": url,
        "AUTH_LDAP_BIND_DN": environ.get("DANGJIAN_LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": environ.get("DANGJIAN_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": _flag(environ.get("DANGJIAN_LDAP_START_TLS")),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(base, ldap.SCOPE_SUBTREE, user_filter),
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        # Accounts are matched and opened by accounts.directory, never copied from the entry.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": False,
        "AUTH_LDAP_USER_ATTR_MAP": {},
        "DANGJIAN_LDAP_EMPLOYEE_NO_ATTR": environ.get("DANGJIAN_LDAP_EMPLOYEE_NO_ATTR", "").strip()
        or DEFAULT_EMPLOYEE_NO_ATTR,
        "DANGJIAN_LDAP_ID_NUMBER_ATTR": environ.get("DANGJIAN_LDAP_ID_NUMBER_ATTR", "").strip(),
    }
