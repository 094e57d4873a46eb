"""Where files go: a private local directory by default, the shared S3-compatible storage when configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings
from django.core.files.storage import storages

PROBE = """
import json, django
django.setup()
from django.core.files.storage import storages
out = {}
for alias in ("default", "uploads"):
    s = storages[alias]
    out[alias] = [type(s).__name__, s.location, s.bucket_name, s.endpoint_url, s.default_acl, s.file_overwrite]
print(json.dumps(out))
"""


def test_uploads_are_a_private_directory_under_var_by_default():
    uploads = storages["uploads"]
    assert type(uploads).__name__ == "FileSystemStorage"
    assert str(uploads.location) == str(settings.VAR_DIR / "uploads")
    assert uploads.file_permissions_mode == 0o600 and uploads.directory_permissions_mode == 0o700


def test_an_s3_endpoint_puts_every_file_in_the_shared_bucket(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dangjian.settings",
        "DANGJIAN_VAR": str(tmp_path),
        "DANGJIAN_S3_ENDPOINT": "http://minio.intranet:9000",
        "DANGJIAN_S3_BUCKET": "dangjian-files",
        "DANGJIAN_S3_ACCESS_KEY": "ak",
        "DANGJIAN_S3_SECRET_KEY": "sk",
    }
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    common = ["dangjian-files", "http://minio.intranet:9000", "private", False]
    assert out == {"default": ["S3Storage", "media", *common], "uploads": ["S3Storage", "uploads", *common]}
