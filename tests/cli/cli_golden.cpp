// Golden tests for the normwerk command line: runs the real binary on the
// commands of one `.nwtest` file and compares stdout, stderr and the exit
// code with what the file expects. No shell is involved.
//
// A case file holds one or more steps:
//
//   # comment lines start with `#`
//   $ normwerk check examples/request-late.json --as-of 2024-06-30
//   --- stdout
//   ...expected standard output...
//   --- stderr
//   ...expected standard error...
//   --- exit 1
//
// A step's command is split on spaces ('single' or "double" quotes keep
// spaces); `env NAME=VALUE` words before `normwerk` set variables; `$TMP`
// is a fresh folder per file, shared by its steps. A missing `--- stdout` or
// `--- stderr` block means that stream must be empty. Before comparing, the
// temporary folder becomes `$TMP` and UTC timestamps become `<TIME>`.
// NW_UPDATE_GOLDEN=1 rewrites the file with what the binary printed.
//
// usage: cli_golden NORMWERK CASE.nwtest   (run from the repository root)
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

struct Step {
  std::string command;  // as written after `$ `
  std::string out, err;
  int exit = 0;
  std::vector<std::string> comments;  // lines before the command
};

struct Result {
  std::string out, err;
  int exit = 0;
};

std::vector<Step> ParseCase(const std::string& text, std::string& error) {
  std::vector<Step> steps;
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> comments;
  enum { kNone, kOut, kErr } block = kNone;
  while (std::getline(in, line)) {
    if (line.rfind("$ ", 0) == 0) {
      Step s;
      s.command = line.substr(2);
      s.comments = comments;
      comments.clear();
      steps.push_back(s);
      block = kNone;
    } else if (line == "--- stdout") {
      block = kOut;
    } else if (line == "--- stderr") {
      block = kErr;
    } else if (line.rfind("--- exit ", 0) == 0) {
      if (steps.empty()) {
        error = "`--- exit` before any command";
        return {};
      }
      steps.back().exit = std::atoi(line.c_str() + 9);
      block = kNone;
    } else if (block == kOut && !steps.empty()) {
      steps.back().out += line + "\n";
    } else if (block == kErr && !steps.empty()) {
      steps.back().err += line + "\n";
    } else if (line.empty() || line[0] == '#') {
      comments.push_back(line);
    } else {
      error = "unexpected line outside a block: " + line;
      return {};
    }
  }
  return steps;
}

std::vector<std::string> SplitWords(const std::string& s) {
  std::vector<std::string> words;
  std::string cur;
  bool have = false;
  char quote = 0;
  for (char c : s) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        cur.push_back(c);
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      have = true;
    } else if (c == ' ') {
      if (have) words.push_back(cur);
      cur.clear();
      have = false;
    } else {
      cur.push_back(c);
      have = true;
    }
  }
  if (have) words.push_back(cur);
  return words;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  size_t p = 0;
  while ((p = s.find(from, p)) != std::string::npos) {
    s.replace(p, from.size(), to);
    p += to.size();
  }
  return s;
}

