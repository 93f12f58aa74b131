"""Optional AI suggestions: angles, critique, rephrasings and hashtags — never a whole post.

Only this package and :mod:`drafter.tui` may import langchain or openai, and only inside functions
(:mod:`drafter.ai.provider`), so ``import drafter.ai`` and every module here but the provider's call
stay cheap and nothing AI is loaded before a suggestion is asked for. The core never imports this
package (``tests/test_architecture.py``).

The path of one suggestion (:func:`drafter.ai.pipeline.prepare`, :func:`drafter.ai.pipeline.run`):

settings ``[ai]`` → :mod:`.config` (endpoint, model, key from the environment) → the guideline set's
``policies.ai`` → :mod:`.policy` (may this brief's text go to that host? redact e-mail, phone, IBAN) →
:mod:`.prompts` (Jinja2 templates in ``prompts/``; brief, draft and selection go into the user message
as data) → :mod:`.provider` (langchain-openai, structured output, streamed) → :mod:`.schemas`
(pydantic; malformed output is an error) → :mod:`.gate` (each suggestion through the guideline checker
via :mod:`drafter.drafting`, length bounds per kind, hashtags from the guidelines or the brief).
"""

from __future__ import annotations

KINDS: tuple[str, ...] = ("angles", "critique", "rephrase", "hashtags")
