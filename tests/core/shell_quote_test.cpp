#include "core/shell_quote.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

TEST(ShellQuoteTest, PlainWordsStayQuotedOnesAreOneWord) {
  EXPECT_EQ(shell_word("k8s/app.json"), "k8s/app.json");
  EXPECT_EQ(shell_word("my dir/bad file.json"), "'my dir/bad file.json'");
  EXPECT_EQ(shell_word("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_word("$(rm -rf)"), "'$(rm -rf)'");
  EXPECT_EQ(shell_word(""), "''");
  EXPECT_EQ(shell_quote("plain"), "'plain'");
}

}  // namespace
}  // namespace ktriage
