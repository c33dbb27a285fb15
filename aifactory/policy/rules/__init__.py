"""The rule modules: the product's promise, the ALZ Corp Deny guardrails (``alz``, and ``alz_services`` for the
data and app services), ARM's own limits."""
