"""Make the benchmark scripts importable as modules (they live in ``benchmarks/``, not in the package)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
