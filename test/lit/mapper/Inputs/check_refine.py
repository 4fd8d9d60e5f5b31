"""Checks `tessel map --refine-with-sim K --json` output (argv[1]).

Usage: check_refine.py MAP.json K [SIM.json] [--failed RANK]
The chosen mapping is the simulated candidate with the lowest simulated
objective (ties to the lower model rank), it is the op's mapping, the
candidates are the model's K best distinct ones in model order, and with
SIM.json (`tessel sim --json` of the module -o wrote) the written module
simulates to the chosen candidate's figures. --failed RANK: that candidate
has a failure and no sim rank; the others still rank 1..K-1.
"""
import json
import sys


def fail(message):
    print("check_refine: FAIL: " + message)
    sys.exit(1)


args = sys.argv[1:]
failed = None
if "--failed" in args:
    at = args.index("--failed")
    failed = int(args[at + 1])
    del args[at:at + 2]
result = json.load(open(args[0]))
k = int(args[1])
objective = result["objective"]
for op in result["ops"]:
    refine = op["refine"]
    candidates = refine["candidates"]
    if len(candidates) != k:
        fail("%s: %d candidates, expected %d" % (op["op"], len(candidates), k))
    if [c["modelRank"] for c in candidates] != list(range(1, k + 1)):
        fail("model ranks out of order")
    costs = [c["model"][objective] for c in candidates]
    if costs != sorted(costs):
        fail("candidates not in model order: %s" % costs)
    mappings = [json.dumps(c["mapping"], sort_keys=True) for c in candidates]
    if len(set(mappings)) != k:
        fail("the candidates are not distinct")
    simulated = [c for c in candidates if c["sim"] is not None]
    if failed is not None:
        bad = candidates[failed - 1]
        if bad["sim"] is not None or bad["simRank"] is not None or not bad.get("failure"):
            fail("candidate %d should have failed: %s" % (failed, bad))
        if len(simulated) != k - 1:
            fail("%d simulated, expected %d" % (len(simulated), k - 1))
    elif len(simulated) != k:
        fail("only %d of %d simulated" % (len(simulated), k))
    # Equal simulated costs share a rank (1, 1, 3).
    for c in simulated:
        expected = 1 + sum(d["sim"][objective] < c["sim"][objective] for d in simulated)
        if c["simRank"] != expected:
            fail("model rank %d has sim rank %s, expected %d" % (c["modelRank"], c["simRank"], expected))
    best = min(simulated, key=lambda c: (c["sim"][objective], c["modelRank"]))
    chosen = [c for c in candidates if c["chosen"]]
    if chosen != [best]:
        fail("chosen %s, expected model rank %d (lowest simulated %s)" %
             ([c["modelRank"] for c in chosen], best["modelRank"], objective))
    if refine["chosenModelRank"] != best["modelRank"]:
        fail("chosenModelRank %s" % refine["chosenModelRank"])
    if json.dumps(op["mapping"], sort_keys=True) != json.dumps(best["mapping"], sort_keys=True):
        fail("the op's mapping is not the chosen candidate's")
    if refine["modelRank1SimRank"] != candidates[0]["simRank"]:
        fail("modelRank1SimRank")
    if len(args) > 2:
        sim = json.load(open(args[2]))
        figures = [o["sim"] for o in sim["ops"] if o["name"] == op["op"]][0]
        if (figures["cycles"], figures["energyPJ"]) != (best["sim"]["cycles"], best["sim"]["energyPJ"]):
            fail("the written module simulates to %s, the chosen candidate to %s" %
                 ((figures["cycles"], figures["energyPJ"]), best["sim"]))
    print("chosen model rank %d of %d (sim %s %s); model rank 1 was sim rank %s" %
          (best["modelRank"], k, objective, best["sim"][objective], candidates[0]["simRank"]))
print("ok")
