//===- sweep/Database.cpp -------------------------------------------------===//
#include "sweep/Database.h"

#include "support/Sqlite.h"
#include "support/Text.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace tessel {
namespace {

const char *kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sweep(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS points(
  point INTEGER PRIMARY KEY, parameters TEXT NOT NULL, status TEXT NOT NULL,
  error TEXT, cycles INTEGER, energy_pj REAL, edp REAL, macs INTEGER,
  utilization REAL, feasible INTEGER, seconds REAL, sim_status TEXT,
  sim_cycles INTEGER, sim_energy_pj REAL, area_mm2 REAL, leakage_mw REAL);
CREATE TABLE IF NOT EXISTS point_parameters(
  point INTEGER, name TEXT, value TEXT, PRIMARY KEY(point, name));
CREATE TABLE IF NOT EXISTS point_ops(
  point INTEGER, op TEXT, cycles INTEGER, energy_pj REAL, edp REAL,
  macs INTEGER, utilization REAL, evaluations INTEGER, mapping TEXT,
  sim_status TEXT, sim_cycles INTEGER, sim_energy_pj REAL,
  seconds REAL, space TEXT, PRIMARY KEY(point, op));
)sql";

/// Columns later versions added to a table, each with its type: a
/// database an older Tessel made gets them (NULL in its old rows).
const struct {
  const char *table, *column, *type;
} kAddedColumns[] = {{"point_ops", "seconds", "REAL"},
                     {"point_ops", "space", "TEXT"}};


std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

} // namespace

SweepDatabase::SweepDatabase(const std::string &path, const SweepSpec &spec)
    : db(std::make_unique<SqliteDatabase>(path)), spec(spec) {
  db->exec(kSchema);
  for (const auto &added : kAddedColumns) {
    SqliteStatement columns(*db, std::string("PRAGMA table_info(") +
                                     added.table + ")");
    bool have = false;
    while (columns.step())
      have = have || columns.text(1) == added.column;
    if (!have)
      db->exec(std::string("ALTER TABLE ") + added.table + " ADD COLUMN " +
               added.column + " " + added.type);
  }
  SqliteStatement get(*db, "SELECT value FROM sweep WHERE key = 'text'");
  if (get.step()) {
    if (get.text(0) != spec.text)
      throw SweepError(path + ": error: this database holds the results of "
                              "another sweep (or of an edited sweep file); "
                              "give a new --out, or delete " +
                       path + " to start over");
    return;
  }
  SqliteStatement put(*db, "INSERT INTO sweep(key, value) VALUES (?, ?)");
  put.bind(1, std::string("text")).bind(2, spec.text).run();
  put.reset();
  put.bind(1, std::string("name")).bind(2, spec.name).run();
}

SweepDatabase::~SweepDatabase() = default;

std::set<uint64_t> SweepDatabase::finishedPoints() const {
  std::set<uint64_t> done;
  SqliteStatement select(*db, "SELECT point FROM points");
  while (select.step())
    done.insert(select.whole(0));
  return done;
}

