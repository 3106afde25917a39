// src/core/edit_distance: the did-you-mean distance of can-i's verbs and container names.
#include "core/edit_distance.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(levenshtein_distance("lst", "list"), 1U);
  EXPECT_EQ(levenshtein_distance("watch", "wtch"), 1U);
  EXPECT_EQ(levenshtein_distance("get", "set"), 1U);
  EXPECT_EQ(levenshtein_distance("", "patch"), 5U);
  EXPECT_EQ(levenshtein_distance("web", ""), 3U);
}

TEST(EditDistanceTest, EqualIsZeroAndCaseAndSwapsCount) {
  EXPECT_EQ(levenshtein_distance("delete", "delete"), 0U);
  EXPECT_EQ(levenshtein_distance("Get", "get"), 1U);  // case is kept
  EXPECT_EQ(levenshtein_distance("gte", "get"), 2U);  // a swap is two edits here
  EXPECT_EQ(levenshtein_distance("create", "update"), 3U);
}

}  // namespace
}  // namespace ktriage
