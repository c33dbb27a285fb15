"""Pure planners (no Pulumi): IP plan, names, tags, DNS zones, RBAC and lake access.

Everything that can be decided without Azure is decided here, unit-tested without mocks and
printed by ``aifactory plan``; components only turn these decisions into resources.
"""
