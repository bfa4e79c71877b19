"""Meaning: what each figure is read against (document, sections, sentences, times)
and what it says (aspect, period, label, metric, entity)."""
