// How a rule's outcome for one subject is decided from its own condition, the
// exceptions to it and the level of the source it judges. One function, one
// comment per case; docs/semantics.md states the same in words.
#pragma once

#include <cstdint>
#include <vector>

namespace nw::engine {

/// A three-valued truth value (with error for a failed computation).
enum class Truth : uint8_t { kFalse, kTrue, kUnknown, kError };

/// One exception's state for the subject.
struct ExceptionState {
  Truth applies = Truth::kFalse;
  bool produces_finding = false;      // the exception has its own kind and message
  std::vector<uint32_t> prevails_over;  // positions (in the same list) of exceptions it has priority over
};

/// What becomes of the rule for the subject.
enum class Verdict : uint8_t {
  kNothing,            // the rule's condition does not hold
  kFinding,            // the rule's finding stands
  kUndetermined,       // the outcome depends on facts that are unknown
  kOverridden,         // an exception applies and yields nothing of its own
  kExceptionFinding,   // an exception applies and yields its own finding (`winner`)
  kConflict,           // two applicable exceptions with no priority between them disagree
  kDeviationAllowed,   // the judged source may deviate from this norm (lex superior yields)
  kError,              // a computation failed
};

struct Resolution {
  Verdict verdict = Verdict::kNothing;
  int32_t winner = -1;              // kExceptionFinding, kOverridden: the deciding exception
  int32_t other = -1;               // kConflict: the second exception
  std::vector<uint32_t> undecided;  // exceptions whose applicability is unknown
};

/// Decides one subject. `deviation` is kTrue when the judged document's source
/// is among those that may deviate, kFalse when it is not or the rule has no
/// `deviable by`, kUnknown when the source is unknown.
Resolution Resolve(Truth condition, Truth deviation, const std::vector<ExceptionState>& exceptions);

}  // namespace nw::engine
