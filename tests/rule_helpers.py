"""Guideline rules the tests share."""

#: a confidentiality rule whose pattern backtracks without end on "aaaa…b": it hits its time limit
RUNAWAY_RULE = """\
  - id: secret.data
    type: confidentiality
    level: error
    category: confidentiality
    patterns:
      runaway: '(a|aa)+$'
    message: "{kind}: {match}"
"""
