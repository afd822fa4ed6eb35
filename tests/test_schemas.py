"""The JSON Schemas in data/schema/ accept every bundled file and valid fixture, and reject
what the loader rejects in the bad-input corpus wherever a schema can say it.

Uses python3-jsonschema (Debian's), draft 2020-12, with format checks on.
Usage: python3 tests/test_schemas.py SOURCE_DIR
"""

import glob
import json
import math
import os
import sys
import unittest

import jsonschema
from jsonschema import Draft202012Validator

ROOT = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "."
SCHEMA_DIR = os.path.join(ROOT, "data", "schema")
SCHEMA_FOR = {
    "leasecalc/scenario/v1": "scenario.schema.json",
    "leasecalc/note/v1": "note.schema.json",
    "leasecalc/gpus/v1": "gpus.schema.json",
}

# Every class in tests/bad/, and who rejects it.
#   "json":   not JSON at all (or not strict JSON): a strict parser refuses it before any schema;
#   "schema": valid JSON that the schema rejects, as the loader does;
#   "usage":  a valid file used with a bad command line: the schema must accept the file;
#   any other text: why a schema cannot say it. The schema must accept these files, so that
#             a schema that learns to reject one is noticed and the class moved to "schema".
BAD = {
    "bad-date": "schema",
    "costs-pue-below-one": "schema",
    "power-and-pue": "schema",
    "tenant-takes-too-many": "a tenant's GPUs against the cluster's: a cross-reference",
    "tenants-together-too-many": "the tenants' GPUs summed against the cluster's: a cross-reference",
    "tenants-same-key": "two names whose key segments collide: the schema cannot derive segments",
    "tenants-hours-differ": "the same hours_per_year in every lease: a schema cannot compare items",
    "lease-and-leases": "schema",
    "tenant-unknown-model": "a tenant's models must be the cluster's: a cross-reference",
    "tenants-term-for-one": "every lease has a term when one has: a schema cannot compare items",
    "set-primary-without-source": "usage",
    "update-outside-range": "usage",
    "update-source-without-title": "usage",
    "discount-both-names": "schema",
    "output-is-input": "usage",
    "sweep-fractional-count-step": "usage",
    "set-count-beyond-double": "usage",
    "seed-beyond-double": "usage",
    "simulate-draws-over-memory": "usage",
    "count-rounded-by-double": "a decimal a double rounds to a whole number: the schema's "
                               "validator sees the rounded value",
    "samples-out-same-as-output": "usage",
    "update-set-overflows": "an overflow is found by computing the figures: a schema cannot",
    "update-range-misses-value": "usage",
    "update-range-reversed": "usage",
    "update-note-without-key": "usage",
    "update-as-of-bad-date": "usage",
    "update-note-unknown-key": "usage",
    "update-drop-range-not-in-file": "usage",
    "sources-as-of-bad-date": "usage",
    "tag-ranges-width-one": "schema",
    "correlation-not-ranged": "which inputs have a range is known only after --set and --tag-ranges",
    "correlation-not-psd": "a matrix's eigenvalues: a schema cannot compute them",
    "correlation-rank-above-one": "schema",
    "correlation-with-itself": "two fields of an item compared: a schema cannot",
    "correlation-pair-twice": "a pair given in either order: a schema cannot compare items so",
    "prob-bad-condition": "usage",
    "prob-not-an-output": "usage",
    "simulate-csv-prob-and-sensitivity": "usage",
    "simulate-schedule-ranged-term": "usage",
    "tag-ranges-unknown-tag": "schema",
    "lease-ramp-not-increasing": "ramp months must increase: a schema cannot compare array items",
    "lease-ramp-share-above-one": "schema",
    "lease-start-not-first": "schema",
    "lease-term-zero": "schema",
    "lease-term-fractional": "schema",
    "lease-escalator-minus-one": "schema",
    "capex-per-model-missing": "per-model capex must cover the models of /cluster/gpus: a cross-reference",
    "capex-per-model-absent": "per-model capex must name models of /cluster/gpus: a cross-reference",
    "finance-capex-at-start-string": "schema",
    "pue-model-without-tdp": "a model's TDP is in the catalog: a cross-reference",
    "schedule-without-term": "usage",
    "schedule-unknown-column": "usage",
    "set-start-not-first": "usage",
    "capacity-bad-month": "schema",
    "capacity-duplicate": "unique counterparty names across array items: uniqueItems compares whole items",
    "costs-negative-power-price": "schema",
    "capex-life-zero": "schema",
    "capex-residual-above-one": "schema",
    "flows-without-capex": "usage",
    "workbook-deep-ramp": "usage",
    "case-unknown-name": "usage",
    "output-empty-path": "usage",
    "diff-stdin-twice": "usage",
    "case-named-base": "schema",
    "case-unknown-key": "a case's key against the scenario's inputs: the schema does not know them",
    "case-value-out-of-domain": "a value's domain follows its key: the schema does not know the keys",
    "flows-equity-without-debt": "usage",
    "tail-ends-before-contract": "the tail's end against the contract's: the schema cannot compare two values",
    "market-model-not-in-cluster": "a model the cluster lacks: the schema does not know the cluster's models",
    "market-dates-out-of-order": "dates in order: the schema cannot compare two values",
    "market-without-start": "market dates need lease.start: the schema does not tie sections",
    "tail-without-market-price": "a tail needs a market price per model: the schema does not tie sections",
    "market-date-mid-month": "schema",
    "leases-overlap-over-cluster": "leases that overlap in time: the schema cannot add counts by month",
    "debt-without-capex": "debt needs capex paid at the start: the schema does not tie sections",
    "debt-share-above-one": "schema",
    "debt-fee-above-one": "schema",
    "finance-tax-rate-above-one": "schema",
    "debt-negative-rate": "schema",
    "debt-interest-only-not-below-term": "interest-only months against the term: the schema cannot compare two values",
    "debt-without-rate": "schema",
    "debt-amortization-unknown": "schema",
    "names-collide": "two names whose key segments collide: the schema cannot derive segments",
    "peers-collide": "two names whose key segments collide: the schema cannot derive segments",
    "id-not-a-segment": "schema",
    "name-without-segment": "a name needs a letter or digit only when it has no id: the schema cannot tie the two",
    "catalog-id-with-dot": "schema",
    "cluster-is-array": "schema",
    "count-beyond-2-53": "schema",
    "count-is-string": "schema",
    "deep-nesting": "schema",
    "dist-without-range": "schema",
    "duplicate-key": "json",
    "empty-gpus": "schema",
    "empty": "json",
    "facts-unknown-unit": "units are a small grammar (USD/GPU-h, GW, ...) checked by the loader",
    "facts-without-unit": "schema",
    "fp8-without-figure": "the basis needs a catalog figure of each model: a cross-file check",
    "fractional-count": "schema",
    "huge-number": "json",
    "invalid-utf8": "json",
    "json-comment": "json",
    "key-prefix": "schema",
    "lognormal-low-zero": "schema",
    "low-above-high": "comparing two values of one instance needs $data, which is not in draft 2020-12",
    "lowercase-model": "model ids are those of the GPU catalog, another file",
    "missing-lease": "schema",
    "missing-model-price": "per-type prices must cover the models of /cluster/gpus: a cross-reference",
    "nan-literal": "json",
    "negative-count": "schema",
    "negative-loss": "schema",
    "note-bad-tolerance": "schema",
    "note-bound-with-range": "schema",
    "note-expect-no-reason": "schema",
    "note-is-a-scenario": "schema",
    "note-no-claims": "schema",
    "note-not-a-string": "schema",
    "note-unknown-key": "schema",
    "nul-byte": "json",
    "occupancy-above-one": "schema",
    "occupancy-percent": "schema",
    "overflow": "the result overflows a double: a property of the calculation, not of the file",
    "price-for-absent-model": "per-type prices must name models of /cluster/gpus: a cross-reference",
    "samples-octal": "usage",
    "schema-pointer-not-string": "schema",
    "set-hex": "usage",
    "source-without-title": "schema",
    "syntax-missing-comma": "json",
    "target-junk": "usage",
    "trailing-comma": "json",
    "undeclared-source": "source ids must be declared under /sources: a cross-reference",
    "unknown-basis-in-file": "schema",
    "unknown-dist": "schema",
    "unknown-key-typo": "schema",
    "unknown-model": "model ids are those of the GPU catalog, another file",
    "unknown-tag": "schema",
    "value-outside-range": "low <= value <= high compares values of one instance: needs $data",
    "vary-reversed": "usage",
    "wrong-schema": "schema",
    "zero-price": "schema",
}


