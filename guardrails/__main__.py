"""The aifactory guardrails as a Pulumi CrossGuard policy pack: ``pulumi preview --policy-pack guardrails``.

Thin on purpose: the rules live in ``aifactory.policy``; the offline ``aifactory plan`` and
``aifactory check`` run the very same catalogue.
"""

import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
if str(REPOSITORY) not in sys.path:  # the pack runs from the repository that holds the stack files
    sys.path.insert(0, str(REPOSITORY))

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from aifactory.policy.crossguard import policies  # noqa: E402

PolicyPack(
    name="aifactory-guardrails",
    policies=policies(REPOSITORY),
    enforcement_level=EnforcementLevel.MANDATORY,
    description="aifactory guardrails: the factory's promise, the ALZ Corp Deny guardrails and ARM limits",
)
