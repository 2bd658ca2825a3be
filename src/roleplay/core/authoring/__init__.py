"""Instructors' tools: lint, walk, the branch map, scenario tests, the scaffold, watch and the schema."""
