// The JSON case-file loader (LoadJsonDocument): valid documents read back
// from the FactStore field by field, invalid ones by their error lists. The
// messages, JSON paths and line/column positions are part of the command
// line's output (tests/cli), so each is pinned here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dsl/check.hpp"
#include "dsl/parser.hpp"
#include "dsl/support/render.hpp"
#include "engine/facts.hpp"

namespace nw::engine {
namespace {

using namespace std::string_literals;

// Every kind of field the loader reads: each scalar type, a set, a required
// and an optional entity, nested lists, a closed entity with a question and
// an open norm, and a derived fact (not accepted as input).
constexpr const char* kSchema = R"(
act t "Testwet" bwb BWBR0000001
enum colour { red, green, blue }
entity case {
  title : text
  count : integer
  ratio : optional decimal
  amount : optional money
  share : optional percentage
  day : optional date
  moment : optional datetime
  at : optional time
  lead : optional duration
  span : optional timespan
  land : optional country
  colour : optional colour
  colours : optional set of colour
  flag : optional bool
  head : head
  extra : optional extra
  items : list of item
  memos : list of memo
}
entity head part of case {
  name : optional text
  weighty : optional bool
    open "zwaarwegend belang"
}
entity extra part of case {
  note : optional text
}
entity item part of case {
  n : optional integer
  parts : list of part
}
entity part part of item {
  label : optional text
}
entity memo part of case closed {
  allowance : optional money
  dpia : optional bool
    ask en "Was a DPIA done?"
  weighty : optional bool
    open "zwaarwegend belang"
  term : integer
}
define double_count of case c : integer
  = c.count * 2
)";

struct Rules {
  std::unique_ptr<Source> source;
  dsl::SyntaxTree tree;
  std::optional<dsl::CheckedRuleSet> rules;
};

std::unique_ptr<Rules> CheckRules(const std::string& text) {
  auto r = std::make_unique<Rules>();
  r->source = std::make_unique<Source>("test.norm", text);
  DiagnosticSink sink;
  r->tree = dsl::Parse(*r->source, sink);
  r->rules = dsl::Check({&r->tree}, {}, sink);
  EXPECT_TRUE(r->rules.has_value()) << RenderAllHuman(sink.Sorted());
  return r;
}

const dsl::CheckedRuleSet& TestRules() {
  static std::unique_ptr<Rules> rules = CheckRules(kSchema);
  return *rules->rules;
}

// Text with control bytes spelled out, so expectations stay readable.
std::string Visible(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Every row of every table with the declared fields that are not unknown:
// `entity#row <owner row>[position] field=value`; `none` for a fact known to
// be absent, text in quotes, fractions as a/b.
std::string Dump(const FactStore& store) {
  const dsl::CheckedRuleSet& rs = store.rules();
  std::string out;
  for (uint32_t e = 0; e < rs.entities.size(); ++e) {
    const dsl::EntityInfo& info = rs.entities[e];
    const Table& t = store.table(e);
    for (uint32_t r = 0; r < t.rows; ++r) {
      out += info.name + "#" + std::to_string(r);
      if (!t.owner.empty()) out += " <" + std::to_string(t.owner[r]) + ">[" + std::to_string(t.position[r]) + "]";
      if (e == rs.root) out += " '" + store.document(r) + "'";
      for (uint32_t f = 0; f < info.fields.size(); ++f) {
        const dsl::FieldInfo& field = info.fields[f];
        if (field.definition >= 0) continue;
        const Column& c = t.columns[f];
        State s = c.state(r);
        if (s == State::kUnknown) continue;
        out += " " + field.name + "=";
        if (s == State::kNone) {
          out += "none";
        } else if (s == State::kError) {
          out += "error";
        } else if (field.type.kind == dsl::TypeKind::kText) {
          out += "\"" + Visible(store.Text(c.a(r))) + "\"";
        } else {
          out += std::to_string(c.a(r));
          if (c.has_b()) out += "/" + std::to_string(c.b(r));
        }
      }
      out += "\n";
    }
  }
  return out;
}

std::string Errors(const std::vector<FactError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.document + ": " + e.where + ": " + Visible(e.message) + "\n";
  return out;
}

// Loads one document into a fresh store: the dump, or "failed" and the errors
// (and then the store must be empty).
std::string Load(const std::string& json, const LoadLimits& limits = {}) {
  FactStore store(TestRules());
  std::vector<FactError> errors;
  bool ok = LoadJsonDocument(store, "case.json", json, errors, limits);
  if (ok) {
    EXPECT_TRUE(errors.empty()) << Errors(errors);
    return Dump(store);
  }
  EXPECT_FALSE(errors.empty());
  std::string dump = Dump(store);
  EXPECT_EQ(dump, "") << "a failed document left rows behind";
  return "failed\n" + Errors(errors);
}

constexpr const char* kMinimal = R"({"title": "x", "count": 1, "head": {}})";

struct Case {
  const char* name;
  std::string json;
  std::string expected;
};

// Documents that load.
const std::vector<Case> kValid = {
    {"minimal", kMinimal,
     "case#0 'case.json' title=\"x\" count=1\n"
     "head#0 <0>[0]\n"},
    {"every scalar type",
     R"({"title": "t", "count": -5, "ratio": 3, "amount": "12.34", "share": "25%", "day": "2024-02-29",
         "moment": "2024-03-01T22:00", "at": "24:00", "lead": "2 months", "span": "11 hours", "land": "BE",
         "colour": "green", "colours": ["red", "blue"], "flag": true, "head": {"name": "h", "weighty": false}})",
     "case#0 'case.json' title=\"t\" count=-5 ratio=3/1 amount=1234 share=1/4 day=19782 moment=28488840 at=1440 "
     "lead=2/0 span=660 land=16965 colour=1 colours=5 flag=1\n"
     "head#0 <0>[0] name=\"h\" weighty=0\n"},
    {"numbers and booleans as text",
     R"({"title": "t", "count": "7", "ratio": "1.25", "flag": "yes", "head": {"weighty": "0"}})",
     "case#0 'case.json' title=\"t\" count=7 ratio=5/4 flag=1\n"
     "head#0 <0>[0] weighty=0\n"},
    {"escapes",
     R"({"title": "q\"b\\s\/n\nt\tr\rb\bf\f", "count": 1, "head": {"name": "\u00e9\u20ac\ud83d\ude00 \u0041"}})",
     "case#0 'case.json' title=\"q\"b\\s/n\\x0at\\x09r\\x0db\\x08f\\x0c\" count=1\n"
     "head#0 <0>[0] name=\"é€😀 A\"\n"},
    {"raw UTF-8", "{\"title\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\", \"count\": 1, \"head\": {}}",
     "case#0 'case.json' title=\"café € 😀\" count=1\n"
     "head#0 <0>[0]\n"},
    {"NUL and DEL in text", "{\"title\": \"a\\u0000b\x7f\", \"count\": 1, \"head\": {}}",
     "case#0 'case.json' title=\"a\\x00b\\x7f\" count=1\n"
     "head#0 <0>[0]\n"},
    {"escaped key", R"({"\u0074itle": "x", "c\u006Funt": 2, "head": {}})",
     "case#0 'case.json' title=\"x\" count=2\n"
     "head#0 <0>[0]\n"},
    {"empty text and empty set", R"({"title": "", "count": 0, "colours": [], "head": {}})",
     "case#0 'case.json' title=\"\" count=0 colours=0\n"
     "head#0 <0>[0]\n"},
    {"nulls", R"({"title": "x", "count": 1, "ratio": null, "amount": null, "colours": null, "flag": null,
         "head": {"name": null, "weighty": null}, "extra": null, "items": null, "memos": null})",
     "case#0 'case.json' title=\"x\" count=1 ratio=none amount=none colours=none flag=none\n"
     "head#0 <0>[0] name=none weighty=none\n"},
    {"optional entity given", R"({"title": "x", "count": 1, "head": {}, "extra": {"note": "n"}})",
     "case#0 'case.json' title=\"x\" count=1\n"
     "head#0 <0>[0]\n"
     "extra#0 <0>[0] note=\"n\"\n"},
    {"nested lists",
     R"({"title": "x", "count": 1, "head": {},
         "items": [{"n": 1, "parts": [{"label": "a"}, {"label": "b"}]}, {"parts": []}, {"n": 3, "parts": [{}]}]})",
     "case#0 'case.json' title=\"x\" count=1\n"
     "head#0 <0>[0]\n"
     "item#0 <0>[0] n=1\n"
     "item#1 <0>[1]\n"
     "item#2 <0>[2] n=3\n"
     "part#0 <0>[0] label=\"a\"\n"
     "part#1 <0>[1] label=\"b\"\n"
     "part#2 <2>[0]\n"},
    {"closed entity",
     R"({"title": "x", "count": 1, "head": {}, "memos": [{"term": 1}, {"term": 2, "allowance": "1.00", "dpia": true}]})",
     "case#0 'case.json' title=\"x\" count=1\n"
     "head#0 <0>[0]\n"
     "memo#0 <0>[0] allowance=none term=1\n"
     "memo#1 <0>[1] allowance=100 dpia=1 term=2\n"},
    {"duplicate keys: the last one counts",
     R"({"title": "a", "count": 1, "count": 2, "title": "b", "head": {}, "head": {"name": "second"}})",
     "case#0 'case.json' title=\"b\" count=2\n"
     "head#0 <0>[0] name=\"second\"\n"},
    {"key order does not matter", R"({"head": {}, "count": 3, "title": "x"})",
     "case#0 'case.json' title=\"x\" count=3\n"
     "head#0 <0>[0]\n"},
    {"integer limits",
     R"({"title": "x", "count": 9223372036854775807, "head": {}, "items": [{"n": -9223372036854775808}, {"n": -0}]})",
     "case#0 'case.json' title=\"x\" count=9223372036854775807\n"
     "head#0 <0>[0]\n"
     "item#0 <0>[0] n=-9223372036854775808\n"
     "item#1 <0>[1] n=0\n"},
    {"whitespace around", " \t\r\n{\"title\":\"x\",\"count\":1,\"head\":{}}\n\n ",
     "case#0 'case.json' title=\"x\" count=1\n"
     "head#0 <0>[0]\n"},
    {"byte order mark", "\xef\xbb\xbf{\"title\": \"x\", \"count\": 1, \"head\": {}}",
     "case#0 'case.json' title=\"x\" count=1\n"
     "head#0 <0>[0]\n"},
    // nlohmann/json, which decides on what simdjson refuses, reads up to a NUL byte.
    {"a NUL byte ends the text", std::string(kMinimal) + "\0x"s,
     "case#0 'case.json' title=\"x\" count=1\n"
     "head#0 <0>[0]\n"},
    {"multi-line", "{\n  \"title\": \"x\",\n  \"count\": 1,\n  \"head\": {}\n}\n",
     "case#0 'case.json' title=\"x\" count=1\n"
     "head#0 <0>[0]\n"},
};

