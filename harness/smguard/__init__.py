"""smguard: SageMaker network-isolation guardrails as code."""

__version__ = "0.1.0"
