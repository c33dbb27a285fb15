"""What every aifactory component shares: its type token and how it parents its children."""

from __future__ import annotations

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
        parent = opts.parent if opts else None
        inherited = getattr(parent, "_transformations", None) or []
        if explicit_protection not in inherited:
            opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(transformations=[explicit_protection]))
        super().__init__(type_token, name, None, opts)

    def child_opts(self, **kwargs: Any) -> pulumi.ResourceOptions:
        """Options for a child resource: parented to this component, plus ``kwargs``."""
        return pulumi.ResourceOptions(parent=self, **kwargs)