// Documents that do not.
const std::vector<Case> kInvalid = {
    // Not JSON: the position and nlohmann/json's description.
    {"empty", "",
     "failed\n"
     "case.json: line 1, column 1: not valid JSON: syntax error while parsing value - unexpected end of input; "
     "expected '[', '{', or a literal\n"},
    {"only whitespace", " \n ",
     "failed\n"
     "case.json: line 2, column 2: not valid JSON: syntax error while parsing value - unexpected end of input; "
     "expected '[', '{', or a literal\n"},
    {"trailing garbage", std::string(kMinimal) + " x",
     "failed\n"
     "case.json: line 1, column 40: not valid JSON: syntax error while parsing value - invalid literal; expected end of input\n"},
    {"two documents", std::string(kMinimal) + std::string(kMinimal),
     "failed\n"
     "case.json: line 1, column 39: not valid JSON: syntax error while parsing value - unexpected '{'; expected end of "
     "input\n"},
    {"unterminated", R"({"title": "x")",
     "failed\n"
     "case.json: line 1, column 14: not valid JSON: syntax error while parsing object - unexpected end of input; "
     "expected '}'\n"},
    {"trailing comma", "{\n  \"title\": \"x\",\n  \"count\": 1,\n}",
     "failed\n"
     "case.json: line 4, column 1: not valid JSON: syntax error while parsing object key - unexpected '}'; expected "
     "string literal\n"},
    {"unknown escape", R"({"title": "\q", "count": 1, "head": {}})",
     "failed\n"
     "case.json: line 1, column 13: not valid JSON: syntax error while parsing value - invalid string: forbidden character after backslash\n"},
    {"bad unicode escape", R"({"title": "\u00zz", "count": 1, "head": {}})",
     "failed\n"
     "case.json: line 1, column 16: not valid JSON: syntax error while parsing value - invalid string: '\\u' must be followed by 4 hex digits\n"},
    {"lone high surrogate", R"({"title": "\ud800", "count": 1, "head": {}})",
     "failed\n"
     "case.json: line 1, column 18: not valid JSON: syntax error while parsing value - invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF\n"},
    {"lone low surrogate", R"({"title": "\udc00", "count": 1, "head": {}})",
     "failed\n"
     "case.json: line 1, column 17: not valid JSON: syntax error while parsing value - invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF\n"},
    {"invalid UTF-8", "{\"title\": \"\xc3\x28\", \"count\": 1, \"head\": {}}",
     "failed\n"
     "case.json: line 1, column 13: not valid JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte\n"},
    {"encoded surrogate", "{\"title\": \"\xed\xa0\x80\", \"count\": 1, \"head\": {}}",
     "failed\n"
     "case.json: line 1, column 13: not valid JSON: syntax error while parsing value - invalid string: ill-formed UTF-8 byte\n"},
    {"control character", "{\"title\": \"a\x01\", \"count\": 1, \"head\": {}}",
     "failed\n"
     "case.json: line 1, column 13: not valid JSON: syntax error while parsing value - invalid string: control character U+0001 (SOH) must be escaped to \\u0001\n"},
    {"bad literal", R"({"title": "x", "count": 1, "flag": tru, "head": {}})",
     "failed\n"
     "case.json: line 1, column 39: not valid JSON: syntax error while parsing value - invalid literal\n"},
    {"leading zero", R"({"title": "x", "count": 01, "head": {}})",
     "failed\n"
     "case.json: line 1, column 26: not valid JSON: syntax error while parsing object - unexpected number literal; "
     "expected '}'\n"},
    // Not an object.
    {"array", "[]",
     "failed\n"
     "case.json: (top level): expected an object for `case`\n"},
    {"text", R"("x")",
     "failed\n"
     "case.json: (top level): expected an object for `case`\n"},
    {"number", "1",
     "failed\n"
     "case.json: (top level): expected an object for `case`\n"},
    {"null", "null",
     "failed\n"
     "case.json: (top level): expected an object for `case`\n"},
    // Missing and null facts.
    {"nothing", "{}",
     "failed\n"
     "case.json: title: required fact `title` is missing\n"
     "case.json: count: required fact `count` is missing\n"
     "case.json: head: required `head` is missing\n"},
    {"required null", R"({"title": null, "count": null, "head": null})",
     "failed\n"
     "case.json: title: `title` is required and cannot be null\n"
     "case.json: count: `count` is required and cannot be null\n"
     "case.json: head: required `head` is missing\n"},
    {"closed entity, required term missing", R"({"title": "x", "count": 1, "head": {}, "memos": [{}]})",
     "failed\n"
     "case.json: memos[0].term: required fact `term` is missing\n"},
    // Wrong types.
    {"wrong types",
     R"({"title": 1, "count": true, "ratio": "x", "amount": 12, "share": "25", "day": "2024-02-30",
         "moment": "2024-03-01", "at": "25:00", "lead": "2 lightyears", "span": 5, "land": "XX", "colour": "purpel",
         "flag": 1, "head": []})",
     "failed\n"
     "case.json: title: expected `text`, found number\n"
     "case.json: count: expected `integer`, found boolean\n"
     "case.json: ratio: expected a number such as \"1.5\", found \"x\"\n"
     "case.json: amount: expected `money`, found number\n"
     "case.json: share: expected a percentage such as \"25%\", found \"25\"\n"
     "case.json: day: expected a date YYYY-MM-DD, found \"2024-02-30\"\n"
     "case.json: moment: expected a date and time YYYY-MM-DDTHH:MM, found \"2024-03-01\"\n"
     "case.json: at: expected a time HH:MM, found \"25:00\"\n"
     "case.json: lead: expected a duration such as \"2 months\", found \"2 lightyears\"\n"
     "case.json: span: expected `timespan`, found number\n"
     "case.json: land: expected an ISO 3166 country code such as \"NL\", found \"XX\"\n"
     "case.json: colour: unknown value \"purpel\" for colour; expected one of: red, green, blue\n"
     "case.json: flag: expected `bool`, found number\n"
     "case.json: head: expected an object for `head`\n"},
    {"text for numbers", R"({"title": "x", "count": "abc", "ratio": "1/0", "flag": "maybe", "head": {"weighty": 2}})",
     "failed\n"
     "case.json: count: expected a whole number, found \"abc\"\n"
     "case.json: ratio: expected a number such as \"1.5\", found \"1/0\"\n"
     "case.json: flag: expected true or false, found \"maybe\"\n"
     "case.json: head.weighty: expected `bool`, found number\n"},
    {"fraction for an integer", R"({"title": "x", "count": "1.5", "head": {}})",
     "failed\n"
     "case.json: count: expected a whole number, found \"1.5\"\n"},
    {"sets", R"({"title": "x", "count": 1, "colours": "red", "head": {}})",
     "failed\n"
     "case.json: colours: expected a list of values\n"},
    {"set of numbers", R"({"title": "x", "count": 1, "colours": ["red", 1], "head": {}})",
     "failed\n"
     "case.json: colours: expected text values\n"},
    {"set with an unknown value", R"({"title": "x", "count": 1, "colours": ["red", "purple"], "head": {}})",
     "failed\n"
     "case.json: colours: unknown value \"purple\" for colour; expected one of: red, green, blue\n"},
    {"objects and arrays for scalars", R"({"title": {}, "count": [1], "head": {}})",
     "failed\n"
     "case.json: title: expected `text`, found object\n"
     "case.json: count: expected `integer`, found array\n"},
    {"list that is not a list", R"({"title": "x", "count": 1, "head": {}, "items": {}})",
     "failed\n"
     "case.json: items: expected a list\n"},
    {"list elements that are not objects", R"({"title": "x", "count": 1, "head": {}, "items": [1, null, {}, "x", []]})",
     "failed\n"
     "case.json: items[0]: expected an object for `item`\n"
     "case.json: items[1]: expected an object for `item`\n"
     "case.json: items[3]: expected an object for `item`\n"
     "case.json: items[4]: expected an object for `item`\n"},
    {"entity that is not an object", R"({"title": "x", "count": 1, "head": "h", "extra": 1})",
     "failed\n"
     "case.json: head: expected an object for `head`\n"
     "case.json: extra: expected an object for `extra`\n"},
    // Numbers that are not whole numbers.
    {"floats",
     R"({"title": 1.5, "count": 1.5, "ratio": 0.5, "amount": 1e2, "flag": 0.0, "head": {}, "items": [{"n": -0.0}, {"n": 1E5}]})",
     "failed\n"
     "case.json: title: write this number as a string (\"1.25\"): binary fractions are not exact\n"
     "case.json: count: write this number as a string (\"1.25\"): binary fractions are not exact\n"
     "case.json: ratio: write this number as a string (\"1.25\"): binary fractions are not exact\n"
     "case.json: amount: write this number as a string (\"1.25\"): binary fractions are not exact\n"
     "case.json: flag: write this number as a string (\"1.25\"): binary fractions are not exact\n"
     "case.json: items[0].n: write this number as a string (\"1.25\"): binary fractions are not exact\n"
     "case.json: items[1].n: write this number as a string (\"1.25\"): binary fractions are not exact\n"},
    // Unknown fields, in key order, with a suggestion when one is close.
    {"unknown fields",
     R"({"titel": "x", "zeta": 1, "count": 1, "alpha": 2, "zeta": 3, "double_count": 4, "na\u00efve": 5, "head": {"nmae": 1},
         "items": [{}, {"parts": [{"lable": "x"}]}]})",
     "failed\n"
     "case.json: alpha: `case` has no fact `alpha`\n"
     "case.json: double_count: `case` has no fact `double_count`\n"
     "case.json: naïve: `case` has no fact `naïve`\n"
     "case.json: titel: `case` has no fact `titel`\n"
     "case.json: zeta: `case` has no fact `zeta`\n"
     "case.json: title: required fact `title` is missing\n"
     "case.json: head.nmae: `head` has no fact `nmae`\n"
     "case.json: items[1].parts[0].lable: `part` has no fact `lable`\n"},
    // All errors of a document, in order: unknown fields, facts, then held entities.
    {"error order", R"({"items": [{"n": "x", "m": 1}], "zz": 1, "count": "c", "head": {"name": 1}, "title": 2})",
     "failed\n"
     "case.json: zz: `case` has no fact `zz`\n"
     "case.json: title: expected `text`, found number\n"
     "case.json: count: expected a whole number, found \"c\"\n"
     "case.json: head.name: expected `text`, found number\n"
     "case.json: items[0].m: `item` has no fact `m`; did you mean `n`?\n"
     "case.json: items[0].n: expected a whole number, found \"x\"\n"},
};

