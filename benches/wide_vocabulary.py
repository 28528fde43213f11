#!/usr/bin/env python3
"""Widens the vocabulary of a corpus made by gen_corpus.py, in place.

    python3 wide_vocabulary.py DIR [--seed S]

The generated corpus repeats a few hundred sentences, so its search index has
only about 7,700 distinct tokens, where a real Japanese site of 10,000 pages
has hundreds of thousands of distinct character pairs. This appends to every
Japanese page (*.ja.md) one paragraph of 400 characters drawn from 2,500 kanji
and the hiragana and katakana, the character of rank r with weight 1/r (the
shape of real text's character frequencies), so that the index's lookups meet a
vocabulary of that size (about 537,000 distinct tokens at 10,000 pages).
"""

import argparse
import pathlib
import random


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=pathlib.Path, help="a corpus from gen_corpus.py")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 2500 * 3, 3)]
    chars += [chr(c) for c in range(0x3041, 0x3094)] + [chr(c) for c in range(0x30A1, 0x30F7)]
    rng.shuffle(chars)
    weights = [1 / (rank + 1) for rank in range(len(chars))]
    pages = sorted((args.dir / "content").rglob("*.ja.md"))
    if not pages:
        raise SystemExit(f"{args.dir}/content has no *.ja.md page: not a gen_corpus.py corpus")
    for page in pages:
        paragraph = "".join(rng.choices(chars, weights=weights, k=400))
        with page.open("a", encoding="utf-8") as out:
            out.write(f"\n\n{paragraph}。\n")
    print(f"widened {len(pages)} Japanese pages")


if __name__ == "__main__":
    main()
