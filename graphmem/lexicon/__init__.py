"""Lexical knowledge of English (WordNet), shared by extraction and retrieval.

A bottom layer beside `models`: it imports nothing of graphmem but `errors`.
"""
