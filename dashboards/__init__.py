"""Dashboard definitions: one module per dashboard; `_`-prefixed modules are shared helpers."""