void SweepDatabase::record(const PointResult &r) {
  db->exec("BEGIN IMMEDIATE");
  try {
    SqliteStatement point(*db, "INSERT OR REPLACE INTO points VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    point.bind(1, r.point.index)
        .bind(2, r.point.key)
        .bind(3, r.status)
        .bind(4, r.error)
        .bind(5, r.cycles)
        .bind(6, r.energyPJ)
        .bind(7, r.edp)
        .bind(8, r.macs)
        .bind(9, r.utilization)
        .bind(10, uint64_t(r.feasible))
        .bind(11, r.seconds)
        .bind(12, r.simStatus)
        .bind(13, r.simCycles)
        .bind(14, r.simEnergyPJ)
        .bind(15, r.areaMm2)
        .bind(16, r.leakageMW)
        .run();
    SqliteStatement parameter(*db, "INSERT OR REPLACE INTO point_parameters "
                                   "VALUES (?, ?, ?)");
    for (size_t p = 0; p < spec.parameters.size(); ++p) {
      parameter.reset();
      parameter.bind(1, r.point.index)
          .bind(2, spec.parameters[p].name)
          .bind(3, spec.parameters[p].values[r.point.choice[p]])
          .run();
    }
    SqliteStatement op(*db, "INSERT OR REPLACE INTO point_ops(point, op, "
                            "cycles, energy_pj, edp, macs, utilization, "
                            "evaluations, mapping, sim_status, sim_cycles, "
                            "sim_energy_pj, seconds, space) VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const OpResult &o : r.ops) {
      op.reset();
      op.bind(1, r.point.index)
          .bind(2, o.op)
          .bind(3, o.cycles)
          .bind(4, o.energyPJ)
          .bind(5, double(o.cycles) * o.energyPJ)
          .bind(6, o.macs)
          .bind(7, o.utilization)
          .bind(8, o.evaluations)
          .bind(9, o.mapping)
          .bind(10, o.simStatus)
          .bind(11, o.simCycles)
          .bind(12, o.simEnergyPJ)
          .bind(13, o.seconds)
          .bind(14, o.space)
          .run();
    }
  } catch (...) {
    try {
      db->exec("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
  db->exec("COMMIT");
}

std::vector<PointResult> SweepDatabase::results() const {
  std::map<uint64_t, PointResult> byIndex;
  SqliteStatement points(*db,
                         "SELECT point, parameters, status, error, cycles, "
                         "energy_pj, edp, macs, utilization, feasible, "
                         "seconds, sim_status, sim_cycles, sim_energy_pj, "
                         "area_mm2, leakage_mw FROM points ORDER BY point");
  while (points.step()) {
    PointResult r;
    r.point.index = points.whole(0);
    r.point.key = points.text(1);
    r.status = points.text(2);
    r.error = points.text(3);
    r.cycles = points.whole(4);
    r.energyPJ = points.real(5);
    r.edp = points.real(6);
    r.macs = points.whole(7);
    r.utilization = points.real(8);
    r.feasible = points.whole(9) != 0;
    r.seconds = points.real(10);
    r.simStatus = points.text(11);
    r.simCycles = points.whole(12);
    r.simEnergyPJ = points.real(13);
    r.areaMm2 = points.real(14);
    r.leakageMW = points.real(15);
    byIndex[r.point.index] = r;
  }
  SqliteStatement values(*db,
                         "SELECT point, name, value FROM point_parameters");
  std::map<uint64_t, std::map<std::string, std::string>> chosen;
  while (values.step())
    chosen[values.whole(0)][values.text(1)] = values.text(2);
  for (auto &[index, r] : byIndex)
    for (const SweepParameter &parameter : spec.parameters) {
      const std::string &value = chosen[index][parameter.name];
      auto at = std::find(parameter.values.begin(), parameter.values.end(),
                          value);
      r.point.choice.push_back(size_t(at - parameter.values.begin()));
    }
  SqliteStatement ops(*db, "SELECT point, op, cycles, energy_pj, macs, "
                           "utilization, evaluations, mapping, sim_status, "
                           "sim_cycles, sim_energy_pj, seconds, space "
                           "FROM point_ops "
                           "ORDER BY point, rowid");
  while (ops.step()) {
    OpResult o;
    o.op = ops.text(1);
    o.cycles = ops.whole(2);
    o.energyPJ = ops.real(3);
    o.macs = ops.whole(4);
    o.utilization = ops.real(5);
    o.evaluations = ops.whole(6);
    o.mapping = ops.text(7);
    o.simStatus = ops.text(8);
    o.simCycles = ops.whole(9);
    o.simEnergyPJ = ops.real(10);
    o.seconds = ops.real(11);
    o.space = ops.text(12);
    auto found = byIndex.find(ops.whole(0));
    if (found != byIndex.end())
      found->second.ops.push_back(std::move(o));
  }
  std::vector<PointResult> results;
  for (auto &[index, r] : byIndex)
    results.push_back(std::move(r));
  return results;
}

std::vector<uint64_t> paretoFront(const std::vector<PointResult> &results) {
  std::vector<const PointResult *> candidates;
  for (const PointResult &r : results)
    if (r.status == "ok" && r.feasible)
      candidates.push_back(&r);
  std::vector<uint64_t> front;
  for (const PointResult *a : candidates) {
    bool dominated = false;
    for (const PointResult *b : candidates)
      if (b != a && b->cycles <= a->cycles && b->energyPJ <= a->energyPJ &&
          b->areaMm2 <= a->areaMm2 &&
          (b->cycles < a->cycles || b->energyPJ < a->energyPJ ||
           b->areaMm2 < a->areaMm2))
        dominated = true;
    if (!dominated)
      front.push_back(a->point.index);
  }
  return front;
}

std::string pointsCsv(const SweepSpec &spec,
                      const std::vector<PointResult> &results) {
  std::vector<uint64_t> front = paretoFront(results);
  std::string csv = "point";
  for (const SweepParameter &parameter : spec.parameters)
    csv += "," + csvField(parameter.name);
  csv += ",status,cycles,energy_pj,edp,macs,utilization,feasible,pareto,"
         "seconds,error,sim_status,sim_cycles,sim_energy_pj,area_mm2,"
         "leakage_mw\n";
  for (const PointResult &r : results) {
    csv += std::to_string(r.point.index);
    for (size_t p = 0; p < spec.parameters.size(); ++p)
      csv += "," + csvField(parameterValue(spec, r.point, p));
    bool onFront = std::find(front.begin(), front.end(), r.point.index) !=
                   front.end();
    csv += "," + r.status + "," + std::to_string(r.cycles) + "," +
           number(r.energyPJ) + "," + number(r.edp) + "," +
           std::to_string(r.macs) + "," + number(r.utilization) + "," +
           (r.feasible ? "1" : "0") + "," + (onFront ? "1" : "0") + "," +
           number(r.seconds) + "," + csvField(r.error) + "," +
           csvField(r.simStatus) + "," + std::to_string(r.simCycles) + "," +
           number(r.simEnergyPJ) + "," + number(r.areaMm2) + "," +
           number(r.leakageMW) + "\n";
  }
  return csv;
}

std::string opsCsv(const SweepSpec &spec,
                   const std::vector<PointResult> &results) {
  std::string csv = "point";
  for (const SweepParameter &parameter : spec.parameters)
    csv += "," + csvField(parameter.name);
  csv += ",op,cycles,energy_pj,edp,macs,utilization,evaluations,sim_status,"
         "sim_cycles,sim_energy_pj,seconds,space\n";
  for (const PointResult &r : results)
    for (const OpResult &o : r.ops) {
      csv += std::to_string(r.point.index);
      for (size_t p = 0; p < spec.parameters.size(); ++p)
        csv += "," + csvField(parameterValue(spec, r.point, p));
      csv += "," + csvField(o.op) + "," + std::to_string(o.cycles) + "," +
             number(o.energyPJ) + "," +
             number(double(o.cycles) * o.energyPJ) + "," +
             std::to_string(o.macs) + "," + number(o.utilization) + "," +
             std::to_string(o.evaluations) + "," + csvField(o.simStatus) +
             "," + std::to_string(o.simCycles) + "," +
             number(o.simEnergyPJ) + "," + number(o.seconds) + "," +
             csvField(o.space) + "\n";
    }
  return csv;
}

} // namespace tessel
