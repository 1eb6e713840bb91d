// The benchmark driver: generates the workloads, evaluates them with the
// engine (compact reports) and with the hand-written baseline, checks that
// both find the same number of findings per rule and kind, and measures
// throughput (evaluation only and end to end) and peak memory.
//
//   engine_bench                       everything in one process, a summary table
//   engine_bench --check               agreement only (the CTest test), no timing
//   engine_bench --measure w2:engine:eval --scale 2
//                                      one measurement per process (bench/run), one RESULT line
//   engine_bench --write               write the JSON lines and CSV files for the end-to-end runs
//
// Exit status: 0 agreement (and measurements done), 1 engine and baseline
// disagree, 2 usage or input error.
#include <malloc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/baseline.hpp"
#include "bench/engine_load.hpp"
#include "bench/generate.hpp"
#include "dsl/check.hpp"
#include "engine/program.hpp"

#ifndef NW_SOURCE_DIR
#define NW_SOURCE_DIR "."
#endif

namespace nw::bench {
namespace {

struct Options {
  std::string rules = std::string(NW_SOURCE_DIR) + "/rules";
  std::string data = "/tmp/normwerk-bench";
  uint32_t w1 = 100'000;
  uint32_t w2 = 10'000;  // employees at scale 1
  uint32_t scale = 1;
  uint32_t reps = 3;
  uint64_t seed = 20240101;
  bool check = false;
  bool write = false;
  bool full_kinds = true;  // --check: also compare review findings with a non-compact, explained run
  bool heap_reuse = true;  // see main
  std::string measure;     // workload:side:phase
};

[[noreturn]] void Usage(const std::string& error) {
  std::cerr << "engine_bench: " << error << "\n"
            << "usage: engine_bench [--check] [--write] [--measure w1|w2:engine|baseline:eval|e2e]\n"
            << "                    [--w1 CASES] [--w2 EMPLOYEES] [--scale K] [--reps N] [--seed S]\n"
            << "                    [--rules DIR] [--data DIR] [--no-full-kinds] [--default-malloc]\n";
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Usage("`" + a + "` needs a value");
      return argv[++i];
    };
    auto number = [&]() -> uint64_t {
      std::string v = next();
      char* end = nullptr;
      uint64_t n = std::strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0') Usage("`" + a + "` needs a number, found `" + v + "`");
      return n;
    };
    if (a == "--check") o.check = true;
    else if (a == "--write") o.write = true;
    else if (a == "--no-full-kinds") o.full_kinds = false;
    else if (a == "--default-malloc") o.heap_reuse = false;
    else if (a == "--measure") o.measure = next();
    else if (a == "--w1") o.w1 = static_cast<uint32_t>(number());
    else if (a == "--w2") o.w2 = static_cast<uint32_t>(number());
    else if (a == "--scale") o.scale = static_cast<uint32_t>(number());
    else if (a == "--reps") o.reps = static_cast<uint32_t>(number());
    else if (a == "--seed") o.seed = number();
    else if (a == "--rules") o.rules = next();
    else if (a == "--data") o.data = next();
    else Usage("unknown argument `" + a + "`");
  }
  if (o.reps == 0 || o.scale == 0) Usage("--reps and --scale must be at least 1");
  return o;
}

double PeakRssMib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// A whole file, read (end-to-end runs read through the page cache like any input).
std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string s;
  in.seekg(0, std::ios::end);
  s.resize(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  return s;
}

