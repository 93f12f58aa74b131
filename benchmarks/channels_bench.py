"""Length counting and hashtag extraction: median and p99 per call.

Run: ``python benchmarks/channels_bench.py [--runs N]``

Texts are German posts with some emoji, hashtags and URLs, cut to 280, 3,000 and 20,000
characters. Three cache states are measured for the functions that look for URLs:
``cold`` (URL caches cleared before every call), ``keystroke`` (each call sees the text with one
character changed, as while typing) and ``warm`` (the same text again). X's fast path is put next
to ``twitter_text.parse_tweet``, which it replaces.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from drafter import twittertext as tt
from drafter.channels import ChannelSpec, measure

SPECS = {
    "x": ChannelSpec(label="X", counter="twitter", limit=280),
    "mastodon": ChannelSpec(label="Mastodon", counter="characters", limit=500, url_length=23),
    "bluesky": ChannelSpec(label="Bluesky", counter="graphemes", limit=300, max_bytes=3000),
    "linkedin": ChannelSpec(label="LinkedIn", counter="characters", limit=3000),
}

PARAGRAPH = (
    "Heute war ich mit unserem Bautrupp in Köln-Ehrenfeld unterwegs: 1.200 Haushalte bekommen "
    "Glasfaser 🚀 Die Kolleginnen und Kollegen haben bei 3 °C durchgezogen, Respekt! 💪🏽 "
    "Alle Infos zum Ausbau gibt es unter https://www.telekom.de/netz/glasfaser und auf telekom.de/ausbau. "
    "Fragen? Schreibt mir gern, z.B. zu Terminen oder zur Technik. Größte Überraschung des Tages: "
    "Wie viele Nachbarn sich bedankt haben 🙏 #Werkstolz #Glasfaser 👷‍♀️ "
)


def make_text(size: int) -> str:
    return (PARAGRAPH * (size // len(PARAGRAPH) + 1))[:size]


def timed(fn: Callable[[str], object], texts: list[str], before: Callable[[], None] | None = None) -> list[float]:
    out: list[float] = []
    for text in texts:
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn(text)
        out.append(time.perf_counter() - t0)
    return out


def fmt(samples: list[float]) -> str:
    samples = sorted(samples)
    med = statistics.median(samples) * 1e6
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1e6
    return f"median {med:9.1f} µs   p99 {p99:9.1f} µs   (n={len(samples)})"


def variants(text: str, runs: int) -> list[str]:
    """The text with one character changed at a moving position (a keystroke each)."""
    step = max(1, len(text) // runs)
    return [text[: i * step % len(text)] + "x" + text[i * step % len(text) + 1 :] for i in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    t0 = time.perf_counter()
    tt.preload()
    print(f"preload (import twitter-text-parser, build emoji trie): {(time.perf_counter() - t0) * 1e3:.0f} ms\n")

    from twitter_text import parse_tweet

    for size in (280, 3000, 20000):
        text = make_text(size)
        runs = args.runs if size < 20000 else max(30, args.runs // 5)
        print(
            f"--- {size} characters ({len(tt.extract_urls(text))} URLs, "
            f"{len(tt.extract_emojis_with_indices(text))} emoji, {len(tt.extract_hashtags(text))} hashtags)"
        )
        assert measure(text, SPECS["x"]).count == parse_tweet(text).weightedLength
        same = [text] * runs
        typed = variants(text, runs)
        for name, spec in SPECS.items():

            def fn(t: str, spec: ChannelSpec = spec) -> object:
                return measure(t, spec)

            print(f"measure {name:9s} cold      {fmt(timed(fn, same, tt.clear_caches))}")
            print(f"measure {name:9s} keystroke {fmt(timed(fn, typed))}")
            print(f"measure {name:9s} warm      {fmt(timed(fn, same))}")
        slow_runs = max(5, runs // (10 if size < 20000 else 3))
        print(f"parse_tweet (x, reference)  {fmt(timed(parse_tweet, same[:slow_runs]))}")
        tags = tt.extract_hashtags_with_indices
        print(f"hashtags          cold      {fmt(timed(tags, same, tt.clear_caches))}")
        print(f"hashtags          keystroke {fmt(timed(tags, typed))}")
        print(f"hashtags          warm      {fmt(timed(tags, same))}")
        print()


if __name__ == "__main__":
    main()
