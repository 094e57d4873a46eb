import os
import subprocess
import sys

HEALTH_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # base64 of 32 bytes, for the checks only
AUDIT_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="


def run(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    ours = ("DANGJIAN_", "DJANGO_", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(env_extra)
    cmd = [sys.executable, "-c", "import sys; from dangjian.cli import main; main(sys.argv)", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


def test_production_settings_pass_check_deploy(tmp_path):
    result = run(
        {
            "DANGJIAN_PRODUCTION": "1",
            "DANGJIAN_SECRET_KEY": "k" * 20 + "Xy9#mQ2$vL7!pR4&wT8*zB3^nD6(fH1)jK5",
            "DANGJIAN_ALLOWED_HOSTS": "dangjian.example.cn",
            "DANGJIAN_HEALTH_KEY": HEALTH_KEY,
            "DANGJIAN_AUDIT_KEY": AUDIT_KEY,
            "DANGJIAN_VAR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_check_requires_the_health_key_from_the_environment(tmp_path):
    env = {
        "DANGJIAN_PRODUCTION": "1",
        "DANGJIAN_SECRET_KEY": "k" * 20 + "Xy9#mQ2$vL7!pR4&wT8*zB3^nD6(fH1)jK5",
        "DANGJIAN_ALLOWED_HOSTS": "dangjian.example.cn",
        "DANGJIAN_VAR": str(tmp_path),
    }
    result = run(env, "check")
    assert result.returncode != 0 and "health.E001" in result.stdout + result.stderr
    assert not (tmp_path / "health.key").exists()  # production never makes its own key


def test_production_check_requires_the_audit_key_from_the_environment(tmp_path):
    env = {
        "DANGJIAN_PRODUCTION": "1",
        "DANGJIAN_SECRET_KEY": "k" * 20 + "Xy9#mQ2$vL7!pR4&wT8*zB3^nD6(fH1)jK5",
        "DANGJIAN_ALLOWED_HOSTS": "dangjian.example.cn",
        "DANGJIAN_HEALTH_KEY": HEALTH_KEY,
        "DANGJIAN_VAR": str(tmp_path),
    }
    result = run(env, "check")
    assert result.returncode != 0 and "audit.E001" in result.stdout + result.stderr
    assert not (tmp_path / "audit.key").exists()  # production never makes its own key
    result = run(env | {"DANGJIAN_AUDIT_KEY": "not base64!"}, "check")
    assert result.returncode != 0 and "audit.E002" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key_or_hosts_in_one_line(tmp_path):
    result = run({"DANGJIAN_PRODUCTION": "1", "DANGJIAN_VAR": str(tmp_path)}, "check")
    assert result.returncode != 0 and "DANGJIAN_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    result = run(
        {"DANGJIAN_PRODUCTION": "1", "DANGJIAN_SECRET_KEY": "x" * 60, "DANGJIAN_VAR": str(tmp_path)},
        "check",
    )
    assert result.returncode != 0 and "DANGJIAN_ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