/// A read-only mapping of a file (the baseline parses the CSV in place).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0) throw std::runtime_error("cannot read " + path);
    struct stat st {};
    fstat(fd, &st);
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      data_ = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (data_ == MAP_FAILED) data_ = nullptr;
    }
    close(fd);
    if (size_ > 0 && data_ == nullptr) throw std::runtime_error("cannot map " + path);
    if (data_ != nullptr) madvise(data_, size_, MADV_SEQUENTIAL);
  }
  ~MappedFile() {
    if (data_ != nullptr) munmap(data_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view view() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

/// The rule set, loaded once.
struct Rules {
  DiagnosticSink sink;
  dsl::LoadedRules loaded;
  std::optional<engine::Program> program;
  const dsl::CheckedRuleSet& rs() const { return *loaded.rules; }
};

std::unique_ptr<Rules> LoadRuleSet(const std::string& dir) {
  auto r = std::make_unique<Rules>();
  r->loaded = dsl::LoadRules({dir}, {}, r->sink);
  if (!r->loaded.rules) {
    std::cerr << "engine_bench: the rules in " << dir << " do not check:\n";
    for (const Diagnostic& d : r->sink.Sorted()) std::cerr << "  " << d.message << "\n";
    std::exit(2);
  }
  r->program = engine::Program::Compile(*r->loaded.rules);
  return r;
}

engine::EvalOptions EvalFor(const std::vector<std::string>& rules, bool compact) {
  engine::EvalOptions o;
  o.as_of = *Date::Parse(kAsOf);
  o.compact = compact;
  o.explain = !compact;
  o.only_rules = rules;
  o.max_findings = size_t{1} << 40;
  return o;
}

/// The engine's findings per rule and kind, in the workload's rule order.
Tally TallyOf(const dsl::CheckedRuleSet& rs, const engine::Report& report, const std::vector<std::string>& rules) {
  Tally t(rules);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < rules.size(); ++i) index[rules[i]] = i;
  auto add = [&](const std::string& id, dsl::FindingKind kind) {
    auto it = index.find(id);
    if (it == index.end()) throw std::runtime_error("a finding of a rule outside the workload: " + id);
    t.Add(it->second, static_cast<Kind>(kind));
  };
  for (const engine::CompactFinding& f : report.compact) add(rs.rules[f.rule_index].id, f.kind);
  for (const engine::Finding& f : report.findings) add(f.rule, f.kind);
  if (!report.errors.empty()) {
    throw std::runtime_error("the engine reported " + std::to_string(report.errors.size()) +
                             " evaluation errors, first: " + report.errors[0].rule + ": " + report.errors[0].message);
  }
  return t;
}

/// A short fingerprint of a tally, to compare runs in separate processes.
std::string Digest(const Tally& t) {
  uint64_t h = 1469598103934665603ull;
  for (size_t r = 0; r < t.rules.size(); ++r) {
    for (size_t k = 0; k < kKinds; ++k) {
      h ^= t.n[r][k] + 0x9E3779B97F4A7C15ull * (r * kKinds + k + 1);
      h *= 1099511628211ull;
    }
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

/// Notes the rules a tally has no finding of at all: the data does not exercise them.
void NoteUnexercised(const Tally& t, const std::string& what) {
  std::string none;
  for (size_t r = 0; r < t.rules.size(); ++r) {
    uint64_t sum = 0;
    for (uint64_t v : t.n[r]) sum += v;
    if (sum == 0) none += " " + t.rules[r];
  }
  if (!none.empty()) std::cout << "note: at this size " << what << " has no finding of:" << none << "\n";
}

void PrintTally(std::ostream& out, const Tally& t, const Tally* other = nullptr, const char* other_name = "") {
  for (size_t r = 0; r < t.rules.size(); ++r) {
    std::string line;
    for (size_t k = 0; k < kKinds; ++k) {
      bool differs = other != nullptr && other->n[r][k] != t.n[r][k];
      if (t.n[r][k] == 0 && !differs) continue;
      line += std::string(line.empty() ? "" : ", ") + KindName(static_cast<Kind>(k)) + " " + std::to_string(t.n[r][k]);
      if (differs) line += std::string(" (") + other_name + " " + std::to_string(other->n[r][k]) + ")";
    }
    out << "  " << t.rules[r] << ": " << (line.empty() ? "none" : line) << "\n";
  }
}

/// Compares two tallies; prints the differences. `what` names the comparison.
bool Agree(const Tally& engine, const Tally& baseline, const std::string& what) {
  if (engine == baseline) {
    std::cout << "agree: " << what << " (" << engine.Total() << " findings)\n";
    return true;
  }
  std::cout << "DISAGREE: " << what << "; engine counts, baseline in parentheses where different:\n";
  PrintTally(std::cout, engine, &baseline, "baseline");
  return false;
}

// ---------------------------------------------------------------------------
// Workload runs. Each returns the tally of its last repetition and the time of each.

struct Run {
  std::vector<double> seconds;
  Tally tally{{}};
  uint64_t subjects = 0;
  uint64_t records = 0;  // W1 cases or W2 work-log records
  double store_mib = 0;  // engine: the FactStore's columns after the last evaluation (derived facts included)
};

/// Bytes held by a FactStore's columns (capacity, so growth slack counts).
double StoreMib(const engine::FactStore& store) {
  size_t bytes = 0;
  for (size_t e = 0; e < store.table_count(); ++e) {
    const engine::Table& t = store.table(static_cast<uint32_t>(e));
    for (const engine::Column& c : t.columns) {
      bytes += c.bytes();
    }
    bytes += (t.owner.capacity() + t.position.capacity() + t.begin.capacity()) * sizeof(uint32_t);
  }
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

std::string W1Path(const Options& o) { return o.data + "/w1-" + std::to_string(o.w1) + "-" + std::to_string(o.seed) + ".jsonl"; }
std::string W2Dir(const Options& o, uint32_t employees) {
  return o.data + "/w2-" + std::to_string(employees) + "-" + std::to_string(o.seed);
}

Run EngineW1Eval(Rules& r, const Options& o, const std::vector<W1Case>& cases) {
  engine::FactStore store(r.rs());
  FillW1(cases, store);
  Run run;
  engine::EvalOptions eo = EvalFor(W1Rules(), true);
  for (uint32_t i = 0; i < o.reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    engine::Report rep = r.program->Evaluate(store, eo);
    auto t1 = std::chrono::steady_clock::now();
    run.seconds.push_back(Seconds(t0, t1));
    run.tally = TallyOf(r.rs(), rep, W1Rules());
    run.subjects = rep.subjects;
    run.store_mib = StoreMib(store);
    run.records = cases.size();
  }
  return run;
}

Run EngineW2Eval(Rules& r, const Options& o, uint32_t employees) {
  engine::FactStore store(r.rs());
  FillW2(o.seed, employees, store);
  Run run;
  engine::EvalOptions eo = EvalFor(W2Rules(), true);
  for (uint32_t i = 0; i < o.reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    engine::Report rep = r.program->Evaluate(store, eo);
    auto t1 = std::chrono::steady_clock::now();
    run.seconds.push_back(Seconds(t0, t1));
    run.tally = TallyOf(r.rs(), rep, W2Rules());
    run.subjects = rep.subjects;
    run.store_mib = StoreMib(store);
    run.records = store.table(static_cast<uint32_t>(r.rs().FindEntity("work_day"))).rows;
  }
  return run;
}

Run EngineW1EndToEnd(Rules& r, const Options& o) {
  Run run;
  engine::EvalOptions eo = EvalFor(W1Rules(), true);
  for (uint32_t i = 0; i < o.reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    std::string text = ReadFile(W1Path(o));
    engine::FactStore store(r.rs());
    std::vector<engine::FactError> errors;
    if (!LoadW1Jsonl(store, text, errors)) {
      throw std::runtime_error("W1 JSON lines: " + errors[0].where + ": " + errors[0].message);
    }
    engine::Report rep = r.program->Evaluate(store, eo);
    auto t1 = std::chrono::steady_clock::now();
    run.seconds.push_back(Seconds(t0, t1));
    run.tally = TallyOf(r.rs(), rep, W1Rules());
    run.subjects = rep.subjects;
    run.store_mib = StoreMib(store);
    run.records = store.table(r.rs().root).rows;
  }
  return run;
}

Run EngineW2EndToEnd(Rules& r, const Options& o, uint32_t employees) {
  Run run;
  engine::EvalOptions eo = EvalFor(W2Rules(), true);
  std::string dir = W2Dir(o, employees);
  for (uint32_t i = 0; i < o.reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    std::string employer = ReadFile(dir + "/employer.json");
    engine::FactStore store(r.rs());
    std::vector<engine::FactError> errors;
    if (!LoadW2(store, employer, dir + "/worklog.csv", errors)) {
      throw std::runtime_error("W2 files: " + errors[0].where + ": " + errors[0].message);
    }
    engine::Report rep = r.program->Evaluate(store, eo);
    auto t1 = std::chrono::steady_clock::now();
    run.seconds.push_back(Seconds(t0, t1));
    run.tally = TallyOf(r.rs(), rep, W2Rules());
    run.subjects = rep.subjects;
    run.store_mib = StoreMib(store);
    run.records = store.table(static_cast<uint32_t>(r.rs().FindEntity("work_day"))).rows;
  }
  return run;
}

Run BaselineW1Eval(const Options& o, const std::vector<W1Case>& cases) {
  Run run;
  for (uint32_t i = 0; i < o.reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    Tally t = BaselineW1(cases);
    auto t1 = std::chrono::steady_clock::now();
    run.seconds.push_back(Seconds(t0, t1));
    run.tally = std::move(t);
    run.records = cases.size();
  }
  return run;
}

Run BaselineW2Eval(const Options& o, const W2Data& data) {
  Run run;
  for (uint32_t i = 0; i < o.reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    Tally t = BaselineW2(data);
    auto t1 = std::chrono::steady_clock::now();
    run.seconds.push_back(Seconds(t0, t1));
    run.tally = std::move(t);
    run.records = data.days.size();
  }
  return run;
}

Run BaselineW1EndToEnd(const Options& o) {
  Run run;
  for (uint32_t i = 0; i < o.reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    std::string text = ReadFile(W1Path(o));
    std::vector<W1Case> cases;
    std::string error;
    if (!ParseW1Jsonl(text, cases, error)) throw std::runtime_error("W1 JSON lines: " + error);
    Tally t = BaselineW1(cases);
    auto t1 = std::chrono::steady_clock::now();
    run.seconds.push_back(Seconds(t0, t1));
    run.tally = std::move(t);
    run.records = cases.size();
  }
  return run;
}

Run BaselineW2EndToEnd(const Options& o, uint32_t employees) {
  Run run;
  std::string dir = W2Dir(o, employees);
  for (uint32_t i = 0; i < o.reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    std::string employer = ReadFile(dir + "/employer.json");
    MappedFile csv(dir + "/worklog.csv");
    W2Data data;
    std::string error;
    if (!ParseW2(employer, csv.view(), data, error)) throw std::runtime_error("W2 files: " + error);
    Tally t = BaselineW2(data);
    auto t1 = std::chrono::steady_clock::now();
    run.seconds.push_back(Seconds(t0, t1));
    run.tally = std::move(t);
    run.records = data.days.size();
  }
  return run;
}

void WriteFiles(const Options& o, bool w1, const std::vector<uint32_t>& w2_sizes) {
  std::filesystem::create_directories(o.data);
  if (w1 && !std::filesystem::exists(W1Path(o))) {
    std::string tmp = W1Path(o) + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary);
      WriteW1Jsonl(GenerateW1(o.seed, o.w1), out);
      if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, W1Path(o));
  }
  for (uint32_t employees : w2_sizes) {
    std::string dir = W2Dir(o, employees);
    if (std::filesystem::exists(dir + "/worklog.csv")) continue;
    std::filesystem::create_directories(dir);
    {
      std::ofstream json(dir + "/employer.json", std::ios::binary);
      std::ofstream csv(dir + "/worklog.csv.tmp", std::ios::binary);
      WriteW2(o.seed, employees, json, csv);
      if (!json || !csv) throw std::runtime_error("cannot write " + dir);
    }
    std::filesystem::rename(dir + "/worklog.csv.tmp", dir + "/worklog.csv");
  }
}

// ---------------------------------------------------------------------------
// Modes

/// Agreement: compact engine vs baseline kind by kind (review included), and, when asked, the
/// explained engine report vs baseline kind by kind (review included).
int Check(const Options& o) {
  auto rules = LoadRuleSet(o.rules);
  bool ok = true;
  {
    std::vector<W1Case> cases = GenerateW1(o.seed, o.w1);
    Tally base = BaselineW1(cases);
    engine::FactStore store(rules->rs());
    FillW1(cases, store);
    Tally compact = TallyOf(rules->rs(), rules->program->Evaluate(store, EvalFor(W1Rules(), true)), W1Rules());
    ok &= Agree(compact, base, "W1 " + std::to_string(o.w1) + " cases, compact report");
    if (o.full_kinds) {
      Tally full = TallyOf(rules->rs(), rules->program->Evaluate(store, EvalFor(W1Rules(), false)), W1Rules());
      ok &= Agree(full, base, "W1 " + std::to_string(o.w1) + " cases, explained report");
    }
    std::cout << "W1 findings (baseline):\n";
    PrintTally(std::cout, base);
    NoteUnexercised(base, "W1");
  }
  {
    uint32_t employees = o.w2 * o.scale;
    W2Data data = GenerateW2(o.seed, employees);
    Tally base = BaselineW2(data);
    engine::FactStore store(rules->rs());
    FillW2(o.seed, employees, store);
    Tally compact = TallyOf(rules->rs(), rules->program->Evaluate(store, EvalFor(W2Rules(), true)), W2Rules());
    ok &= Agree(compact, base, "W2 " + std::to_string(employees) + " employees, compact report");
    if (o.full_kinds) {
      Tally full = TallyOf(rules->rs(), rules->program->Evaluate(store, EvalFor(W2Rules(), false)), W2Rules());
      ok &= Agree(full, base, "W2 " + std::to_string(employees) + " employees, explained report");
    }
    std::cout << "W2 findings (baseline):\n";
    PrintTally(std::cout, base);
    NoteUnexercised(base, "W2");
  }
  // The text formats: parsed by both sides, they give the same findings as the generated data.
  {
    Options small = o;
    small.reps = 1;
    WriteFiles(small, true, {o.w2 * o.scale});
    Tally e1 = EngineW1EndToEnd(*rules, small).tally, b1 = BaselineW1EndToEnd(small).tally;
    ok &= Agree(e1, b1, "W1 from JSON lines");
    Tally e2 = EngineW2EndToEnd(*rules, small, o.w2 * o.scale).tally, b2 = BaselineW2EndToEnd(small, o.w2 * o.scale).tally;
    ok &= Agree(e2, b2, "W2 from CSV");
    ok &= Agree(b1, BaselineW1(GenerateW1(o.seed, o.w1)), "W1 baseline, JSON lines vs generated");
    ok &= Agree(b2, BaselineW2(GenerateW2(o.seed, o.w2 * o.scale)), "W2 baseline, CSV vs generated");
  }
  std::cout << (ok ? "engine and baseline agree\n" : "engine and baseline DISAGREE\n");
  return ok ? 0 : 1;
}

/// One measurement, for bench/run: prints one RESULT line.
int Measure(const Options& o) {
  std::string spec = o.measure;
  std::vector<std::string> parts;
  std::stringstream ss(spec);
  for (std::string p; std::getline(ss, p, ':');) parts.push_back(p);
  if (parts.size() != 3) Usage("--measure wants workload:side:phase, found `" + spec + "`");
  const std::string& workload = parts[0];
  const std::string& side = parts[1];
  const std::string& phase = parts[2];
  if ((workload != "w1" && workload != "w2") || (side != "engine" && side != "baseline") ||
      (phase != "eval" && phase != "e2e")) {
    Usage("--measure wants w1|w2:engine|baseline:eval|e2e, found `" + spec + "`");
  }
  uint32_t employees = o.w2 * o.scale;
  if (phase == "e2e") WriteFiles(o, workload == "w1", workload == "w2" ? std::vector<uint32_t>{employees} : std::vector<uint32_t>{});
  Run run;
  std::unique_ptr<Rules> rules;
  if (side == "engine") rules = LoadRuleSet(o.rules);
  if (workload == "w1") {
    if (phase == "eval") {
      std::vector<W1Case> cases = GenerateW1(o.seed, o.w1);
      run = side == "engine" ? EngineW1Eval(*rules, o, cases) : BaselineW1Eval(o, cases);
    } else {
      run = side == "engine" ? EngineW1EndToEnd(*rules, o) : BaselineW1EndToEnd(o);
    }
  } else {
    if (phase == "eval") {
      if (side == "engine") {
        run = EngineW2Eval(*rules, o, employees);
      } else {
        W2Data data = GenerateW2(o.seed, employees);
        run = BaselineW2Eval(o, data);
      }
    } else {
      run = side == "engine" ? EngineW2EndToEnd(*rules, o, employees) : BaselineW2EndToEnd(o, employees);
    }
  }
  Tally t = run.tally;
  double median = Median(run.seconds);
  uint64_t records = run.records;
  std::printf("RESULT workload=%s side=%s phase=%s scale=%u records=%llu reps=%u median_s=%.6f min_s=%.6f "
              "records_per_s=%.0f findings=%llu digest=%s peak_rss_mib=%.1f store_mib=%.1f subjects=%llu\n",
              workload.c_str(), side.c_str(), phase.c_str(), o.scale, static_cast<unsigned long long>(records), o.reps,
              median, *std::min_element(run.seconds.begin(), run.seconds.end()), records / median,
              static_cast<unsigned long long>(t.Total()), Digest(t).c_str(), PeakRssMib(), run.store_mib,
              static_cast<unsigned long long>(run.subjects));
  return 0;
}

/// Everything in one process: agreement and a summary table.
int All(const Options& o) {
  auto rules = LoadRuleSet(o.rules);
  bool ok = true;
  uint32_t employees = o.w2 * o.scale;
  WriteFiles(o, true, {employees});
  struct Row {
    std::string what;
    uint64_t records;
    double engine, baseline;
  };
  std::vector<Row> rows;
  {
    std::vector<W1Case> cases = GenerateW1(o.seed, o.w1);
    Run e = EngineW1Eval(*rules, o, cases), b = BaselineW1Eval(o, cases);
    ok &= Agree(e.tally, b.tally, "W1 evaluation");
    rows.push_back({"W1 evaluation", o.w1, Median(e.seconds), Median(b.seconds)});
    Run ee = EngineW1EndToEnd(*rules, o), be = BaselineW1EndToEnd(o);
    ok &= Agree(ee.tally, be.tally, "W1 end to end");
    rows.push_back({"W1 end to end", o.w1, Median(ee.seconds), Median(be.seconds)});
  }
  for (uint32_t scale : {1u, 2u, 4u}) {
    const uint32_t n = employees * scale;
    Run e = EngineW2Eval(*rules, o, n);
    Run b;
    {
      W2Data data = GenerateW2(o.seed, n);
      b = BaselineW2Eval(o, data);
    }
    std::string what = "W2 evaluation " + std::to_string(scale) + "x";
    ok &= Agree(e.tally, b.tally, what);
    rows.push_back({what, e.records, Median(e.seconds), Median(b.seconds)});
  }
  {
    Run ee = EngineW2EndToEnd(*rules, o, employees), be = BaselineW2EndToEnd(o, employees);
    ok &= Agree(ee.tally, be.tally, "W2 end to end");
    rows.push_back({"W2 end to end", ee.records, Median(ee.seconds), Median(be.seconds)});
  }
  std::printf("\n%-20s %12s %14s %14s %16s %16s %8s\n", "measurement", "records", "engine s", "baseline s", "engine rec/s",
              "baseline rec/s", "ratio");
  for (const Row& r : rows) {
    std::printf("%-20s %12llu %14.4f %14.4f %16.0f %16.0f %8.1f\n", r.what.c_str(), static_cast<unsigned long long>(r.records),
                r.engine, r.baseline, r.records / r.engine, r.records / r.baseline, r.engine / r.baseline);
  }
  std::printf("peak memory of this process: %.0f MiB (bench/run measures each configuration in its own process)\n",
              PeakRssMib());
  std::cout << (ok ? "engine and baseline agree\n" : "engine and baseline DISAGREE\n");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace nw::bench

int main(int argc, char** argv) {
  nw::bench::Options o = nw::bench::ParseArgs(argc, argv);
  if (o.heap_reuse) {
    // Each measurement is repeated in one process. glibc serves blocks above its
    // mmap threshold (at most 32 MiB) with fresh mappings and unmaps them on free,
    // so at 4x the arrays of every repetition are faulted in anew while at 1x
    // they are reused from the heap: the sizes would be measured under different
    // conditions (seconds per million W2 records 4x / 1x: 1.30 with glibc's
    // default, 1.03 with this). Both sides keep freed memory in the heap at
    // every size; --default-malloc measures without.
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT32_MAX);
  }
  try {
    if (o.write) {
      nw::bench::WriteFiles(o, true, {o.w2 * o.scale});
      return 0;
    }
    if (o.check) return nw::bench::Check(o);
    if (!o.measure.empty()) return nw::bench::Measure(o);
    return nw::bench::All(o);
  } catch (const std::exception& e) {
    std::cerr << "engine_bench: " << e.what() << "\n";
    return 2;
  }
}
