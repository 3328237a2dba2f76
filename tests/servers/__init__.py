"""Real triple-store servers for the tests: started privately on loopback, stopped by their own PID."""

from __future__ import annotations
