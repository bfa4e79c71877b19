"""The rule language: rule files parsed and located, the lexicons, rules and the
groups their actions need, the examples of every table and their one checker."""
