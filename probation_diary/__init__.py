"""Probation Diary: a private, offline case-contact diary for probation practitioners."""

__version__ = "0.1.0"
APP_NAME = "Probation Diary"
