"""Loads an exported authors' dataset folder with numpy and checks what their loader and evaluator
rely on (puzzle_dataset.py, evaluators/arc.py, method-spec.md section 1): dtypes and shapes, the CSR
tables, dataset.json, identifiers.json, and that every test example undone with its identifier's
transform is a test input of its task in test_puzzles.json. Written for the lab's tests; needs only
numpy. Prints one JSON line of facts on success, exits 1 with the reason otherwise."""
import json
import os
import sys

import numpy as np

ROOT = sys.argv[1]
FIELDS = ["inputs", "labels", "puzzle_identifiers", "puzzle_indices", "group_indices"]


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def crop(tokens):
    # Largest top-left rectangle of colour tokens (2..11), rows scanned downwards.
    grid = tokens.reshape(30, 30)
    best, best_r, best_c, limit = 0, 0, 0, 30
    for r in range(30):
        for c in range(limit):
            if grid[r, c] < 2 or grid[r, c] > 11:
                limit = c
                break
        if (r + 1) * limit > best:
            best, best_r, best_c = (r + 1) * limit, r + 1, limit
    return (grid[:best_r, :best_c] - 2).astype(np.uint8)


def inverse(name, grid):
    if "|||" not in name:
        return grid
    t, perm = name.split("|||")[-2:]
    t = int(t[1:])
    inv_perm = np.argsort([int(x) for x in perm]).astype(np.uint8)
    inv_t = [0, 3, 2, 1, 4, 5, 6, 7][t]
    g = grid
    g = [g, np.rot90(g, 1), np.rot90(g, 2), np.rot90(g, 3), np.fliplr(g), np.flipud(g), g.T, np.fliplr(np.rot90(g, 1))][inv_t]
    return inv_perm[g]


ids = json.load(open(os.path.join(ROOT, "identifiers.json")))
test_puzzles = json.load(open(os.path.join(ROOT, "test_puzzles.json")))
facts = {"identifiers": len(ids)}
for split in ["train", "test"]:
    meta = json.load(open(os.path.join(ROOT, split, "dataset.json")))
    keys = ["seq_len", "vocab_size", "pad_id", "ignore_label_id", "blank_identifier_id", "num_puzzle_identifiers", "total_groups", "mean_puzzle_examples", "total_puzzles", "sets"]
    if list(meta.keys()) != keys:
        fail(f"{split}/dataset.json keys {list(meta.keys())}")
    if meta["sets"] != ["all"]:
        fail("sets")
    a = {f: np.load(os.path.join(ROOT, split, f"all__{f}.npy")) for f in FIELDS}
    for f in ["inputs", "labels"]:
        if a[f].dtype != np.uint8 or a[f].ndim != 2 or a[f].shape[1] != meta["seq_len"]:
            fail(f"{split} {f}: {a[f].dtype} {a[f].shape}")
        if a[f].max(initial=0) >= meta["vocab_size"]:
            fail(f"{split} {f}: token beyond vocab")
    for f in ["puzzle_identifiers", "puzzle_indices", "group_indices"]:
        if a[f].dtype != np.int32 or a[f].ndim != 1:
            fail(f"{split} {f}: {a[f].dtype} {a[f].shape}")
    n_ex, n_pz, n_gr = a["inputs"].shape[0], a["puzzle_identifiers"].shape[0], a["group_indices"].shape[0] - 1
    if a["puzzle_indices"][0] != 0 or a["puzzle_indices"][-1] != n_ex or a["puzzle_indices"].shape[0] != n_pz + 1:
        fail(f"{split} puzzle_indices")
    if a["group_indices"][0] != 0 or a["group_indices"][-1] != n_pz or np.any(np.diff(a["group_indices"]) <= 0):
        fail(f"{split} group_indices")
    if meta["total_puzzles"] != n_pz or meta["total_groups"] != n_gr or meta["num_puzzle_identifiers"] != len(ids):
        fail(f"{split} dataset.json counts")
    if abs(meta["mean_puzzle_examples"] - n_ex / n_pz) > 1e-9:
        fail(f"{split} mean_puzzle_examples")
    facts[split] = {"examples": int(n_ex), "puzzles": int(n_pz), "groups": int(n_gr)}
    if split == "test":
        matched = 0
        for p in range(n_pz):
            name = ids[int(a["puzzle_identifiers"][p])]
            task = name.split("|||")[0]
            inputs = [np.array(t["input"], dtype=np.uint8) for t in test_puzzles[task]["test"]]
            for e in range(a["puzzle_indices"][p], a["puzzle_indices"][p + 1]):
                g = inverse(name, crop(a["inputs"][e]))
                if not any(g.shape == x.shape and np.array_equal(g, x) for x in inputs):
                    fail(f"test example {e} ({name}) matches no test input of {task}")
                matched += 1
        facts["matched_test_examples"] = matched
print(json.dumps(facts))
