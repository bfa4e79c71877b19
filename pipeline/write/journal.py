"""What a long run has finished, kept so that a rerun after a kill resumes.

While a run goes on, the rows of the documents it has finished are written every
JOURNAL_SECONDS (or JOURNAL_ROWS facts) to `DIR/.partial/` as numbered parts (facts, then docs, each under a
temporary name then renamed; a part counts once its docs file is in place), beside
`key.json`: the pipeline version, the rules digest, the reader options and the inputs.
A rerun with the same key takes the documents of the journal, in order, as long as the
input gives the same documents (doc_id and sha256) in the same order, and extracts
only the rest; any other key throws the journal away. A run that ends writes its
output and removes the journal.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.fact import DocRow, Fact
from pipeline.write.output import write_atomically
from pipeline.write.parquet import DOC_SCHEMA, FACT_SCHEMA, Rows, parquet_bytes, table

FOLDER = ".partial"
KEY = "key.json"
# How often finished documents are written to the journal: a run shorter than this
# writes none, a longer one loses at most this much work when it is killed.
JOURNAL_SECONDS = 30.0
# And whenever it holds this many fact rows, so that its memory stays flat on a fast machine.
JOURNAL_ROWS = 50_000


class Journal:
    def __init__(self, out_dir: Path, key: dict):
        self.folder = out_dir / FOLDER
        self.key = json.dumps(key, ensure_ascii=False, sort_keys=True)
        self.seconds = JOURNAL_SECONDS
        self.facts = Rows(FACT_SCHEMA)
        self.docs: list[DocRow] = []
        self.last = time.monotonic()
        self.parts = self._kept_parts()

    def _kept_parts(self) -> list[int]:
        """The numbers of the complete parts a killed run with the same key left."""
        try:
            same = (self.folder / KEY).read_text(encoding="utf-8") == self.key
        except OSError:
            same = False
        if not same:
            shutil.rmtree(self.folder, ignore_errors=True)
            return []
        return sorted(int(path.name.split(".")[0].removeprefix("part-"))
                      for path in self.folder.glob("part-*.docs.parquet"))

    def finished(self) -> Iterator[tuple[DocRow, list[Fact]]]:
        """The documents the journal holds, in order, each with its facts."""
        for number in self.parts:
            docs = pq.ParquetFile(self._path(number, "docs")).read().to_pylist()
            facts = pq.ParquetFile(self._path(number, "facts")).read().to_pylist()
            by_doc: dict[str, list[Fact]] = {}
            for row in facts:
                by_doc.setdefault(row["doc_id"], []).append(Fact(**row))
            for row in docs:
                yield DocRow(**row), by_doc.get(row["doc_id"], [])

    def add(self, docs: list[DocRow], facts: "list[Fact] | pa.Table") -> None:
        """Finished documents (after those the journal holds) and their facts; written out
        every `seconds`, or sooner when JOURNAL_ROWS rows are held."""
        self.docs.extend(docs)
        self.facts.add(facts)
        if self.facts.count >= JOURNAL_ROWS or time.monotonic() - self.last >= self.seconds:
            self.flush()

    def flush(self) -> None:
        if not self.docs:
            return
        self.folder.mkdir(exist_ok=True)
        if not (self.folder / KEY).exists():
            write_atomically(self.folder / KEY, self.key.encode("utf-8"))
        number = (self.parts[-1] + 1) if self.parts else 1
        # The facts first: a part is complete once its docs file is in place.
        write_atomically(self._path(number, "facts"), parquet_bytes(self.facts.table()))
        write_atomically(self._path(number, "docs"), parquet_bytes(table(self.docs, DOC_SCHEMA)))
        self.parts.append(number)
        self.facts, self.docs, self.last = Rows(FACT_SCHEMA), [], time.monotonic()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def reset(self) -> None:
        """Forgets the parts: the input no longer begins with their documents."""
        self.remove()
        self.parts = []

    def _path(self, number: int, kind: str) -> Path:
        return self.folder / f"part-{number:05}.{kind}.parquet"

