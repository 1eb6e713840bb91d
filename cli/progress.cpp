// The stderr progress bar.
#include "cli/progress.hpp"

#include <cstdio>

namespace nw::cli {

Progress::Progress(bool enabled, std::string label) : enabled_(enabled), label_(std::move(label)) {}

Progress::~Progress() { Finish(); }

void Progress::Update(uint64_t done, uint64_t total, const std::string& detail) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100) && done < total) return;
  last_ = now;
  constexpr int kWidth = 30;
  double frac = total == 0 ? 0.0 : static_cast<double>(done) / static_cast<double>(total);
  if (frac > 1.0) frac = 1.0;
  int filled = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(stderr, "\r\033[K%s [%s] %3d%% %s", label_.c_str(), bar.c_str(), static_cast<int>(frac * 100),
               detail.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace nw::cli
