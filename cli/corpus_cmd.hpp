// The corpus in SQLite: import, list, and check from the database.
#pragma once

#include <string>

#include "cli/commands.hpp"

namespace nw::cli {

struct CorpusOptions {
  std::string dir;    // import: the corpus folder
  std::string db;     // the SQLite file
  std::string as_of;  // check: for documents without their own as-of date
};
int RunCorpusImport(const Common& common, const CorpusOptions& options);
int RunCorpusList(const Common& common, const CorpusOptions& options);
int RunCorpusCheck(const Common& common, const CorpusOptions& options);

}  // namespace nw::cli