def strict_load(path):
    """Strict JSON, as the loader reads it: UTF-8, no NaN or Infinity, no duplicate keys,
    no number beyond a double."""

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key")
        return dict(pairs)

    def finite(text):
        x = float(text)
        if math.isinf(x):
            raise ValueError(f"number {text} is too large")
        return x

    def constant(name):
        raise ValueError(f"{name} is not JSON")

    with open(path, "rb") as f:
        text = f.read().decode("utf-8-sig")  # a leading BOM is skipped, as the loader does
    if "\0" in text:
        raise ValueError("NUL byte")
    return json.loads(text, object_pairs_hook=no_duplicates, parse_float=finite,
                      parse_constant=constant)


def load_schema(name):
    with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
        return json.load(f)


def validator(name):
    """A validator for one schema, with figure.schema.json resolvable by its relative path."""
    store = {}
    for path in glob.glob(os.path.join(SCHEMA_DIR, "*.schema.json")):
        store["file://" + path] = load_schema(os.path.basename(path))
    base = "file://" + os.path.join(SCHEMA_DIR, name)
    resolver = jsonschema.RefResolver(base, store[base], store=store)
    return Draft202012Validator(store[base], resolver=resolver,
                                format_checker=jsonschema.FormatChecker())


VALIDATORS = {kind: validator(name) for kind, name in SCHEMA_FOR.items()}


