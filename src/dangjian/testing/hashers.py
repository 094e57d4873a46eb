"""A cheap Argon2 for the test suite.

Production hashes with Argon2's default cost (~0.13 s a hash here), and nearly every test makes accounts (the
personas fixture alone makes four) and logs them in: at that cost, hashing was a large share of the suite's time.
The tests keep the same algorithm, so every hash still reads ``argon2$…`` and upgrades behave as in production,
with the smallest parameters Argon2 accepts.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB, the least Argon2 allows for one lane
    parallelism = 1
