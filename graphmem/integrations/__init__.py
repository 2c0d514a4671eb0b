"""Adapters that give agent frameworks graphmem as their memory, over the `Memory` facade.

Each adapter is a subpackage whose framework is an optional extra (`graphmem[langgraph]`);
`import graphmem` never imports one.
"""
