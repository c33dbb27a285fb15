"""The rule modules: the product's promise, the ALZ Corp Deny guardrails, ARM's own limits."""
