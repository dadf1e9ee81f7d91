"""`dash diff --git REF --data DIR`: the values a pull request moves, each revision's panels run on the same data."""