TEST(JsonLoader, ValidDocuments) {
  for (const Case& c : kValid) EXPECT_EQ(Load(c.json), c.expected) << c.name;
}

TEST(JsonLoader, InvalidDocuments) {
  for (const Case& c : kInvalid) EXPECT_EQ(Load(c.json), c.expected) << c.name;
}

// Whole numbers beyond 64 bits, in either direction, are refused for numeric
// facts with the range; elsewhere a number is the wrong type as before.
TEST(JsonLoader, NumbersOutOfRange) {
  const std::string range =
      "this number is out of range: whole numbers go from -9223372036854775808 to 9223372036854775807";
  auto one = [](const std::string& field, const std::string& number) {
    return Load(R"({"title": "x", "count": 1, "head": {}, ")" + field + R"(": )" + number + "}");
  };
  for (const char* n : {"9223372036854775808", "18446744073709551615", "18446744073709551616",
                        "99999999999999999999999999", "-9223372036854775809", "1e19", "-1e19"}) {
    EXPECT_EQ(one("count", n), "failed\ncase.json: count: " + range + "\n") << n;
    EXPECT_EQ(one("ratio", n), "failed\ncase.json: ratio: " + range + "\n") << n;
  }
  EXPECT_EQ(one("title", "18446744073709551615"), "failed\ncase.json: title: expected `text`, found number\n");
  EXPECT_EQ(one("title", "1e19"),
            "failed\ncase.json: title: write this number as a string (\"1.25\"): binary fractions are not exact\n");
  EXPECT_EQ(one("title", "99999999999999999999999999"),
            "failed\ncase.json: title: write this number as a string (\"1.25\"): binary fractions are not exact\n");
  // The largest binary fraction below 2^63 is still a fraction to write as text.
  EXPECT_EQ(one("count", "9.2e18"),
            "failed\ncase.json: count: write this number as a string (\"1.25\"): binary fractions are not exact\n");
  // Beyond floating point as well: no position, but an error rather than an exception.
  EXPECT_EQ(one("count", "1e400"),
            "failed\ncase.json: (top level): a number is out of range: number overflow parsing '1e400'\n");
  EXPECT_EQ(one("zz", "-1e400"),
            "failed\ncase.json: (top level): a number is out of range: number overflow parsing '-1e400'\n");
}

