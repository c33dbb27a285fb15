"""Static Azure facts: regions, private DNS zones, built-in roles, naming rules.

Plain data, no Pulumi; shared by the config models, the planners and the components.
"""
