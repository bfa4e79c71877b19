"""Review: reading a run's output back (load_facts, show, diff, snapshot, the HTML report)."""
