"""Finding figures: the scan over a text, the actions that turn a match into
quantities, and numerals read into numbers."""
