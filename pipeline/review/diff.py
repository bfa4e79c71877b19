"""Compare two runs: which facts a change to the rules or code added, removed or changed.

Facts are matched by document and span (doc_id, start, end); two facts on one span
(possible, not seen so far) are paired in rule_id order. A matched pair is changed
when any compared column prints differently (cells.format_cell), so float noise
below 12 significant digits is no change. fact_id is not compared: it is made from
doc_id, span and rule_id, which are, so it would only repeat a rule_id change.
sentence is not compared either: it is for reading, and a layout change would mark
every fact of a paragraph as changed while no figure moved.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.fact import COMPARED
from pipeline.review.cells import format_cell, sort_key
from pipeline.review.facts_file import FactsTable


@dataclass
class Change:
    old: dict
    new: dict
    columns: list[str]


@dataclass
class DocumentDiff:
    doc_id: str
    old_facts: int = 0
    new_facts: int = 0
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class FactsDiff:
    old: FactsTable
    new: FactsTable
    compared: list[str]
    documents: list[DocumentDiff]

    @property
    def changed_documents(self) -> list[DocumentDiff]:
        return [doc for doc in self.documents if doc.differs]

    @property
    def differs(self) -> bool:
        return bool(self.changed_documents)

    def total(self, kind: str) -> int:
        return sum(len(getattr(doc, kind)) for doc in self.documents)

    def rows(self, kind: str) -> list:
        return [item for doc in self.documents for item in getattr(doc, kind)]

    def one_sided_columns(self) -> tuple[list[str], list[str]]:
        """Columns only the old table has, and only the new one has (a schema change)."""
        old, new = self.old.columns, self.new.columns
        return [c for c in old if c not in new], [c for c in new if c not in old]


def diff_facts(old: FactsTable, new: FactsTable) -> FactsDiff:
    compared = [c for c in COMPARED if c in old.columns and c in new.columns]
    old_spans, new_spans = _by_document(old.rows), _by_document(new.rows)
    documents = [_diff_document(doc_id, old_spans.get(doc_id, {}), new_spans.get(doc_id, {}), compared)
                 for doc_id in sorted(old_spans.keys() | new_spans.keys())]
    return FactsDiff(old, new, compared, documents)


def _by_document(rows: list[dict]) -> dict[str, dict[tuple, list[dict]]]:
    """doc_id -> (start, end) -> the facts on that span, in rule_id order."""
    spans: dict[str, dict[tuple, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in sorted(rows, key=sort_key):
        spans[row["doc_id"]][(row["start"], row["end"])].append(row)
    return spans


def _diff_document(doc_id: str, old: dict, new: dict, compared: list[str]) -> DocumentDiff:
    result = DocumentDiff(doc_id, sum(map(len, old.values())), sum(map(len, new.values())))
    for span in sorted(old.keys() | new.keys()):
        before, after = old.get(span, []), new.get(span, [])
        for old_row, new_row in zip(before, after):
            columns = [c for c in compared if format_cell(old_row.get(c)) != format_cell(new_row.get(c))]
            if columns:
                result.changed.append(Change(old_row, new_row, columns))
        result.removed.extend(before[len(after):])
        result.added.extend(after[len(before):])
    return result


def change_text(change: Change, column: str, null: str = "null") -> str:
    """`aspect: delta -> level`."""
    old, new = (format_cell(row.get(column)) or null for row in (change.old, change.new))
    return f"{column}: {old} -> {new}"
