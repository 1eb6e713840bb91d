// A progress bar on stderr for long work, drawn only when stderr is a
// terminal (and never in tests, which capture stderr).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace nw::cli {

/// Draws `label [#####.....] 45% detail` on one stderr line, at most ten times a second.
class Progress {
 public:
  /// enabled: whether to draw at all (stderr is a terminal and not --quiet).
  Progress(bool enabled, std::string label);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Reports `done` of `total` units; detail is shown after the percentage.
  void Update(uint64_t done, uint64_t total, const std::string& detail = "");
  /// Clears the line.
  void Finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::string label_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace nw::cli
