"""Storage layer: graph, vectors, embedders, BM25 and the history log."""
