"""The plaintext inside a checkup's ciphertext (see ``models.checkup``). Pure: a screening worker process imports it
without Django settings.

Payload format 1: the JSON array ``[1, v₀, v₁, …]`` with the values of ``PAYLOAD_V1`` in that order (canonical
units, null for missing, trailing nulls dropped). ``PAYLOAD_V1`` is append-only; a change of meaning needs format 2.
"""

from __future__ import annotations

from typing import Any

FORMAT = 1
PAYLOAD_V1 = (
    "sbp_mmhg",
    "on_bp_treatment",
    "total_cholesterol_mmol_l",
    "hdl_cholesterol_mmol_l",
    "waist_cm",
    "current_smoker",
    "diabetes",
    "north",
    "urban",
    "family_history_ascvd",
    "h_pylori_positive",
    "pg1_ng_ml",
    "pg2_ng_ml",
    "pg_ratio",
    "gastrin17_pmol_l",
    "first_degree_relative_crc",
    "ever_smoker",
    "own_cancer_history",
    "own_polyp_history",
    "chronic_constipation",
    "chronic_diarrhoea",
    "mucus_or_bloody_stool",
    "adverse_life_event_20y",
    "chronic_appendicitis_or_appendectomy",
    "chronic_biliary_disease_or_cholecystectomy",
    "fit_result",
)


# values are what JSON holds (numbers, true/false, null): Any, as json.loads gives them
def encode(values: dict[str, Any]) -> list[Any]:
    unknown = set(values) - set(PAYLOAD_V1)
    if unknown:
        raise KeyError(f"unknown checkup fields: {sorted(unknown)}")
    out = [FORMAT] + [values.get(name) for name in PAYLOAD_V1]
    while out[-1] is None:
        out.pop()
    return out


def decode(payload: list[Any]) -> dict[str, Any]:
    if not payload or payload[0] != FORMAT:
        raise ValueError(f"unknown checkup payload format {payload[:1]}")
    return {name: v for name, v in zip(PAYLOAD_V1, payload[1:], strict=False) if v is not None}


def decode_with_gaps(payload: list[Any]) -> dict[str, Any]:
    """As ``decode`` but a missing field inside the payload stays as None rather than absent: a third faster,
    for the screening run, which treats None and absent alike (``values.get(field) is None``)."""
    if not payload or payload[0] != FORMAT:
        raise ValueError(f"unknown checkup payload format {payload[:1]}")
    return dict(zip(PAYLOAD_V1, payload[1:], strict=False))


def context(person_id: int, year: int) -> str:
    """The associated data binding a checkup's ciphertext to its row."""
    return f"checkup:{person_id}:{year}"
