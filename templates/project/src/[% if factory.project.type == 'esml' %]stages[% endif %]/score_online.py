"""Azure ML online endpoint entry point: ``init`` loads the model, ``run`` scores a JSON request."""

from __future__ import annotations

import json
import os
from pathlib import Path

from stages.model import LogisticModel

_model: LogisticModel | None = None


def init() -> None:
    global _model  # noqa: PLW0603 - Azure ML's scoring contract keeps the model in module state
    root = Path(os.environ.get("AZUREML_MODEL_DIR", "."))
    _model = LogisticModel.load(next(root.rglob("model.json")))


def run(raw: str) -> list[float]:
    if _model is None:
        init()
    assert _model is not None
    rows = json.loads(raw)["rows"]
    return [_model.predict_proba({k: float(v) for k, v in row.items()}) for row in rows]
