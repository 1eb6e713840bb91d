// Internal: the checker's state, shared by the pass files in dsl/check/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dsl/check.hpp"

namespace nw::dsl::internal {

/// A rule declaration with the validity an amendment gave it.
struct WorkRule {
  const RuleDecl* decl = nullptr;
  const SyntaxTree* tree = nullptr;
  std::optional<Date> from;  // set when parsed or overridden
  std::optional<Date> to;
  bool from_given = false;
  std::string amended_by;
  bool dropped = false;
};

/// One dated parameter value with the validity an amendment gave it.
struct WorkValue {
  const ParamValue* decl = nullptr;
  const SyntaxTree* tree = nullptr;
  Date from;
  std::optional<Date> to;
};

/// A parameter declaration and its values (amendments may add values).
struct WorkParam {
  const ParamDecl* decl = nullptr;
  const SyntaxTree* tree = nullptr;
  std::vector<WorkValue> values;
};

/// Scope of variables while checking one rule or definition.
struct Scope {
  std::vector<std::pair<std::string, uint32_t>> vars;  // name -> var id, innermost last
  std::optional<uint32_t> Find(const std::string& name) const {
    for (auto it = vars.rbegin(); it != vars.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return std::nullopt;
  }
};

class Checker {
 public:
  Checker(DiagnosticSink& sink, const CheckOptions& options) : sink_(sink), options_(options) {}

  std::optional<CheckedRuleSet> Run(const std::vector<const SyntaxTree*>& files,
                                    const std::vector<const SyntaxTree*>& amendments);

 private:
  // declarations.cpp
  void CollectDeclarations(const std::vector<const SyntaxTree*>& files);
  void ApplyAmendment(const SyntaxTree& tree);
  void CollectAmendmentDeclarations(const SyntaxTree& tree);
  void ResolveSchema();
  Type ResolveType(const TypeRef& t, const SyntaxTree& tree, bool allow_collections);
  void CheckActs();
  void CheckParams();
  std::optional<Value> ConstantValue(const SyntaxTree& tree, ExprId id, Type type);
  std::optional<CitationInfo> ResolveCitation(const Citation& c, const SyntaxTree& tree);
  std::vector<CitationInfo> ResolveCitations(const std::vector<Citation>& cs, const SyntaxTree& tree);
  std::optional<Date> ParseDate(const Name& n, const SyntaxTree& tree);

  // expressions.cpp
  uint32_t CheckExpr(const SyntaxTree& tree, ExprId id, Scope& scope, std::optional<Type> expected = {});
  uint32_t CheckPath(const SyntaxTree& tree, const Expr& e, Scope& scope, std::optional<Type> expected);
  uint32_t CheckLiteral(const SyntaxTree& tree, const Expr& e);
  uint32_t CheckBinary(const SyntaxTree& tree, const Expr& e, Scope& scope);
  uint32_t CheckCall(const SyntaxTree& tree, const Expr& e, Scope& scope);
  uint32_t CheckAggregate(const SyntaxTree& tree, const Expr& e, Scope& scope);
  uint32_t CheckEnumValue(const SyntaxTree& tree, const Expr& e, std::optional<Type> expected);
  int DurationUnit(uint32_t id) const;  // 1 months, 2 days, 3 mixed, 0 unknown or zero
  uint32_t Add(CExpr e);
  uint32_t ErrorExpr(SourceRange r);
  uint32_t NewVar(const std::string& name, Type type, SourceRange range);
  void ExpectType(const SyntaxTree& tree, uint32_t id, Type want, const std::string& what);

  // rules.cpp
  void CheckDefinitions();
  void CheckRules();
  void CheckRule(WorkRule& w);
  bool CheckBinding(const SyntaxTree& tree, const Binding& b, Scope& scope, CBinding& out);
  std::vector<Template> CheckTemplates(const SyntaxTree& tree, const std::vector<LangText>& texts, Scope& scope,
                                       const std::string& clause);
  void CheckRuleVersions();
  void CheckExceptionGraph();
  void StratifyDefinitions();
  void CheckScenarios();
  void CollectDerivedFieldUses(uint32_t expr, std::vector<uint32_t>& defs) const;

  void Error(const char* code, const SyntaxTree& tree, SourceRange r, std::string message,
             std::optional<std::string> help = std::nullopt);
  void ErrorWithNote(const char* code, const SyntaxTree& tree, SourceRange r, std::string message,
                     const Source* note_source, SourceRange note_range, std::string note);

  DiagnosticSink& sink_;
  CheckOptions options_;
  CheckedRuleSet rs_;

  // Declarations by name, with the tree they come from.
  std::vector<std::pair<const ActDecl*, const SyntaxTree*>> act_decls_;
  std::vector<std::pair<const EnumDecl*, const SyntaxTree*>> enum_decls_;
  std::vector<std::pair<const EntityDecl*, const SyntaxTree*>> entity_decls_;
  std::vector<std::pair<const ExtendDecl*, const SyntaxTree*>> extend_decls_;
  std::vector<std::pair<const DefineDecl*, const SyntaxTree*>> define_decls_;
  std::vector<std::pair<const ScenarioDecl*, const SyntaxTree*>> scenario_decls_;
  std::vector<WorkParam> params_;
  std::vector<WorkRule> rules_;
  std::map<std::string, const Source*> first_def_source_;
  std::map<std::string, SourceRange> first_def_range_;
  std::unordered_map<std::string, uint32_t> act_index_;
};

}  // namespace nw::dsl::internal
