"""A small logistic-regression baseline, trained with plain Python and saved as JSON.

Replace it with your own model: the stages only need ``fit``, ``predict_proba``, ``save`` and ``load``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from stages.data import Row

MODEL_FILE = "model.json"


@dataclass
class LogisticModel:
    features: list[str]
    target: str
    weights: list[float] = field(default_factory=list)
    bias: float = 0.0
    means: list[float] = field(default_factory=list)
    scales: list[float] = field(default_factory=list)

    def _vector(self, row: Row) -> list[float]:
        return [(row.get(f, 0.0) - m) / s for f, m, s in zip(self.features, self.means, self.scales, strict=True)]

    def fit(self, rows: list[Row], epochs: int = 200, learning_rate: float = 0.5) -> LogisticModel:
        count = len(rows)
        self.means = [sum(r.get(f, 0.0) for r in rows) / count for f in self.features]
        self.scales = [
            math.sqrt(sum((r.get(f, 0.0) - m) ** 2 for r in rows) / count) or 1.0
            for f, m in zip(self.features, self.means, strict=True)
        ]
        vectors = [self._vector(r) for r in rows]
        labels = [r[self.target] for r in rows]
        self.weights = [0.0] * len(self.features)
        self.bias = 0.0
        for _ in range(epochs):
            gradient = [0.0] * len(self.features)
            bias_gradient = 0.0
            for vector, label in zip(vectors, labels, strict=True):
                error = _sigmoid(self.bias + _dot(self.weights, vector)) - label
                gradient = [g + error * x for g, x in zip(gradient, vector, strict=True)]
                bias_gradient += error
            self.weights = [w - learning_rate * g / count for w, g in zip(self.weights, gradient, strict=True)]
            self.bias -= learning_rate * bias_gradient / count
        return self

    def predict_proba(self, row: Row) -> float:
        return _sigmoid(self.bias + _dot(self.weights, self._vector(row)))

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / MODEL_FILE
        path.write_text(json.dumps(self.__dict__, indent=2), encoding="utf-8")
        return path

    @classmethod
    def load(cls, folder: Path) -> LogisticModel:
        path = folder / MODEL_FILE if folder.is_dir() else folder
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