TEST(JsonLoader, DepthLimit) {
  const std::string doc =
      R"({"title": "x", "count": 1, "head": {}, "items": [{"parts": [{"label": "a"}]}, {"parts": []}]})";
  LoadLimits limits;
  limits.max_depth = 2;
  EXPECT_EQ(Load(doc, limits),
            "case#0 'case.json' title=\"x\" count=1\nhead#0 <0>[0]\nitem#0 <0>[0]\nitem#1 <0>[1]\npart#0 <0>[0] "
            "label=\"a\"\n");
  limits.max_depth = 1;
  EXPECT_EQ(Load(doc, limits), "failed\ncase.json: items[0].parts[0]: the document nests deeper than 1 levels\n");
  limits.max_depth = 0;
  EXPECT_EQ(Load(doc, limits),
            "failed\n"
            "case.json: head: the document nests deeper than 0 levels\n"
            "case.json: items[0]: the document nests deeper than 0 levels\n"
            "case.json: items[1]: the document nests deeper than 0 levels\n");
}

// Nesting deeper than simdjson's own limit (1,024) is read by nlohmann/json;
// the loader never descends into a value it does not load.
TEST(JsonLoader, DeepNesting) {
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  EXPECT_EQ(Load(R"({"title": "x", "count": 1, "head": {}, "deep": )" + deep + "}"),
            "failed\ncase.json: deep: `case` has no fact `deep`\n");
  EXPECT_EQ(Load(R"({"title": "x", "count": 1, "head": )" + deep + "}"),
            "failed\ncase.json: head: expected an object for `head`\n");
  EXPECT_EQ(Load(R"({"title": "x", "count": 1, "head": {}, "items": [)" + deep + "]}"),
            "failed\ncase.json: items[0]: expected an object for `item`\n");
}

