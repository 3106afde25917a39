// src/core/edit_distance: the did-you-mean distances of can-i's verbs, container names and
// field names (lint, the last-applied diff).
#include "core/edit_distance.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

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

TEST(OsaDistanceTest, SwapOfNeighboursIsOneEdit) {
  EXPECT_EQ(osa_distance("imagePullPolciy", "imagePullPolicy"), 1U);
  EXPECT_EQ(osa_distance("gte", "get"), 1U);
  EXPECT_EQ(osa_distance("env", "env"), 0U);
  EXPECT_EQ(osa_distance("", "port"), 4U);
}

TEST(OsaDistanceTest, CaseCountsUnlessIgnored) {
  EXPECT_EQ(osa_distance("containerPort", "ContainerPort"), 1U);
  EXPECT_EQ(osa_distance("containerPort", "ContainerPort", /*ignore_case=*/true), 0U);
  EXPECT_EQ(osa_distance("contAIN3rz", "containers", /*ignore_case=*/true), 2U);
}

// Keys come from input files: two 30 KB keys must not ask for a 7 GB table.
TEST(OsaDistanceTest, NamesLongerThanTheCapAreNotCompared) {
  const std::string at_cap(kMaxOsaLength, 'a');
  const std::string over(kMaxOsaLength + 1, 'a');
  EXPECT_EQ(osa_distance(at_cap, at_cap), 0U);
  EXPECT_EQ(osa_distance(at_cap, at_cap + "b"), SIZE_MAX);
  EXPECT_EQ(osa_distance(over, over), SIZE_MAX);
  EXPECT_EQ(osa_distance(std::string(30000, 'k'), std::string(30000, 'k')), SIZE_MAX);
}

}  // namespace
}  // namespace ktriage
