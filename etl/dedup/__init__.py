"""Cross-article dedup: reports of one incident from several articles -> one event.

- `rules`: when two reports may be one incident (vetoes, framing differences,
  agreements; the tables of compatible types, actors and weapons);
- `cluster`: copies grouped by signature, then a greedy complete linkage (`labels`,
  `dedup`, `merge_stream`);
- `merge`: which report's slots the merged event keeps;
- `sweep`: the same labels from a Parquet file in bounded memory (`sweep_labels`).
"""

from .cluster import dedup, labels, merge_stream, signature
from .merge import merge
from .rules import assess, compatible, similarity
from .sweep import KEY_FIELDS, Key, read_keys, sweep_labels

__all__ = [
    "KEY_FIELDS",
    "Key",
    "assess",
    "compatible",
    "dedup",
    "labels",
    "merge",
    "merge_stream",
    "read_keys",
    "signature",
    "similarity",
    "sweep_labels",
]
