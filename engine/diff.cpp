// Matching the findings of two evaluations.
#include "engine/diff.hpp"

#include <tuple>

namespace nw::engine {

const char* ChangeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::kAppears: return "appears";
    case ChangeKind::kDisappears: return "disappears";
    case ChangeKind::kChanges: return "changes";
  }
  return "?";
}

DiffReport Diff(const Report& before, const Report& after) {
  using Key = std::tuple<std::string, std::string, std::string>;  // document, subject, rule
  std::map<Key, const Finding*> a, b;
  for (const Finding& f : before.findings) a.emplace(Key{f.document, f.subject, f.rule}, &f);
  for (const Finding& f : after.findings) b.emplace(Key{f.document, f.subject, f.rule}, &f);
  DiffReport out;
  out.as_of = after.as_of;
  auto record = [&](FindingChange c) {
    RuleTotals& r = out.per_rule[c.rule];
    RuleTotals& d = out.per_document[c.document];
    switch (c.kind) {
      case ChangeKind::kAppears: ++r.appears; ++d.appears; break;
      case ChangeKind::kDisappears: ++r.disappears; ++d.disappears; break;
      case ChangeKind::kChanges: ++r.changes; ++d.changes; break;
    }
    out.changes.push_back(std::move(c));
  };
  // Both maps are ordered by the same key: walk them together.
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() || j != b.end()) {
    if (j == b.end() || (i != a.end() && i->first < j->first)) {
      FindingChange c;
      c.kind = ChangeKind::kDisappears;
      std::tie(c.document, c.subject, c.rule) = i->first;
      c.before = *i->second;
      record(std::move(c));
      ++i;
    } else if (i == a.end() || j->first < i->first) {
      FindingChange c;
      c.kind = ChangeKind::kAppears;
      std::tie(c.document, c.subject, c.rule) = j->first;
      c.after = *j->second;
      record(std::move(c));
      ++j;
    } else {
      const Finding& x = *i->second;
      const Finding& y = *j->second;
      std::vector<std::string> what;
      if (x.kind != y.kind) {
        what.push_back(std::string("kind ") + dsl::FindingKindName(x.kind) + " → " + dsl::FindingKindName(y.kind));
      }
      if (x.severity != y.severity) {
        what.push_back(std::string("severity ") + dsl::SeverityName(x.severity) + " → " + dsl::SeverityName(y.severity));
      }
      if (x.message_en != y.message_en) what.push_back("message");
      if (what.empty()) {
        ++out.unchanged;
      } else {
        FindingChange c;
        c.kind = ChangeKind::kChanges;
        std::tie(c.document, c.subject, c.rule) = i->first;
        c.before = x;
        c.after = y;
        c.what = std::move(what);
        record(std::move(c));
      }
      ++i;
      ++j;
    }
  }
  return out;
}

}  // namespace nw::engine
