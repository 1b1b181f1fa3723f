"""Evidence over time in the desktop app: trends, caseload spread, team figures and the
weekly report. Thin views: every figure comes from core/evidence.py and the core time split."""
