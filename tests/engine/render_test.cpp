// The diagnostic renderers: clang-like text, the GNU one-liner, positions.
#include <gtest/gtest.h>

#include "dsl/support/render.hpp"

namespace nw {
namespace {

TEST(Render, HumanShowsLocationLineCaretAndHelp) {
  Source src("rules/wfw.norm", "rule wfw.x\n  when request.submited_on > 3\n");
  Diagnostic d;
  d.code = "unknown-name";
  d.message = "unknown name `request.submited_on`";
  d.source = &src;
  d.primary = {18, 37};
  d.help = "did you mean `request.submitted_on`?";
  EXPECT_EQ(RenderHuman(d),
            "rules/wfw.norm:2:8: error: unknown name `request.submited_on` [unknown-name]\n"
            "   2 |   when request.submited_on > 3\n"
            "     |        ^~~~~~~~~~~~~~~~~~~\n"
            "help: did you mean `request.submitted_on`?\n");
}

TEST(Render, GnuIsOneLine) {
  Source src("a.norm", "x\ny z\n");
  Diagnostic d;
  d.code = "syntax";
  d.message = "expected `:` after `y`";
  d.source = &src;
  d.primary = {4, 5};
  EXPECT_EQ(RenderGnu(d), "a.norm:2:3: error[syntax]: expected `:` after `y`");
}

TEST(Render, NotesAndCounts) {
  Source src("a.norm", "enum e { a }\nenum e { b }\n");
  Diagnostic d;
  d.code = "duplicate-name";
  d.message = "enum `e` is declared twice";
  d.source = &src;
  d.primary = {18, 19};
  d.secondary.push_back(Label{&src, {5, 6}, "first declared here"});
  std::string out = RenderAllHuman({d});
  EXPECT_NE(out.find("a.norm:2:6: error: enum `e` is declared twice [duplicate-name]"), std::string::npos) << out;
  EXPECT_NE(out.find("a.norm:1:6: note: first declared here"), std::string::npos) << out;
  EXPECT_NE(out.find("1 error generated"), std::string::npos) << out;
}

TEST(Render, PositionsAtLineStartsAndEnd) {
  Source src("a.norm", "ab\n\ncd");
  EXPECT_EQ(src.Position(0).line, 1u);
  EXPECT_EQ(src.Position(3).line, 2u);
  EXPECT_EQ(src.Position(4).line, 3u);
  EXPECT_EQ(src.Position(5).column, 2u);
  EXPECT_EQ(src.Position(99).line, 3u);  // past the end clamps
  EXPECT_EQ(src.Line(3), "cd");
}

}  // namespace
}  // namespace nw
