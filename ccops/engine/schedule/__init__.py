"""Scheduling: shift templates, stage 1 covering, stage 2 rostering."""
