"""The write path: where an `add` (or `update`, `delete`, bulk import) goes.

    Memory.add (facade.py) checks the arguments, then MemoryWriter.add (pipeline.py),
    built once per Memory, runs:
      steps.extract_for_add     what to remember: given items, the text, or one extractor call
      steps.reconcile_add       the LLM's verdicts on stored memories it may change
                                (neighbours.py finds those; no call when there are none)
      add_planner.AddPlanner    plan every record to put or remove: entities resolved
                                (entity_planner.py, similar_entities.py), relations merged
                                or ended (relation_planner.py), facts deduplicated;
                                planning only reads the stores
      writer.apply_plan         write the plan to graph, vectors, BM25 and history, all or
                                nothing, journaled so a crash is undone at the next open

    update / delete: change_planners.py plans them; writer.apply_plan writes them.
    (MemoryWriter has all four, and holds the Memory's write lock while it plans and writes;
    an add's two LLM calls run outside it, and its reconcile decisions are applied only if
    the neighbours they were made against are unchanged under the lock: pipeline.py.)
    Bulk import: bulk_import.py parses records (import_record.py) and plans and writes them
    in batches through the same AddPlanner and apply_plan.

A plan is a `plan.WritePlan`: the memories and graph records before and after
(`changes.GraphChanges`) and the history lines.
"""
