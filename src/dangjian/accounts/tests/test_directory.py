"""Sign-in with the institute's directory (issue 13 §1), against a real OpenLDAP server.

python-ldap's ``slapdtest`` starts a throwaway slapd (Debian: ``slapd`` and ``ldap-utils``, ``make debian-deps``)
with a few people in ``ou=people``; the tests sign in through the login page, as a user would, with the directory
backend configured from an environment as ``settings.py`` reads it (``directory_config.ldap_settings``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from dangjian.accounts.directory_config import BACKEND, ldap_settings
from dangjian.accounts.models import RoleAssignment, User
from dangjian.audit.models import AuditEvent
from dangjian.testing import PASSWORD, make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db

DIR_PASSWORD = "Directory#Pass1"
UNMATCHED = "目录账号未对应到人员：请联系党委办公室核对工号"
PEOPLE = [
    # uid, employeeNumber (None: the entry has none)
    ("zhangsan", "E1001"),
    ("lisi", "E1002"),
    ("wangwu", "E9999"),
    ("zhaoliu", "E1004"),
    ("admin1", "E1005"),
    ("sunba", "E1006"),
    ("zhoujiu", "E1007"),
    ("wushi", None),
]


def _slapd_class():
    try:
        from slapdtest import SlapdObject
    except ImportError as exc:  # python-ldap is a dependency; only its test helper could be missing
        pytest.skip(f"slapdtest unavailable: {exc}")

    class Slapd(SlapdObject):
        TMPDIR = tempfile.gettempdir()
        openldap_schema_files = ("core.ldif", "cosine.ldif", "inetorgperson.ldif")
        slapd_loglevel = "0"

    return Slapd


@pytest.fixture(scope="module")
def slapd():
    cls = _slapd_class()
    try:
        server = cls()
    except ValueError as exc:  # slapd, ldapadd or the schema files are not installed
        pytest.skip(f"OpenLDAP server not installed (apt-get install slapd ldap-utils): {exc}")
    server.start()
    suffix = server.suffix
    entries = [f"dn: {suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: slapd-test\no: test\n"]
    entries.append(f"dn: ou=people,{suffix}\nobjectClass: organizationalUnit\nou: people\n")
    for uid, employee_no in PEOPLE:
        entry = (
            f"dn: uid={uid},ou=people,{suffix}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {uid}\nsn: {uid}\n"
            f"userPassword: {DIR_PASSWORD}\n"
        )
        if employee_no:
            entry += f"employeeNumber: {employee_no}\n"
        entries.append(entry)
    server.ldapadd("\n".join(entries))
    yield server
    server.stop()


@pytest.fixture
def directory(slapd, settings):
    """Directory sign-in on, configured as an operator would (the ID number in ``description``)."""
    _configure(settings, slapd, DANGJIAN_LDAP_ID_NUMBER_ATTR="description")
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return slapd


def _configure(settings, slapd, **extra):
    env = {
        "DANGJIAN_LDAP_URL": slapd.ldap_uri,
        "DANGJIAN_LDAP_BIND_DN": slapd.root_dn,
        "DANGJIAN_LDAP_BIND_PASSWORD": slapd.root_pw,
        "DANGJIAN_LDAP_USER_SEARCH_BASE": f"ou=people,{slapd.suffix}",
        "DANGJIAN_LDAP_USER_FILTER": "(uid=%(user)s)",
        **extra,
    }
    for name, value in ldap_settings(env).items():
        setattr(settings, name, value)


@pytest.fixture
def tree():
    return make_tree()


def _login(client, username, password=DIR_PASSWORD, addr="10.1.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=addr)


def _signed_in(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def _failure(username) -> AuditEvent:
    return AuditEvent.objects.filter(action="login_failed", object_repr=username).latest("id")


def test_directory_sign_in_is_off_unless_its_url_is_set(settings, client):
    assert "单位目录" not in client.get(reverse("accounts:login")).content.decode()
    assert ldap_settings({}) == {}
    assert ldap_settings({"DANGJIAN_LDAP_URL": "  "}) == {}
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS
    on = ldap_settings({"DANGJIAN_LDAP_URL": "ldaps://dc.example.org"})
    assert on["AUTH_LDAP_SERVER_URI"] == "ldaps://dc.example.org"
    assert on["AUTH_LDAP_USER_SEARCH"].filterstr == "(sAMAccountName=%(user)s)"
    assert on["DANGJIAN_LDAP_EMPLOYEE_NO_ATTR"] == "employeeNumber" and not on["AUTH_LDAP_START_TLS"]


def test_the_person_with_that_employee_number_signs_into_their_own_account(client, directory, tree):
    person = make_member(tree.branch1, "张三", employee_no="E1001")
    account = make_user("zs2019", "member", person=person)
    before = User.objects.count()
    assert "单位目录（域账号）" in client.get(reverse("accounts:login")).content.decode()
    response = _login(client, "zhangsan")
    assert response.status_code == 302
    assert _signed_in(client) == account.pk
    assert User.objects.count() == before  # never a second account
    event = AuditEvent.objects.filter(action="login", object_id=str(account.pk)).latest("id")
    assert event.detail == {"directory": True}
    # the local password still works, audited as a local login
    client.logout()
    assert _login(client, "zs2019", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="login", object_id=str(account.pk)).latest("id").detail is None


def test_a_member_without_an_account_gets_a_members_account_linked_to_them(client, directory, tree):
    person = make_member(tree.branch1, "李四", employee_no="E1002")
    response = _login(client, "lisi")
    assert response.status_code == 302
    account = User.objects.get(person=person)
    assert _signed_in(client) == account.pk
    assert account.username == "lisi" and account.first_name == "李四"
    assert not account.has_usable_password() and not account.must_change_password
    roles = list(RoleAssignment.objects.active().filter(user=account).values_list("role", "organization"))
    assert roles == [("member", None)]
    created = AuditEvent.objects.get(action="create", object_id=str(account.pk))
    assert created.detail["directory"] and created.detail["role"] == "member"
    # the home page opens: no password change is demanded of an account without a local password
    assert client.get(reverse("core:home")).status_code == 200
    # nor is a local password asked for on the change page
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "没有本地密码" in page and '<form method="post" class="form"' not in page
    # the next sign-in uses the same account
    client.logout()
    assert _login(client, "lisi").status_code == 302
    assert User.objects.filter(person=person).count() == 1


def test_a_local_username_taken_by_someone_else_gets_a_number(client, directory, tree):
    make_user("LISI", "member")
    person = make_member(tree.branch1, "李四", employee_no="E1002")
    assert _login(client, "lisi").status_code == 302
    assert User.objects.get(person=person).username == "lisi2"


def test_a_directory_user_who_is_no_one_on_the_roster_is_refused_with_the_reason(client, directory, tree):
    before = User.objects.count()
    response = _login(client, "wangwu")
    assert response.status_code == 200
    assert UNMATCHED in response.content.decode()
    assert _signed_in(client) is None and User.objects.count() == before
    assert _failure("wangwu").detail == {"directory": "unmatched", "reason": UNMATCHED}
    # the auditor reads the reason in the log
    from dangjian.testing import login_with_second_factor

    login_with_second_factor(client, make_user("audit", "auditor"))
    html = client.get(reverse("audit:log")).content.decode()
    assert "目录登录" in html and UNMATCHED in html


def test_an_entry_without_employee_number_or_id_number_is_refused(client, directory, tree):
    response = _login(client, "wushi")
    assert UNMATCHED in response.content.decode() and _signed_in(client) is None


def test_the_id_number_matches_when_the_employee_number_does_not(client, directory, tree):
    person = make_member(tree.branch1, "孙八")
    directory.ldapmodify(
        f"dn: uid=sunba,ou=people,{directory.suffix}\nchangetype: modify\n"
        f"replace: description\ndescription: {person.id_number.lower()}\n"
    )
    assert _login(client, "sunba").status_code == 302
    assert User.objects.get(pk=_signed_in(client)).person == person


def test_a_person_who_is_not_a_party_member_gets_no_account(client, directory, tree):
    make_person("周九", employee_no="E1007")
    response = _login(client, "zhoujiu")
    assert "不是在册党员" in response.content.decode()
    assert not User.objects.filter(person__employee_no="E1007").exists()
    assert _failure("zhoujiu").detail["directory"] == "not_member"


def test_deactivating_the_account_ends_its_directory_session(client, directory, tree):
    person = make_member(tree.branch1, "张三", employee_no="E1001")
    account = make_user("zs2019", "member", person=person)
    assert _login(client, "zhangsan").status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    User.objects.filter(pk=account.pk).update(is_active=False)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_inactive_account_stays_refused(client, directory, tree):
    person = make_member(tree.branch1, "赵六", employee_no="E1004")
    account = make_user("zl", "member", person=person)
    User.objects.filter(pk=account.pk).update(is_active=False)
    response = _login(client, "zhaoliu")
    assert "该账号已停用" in response.content.decode()
    assert _signed_in(client) is None
    assert User.objects.filter(person=person).count() == 1
    assert _failure("zhaoliu").detail["directory"] == "inactive"


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_an_administrators_account_never_signs_in_through_the_directory(client, directory, tree, role):
    person = make_person("管理员", employee_no="E1005")
    make_user("adm", role, person=person)
    response = _login(client, "admin1")
    assert "管理员账号不能通过目录登录" in response.content.decode()
    assert _signed_in(client) is None
    assert _failure("admin1").detail["directory"] == "administrator"


def test_a_wrong_directory_password_is_a_failed_login_counted_toward_the_lock_out(client, directory, tree):
    from axes.models import AccessAttempt

    person = make_member(tree.branch1, "张三", employee_no="E1001")
    make_user("zs2019", "member", person=person)
    response = _login(client, "zhangsan", "wrong-password")
    assert response.status_code == 200 and "用户名或密码错误" in response.content.decode()
    for _ in range(4):
        _login(client, "zhangsan", "wrong-password")
    assert AccessAttempt.objects.get(username="zhangsan").failures_since_start == 5
    assert AuditEvent.objects.filter(action="login_failed", object_repr="zhangsan").count() == 5
    # locked: even the right directory password is refused now, from another address
    assert _login(client, "zhangsan", addr="10.1.0.2").status_code == 429
    assert _signed_in(client) is None


def test_a_successful_sign_in_clears_the_failures_of_the_directory_name(client, directory, tree):
    from axes.models import AccessAttempt

    person = make_member(tree.branch1, "张三", employee_no="E1001")
    make_user("zs2019", "member", person=person)
    for _ in range(3):
        _login(client, "zhangsan", "wrong-password")
    assert AccessAttempt.objects.filter(username="zhangsan").exists()
    assert _login(client, "zhangsan").status_code == 302
    assert not AccessAttempt.objects.filter(username="zhangsan").exists()


def test_an_unused_one_time_local_password_gives_way_to_the_directory(client, directory, tree):
    person = make_member(tree.branch1, "张三", employee_no="E1001")
    account = make_user("zs2019", "member", person=person)
    User.objects.filter(pk=account.pk).update(must_change_password=True)
    assert _login(client, "zhangsan").status_code == 302
    account.refresh_from_db()
    assert not account.has_usable_password() and not account.must_change_password
    assert client.get(reverse("core:home")).status_code == 200  # not sent to the password change page
    assert AuditEvent.objects.filter(action="update", object_id=str(account.pk), detail__directory=True).exists()


def test_the_second_factor_still_applies_to_a_directory_sign_in(client, directory, tree, settings):
    settings.DANGJIAN_2FA_ROLES = ["secretary"]
    person = make_member(tree.branch1, "张三", employee_no="E1001")
    make_user("zs2019", "secretary", tree.branch1, person=person)
    assert _login(client, "zhangsan").status_code == 302
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:otp_enrol") in response["Location"]


def test_an_unreachable_directory_says_so(client, directory, tree, settings):
    settings.AUTH_LDAP_SERVER_URI = "ldap://127.0.0.1:1/"
    make_member(tree.branch1, "张三", employee_no="E1001")
    response = _login(client, "zhangsan")
    assert "目录服务暂时无法连接" in response.content.decode()
    assert _failure("zhangsan").detail["directory"] == "unreachable"


def test_the_security_policy_page_says_whether_directory_sign_in_is_on(client, settings):
    from dangjian.testing import login_with_second_factor

    login_with_second_factor(client, make_user("sec-admin", "secadmin"))
    assert "未启用（DANGJIAN_LDAP_URL 未设置）" in client.get(reverse("accounts:policy")).content.decode()
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    settings.AUTH_LDAP_SERVER_URI = "ldaps://dc.example.cn"
    html = client.get(reverse("accounts:policy")).content.decode()
    assert "已启用：ldaps://dc.example.cn" in html and "管理员账号不能通过目录登录" in html


def test_start_tls_with_the_institutes_own_ca(client, directory, tree, settings):
    _configure(settings, directory, DANGJIAN_LDAP_START_TLS="1", DANGJIAN_LDAP_CA_FILE=directory.cafile)
    person = make_member(tree.branch1, "张三", employee_no="E1001")
    assert _login(client, "zhangsan").status_code == 302
    assert User.objects.get(pk=_signed_in(client)).person == person


def test_start_tls_refuses_a_server_certificate_no_trusted_ca_signed(client, directory, tree, settings, tmp_path):
    other_ca = tmp_path / "other-ca.pem"
    other_ca.write_text(Path(directory.clientcert).read_text())  # a certificate, but not the CA of the server's
    _configure(settings, directory, DANGJIAN_LDAP_START_TLS="1", DANGJIAN_LDAP_CA_FILE=str(other_ca))
    make_member(tree.branch1, "张三", employee_no="E1001")
    response = _login(client, "zhangsan")
    assert _signed_in(client) is None and "目录服务暂时无法连接" in response.content.decode()


def test_settings_add_the_directory_backend_after_the_local_one_when_the_url_is_set():
    import os
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS[-2:])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dangjian.settings"}
    env.pop("DANGJIAN_LDAP_URL", None)
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert BACKEND not in off.stdout
    env["DANGJIAN_LDAP_URL"] = "ldap://ldap.example.cn"
    on = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert on.stdout.strip() == str(["dangjian.accounts.backends.AccountBackend", BACKEND])


def test_an_empty_password_is_never_sent_to_the_directory(directory, tree, rf):
    from dangjian.accounts.directory import DirectoryBackend

    make_member(tree.branch1, "张三", employee_no="E1001")
    # an LDAP bind without a password is an anonymous bind, which "succeeds"
    request = rf.post("/accounts/login/")
    assert DirectoryBackend().authenticate(request, username="zhangsan", password="") is None
    assert DirectoryBackend().authenticate(request, username="zhangsan", password=DIR_PASSWORD) is not None
