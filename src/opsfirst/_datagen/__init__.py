"""Builders of the shipped datasets (``make datasets``).

One module per dataset, each with ``build() -> pandas.DataFrame``: seeded, so the same code
always gives the same table. ``python -m opsfirst._datagen [NAME ...]`` writes them to
``datasets/`` (rounded, so a regenerated file parses to the same values) and rewrites the data
dictionary ``datasets/README.md`` from the catalogue (``opsfirst._catalogue``).

Builders import what they need inside ``build()``, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib

# dataset name -> builder module; the order is the order of `make datasets`
BUILDERS = {
    "bank_calls": "opsfirst._datagen.bank_calls",
    "interval_history": "opsfirst._datagen.interval_history",
    "contacts": "opsfirst._datagen.contacts",
    "survey": "opsfirst._datagen.survey",
    "qa_scores": "opsfirst._datagen.qa_scores",
    "coaching_log": "opsfirst._datagen.coaching_log",
    "chat": "opsfirst._datagen.chat",
    "email": "opsfirst._datagen.email",
    "outbound": "opsfirst._datagen.outbound",
    "schedule": "opsfirst._datagen.schedule",
    "channel_costs": "opsfirst._datagen.channel_costs",
}


def build(name: str):
    """Build one dataset as a DataFrame (not written anywhere)."""
    try:
        module = BUILDERS[name]
    except KeyError:
        raise ValueError(f"no builder for dataset {name!r}; builders: {', '.join(BUILDERS)}") from None
    return importlib.import_module(module).build()