TEST(JsonLoader, SizeLimit) {
  LoadLimits limits;
  limits.max_bytes = std::string(kMinimal).size();
  EXPECT_EQ(Load(kMinimal, limits), "case#0 'case.json' title=\"x\" count=1\nhead#0 <0>[0]\n");
  limits.max_bytes -= 1;
  EXPECT_EQ(Load(kMinimal, limits), "failed\ncase.json: (top level): the document is larger than the limit\n");
}

// At most 1,000 errors are kept (over all documents of the list).
TEST(JsonLoader, ErrorLimit) {
  std::string items;
  for (int i = 0; i < 1200; ++i) items += i == 0 ? "1" : ", 1";
  FactStore store(TestRules());
  std::vector<FactError> errors;
  EXPECT_FALSE(LoadJsonDocument(store, "case.json",
                                R"({"title": "x", "count": 1, "head": {}, "items": [)" + items + "]}", errors));
  ASSERT_EQ(errors.size(), 1000u);
  EXPECT_EQ(errors.back().where, "items[999]");
  EXPECT_FALSE(LoadJsonDocument(store, "next.json", "{}", errors));
  EXPECT_EQ(errors.size(), 1000u);
}

// Several documents into one store: a failed one leaves nothing behind, the
// others keep their rows, owners and names.
TEST(JsonLoader, SeveralDocuments) {
  FactStore store(TestRules());
  std::vector<FactError> errors;
  EXPECT_TRUE(
      LoadJsonDocument(store, "a.json", R"({"title": "a", "count": 1, "head": {}, "items": [{"n": 1}]})", errors));
  EXPECT_FALSE(LoadJsonDocument(
      store, "b.json",
      R"({"title": "b", "count": 2, "head": {}, "items": [{"n": 2}, {"n": 2, "parts": [{"label": 1}]}]})", errors));
  EXPECT_FALSE(LoadJsonDocument(store, "c.json",
                                R"({"title": "c", "count": 3, "head": {}})"
                                "x",
                                errors));
  EXPECT_TRUE(LoadJsonDocument(
      store, "d.json", R"({"title": "d", "count": 4, "head": {"name": "h"}, "items": [{}, {"parts": [{}]}]})", errors));
  EXPECT_EQ(Errors(errors),
            "b.json: items[1].parts[0].label: expected `text`, found number\n"
            "c.json: line 1, column 39: not valid JSON: syntax error while parsing value - invalid literal; expected end of input\n");
  store.Seal();
  EXPECT_EQ(Dump(store),
            "case#0 'a.json' title=\"a\" count=1\n"
            "case#1 'd.json' title=\"d\" count=4\n"
            "head#0 <0>[0]\n"
            "head#1 <1>[0] name=\"h\"\n"
            "item#0 <0>[0] n=1\n"
            "item#1 <1>[0]\n"
            "item#2 <1>[1]\n"
            "part#0 <2>[0]\n");
}

// The loader keeps per-thread tables by rule set; a rule set checked later
// (possibly at the address of one that is gone) is read by its own fields.
TEST(JsonLoader, OneRuleSetAfterAnother) {
  for (int round = 0; round < 3; ++round) {
    for (const char* field : {"alpha", "beta"}) {
      auto rules = CheckRules(std::string("entity case {\n  ") + field + " : integer\n  other : optional text\n}\n");
      ASSERT_TRUE(rules->rules.has_value());
      FactStore store(*rules->rules);
      std::vector<FactError> errors;
      std::string doc = std::string(R"({"other": "o", ")") + field + R"(": 7})";
      EXPECT_TRUE(LoadJsonDocument(store, "case.json", doc, errors)) << Errors(errors);
      EXPECT_EQ(Dump(store), std::string("case#0 'case.json' ") + field + "=7 other=\"o\"\n");
      std::string wrong = std::string(R"({")") + (field == std::string("alpha") ? "beta" : "alpha") + R"(": 7})";
      EXPECT_FALSE(LoadJsonDocument(store, "case.json", wrong, errors));
    }
  }
}

}  // namespace
}  // namespace nw::engine
