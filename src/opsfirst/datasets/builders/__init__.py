"""Builders of the shipped datasets (``make datasets``).

One module per dataset, each with ``build() -> pandas.DataFrame``: seeded, so the same code
always gives the same table. ``python -m opsfirst.datasets.builders [NAME ...]`` writes them to
``datasets/`` (rounded, so a regenerated file parses to the same values) and rewrites the data
dictionary ``datasets/README.md`` from the catalogue (``opsfirst.datasets.catalogue``).

Builders import what they need inside ``build()``, so importing one stays cheap (the
catalogue imports them for the figures it quotes).
"""

from __future__ import annotations

import importlib

# dataset name -> builder module; the order is the order of `make datasets`
BUILDERS = {
    "bank_calls": "opsfirst.datasets.builders.bank_calls",
    "interval_history": "opsfirst.datasets.builders.interval_history",
    "interval_waits": "opsfirst.datasets.builders.interval_waits",
    "contacts": "opsfirst.datasets.builders.contacts",
    "survey": "opsfirst.datasets.builders.survey",
    "qa_scores": "opsfirst.datasets.builders.qa_scores",
    "coaching_log": "opsfirst.datasets.builders.coaching_log",
    "chat": "opsfirst.datasets.builders.chat",
    "email": "opsfirst.datasets.builders.email",
    "outbound": "opsfirst.datasets.builders.outbound",
    "schedule": "opsfirst.datasets.builders.schedule",
    "channel_costs": "opsfirst.datasets.builders.channel_costs",
}


def build(name: str):
    """Build one dataset as a DataFrame (not written anywhere)."""
    try:
        module = BUILDERS[name]
    except KeyError:
        raise ValueError(f"no builder for dataset {name!r}; builders: {', '.join(BUILDERS)}") from None
    return importlib.import_module(module).build()
