"""What every aifactory component shares: its type token and how it parents its children."""

from __future__ import annotations

import copy
from typing import Any

import pulumi

from aifactory.components.protection import explicit_protection

__all__ = ["FactoryComponent"]


class FactoryComponent(pulumi.ComponentResource):
    """A ComponentResource whose children are always parented to it.

    Subclasses pass a type token ``aifactory:<area>:<Name>``, create their children with
    ``opts=self.child_opts()`` and end ``__init__`` with ``self.register_outputs({...})``. Every
    descendant is protected only where its own options say so (:func:`explicit_protection`).
    """

    def __init__(self, type_token: str, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        if not isinstance(opts.parent if opts else None, FactoryComponent):
            # The outermost factory component installs the rule: the SDK applies a parent's
            # transformations to all its descendants. (Under a custom resource it is installed again;
            # the rule is idempotent.)
            opts = copy.copy(opts) if opts else pulumi.ResourceOptions()
            opts.transformations = [*(opts.transformations or []), explicit_protection]
        super().__init__(type_token, name, None, opts)

    def child_opts(self, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options for a child resource: parented to this component, plus ``kwargs``."""
        return pulumi.ResourceOptions(parent=self, **kwargs)
