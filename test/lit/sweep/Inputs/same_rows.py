"""Exit 0 iff two sweep databases hold the same rows (all but the wall times,
`points.seconds` and `point_ops.seconds`)."""
import sqlite3
import sys


def rows(path):
    db = sqlite3.connect(path)
    return (
        db.execute("SELECT point, parameters, status, error, cycles, "
                   "energy_pj, edp, macs, utilization, feasible FROM points "
                   "ORDER BY point").fetchall(),
        db.execute("SELECT * FROM point_parameters ORDER BY point, name")
        .fetchall(),
        db.execute("SELECT point, op, cycles, energy_pj, edp, macs, "
                   "utilization, evaluations, mapping, sim_status, "
                   "sim_cycles, sim_energy_pj, space FROM point_ops "
                   "ORDER BY point, op").fetchall(),
        db.execute("SELECT * FROM sweep ORDER BY key").fetchall(),
    )


a, b = rows(sys.argv[1]), rows(sys.argv[2])
names = ["points", "point_parameters", "point_ops", "sweep"]
for name, x, y in zip(names, a, b):
    if x != y:
        print("%s differ: %d vs %d rows" % (name, len(x), len(y)))
        for r, s in zip(x, y):
            if r != s:
                print("  first difference:\n   %s\n   %s" % (r, s))
                break
        sys.exit(1)
print("same rows: %d points, %d ops" % (len(a[0]), len(a[2])))
