"""Project starter kits: MLOps, DataOps and GenAIOps repositories rendered from the factory's plan.

``context`` decides what a kit holds (pure, from the plans); ``render`` runs copier.
"""

from aifactory.starter.context import EnvironmentContext, KitContext, kit_context, plan_ingest
from aifactory.starter.render import KitResult, render_kit

__all__ = ["EnvironmentContext", "KitContext", "KitResult", "kit_context", "plan_ingest", "render_kit"]
