#!/usr/bin/env python3
"""Every bundled claim quotes its note verbatim.

A claim's `text` must be a substring of the seed note it comes from, modulo runs of
whitespace, so that a figure the note never states cannot pass for a claim. The seeds are
copied into tests/seeds/ so the test runs without ../shared; when ../shared/seeds is
there, the copies must be identical to it.

Usage: test_claims.py ROOT
"""
import glob
import json
import os
import re
import sys
import unittest

ROOT = sys.argv.pop(1) if len(sys.argv) > 1 else os.getcwd()
SEEDS = os.path.join(ROOT, "tests", "seeds")
SHARED_SEEDS = os.path.join(ROOT, "..", "shared", "seeds")

# Each bundled note and the seed it quotes.
SEED_OF = {
    "yk-2026-05-09.json": "000_e039894ba9ced52b.txt",
    "note-2026-05-31.json": "004_13e4b5313b788aa4.txt",
}


def squeeze(text):
    return re.sub(r"\s+", " ", text).strip()


class BundledClaims(unittest.TestCase):
    def test_every_note_has_a_seed(self):
        notes = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "data/notes/*.json")))
        self.assertEqual(notes, sorted(SEED_OF))

    def test_claims_quote_their_seed(self):
        for note, seed in SEED_OF.items():
            with open(os.path.join(SEEDS, seed), encoding="utf-8") as f:
                text = squeeze(f.read())
            with open(os.path.join(ROOT, "data", "notes", note), encoding="utf-8") as f:
                claims = json.load(f)["claims"]
            self.assertGreater(len(claims), 0)
            for claim in claims:
                with self.subTest(note=note, claim=claim["id"]):
                    self.assertIn(squeeze(claim["text"]), text)

    def test_the_check_can_fail(self):
        # The 349x that seed 004 never states is not in it.
        with open(os.path.join(SEEDS, SEED_OF["note-2026-05-31.json"]), encoding="utf-8") as f:
            self.assertNotIn("349", f.read())

    def test_copies_match_shared(self):
        if not os.path.isdir(SHARED_SEEDS):
            self.skipTest("no ../shared/seeds beside the project")
        for seed in SEED_OF.values():
            with self.subTest(seed=seed):
                with open(os.path.join(SEEDS, seed), "rb") as a, \
                        open(os.path.join(SHARED_SEEDS, seed), "rb") as b:
                    self.assertEqual(a.read(), b.read())


if __name__ == "__main__":
    unittest.main(verbosity=2)