Result Run(const std::string& binary, const Step& step, const std::string& tmp) {
  Result r;
  std::vector<std::string> words = SplitWords(Replace(step.command, "$TMP", tmp));
  std::vector<std::string> env = {"NO_COLOR=1", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "PATH=/usr/bin:/bin"};
  for (const char* keep : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* v = std::getenv(keep)) env.push_back(std::string(keep) + "=" + v);
  }
  size_t i = 0;
  if (i < words.size() && words[i] == "env") {
    ++i;
    while (i < words.size() && words[i].find('=') != std::string::npos) env.push_back(words[i++]);
  }
  if (i >= words.size() || words[i] != "normwerk") {
    r.err = "cli_golden: a command must start with `normwerk`\n";
    r.exit = -1;
    return r;
  }
  std::vector<std::string> args = {binary};
  args.insert(args.end(), words.begin() + static_cast<long>(i) + 1, words.end());
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    r.exit = -1;
    return r;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&fa, out_pipe[0]);
  posix_spawn_file_actions_addclose(&fa, err_pipe[0]);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, binary.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    r.err = std::string("cli_golden: cannot start ") + binary + ": " + std::strerror(rc) + "\n";
    r.exit = -1;
    close(out_pipe[0]);
    close(err_pipe[0]);
    return r;
  }
  // Read both pipes until they close, so neither can fill up and block the child.
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[k]->append(buf, static_cast<size_t>(n));
      } else {
        close(fds[k].fd);
        fds[k].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string Normalize(std::string s, const std::string& tmp) {
  s = Replace(s, tmp, "$TMP");
  static const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  s = std::regex_replace(s, kTime, "<TIME>");
  // Every block ends with a newline in the case file.
  if (!s.empty() && s.back() != '\n') s += "\n<no newline at end>\n";
  return s;
}

std::string Serialize(const std::vector<Step>& steps, const std::vector<Result>& results) {
  std::string out;
  for (size_t i = 0; i < steps.size(); ++i) {
    for (const auto& c : steps[i].comments) out += c + "\n";
    out += "$ " + steps[i].command + "\n";
    if (!results[i].out.empty()) out += "--- stdout\n" + results[i].out;
    if (!results[i].err.empty()) out += "--- stderr\n" + results[i].err;
    out += "--- exit " + std::to_string(results[i].exit) + "\n";
  }
  return out;
}

void Diff(const std::string& what, const std::string& want, const std::string& got) {
  std::cout << "  " << what << " differs:\n";
  std::istringstream a(want), b(got);
  std::string la, lb;
  int line = 0;
  int shown = 0;
  while (shown < 20) {
    bool ha = static_cast<bool>(std::getline(a, la));
    bool hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) break;
    ++line;
    if (ha && hb && la == lb) continue;
    std::cout << "    line " << line << "\n      want: " << (ha ? la : "<end>") << "\n      got:  " << (hb ? lb : "<end>") << "\n";
    ++shown;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: cli_golden NORMWERK CASE.nwtest\n";
    return 2;
  }
  std::string binary = std::filesystem::absolute(argv[1]).string();
  std::string path = argv[2];
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cli_golden: cannot read " << path << "\n";
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string error;
  std::vector<Step> steps = ParseCase(ss.str(), error);
  if (!error.empty() || steps.empty()) {
    std::cerr << "cli_golden: " << path << ": " << (error.empty() ? "no `$ normwerk` step" : error) << "\n";
    return 2;
  }
  char tmpl[] = "/tmp/nw-cli-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    std::cerr << "cli_golden: cannot make a temporary folder\n";
    return 2;
  }
  std::string tmp = tmpl;
  std::vector<Result> results;
  int failures = 0;
  for (const Step& step : steps) {
    Result r = Run(binary, step, tmp);
    r.out = r.out.empty() ? "" : Normalize(r.out, tmp);
    r.err = r.err.empty() ? "" : Normalize(r.err, tmp);
    bool ok = r.out == step.out && r.err == step.err && r.exit == step.exit;
    if (!ok) {
      ++failures;
      std::cout << "FAIL $ " << step.command << "\n";
      if (r.exit != step.exit) std::cout << "  exit code: want " << step.exit << ", got " << r.exit << "\n";
      if (r.out != step.out) Diff("stdout", step.out, r.out);
      if (r.err != step.err) Diff("stderr", step.err, r.err);
    }
    results.push_back(std::move(r));
  }
  std::filesystem::remove_all(tmp);
  const char* update = std::getenv("NW_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1" && failures > 0) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << Serialize(steps, results);
    std::cout << "updated " << path << "\n";
    return 0;
  }
  std::cout << (steps.size() - static_cast<size_t>(failures)) << " passed, " << failures << " failed\n";
  return failures == 0 ? 0 : 1;
}