def valid_files():
    """Every JSON document leasecalc reads that should load: bundled data and fixtures."""
    files = [os.path.join(ROOT, "data", "gpus.json")]
    for pattern in ("data/scenarios/*.json", "data/notes/*.json", "tests/scenarios/*.json",
                    "tests/notes/*.json", "tests/diff/*.json", "bench/*.json"):
        files += sorted(glob.glob(os.path.join(ROOT, pattern)))
    return files


class Schemas(unittest.TestCase):
    def test_schemas_are_valid_2020_12(self):
        for path in glob.glob(os.path.join(SCHEMA_DIR, "*.schema.json")):
            with self.subTest(schema=os.path.basename(path)):
                schema = load_schema(os.path.basename(path))
                self.assertEqual(schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
                Draft202012Validator.check_schema(schema)

    def test_every_valid_file_names_its_schema_and_validates(self):
        files = valid_files()
        self.assertGreaterEqual(len(files), 10)
        for path in files:
            with self.subTest(file=os.path.relpath(path, ROOT)):
                doc = strict_load(path)
                expected = os.path.join(SCHEMA_DIR, SCHEMA_FOR[doc["schema"]])
                self.assertTrue("$schema" in doc, "no $schema for editors")
                self.assertEqual(
                    os.path.normpath(os.path.join(os.path.dirname(path), doc["$schema"])),
                    expected)
                errors = [e.message for e in VALIDATORS[doc["schema"]].iter_errors(doc)]
                self.assertEqual(errors, [])

    def test_bad_corpus(self):
        names = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(ROOT, "tests/bad/*.json")))
        self.assertEqual(names, sorted(BAD), "classify every tests/bad/ case in BAD")
        for name in names:
            path = os.path.join(ROOT, "tests", "bad", name + ".json")
            expected = open(path[:-5] + ".expected", encoding="utf-8").read().splitlines()
            args = expected[2] if len(expected) > 2 else ""
            kind = "leasecalc/note/v1" if args.startswith("@check") else "leasecalc/scenario/v1"
            how = BAD[name]
            with self.subTest(case=name, expected=how):
                if how == "json":
                    with self.assertRaises((ValueError, UnicodeDecodeError)):
                        strict_load(path)
                    continue
                doc = strict_load(path)
                errors = list(VALIDATORS[kind].iter_errors(doc))
                if how == "schema":
                    self.assertNotEqual(errors, [], "the schema accepts what the loader rejects")
                else:
                    self.assertEqual([e.message for e in errors], [],
                                     "the schema now rejects this: move it to \"schema\"")

    def test_schema_rejects_what_it_should(self):
        # A few cases beyond the corpus, each one rule of the schema, on a valid base.
        base = strict_load(os.path.join(ROOT, "tests", "scenarios", "nebula.json"))
        v = VALIDATORS["leasecalc/scenario/v1"]
        self.assertEqual(list(v.iter_errors(base)), [])

        def with_change(change):
            doc = json.loads(json.dumps(base))
            change(doc)
            return list(v.iter_errors(doc))

        # a reported figure with no source
        self.assertTrue(with_change(lambda d: d["lease"].update(
            occupancy={"value": 0.9, "tag": "reported"})))
        # a discount of 1 (100% off)
        self.assertTrue(with_change(lambda d: d["lease"].update(discount=1)))
        # a leap year has 8,784 hours at most
        self.assertTrue(with_change(lambda d: d["lease"].update(hours_per_year=8785)))
        # a range needs both ends
        self.assertTrue(with_change(lambda d: d["loss"].update(
            annual_net_loss={"value": 5, "low": 1})))
        # an unknown key inside a figure
        self.assertTrue(with_change(lambda d: d["lease"].update(
            occupancy={"value": 0.9, "tags": "reported"})))
        # a fact's unit is required, and other figures take none
        self.assertTrue(with_change(lambda d: d.update(valuation={"value": 1e9, "unit": "USD"})))
        # and the unchanged base still passes
        self.assertEqual(with_change(lambda d: None), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
