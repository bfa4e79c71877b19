"""Structured metric extraction for Chinese prose: documents in, typed fact rows out."""

__version__ = "0.1.0"
