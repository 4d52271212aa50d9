"""Removal rules. ``registry`` holds the ordered list and the context rules read;
``patterns`` every regular expression; one module per rule family (spam, captions, boilerplate, ...).

A rule only looks: it gets a block plus read-only context and returns evidence (or nothing).
The decide step (``cleaner.decide``), not the rule, turns evidence into removals.
"""
