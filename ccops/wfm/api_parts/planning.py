"""API of imports, interval statistics, forecasts, staffing plans and schedules."""

from __future__ import annotations
