#include "load/line_index.h"

#include <gtest/gtest.h>

#include <string>

namespace ktriage {
namespace {

std::size_t naive(const std::string& s, std::size_t from, std::size_t to) {
  std::size_t n = 0;
  for (std::size_t i = from; i < to; ++i) n += s[i] == '\n' ? 1 : 0;
  return n;
}

TEST(LineIndexTest, CountNewlinesMatchesACharacterLoopAtEveryAlignmentAndLength) {
  // Long enough for the 255-round fold of the vector loop to happen more than once.
  std::string s;
  for (int i = 0; i < 9000; ++i)
    s += (i % 7 == 0 || i % 13 == 0) ? '\n' : static_cast<char>('a' + i % 26);
  s += std::string(5000, '\n');  // a run where every byte matches
  for (std::size_t from : {0u, 1u, 3u, 7u, 15u, 16u, 17u}) {
    for (std::size_t to :
         {from, from + 1, from + 15, from + 16, from + 33, s.size() - 1, s.size()}) {
      EXPECT_EQ(count_newlines(s.data() + from, s.data() + to), naive(s, from, to))
          << from << ".." << to;
    }
  }
}

TEST(LineIndexTest, PositionsAreOneBasedAndMoveBackwardsToo) {
  const std::string text = "ab\ncde\n\nf";
  LineIndex lines(text);
  EXPECT_EQ(lines.position(0).line, 1u);
  EXPECT_EQ(lines.position(4).line, 2u);
  EXPECT_EQ(lines.position(4).column, 2u);
  EXPECT_EQ(lines.position(8).line, 4u);
  EXPECT_EQ(lines.position(8).column, 1u);
  EXPECT_EQ(lines.position(1).line, 1u);  // backwards restarts from the top
  EXPECT_EQ(lines.position(1).column, 2u);
  EXPECT_EQ(lines.position(999).line, 4u);  // clamps to the end
}

}  // namespace
}  // namespace ktriage
