// Deterministic data for the benchmark's workloads: W1 (individual
// arrangements under the Wfw and the werkkostenregeling) and W2 (work logs
// under the Arbeidstijdenwet, the same-day allowance rule and the cross-border
// shares). Each case, employee and day is a pure function of (seed, index), so
// the same data can be produced as plain structs (baseline), straight into a
// FactStore (engine), or as JSON lines and CSV (end-to-end runs).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "bench/model.hpp"
#include "engine/facts.hpp"

namespace nw::bench {

/// The evaluation date of both workloads; all facts lie in 2024, so every
/// parameter has one value.
inline constexpr const char* kAsOf = "2024-12-31";
/// The first day of every W2 work log.
inline constexpr int32_t kW2FirstDay = 19723;  // 2024-01-01
/// Calendar days of a W2 work log: 2024-01-01 to 2024-12-30. Most logs hold a
/// record for every day (days not worked with their facts null); the logs of
/// some frontier workers hold the days worked only.
inline constexpr int32_t kW2Days = 365;

/// W1: arrangement `index` of the data set with this seed.
W1Case GenerateW1Case(uint64_t seed, uint32_t index);
/// W1: `count` arrangements.
std::vector<W1Case> GenerateW1(uint64_t seed, uint32_t count);

/// W2: employee `index` (without records).
W2Employee GenerateW2Employee(uint64_t seed, uint32_t index);
/// W2: appends the records of an employee (one per day, sorted by date).
void GenerateW2Days(uint64_t seed, uint32_t index, const W2Employee& employee, std::vector<W2Day>& out);
/// W2: a whole employer with `employees` employees.
W2Data GenerateW2(uint64_t seed, uint32_t employees);

/// Fills a FactStore with W1 arrangements (one `case` root per arrangement) and seals it.
void FillW1(const std::vector<W1Case>& cases, engine::FactStore& store);
/// Fills a FactStore with a W2 employer, generating employees and records on
/// the fly (no W2Data in memory), and seals it.
void FillW2(uint64_t seed, uint32_t employees, engine::FactStore& store);

/// Writes W1 as JSON lines: one `case` document per line.
void WriteW1Jsonl(const std::vector<W1Case>& cases, std::ostream& out);
/// Writes W2 as an employer document (a `case` with employees, their
/// residence and A1 certificates, without records) and a CSV work log
/// `employee,date,start,end,location,country,home_allowance,travel_allowance,break_minutes,business_trip`.
void WriteW2(uint64_t seed, uint32_t employees, std::ostream& employer_json, std::ostream& csv);

}  // namespace nw::bench
